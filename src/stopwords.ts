// Stopwords: the stopword lists of many languages (natural's and stopwords-iso's), a table from a
// word's hash to the languages whose list holds it, and a text's language told by its script.
import { createRequire } from "node:module";
import { normalizeText, type Unit } from "./normalize.js";
import { hashToken } from "./tokenize.js";

/**
 * Stopword lists of the languages whose tokens are words (written with spaces, or cut into words
 * by tokenize.ts with ICU's dictionary: Japanese, Thai), in the order of their bit in a word's
 * language mask. natural's lists, loaded by submodule (the package's top level loads database
 * clients); stopwords-iso's for the languages natural has none for (German, Arabic, Hindi,
 * Turkish, Thai): one JSON file, no code, and the lists natural's own are drawn from. Not
 * Korean: it writes its particles onto the word (정부는, 정부가), so a list of bare words finds
 * few stopwords in Korean prose; Korean is told by its script and has no stopword rule.
 */
export const SPACED: ReadonlyArray<readonly [language: string, source: string]> = [
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

export function stopwordTable(): NonNullable<typeof table> {
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
export type ByLength = Array<{ length: number; words: Set<string> }>;
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
export function scriptLanguage(units: readonly Unit[]): (typeof BY_SCRIPT)[number] | "ja" | "th" | null {
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
export function stopwordMask(t: NonNullable<typeof table>, h: number): number {
  let slot = slotOf(t, h);
  for (;;) {
    const m = t.masks[slot]!;
    if (m === 0) return 0;
    if (t.keys[slot] === h) return m;
    slot = (slot + 1) & t.mask;
  }
}
