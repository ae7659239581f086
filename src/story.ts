// Story: a document's units and their words → which units are its story text and which are page
// chrome (captions, promos, tickers, bylines, headline lists), from each unit's own features, and
// which words of the story stand inside quotation marks.
import type { Unit } from "./normalize.js";
import { scriptLanguage, SPACED, stopwordMask, stopwordShare, stopwordTable, unspacedList, type ByLength, type Language } from "./stopwords.js";
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

/** Whether the sorted array holds `h`. */
export function holds(sorted: Uint32Array, h: number): boolean {
  const at = lowerBound(sorted, h);
  return at < sorted.length && sorted[at] === h;
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
