// Story: a document's units and their words → which units are its story text and which are page
// chrome (captions, promos, tickers, bylines, headline lists), from each unit's own features, and
// which words of the story stand inside quotation marks.
import { createRequire } from "node:module";
import { normalizeText, type Unit } from "./normalize.js";
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
 * In a language without spaces, a unit whose letters stand in stopwords less than this share is
 * chrome up to REPEATED_CHROME words: prose there is held together by function characters and
 * particles (的, 了, 在; の, に, は) as spaced prose by its stopwords; a headline list,
 * menu or ticker is names and nouns.
 */
const FEW_STOP_LETTERS = 0.15;
/** Languages that do not mark a sentence's end (Thai and Lao end it with a space): no sentence rule. */
const NO_SENTENCE_MARK = new Set(["th", "lo"]);

/**
 * Stopword lists of the languages whose tokens are words (written with spaces, or cut into words
 * by tokenize.ts with ICU's dictionary: Japanese, Thai), in the order of their bit in a word's
 * language mask. natural's lists, loaded by submodule (the package's top level loads database
 * clients); stopwords-iso's for the languages natural has none for (German, Arabic, Hindi,
 * Turkish, Thai): one JSON file, no code, and the lists natural's own are drawn from. Not
 * Korean: it writes its particles onto the word (정부는, 정부가), so a list of bare words finds
 * few stopwords in Korean prose; Korean is told by its script and has no stopword rule.
 */
const SPACED: ReadonlyArray<readonly [language: string, source: string]> = [
  ["en", "stopwords"], ["es", "stopwords_es"], ["fr", "stopwords_fr"], ["it", "stopwords_it"], ["nl", "stopwords_nl"],
  ["no", "stopwords_no"], ["pl", "stopwords_pl"], ["pt", "stopwords_pt"], ["ru", "stopwords_ru"], ["sv", "stopwords_sv"],
  ["uk", "stopwords_uk"], ["id", "stopwords_id"], ["fa", "stopwords_fa"], ["ja", "stopwords_ja"],
  ["de", "iso"], ["ar", "iso"], ["hi", "iso"], ["tr", "iso"], ["th", "iso"],
];
/**
 * Languages told apart by script: Chinese, whose tokens are character pairs (tokenize.ts
 * UNSPACED_CHAR) and whose stopword list is matched in the text (and Japanese written in Han
 * alone); Korean, Lao, Khmer, Myanmar and Tibetan when no list finds the page's language.
 */
const BY_SCRIPT = ["zh", "ko", "lo", "km", "my", "bo"] as const;
export const LANGUAGES = [...SPACED.map(([l]) => l), ...BY_SCRIPT] as readonly string[];
export type Language = string;

const require = createRequire(import.meta.url);
let iso: Record<string, string[]> | null = null;
function isoList(language: string): string[] {
  iso ??= require("stopwords-iso") as Record<string, string[]>;
  return iso[language] ?? [];
}
function naturalList(file: string): string[] {
  return (require(`natural/lib/natural/util/${file}.js`) as { words: string[] }).words;
}

/**
 * Token hash → bit mask of the languages whose list holds the word, in an open-addressing table
 * on typed arrays: looked up for every word of every document, where a Map costs several times
 * more per lookup.
 */
let table: { keys: Uint32Array; masks: Uint32Array; mask: number; shift: number } | null = null;

function stopwordTable(): NonNullable<typeof table> {
  if (table) return table;
  const found = new Map<number, number>();
  SPACED.forEach(([language, source], bit) => {
    for (const word of source === "iso" ? isoList(language) : naturalList(source)) {
      const w = normalizeText(word);
      // A list entry our scanner would split ("don't") is not one word of ours; most lists also
      // hold the digits 0–9 (for search indexing), but a number is content: a ticker row is
      // all numbers and no prose.
      if (!/^[\p{L}\p{M}]+$/u.test(w)) continue;
      const h = hashToken(w);
      found.set(h, (found.get(h) ?? 0) | (1 << bit));
    }
  });
  let bits = 4;
  while (1 << bits < found.size * 4) bits++;
  const size = 1 << bits;
  const t = { keys: new Uint32Array(size), masks: new Uint32Array(size), mask: size - 1, shift: 32 - bits };
  for (const [h, m] of found) {
    let slot = slotOf(t, h);
    while (t.masks[slot] !== 0) slot = (slot + 1) & t.mask;
    t.keys[slot] = h;
    t.masks[slot] = m;
  }
  return (table = t);
}

