// Numbers: a narrative's number sample — its number-bearing windows hashed with the numbers
// masked, the smallest few kept next to their own hashes — for telling a copy from a report of
// another day that only changed the figures (a market close, a quake flash).
import { sortedDistinct, windowCount, windowHash } from "./shingle.js";

/** Number-bearing shingles kept per document: a consistent sample (the smallest masked hashes). */
export const NUMBERS = 16;
/** The word flag of a word holding a digit (fingerprint.ts word flags). */
export const DIGIT = 2;
const NUMBER_MASK = 0x6e756d23; // the hash every number-bearing word becomes in a masked shingle

/**
 * The NUMBERS number-bearing narrative windows with the smallest masked hashes, as [masked, raw]
 * pairs: each window holding a number, kept (`drop` 0: not mostly quoted), hashed with its numbers
 * replaced by one placeholder, next to its own hash (`windows`, before they are sorted). A masked
 * shingle met twice with other numbers keeps its smallest raw hash, as a copy would.
 */
export function numberPairs(tokens: Uint32Array, flags: Uint8Array, n: number, width: number, seed: number, windows: Uint32Array, drop: Uint8Array): Uint32Array {
  const { masked, raws, window } = numberScratch(n, width);
  let c = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    digits += (flags[i]! & DIGIT) >> 1;
    if (i >= width) digits -= (flags[i - width]! & DIGIT) >> 1;
    if (i < width - 1 || digits === 0) continue;
    const w = i - width + 1;
    if (drop[w] === 1) continue;
    for (let j = 0; j < width; j++) window[j] = flags[w + j]! & DIGIT ? NUMBER_MASK : tokens[w + j]!;
    masked[c] = windowHash(window, 0, width, seed);
    raws[c++] = windows[w]!;
  }
  if (c === 0) return EMPTY;
  // The NUMBERS smallest distinct masked hashes (a radix sort of a copy, O(c)), then one pass
  // for each one's smallest raw hash: no comparator sort over every number-bearing window.
  const smallest = sortedDistinct(masked.slice(0, c), c);
  const m = Math.min(NUMBERS, smallest.length);
  const out = new Uint32Array(2 * m);
  for (let k = 0; k < m; k++) {
    out[2 * k] = smallest[k]!;
    out[2 * k + 1] = 0xffffffff;
  }
  const top = smallest[m - 1]!;
  for (let k = 0; k < c; k++) {
    const h = masked[k]!;
    if (h > top) continue;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (out[2 * mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    if (raws[k]! < out[2 * lo + 1]!) out[2 * lo + 1] = raws[k]!;
  }
  return out;
}

const EMPTY = new Uint32Array(0);

/** Each window's masked hash (0 for a window without a number), as numberPairs computes it. */
export function maskedWindows(tokens: Uint32Array, flags: Uint8Array, n: number, width: number, seed: number): Uint32Array {
  const out = new Uint32Array(windowCount(n, width));
  const window = new Uint32Array(width);
  for (let w = 0; w < out.length; w++) {
    let digits = false;
    for (let j = 0; j < width; j++) {
      digits ||= (flags[w + j]! & DIGIT) !== 0;
      window[j] = flags[w + j]! & DIGIT ? NUMBER_MASK : tokens[w + j]!;
    }
    if (digits) out[w] = windowHash(window, 0, width, seed);
  }
  return out;
}
let numbersScratch = { masked: new Uint32Array(1024), raws: new Uint32Array(1024), window: new Uint32Array(8) };

function numberScratch(n: number, width: number): typeof numbersScratch {
  if (numbersScratch.masked.length < n || numbersScratch.window.length < width) {
    const size = Math.max(n, numbersScratch.masked.length * 2);
    numbersScratch = { masked: new Uint32Array(size), raws: new Uint32Array(size), window: new Uint32Array(Math.max(width, 8)) };
  }
  return numbersScratch;
}
