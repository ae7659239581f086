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

/** The same scan over a byte copy of the text when it is all ASCII; null when it is not (or too long to copy). */
function asciiTokenHashes(text: string): Uint32Array | null {
  const b = ascii.of(text);
  if (!b) return null;
  const len = text.length;
  let out = buffer;
  let n = 0;
  let i = 0;
  while (i < len) {
    let c = b[i]!;
    if (bmp[c] !== 1) {
      i++;
      continue;
    }
    let h = FNV_OFFSET | 0;
    do {
      h = Math.imul(h ^ c, FNV_PRIME);
      c = b[++i]!;
    } while (i < len && bmp[c] === 1);
    if (n === out.length) out = buffer = grow(out);
    out[n++] = fmix32(h);
  }
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