/**
 * The stopwords of a language without spaces, by length, longest first: matched as substrings
 * of a unit's text, since its tokens are character pairs, not words.
 */
type ByLength = Array<{ length: number; words: Set<string> }>;
const unspacedLists = new Map<string, ByLength>();
export function unspacedList(language: string): ByLength {
  let lists = unspacedLists.get(language);
  if (lists) return lists;
  const words = new Set<string>();
  const sources = language === "zh" ? [...naturalList("stopwords_zh"), ...isoList("zh")] : language === "ja" ? [...naturalList("stopwords_ja"), ...isoList("ja")] : isoList(language);
  for (const word of sources) {
    const w = normalizeText(word);
    if (/^[\p{L}\p{M}]+$/u.test(w)) words.add(w);
  }
  const byLength: Array<Set<string>> = [];
  for (const w of words) (byLength[w.length] ??= new Set()).add(w);
  lists = byLength.flatMap((words, length) => (words ? [{ length, words }] : [])).reverse();
  unspacedLists.set(language, lists);
  return lists;
}

/**
 * The share of a unit's characters (but spaces) that stand in a stopword of a language without
 * spaces (each counted once, however many stopwords cover it): that language's stopword density.
 */
export function stopwordShare(text: string, lists: ByLength): number {
  if (lists.length === 0) return 1;
  const covered = new Uint8Array(text.length);
  let letters = 0;
  let stop = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) continue;
    letters++;
    for (const { length, words } of lists) {
      if (words.has(text.substr(i, length))) {
        covered.fill(1, i, i + length);
        break;
      }
    }
    stop += covered[i]!;
  }
  return letters === 0 ? 0 : stop / letters;
}

/**
 * The language of a text from its letters' scripts: one written without spaces, or Korean;
 * null when letters of other scripts are as many.
 */
function scriptLanguage(units: readonly Unit[]): (typeof BY_SCRIPT)[number] | "ja" | "th" | null {
  const count = new Float64Array(9);
  let other = 0;
  for (const u of units) {
    const t = u.text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x0e00) {
        if (c > 32) other++;
        continue;
      }
      const k =
        c >= 0x3040 && c <= 0x30ff ? 0 : (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ? 1 : c <= 0x0e7f ? 2 : c <= 0x0eff ? 3 : c >= 0x1780 && c <= 0x17ff ? 4 : c >= 0x1000 && c <= 0x109f ? 5 : c >= 0x0f00 && c <= 0x0fff ? 6 : c >= 0xac00 && c <= 0xd7a3 ? 7 : 8;
      count[k]!++;
    }
  }
  // Japanese writes its grammar in kana: a text with a tenth as much kana as Han is Japanese.
  if (count[0]! > 0 && count[0]! * 10 >= count[1]!) return "ja";
  let best = 1;
  for (let k = 2; k < 8; k++) if (count[k]! > count[best]!) best = k;
  if (count[best] === 0 || count[best]! + count[0]! < other) return null;
  return (["ja", "zh", "th", "lo", "km", "my", "bo", "ko"] as const)[best]!;
}

/** Fibonacci hashing: the high bits of a 32-bit product (a float product would lose the low bits). */
function slotOf(t: NonNullable<typeof table>, h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> t.shift;
}

/** The languages (bit mask over SPACED) whose stopword list holds the word with this hash; 0 for none. */
function stopwordMask(t: NonNullable<typeof table>, h: number): number {
  let slot = slotOf(t, h);
  for (;;) {
    const m = t.masks[slot]!;
    if (m === 0) return 0;
    if (t.keys[slot] === h) return m;
    slot = (slot + 1) & t.mask;
  }
}

/**
 * Whether a normalized unit ends a sentence: . ! ? (the ideographic 。, the Arabic ؟ and ۔, the
 * Devanagari danda ।, the Khmer ។, Myanmar ။, Tibetan ། and Ethiopic ።), possibly inside closing
 * quotes or brackets.
 */
export function endsSentence(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && (text[i] === '"' || text[i] === "'" || text[i] === ")" || text[i] === "]" || text[i] === "»" || text[i] === "」" || text[i] === "』")) i--;
  if (i < 0) return false;
  const c = text.charCodeAt(i);
  // ASCII by comparison: this runs on every unit of every document.
  return c < 128 ? c === 46 || c === 33 || c === 63 : SENTENCE_ENDS.includes(text[i]!);
}
const SENTENCE_ENDS = "。！？؟۔।॥។။།።";

export interface StoryText {
  /** For each unit, why it is chrome ("" for story text). */
  readonly chrome: ChromeReason[];
  /** The language whose stopwords the story holds most of, or null when none holds enough. */
  readonly language: Language | null;
}

