// Tokenize: normalized text → 32-bit hashes of its words, with no string built per word.
import { AsciiCopy, FNV_OFFSET, FNV_PRIME, fmix32 } from "./hash.js";

/** What counts as a word character: letters, digits and combining marks, in any script. */
export const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

// 0 = not yet known, 1 = word character, 2 = separator. Filled lazily from WORD_CHAR so the
// scanner agrees with the Unicode regex (and so with natural's RegexpTokenizer) by construction.
const bmp = new Uint8Array(65536);
for (let c = 0; c < 128; c++) bmp[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : 2;
const astral = new Map<number, boolean>();

function isWordUnit(c: number): boolean {
  let v = bmp[c]!;
  if (v === 0) {
    v = c >= 0xd800 && c <= 0xdfff ? 2 : WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    bmp[c] = v;
  }
  return v === 1;
}

function isWordAstral(cp: number): boolean {
  let v = astral.get(cp);
  if (v === undefined) {
    v = WORD_CHAR.test(String.fromCodePoint(cp));
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
 * Hash every word of `text` (maximal runs of WORD_CHAR). Writes into a reused buffer and
 * returns a view of it, valid until the next call.
 */
let buffer: Uint32Array = new Uint32Array(4096);
export function tokenHashes(text: string): Uint32Array {
  const room = (text.length >> 1) + 2;
  if (buffer.length < room) buffer = new Uint32Array(room);
  return buffer.subarray(0, tokenHashesInto(text, buffer, 0));
}

/**
 * Hash every word of `text` into out[at ..] and return how many there are. `out` must have
 * room for (text.length >> 1) + 2 values from `at` (at most one word per two characters, plus
 * one slot written past the last word).
 */
export function tokenHashesInto(text: string, out: Uint32Array, at: number): number {
  const n = asciiTokenHashes(text, out, at);
  return n >= 0 ? n : anyTokenHashes(text, out, at);
}

/** Per-word flags tokenHashesWithFlags sets: `digit` on a word holding a digit, `quoted` on one inside a `ranges` stretch. */
export interface FlagBits {
  readonly digit: number;
  readonly quoted: number;
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
  if (!b) {
    const n = anyTokenHashes(text, out, at);
    flags.fill(0, at, at + n);
    wordFlags(text, flags, at, bits.digit, bits.ranges, bits.quoted);
    return n;
  }
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
const WORD_MASK = Int32Array.from({ length: 128 }, (_, c) => (bmp[c] === 1 ? -1 : 0));
const RESTART = Int32Array.from({ length: 128 }, (_, c) => (bmp[c] === 1 ? 0 : FNV_OFFSET | 0));

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

function anyTokenHashes(text: string, out: Uint32Array, at: number): number {
  let n = at;
  let h = FNV_OFFSET | 0;
  let inWord = false;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    let word: boolean;
    let units = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        word = isWordAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        units = 2;
      } else word = false;
    } else word = isWordUnit(c);
    if (word) {
      if (!inWord) {
        h = FNV_OFFSET | 0;
        inWord = true;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
      if (units === 2) h = Math.imul(h ^ text.charCodeAt(++i), FNV_PRIME);
    } else if (inWord) {
      out[n++] = fmix32(h);
      inWord = false;
    }
  }
  if (inWord) out[n++] = fmix32(h);
  return n - at;
}

// 0 = not yet known, 1 = a digit (\p{N}), 2 = not: filled lazily, like the word table.
const digitTable = new Uint8Array(65536);
for (let c = 0; c < 128; c++) digitTable[c] = c >= 48 && c <= 57 ? 1 : 2;
const DIGIT = /\p{N}/u;

function isDigitUnit(c: number): boolean {
  let v = digitTable[c]!;
  if (v === 0) v = digitTable[c] = DIGIT.test(String.fromCharCode(c)) ? 1 : 2;
  return v === 1;
}

/**
 * Flags for each word of `text`, in the order tokenHashes gives their hashes, or-ed into
 * out[at + k] for the k-th word: `digitBit` when the word holds a digit, `quotedBit` when it
 * starts inside one of the sorted, disjoint character ranges `quoted`. Words are found exactly as
 * tokenHashes finds them. A second scan, run only on text that holds a digit or a quotation.
 */
export function wordFlags(text: string, out: Uint8Array, at: number, digitBit: number, quoted: ReadonlyArray<readonly [number, number]>, quotedBit: number): number {
  let n = 0;
  let inWord = false;
  let flag = 0;
  let range = 0;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const start = i;
    let word: boolean;
    let isDigit = false;
    if (c < 128) {
      word = WORD_MASK[c] !== 0;
      isDigit = c >= 48 && c <= 57;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        word = isWordAstral(cp);
        isDigit = word && DIGIT.test(String.fromCodePoint(cp));
        i++;
      } else word = false;
    } else {
      word = isWordUnit(c);
      isDigit = word && isDigitUnit(c);
    }
    if (word) {
      if (!inWord) {
        inWord = true;
        flag = 0;
        while (range < quoted.length && quoted[range]![1] <= start) range++;
        if (range < quoted.length && quoted[range]![0] <= start) flag = quotedBit;
      }
      if (isDigit) flag |= digitBit;
    } else if (inWord) {
      out[at + n]! |= flag;
      n++;
      inWord = false;
    }
  }
  if (inWord) {
    out[at + n]! |= flag;
    n++;
  }
  return n;
}
