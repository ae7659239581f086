// Tokenize: normalized text → 32-bit hashes of its words, with no string built per word.
import { AsciiCopy, FNV_OFFSET, FNV_PRIME, fmix32 } from "./hash.js";

/** What counts as a word character: letters, digits and combining marks, in any script. */
export const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * Letters of Chinese and Japanese (Han, Hiragana, Katakana), written without spaces between
 * words. A run of them is a clause, not a word. A run of Han alone (Chinese) is cut into
 * overlapping pairs of characters (a character with its combining marks), the classic unit of
 * CJK near-duplicate detection: an edited character changes two tokens, not the clause, and a
 * Chinese word is about two characters, so a pair stands for about a word. A run holding Kana
 * (Japanese, whose words run longer with their kana endings) is cut into words by ICU's
 * dictionary, like SEGMENTED_CHAR runs: as pairs, different Japanese stories shared too many
 * 6-character runs. Decimal digits stay words of their own. Script_Extensions, so the Kana
 * length mark and the Han iteration mark go with their script.
 */
export const UNSPACED_CHAR = /[\p{scx=Han}\p{scx=Hira}\p{scx=Kana}]/u;
const KANA_CHAR = /[\p{scx=Hira}\p{scx=Kana}]/u;
/**
 * Letters of Thai, Lao, Khmer and Myanmar, also written without spaces, but with words of three
 * or four letters and more: pairs would make a 5-token shingle two words long, which unrelated
 * texts share. Their runs are cut into words by ICU's dictionaries (Intl.Segmenter). (Tibetan
 * needs neither: its tsheg, a punctuation mark, already separates its syllables.)
 */
export const SEGMENTED_CHAR = /[\p{scx=Thai}\p{scx=Laoo}\p{scx=Khmr}\p{scx=Mymr}]/u;
/** Hangul: Korean is written with spaces, so a run is a word, unless longer than any word (unspaced text). */
export const HANGUL_CHAR = /\p{scx=Hang}/u;
/** A Hangul run of more syllables than this is text written without spaces, cut into pairs like UNSPACED_CHAR runs. */
export const HANGUL_WORD = 12;

// A code unit's class: 0 = not yet known; WORD, SEP, UNSPACED (a Han letter), KANA (a Kana
// letter: an UNSPACED run holding one is Japanese), SEGMENTED (a letter of SEGMENTED_CHAR),
// HANGUL, MARK (a combining mark: it joins the character before it). Filled lazily from the
// regexes above, so the scanner agrees with them by construction.
const WORD = 1;
const SEP = 2;
const UNSPACED = 3;
const HANGUL = 4;
const MARK = 5;
const SEGMENTED = 6;
const KANA = 7;
let segmenter: Intl.Segmenter | null = null;
let japanese: Intl.Segmenter | null = null;
const MARK_CHAR = /\p{M}/u;
const DECIMAL = /\p{Nd}/u;

function classOf(ch: string): number {
  if (!WORD_CHAR.test(ch)) return SEP;
  if (MARK_CHAR.test(ch)) return MARK;
  if (DECIMAL.test(ch)) return WORD;
  if (UNSPACED_CHAR.test(ch)) return KANA_CHAR.test(ch) ? KANA : UNSPACED;
  if (SEGMENTED_CHAR.test(ch)) return SEGMENTED;
  if (HANGUL_CHAR.test(ch)) return HANGUL;
  return WORD;
}

