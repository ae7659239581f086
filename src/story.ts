// Story: a document's units and their words → which units are its story text and which are page
// chrome (captions, promos, tickers, bylines, headline lists), from each unit's own features, and
// which words of the story stand inside quotation marks.
import { createRequire } from "node:module";
import type { Unit } from "./normalize.js";
import { hashToken } from "./tokenize.js";
import type { ChromeKind } from "./types.js";

/** Why a unit is chrome (types.ts ChromeKind); "" for story text. */
export type ChromeReason = "" | ChromeKind;

/** A unit of fewer words than this is chrome: "Advertisement", "Hide Ad", a name, a date. */
const TINY = 4;
/** Units repeated on a page (a photo caption shown twice) are chrome up to this many words. */
const REPEATED_CHROME = 40;
/** A unit without a sentence end is chrome up to this many words: headlines, captions, bylines, menus. */
const NO_SENTENCE = 20;
/**
 * A unit whose share of stopwords is under this is chrome up to REPEATED_CHROME words: running
 * prose in any language the lists cover is about a third stopwords (jusText's thresholds sit at
 * 0.30–0.32 for good paragraphs), a ticker, tag list or headline list far less.
 */
const FEW_STOPWORDS = 0.12;
/** Below this share of stopwords over the whole story the language is not one the lists know: no stopword rule. */
const KNOWN_LANGUAGE = 0.08;

/**
 * The natural package's stopword lists, one per language written with spaces between words
 * (Chinese and Japanese need word segmentation first). Loaded on first use, by submodule: the
 * package's top level loads database clients.
 */
const LISTS = ["stopwords", "stopwords_es", "stopwords_fr", "stopwords_it", "stopwords_nl", "stopwords_no", "stopwords_pl", "stopwords_pt", "stopwords_ru", "stopwords_sv", "stopwords_uk", "stopwords_id", "stopwords_fa"];
export const LANGUAGES = ["en", "es", "fr", "it", "nl", "no", "pl", "pt", "ru", "sv", "uk", "id", "fa"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Token hash → bit mask of the languages whose list holds the word, in an open-addressing table
 * on typed arrays: looked up for every word of every document, where a Map costs several times
 * more per lookup.
 */
let table: { keys: Uint32Array; masks: Uint16Array; mask: number; shift: number } | null = null;

function stopwordTable(): NonNullable<typeof table> {
  if (table) return table;
  const require = createRequire(import.meta.url);
  const found = new Map<number, number>();
  LISTS.forEach((file, lang) => {
    const list = require(`natural/lib/natural/util/${file}.js`) as { words: string[] };
    for (const word of list.words) {
      const w = word.normalize("NFKC").toLowerCase();
      // A list entry our scanner would split ("don't") is not one word of ours; most lists also
      // hold the digits 0–9 (for search indexing), but a number is content: a ticker row is
      // all numbers and no prose.
      if (!/^[\p{L}\p{M}]+$/u.test(w)) continue;
      const h = hashToken(w);
      found.set(h, (found.get(h) ?? 0) | (1 << lang));
    }
  });
  let bits = 4;
  while (1 << bits < found.size * 4) bits++;
  const size = 1 << bits;
  const t = { keys: new Uint32Array(size), masks: new Uint16Array(size), mask: size - 1, shift: 32 - bits };
  for (const [h, m] of found) {
    let slot = slotOf(t, h);
    while (t.masks[slot] !== 0) slot = (slot + 1) & t.mask;
    t.keys[slot] = h;
    t.masks[slot] = m;
  }
  return (table = t);
}

/** Fibonacci hashing: the high bits of a 32-bit product (a float product would lose the low bits). */
function slotOf(t: NonNullable<typeof table>, h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> t.shift;
}

/** The languages (bit mask) whose stopword list holds the word with this hash; 0 for none. */
function stopwordMask(t: NonNullable<typeof table>, h: number): number {
  let slot = slotOf(t, h);
  for (;;) {
    const m = t.masks[slot]!;
    if (m === 0) return 0;
    if (t.keys[slot] === h) return m;
    slot = (slot + 1) & t.mask;
  }
}

/** Whether a normalized unit ends a sentence: . ! ? possibly inside closing quotes or brackets. */
export function endsSentence(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && (text[i] === '"' || text[i] === "'" || text[i] === ")" || text[i] === "]" || text[i] === "»" || text[i] === "」")) i--;
  const c = text[i];
  return c === "." || c === "!" || c === "?" || c === "。" || c === "！" || c === "？";
}

export interface StoryText {
  /** For each unit, why it is chrome ("" for story text). */
  readonly chrome: ChromeReason[];
  /** The language whose stopwords the story holds most of, or null when none holds enough. */
  readonly language: Language | null;
}

let maskScratch = new Uint16Array(1024);
let hashScratch = new Uint32Array(256);

/** How many times `h` is in the sorted array. */
function copies(sorted: Uint32Array, h: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  let k = lo;
  while (k < sorted.length && sorted[k] === h) k++;
  return k - lo;
}

/**
 * Classify each unit as story text or chrome, from its own features only (no other document is
 * needed, so a batch, an index and a Redis store decide alike), in the spirit of jusText: a unit
 * is chrome when it is tiny, repeated on the page (a caption shown twice; not when the whole
 * page repeats its text, see repeats.ts), not a sentence and short, or short and nearly free of
 * stopwords in the document's language. A document whose every unit would be chrome is all
 * story: there is nothing else to compare it on. The words of unit i are
 * tokens[starts[i] .. starts[i + 1]).
 */