let maskScratch = new Uint32Array(1024);
let hashScratch = new Uint32Array(256);

/** The first position of a sorted array holding a value ≥ `h` (its length when there is none). */
export function lowerBound(sorted: Uint32Array, h: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many times `h` is in the sorted array. */
function copies(sorted: Uint32Array, h: number): number {
  const lo = lowerBound(sorted, h);
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
 * tokens[starts[i] .. starts[i + 1]); with `flags`, those whose flag has `pairBit` are character
 * pairs of a text without spaces (tokenize.ts), counted as part of a word.
 *
 * The language: a text mostly of character pairs is in the language of its script (Kana makes
 * it Japanese); any other, the one whose stopwords it holds most of, if they are at least
 * KNOWN_LANGUAGE of its words, else the language of its script if it has one (Korean), else none.
 */
export function storyText(units: readonly Unit[], tokens: Uint32Array, starts: Int32Array, pageRepeats: number, flags?: Uint8Array, pairBit = 0): StoryText {
  const t = stopwordTable();
  const total = starts[units.length]!;
  if (maskScratch.length < total) maskScratch = new Uint32Array(Math.max(total, maskScratch.length * 2));
  const masks = maskScratch;
  const perLanguage = new Float64Array(SPACED.length);
  let pairs = 0;
  for (let i = 0; i < total; i++) {
    const bits = stopwordMask(t, tokens[i]!);
    masks[i] = bits;
    for (let b = bits; b !== 0; b &= b - 1) perLanguage[31 - Math.clz32(b & -b)]!++;
  }
  if (flags && pairBit !== 0) for (let i = 0; i < total; i++) pairs += (flags[i]! & pairBit) !== 0 ? 1 : 0;
  let language: string | null = null;
  let best = -1;
  let stopLetters: ByLength | null = null;
  if (pairs * 2 > total) {
    language = scriptLanguage(units);
    if (language === "zh" || language === "ja") stopLetters = unspacedList(language);
  } else {
    best = 0;
    for (let l = 1; l < SPACED.length; l++) if (perLanguage[l]! > perLanguage[best]!) best = l;
    if (total - pairs > 0 && perLanguage[best]! / (total - pairs) >= KNOWN_LANGUAGE) language = SPACED[best]![0];
    else {
      best = -1;
      // Not a language of the lists: name it by its script if it has one of its own (Korean).
      if (total > 0) language = scriptLanguage(units);
    }
  }
  const sentenceRule = !(language && NO_SENTENCE_MARK.has(language));
  // The units' hashes sorted, to count a unit's copies on the page by binary search: a Map keyed
  // by 32-bit hashes (heap numbers, not small integers) cost more than all the rest here.
  if (hashScratch.length < units.length) hashScratch = new Uint32Array(Math.max(units.length, hashScratch.length * 2));
  const sorted = hashScratch.subarray(0, units.length);
  for (let i = 0; i < units.length; i++) sorted[i] = units[i]!.hash;
  sorted.sort();
  // A unit's words, a pair of characters counting as half a word (rounded down: an integer
  // keeps the comparisons below on small integers).
  const words = (from: number, to: number): number => {
    if (pairs === 0) return to - from;
    let p = 0;
    for (let k = from; k < to; k++) if ((flags![k]! & pairBit) !== 0) p++;
    return to - from - p + (p >> 1);
  };
  const unitReason = (u: Unit, from: number, to: number): ChromeReason => {
    const n = words(from, to);
    if (n < TINY) return "tiny";
    if (n < REPEATED_CHROME && copies(sorted, u.hash) > pageRepeats) return "repeated";
    if (sentenceRule && n < NO_SENTENCE && !endsSentence(u.text)) return "no-sentence";
    if (n < REPEATED_CHROME) {
      if (best >= 0) {
        let stop = 0;
        for (let k = from; k < to; k++) stop += (masks[k]! >> best) & 1;
        if (stop < FEW_STOPWORDS * (to - from)) return "few-stopwords";
      } else if (stopLetters && stopwordShare(u.text, stopLetters) < FEW_STOP_LETTERS) return "few-stopwords";
    }
    return "";
  };
  const chrome: ChromeReason[] = new Array<ChromeReason>(units.length);
  for (let i = 0; i < units.length; i++) chrome[i] = unitReason(units[i]!, starts[i]!, starts[i + 1]!);
  // (includes, not every: an inferred type guard would narrow the array.)
  if (!chrome.includes("")) chrome.fill("");
  return { chrome, language };
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