const bmp = new Uint8Array(65536);
for (let c = 0; c < 128; c++) bmp[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? WORD : SEP;
const astral = new Map<number, number>();

function unitClass(c: number): number {
  let v = bmp[c]!;
  if (v === 0) v = bmp[c] = c >= 0xd800 && c <= 0xdfff ? SEP : classOf(String.fromCharCode(c));
  return v;
}

function astralClass(cp: number): number {
  let v = astral.get(cp);
  if (v === undefined) {
    v = classOf(String.fromCodePoint(cp));
    astral.set(cp, v);
  }
  return v;
}

/** The hash the scanner gives a word: FNV-1a over its UTF-16 code units, then fmix32. */
export function hashToken(word: string): number {
  let h = FNV_OFFSET | 0;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

/**
 * Hash every word of `text`: maximal runs of WORD_CHAR, but runs of UNSPACED_CHAR letters (and
 * long Hangul runs) cut into overlapping character pairs (see UNSPACED_CHAR), and runs of
 * SEGMENTED_CHAR letters into dictionary words. Writes into a reused buffer and returns a view
 * of it, valid until the next call.
 */
let buffer: Uint32Array = new Uint32Array(4096);
export function tokenHashes(text: string): Uint32Array {
  const room = text.length + 2;
  if (buffer.length < room) buffer = new Uint32Array(room);
  return buffer.subarray(0, tokenHashesInto(text, buffer, 0));
}

/**
 * Hash every word of `text` into out[at ..] and return how many there are. `out` must have
 * room for text.length + 1 values from `at` (at most one word per character, plus one slot
 * written past the last word).
 */
export function tokenHashesInto(text: string, out: Uint32Array, at: number): number {
  const n = asciiTokenHashes(text, out, at);
  return n >= 0 ? n : anyTokens(text, out, at, null, NO_BITS);
}

/**
 * Per-word flags tokenHashesWithFlags sets: `digit` on a word holding a digit, `quoted` on one
 * inside a `ranges` stretch, `pair` on a character pair of a run without spaces.
 */
export interface FlagBits {
  readonly digit: number;
  readonly quoted: number;
  readonly pair?: number;
  /** Sorted, disjoint [start, end) character ranges inside quotation marks. */
  readonly ranges: ReadonlyArray<readonly [number, number]>;
}

/**
 * tokenHashesInto, and each word's flags written to flags[at + k] (with the same room). On ASCII
 * text in the same branch-free pass (a second scan over every paragraph with a number or a quote
 * cost as much as the hashing); otherwise by a second scan.
 */
export function tokenHashesWithFlags(text: string, out: Uint32Array, at: number, flags: Uint8Array, bits: FlagBits): number {
  const b = ascii.of(text);
  if (!b) return anyTokens(text, out, at, flags, bits);
  const len = text.length;
  const { ranges } = bits;
  // Quotation marks are separators, so a word lies wholly inside a quoted range or outside it:
  // the text is scanned a stretch at a time with the quoted bit fixed, in a loop as tight as the
  // plain one's (a test per character for the range cost more than the hashing).
  const digits = bits.digit === 0 ? NO_DIGITS : bits.digit === DIGIT_FLAG ? DIGITS : digitTableFor(bits.digit);
  scan.n = at;
  scan.h = FNV_OFFSET | 0;
  scan.f = 0;
  scan.inWord = 0;
  let from = 0;
  for (const [start, end] of ranges) {
    scanAscii(b, from, start, 0, digits, out, flags);
    scanAscii(b, start, end, bits.quoted, digits, out, flags);
    from = end;
  }
  scanAscii(b, from, len, 0, digits, out, flags);
  let n = scan.n;
  if (scan.inWord) {
    out[n] = scan.h;
    flags[n++] = scan.f;
  }
  for (let j = at; j < n; j++) out[j] = fmix32(out[j]!);
  return n - at;
}

/** The scanner's state between stretches of one text. */
const scan = { n: 0, h: 0, f: 0, inWord: 0 };

/**
 * The branch-free ASCII scan of asciiTokenHashes over b[from, to), carrying word flags: `q` for
 * every word of the stretch, digits[c] for a word holding character c.
 */
function scanAscii(b: Uint8Array, from: number, to: number, q: number, digits: Uint8Array, out: Uint32Array, flags: Uint8Array): void {
  let { n, h, f, inWord } = scan;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    const m = WORD_MASK[c]!;
    out[n] = h;
    flags[n] = f;
    n += inWord & ~m & 1;
    h = (Math.imul(h ^ c, FNV_PRIME) & m) | RESTART[c]!;
    f = (f | q | digits[c]!) & m;
    inWord = m;
  }
  scan.n = n;
  scan.h = h;
  scan.f = f;
  scan.inWord = inWord;
}

/** The flag bit fingerprinting uses for a word holding a digit; other bits get a table of their own. */
const DIGIT_FLAG = 2;
const digitTableFor = (bit: number) => Uint8Array.from({ length: 128 }, (_, c) => (c >= 48 && c <= 57 ? bit : 0));
const DIGITS = digitTableFor(DIGIT_FLAG);
const NO_DIGITS = new Uint8Array(128);

const ascii = new AsciiCopy();

// For an ASCII code c: WORD_MASK[c] is -1 for a word character and 0 for a separator, and
// RESTART[c] is what a separator leaves as the running hash (FNV_OFFSET: the next word's start).
const WORD_MASK = Int32Array.from({ length: 128 }, (_, c) => (bmp[c] === WORD ? -1 : 0));
const RESTART = Int32Array.from({ length: 128 }, (_, c) => (bmp[c] === WORD ? 0 : FNV_OFFSET | 0));

/**
 * The same hashes from a byte copy of the text when it is all ASCII; -1 when it is not (or too
 * long to copy). Branch-free: a branch at every word end is mispredicted about once per word,
 * which costs more than the hashing. Each character either extends the running FNV hash (word)
 * or resets it (separator); the raw hash is written at out[n] every step and n moves on only
 * where a word ends, and fmix32 runs afterwards on the n words.
 */
function asciiTokenHashes(text: string, out: Uint32Array, at: number): number {
  const b = ascii.of(text);
  if (!b) return -1;
  const len = text.length;
  let n = at;
  let h = FNV_OFFSET | 0;
  let inWord = 0;
  for (let i = 0; i < len; i++) {
    const c = b[i]!;
    const m = WORD_MASK[c]!;
    out[n] = h;
    n += inWord & ~m & 1;
    h = (Math.imul(h ^ c, FNV_PRIME) & m) | RESTART[c]!;
    inWord = m;
  }
  if (inWord) out[n++] = h;
  for (let j = at; j < n; j++) out[j] = fmix32(out[j]!);
  return n - at;
}

const NO_BITS: FlagBits = { digit: 0, quoted: 0, ranges: [] };

// The unit starts of the current run without spaces, reused across calls.
let pairStarts = new Int32Array(1024);

/**
 * The words of any text, and (with `flags`) each one's flags, in one pass: runs of word
 * characters split where the class changes (a Latin name or a number inside Chinese text is a
 * word of its own), UNSPACED runs (and Hangul runs longer than HANGUL_WORD) cut into pairs of
 * units (a character and its combining marks), a lone unit being a token of its own, SEGMENTED
 * runs cut into words by Intl.Segmenter. A pair's hash is the hash of its two units as one
 * word, so a two-character stopword matches it.
 */
function anyTokens(text: string, out: Uint32Array, at: number, flags: Uint8Array | null, bits: FlagBits): number {
  const len = text.length;
  const { ranges } = bits;
  const pairBit = bits.pair ?? 0;
  if (pairStarts.length < len + 1) pairStarts = new Int32Array(len + 1);
  const starts = pairStarts;
  let n = at;
  let run = 0; // the class of the run being read; 0 = between runs
  let runStart = 0;
  let h = 0;
  let f = 0;
  let count = 0; // units in an UNSPACED or HANGUL run
  let kana = false; // whether the UNSPACED run holds Kana
  let range = 0;
  const end = (e: number): void => {
    if (run === SEGMENTED || (run === UNSPACED && kana)) {
      const words = run === SEGMENTED ? (segmenter ??= new Intl.Segmenter("th", { granularity: "word" })) : (japanese ??= new Intl.Segmenter("ja", { granularity: "word" }));
      for (const seg of words.segment(text.slice(runStart, e))) {
        if (!seg.isWordLike) continue;
        if (flags) flags[n] = f;
        out[n++] = hashRange(seg.segment, 0, seg.segment.length);
      }
      return;
    }
    if (run === WORD || (run === HANGUL && count <= HANGUL_WORD)) {
      if (flags) flags[n] = f;
      out[n++] = run === WORD ? fmix32(h) : hashRange(text, runStart, e);
      return;
    }
    const pf = f | pairBit;
    if (count === 1) {
      if (flags) flags[n] = pf;
      out[n++] = hashRange(text, runStart, e);
      return;
    }
    for (let k = 0; k + 1 < count; k++) {
      if (flags) flags[n] = pf;
      out[n++] = hashRange(text, starts[k]!, k + 2 < count ? starts[k + 2]! : e);
    }
  };
  for (let i = 0; i < len; ) {
    const c = text.charCodeAt(i);
    let cls: number;
    let w = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cls = astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        w = 2;
      } else cls = SEP;
    } else cls = unitClass(c);
    let isKana = false;
    if (cls === KANA) {
      cls = UNSPACED;
      isKana = true;
    }
    if (cls === SEP) {
      if (run !== 0) end(i);
      run = 0;
      i += w;
      continue;
    }
    if (cls === MARK) {
      // A combining mark joins the character before it, whatever its script.
      if (run === 0) cls = WORD;
      else {
        if (run === WORD) {
          h = Math.imul(h ^ c, FNV_PRIME);
          if (w === 2) h = Math.imul(h ^ text.charCodeAt(i + 1), FNV_PRIME);
        }
        i += w;
        continue;
      }
    }
    if (cls !== run) {
      if (run !== 0) end(i);
      run = cls;
      runStart = i;
      h = FNV_OFFSET | 0;
      count = 0;
      kana = false;
      f = 0;
      if (flags) {
        while (range < ranges.length && ranges[range]![1] <= i) range++;
        if (range < ranges.length && ranges[range]![0] <= i) f = bits.quoted;
      }
    }
    if (cls === WORD) {
      h = Math.imul(h ^ c, FNV_PRIME);
      if (w === 2) h = Math.imul(h ^ text.charCodeAt(i + 1), FNV_PRIME);
      if (flags && bits.digit !== 0 && isDigit(c, w === 2 ? text.charCodeAt(i + 1) : -1)) f |= bits.digit;
    } else {
      starts[count++] = i;
      kana ||= isKana;
    }
    i += w;
  }
  if (run !== 0) end(len);
  return n - at;
}

/** hashToken of text.slice(from, to), without the slice. */
function hashRange(text: string, from: number, to: number): number {
  let h = FNV_OFFSET | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

// 0 = not yet known, 1 = a digit (\p{N}), 2 = not: filled lazily, like the class table.
const digitTable = new Uint8Array(65536);
for (let c = 0; c < 128; c++) digitTable[c] = c >= 48 && c <= 57 ? 1 : 2;
const DIGIT = /\p{N}/u;

/** Whether the character at a code unit `c` (with its low surrogate `d`, or -1) is a digit (\p{N}). */
function isDigit(c: number, d: number): boolean {
  if (d >= 0) return DIGIT.test(String.fromCharCode(c, d));
  let v = digitTable[c]!;
  if (v === 0) v = digitTable[c] = DIGIT.test(String.fromCharCode(c)) ? 1 : 2;
  return v === 1;
}