export function storyText(units: readonly Unit[], tokens: Uint32Array, starts: Int32Array, pageRepeats: number): StoryText {
  const t = stopwordTable();
  const total = starts[units.length]!;
  if (maskScratch.length < total) maskScratch = new Uint16Array(Math.max(total, maskScratch.length * 2));
  const masks = maskScratch;
  const perLanguage = new Float64Array(LANGUAGES.length);
  for (let i = 0; i < total; i++) {
    const bits = stopwordMask(t, tokens[i]!);
    masks[i] = bits;
    for (let b = bits; b !== 0; b &= b - 1) perLanguage[31 - Math.clz32(b & -b)]!++;
  }
  let best = 0;
  for (let l = 1; l < LANGUAGES.length; l++) if (perLanguage[l]! > perLanguage[best]!) best = l;
  const known = total > 0 && perLanguage[best]! / total >= KNOWN_LANGUAGE;
  // The units' hashes sorted, to count a unit's copies on the page by binary search: a Map keyed
  // by 32-bit hashes (heap numbers, not small integers) cost more than all the rest here.
  if (hashScratch.length < units.length) hashScratch = new Uint32Array(Math.max(units.length, hashScratch.length * 2));
  const sorted = hashScratch.subarray(0, units.length);
  for (let i = 0; i < units.length; i++) sorted[i] = units[i]!.hash;
  sorted.sort();
  const chrome: ChromeReason[] = units.map((u, i): ChromeReason => {
    const from = starts[i]!;
    const n = starts[i + 1]! - from;
    if (n < TINY) return "tiny";
    if (n < REPEATED_CHROME && copies(sorted, u.hash) > pageRepeats) return "repeated";
    if (n < NO_SENTENCE && !endsSentence(u.text)) return "no-sentence";
    if (known && n < REPEATED_CHROME) {
      let stop = 0;
      for (let k = from; k < from + n; k++) stop += (masks[k]! >> best) & 1;
      if (stop < FEW_STOPWORDS * n) return "few-stopwords";
    }
    return "";
  });
  // (includes, not every: an inferred type guard would narrow the array.)
  if (!chrome.includes("")) chrome.fill("");
  return { chrome, language: known ? LANGUAGES[best]! : null };
}

/**
 * The quoted stretches of a normalized unit: [start, end) character ranges inside quotation
 * marks. Double quotes (every kind, plain after normalization) open and close in turn; CJK corner
 * brackets open and close; a single quote opens only after a space or the start and before a
 * letter, and closes only an open single quote (an apostrophe between letters is neither). A
 * quote still open at the end of the unit runs to its end (a quote continued in the next
 * paragraph opens again there).
 */
export function quotedRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  // From quotation mark to quotation mark by native searches (indexOf per kind of mark): most
  // of a unit holds none, and a regex or a loop over every character cost several times more.
  const next = nextMarks;
  for (let j = 0; j < MARKS.length; j++) next[j] = text.indexOf(MARKS[j]!);
  let open = -1;
  let kind = 0;
  for (;;) {
    let k = -1;
    for (let j = 0; j < next.length; j++) if (next[j]! >= 0 && (k < 0 || next[j]! < next[k]!)) k = j;
    if (k < 0) break;
    const i = next[k]!;
    next[k] = text.indexOf(MARKS[k]!, i + 1);
    const c = text.charCodeAt(i);
    if (c === DOUBLE) {
      if (open < 0) {
        open = i;
        kind = DOUBLE;
      } else if (kind === DOUBLE) {
        out.push([open, i + 1]);
        open = -1;
      }
    } else if (c === CORNER || c === WHITE_CORNER) {
      if (open < 0) {
        open = i;
        kind = CORNER;
      }
    } else if (c === CORNER_CLOSE || c === WHITE_CORNER_CLOSE) {
      if (open >= 0 && kind === CORNER) {
        out.push([open, i + 1]);
        open = -1;
      }
    } else {
      const letterAfter = i + 1 < text.length && isLetter(text.charCodeAt(i + 1));
      if (open < 0 && (i === 0 || text.charCodeAt(i - 1) === SPACE) && letterAfter) {
        open = i;
        kind = SINGLE;
      } else if (open >= 0 && kind === SINGLE && !letterAfter) {
        out.push([open, i + 1]);
        open = -1;
      }
    }
  }
  if (open >= 0) out.push([open, text.length]);
  return out;
}

/** The quotation marks normalized text holds (every double quote is a plain one after normalization). */
const MARKS = ['"', "'", "「", "」", "『", "』"];
const nextMarks = new Int32Array(MARKS.length);
const DOUBLE = 0x22;
const SINGLE = 0x27;
const SPACE = 0x20;
const CORNER = 0x300c; // 「
const CORNER_CLOSE = 0x300d; // 」
const WHITE_CORNER = 0x300e; // 『
const WHITE_CORNER_CLOSE = 0x300f; // 』

/** A letter or digit (normalized text is lower case): ASCII by a comparison, the rest by a regex. */
function isLetter(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  return /[\p{L}\p{N}]/u.test(String.fromCharCode(c));
}
