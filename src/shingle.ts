// Shingle: word hashes → the sorted set of hashes of every run of `size` consecutive words.
import { fmix32, mix } from "./hash.js";

/**
 * Hash each window of `size` words into one 32-bit value and return the distinct values,
 * sorted ascending (so set intersection is a linear merge). A text shorter than one window
 * gives a single shingle of all its words, so short texts still compare; no words, no shingles.
 */
export function shingleHashes(tokens: Uint32Array, size: number, seed: number): Uint32Array {
  const n = tokens.length;
  if (n === 0) return new Uint32Array(0);
  const width = Math.min(size, n);
  const count = n - width + 1;
  const out = new Uint32Array(count);
  const start = fmix32(seed ^ Math.imul(width, 0x9e3779b1));
  for (let i = 0; i < count; i++) {
    let h = start;
    for (let j = 0; j < width; j++) h = mix(h, tokens[i + j]!);
    out[i] = fmix32(h ^ width);
  }
  out.sort();
  let m = 0;
  for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[m - 1]) out[m++] = out[i]!;
  return m === count ? out : out.slice(0, m);
}
