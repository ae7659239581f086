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
  return asciiTokenHashes(text) ?? anyTokenHashes(text);
}

const ascii = new AsciiCopy();

// For an ASCII code c: WORD_MASK[c] is -1 for a word character and 0 for a separator, and
// RESTART[c] is what a separator leaves as the running hash (FNV_OFFSET: the next word's start).
const WORD_MASK = Int32Array.from({ length: 128 }, (_, c) => (bmp[c] === 1 ? -1 : 0));
const RESTART = Int32Array.from({ length: 128 }, (_, c) => (bmp[c] === 1 ? 0 : FNV_OFFSET | 0));

/**
 * The same hashes from a byte copy of the text when it is all ASCII; null when it is not (or too
 * long to copy). Branch-free: a branch at every word end is mispredicted about once per word,
 * which costs more than the hashing. Each character either extends the running FNV hash (word)
 * or resets it (separator); the raw hash is written at out[n] every step and n moves on only
 * where a word ends, and fmix32 runs afterwards on the n words.
 */
function asciiTokenHashes(text: string): Uint32Array | null {
  const b = ascii.of(text);
  if (!b) return null;
  const len = text.length;
  // At most one word per two characters, plus the slot written past the last word.
  if (buffer.length < (len >> 1) + 2) buffer = new Uint32Array((len >> 1) + 2);
  const out = buffer;
  let n = 0;
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
  for (let j = 0; j < n; j++) out[j] = fmix32(out[j]!);
  return out.subarray(0, n);
}

function anyTokenHashes(text: string): Uint32Array {
  let n = 0;
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
      if (n === buffer.length) buffer = grow(buffer);
      buffer[n++] = fmix32(h);
      inWord = false;
    }
  }
  if (inWord) {
    if (n === buffer.length) buffer = grow(buffer);
    buffer[n++] = fmix32(h);
  }
  return buffer.subarray(0, n);
}

function grow(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
