// Shingle: word hashes → the sorted set of hashes of every run of `size` consecutive words.
import { fmix32, mix } from "./hash.js";

/**
 * Hash each window of `size` words into one 32-bit value and return the distinct values,
 * sorted ascending (so set intersection is a linear merge). A text shorter than one window
 * gives a single shingle of all its words, so short texts still compare; no words, no shingles.
 * With `drop`, window i (words i .. i + size - 1) is left out where drop[i] is 1.
 */
export function shingleHashes(tokens: Uint32Array, size: number, seed: number, drop?: Uint8Array): Uint32Array {
  const out = new Uint32Array(windowCount(tokens.length, size));
  windowHashes(tokens, tokens.length, size, seed, out);
  return sortedDistinct(out, out.length, drop);
}

/** The number of windows of `size` words in `n` words: one short window when n < size, none when n is 0. */
export function windowCount(n: number, size: number): number {
  return n === 0 ? 0 : n - Math.min(size, n) + 1;
}

/**
 * The hash of each window of `size` words among the first `n` tokens, in order, into `out`
 * (windowCount(n, size) values).
 */
export function windowHashes(tokens: Uint32Array, n: number, size: number, seed: number, out: Uint32Array): void {
  if (n === 0) return;
  const width = Math.min(size, n);
  const count = n - width + 1;
  const start = fmix32(seed ^ Math.imul(width, 0x9e3779b1));
  // Four windows at a time: each window's hash is a chain of dependent multiplies, and four
  // independent chains keep the CPU's multipliers busy where one chain leaves them waiting on
  // the previous result.
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    let a = start;
    let b = start;
    let c = start;
    let d = start;
    for (let j = 0; j < width; j++) {
      a = mix(a, tokens[i + j]!);
      b = mix(b, tokens[i + j + 1]!);
      c = mix(c, tokens[i + j + 2]!);
      d = mix(d, tokens[i + j + 3]!);
    }
    out[i] = fmix32(a ^ width);
    out[i + 1] = fmix32(b ^ width);
    out[i + 2] = fmix32(c ^ width);
    out[i + 3] = fmix32(d ^ width);
  }
  for (; i < count; i++) {
    let h = start;
    for (let j = 0; j < width; j++) h = mix(h, tokens[i + j]!);
    out[i] = fmix32(h ^ width);
  }
}

/**
 * The distinct values among the first `count` of `values` (but those where drop[i] is 1), sorted,
 * in a new array. `values` is reordered in place.
 */
export function sortedDistinct(values: Uint32Array, count: number, drop?: Uint8Array): Uint32Array {
  let kept = count;
  if (drop) {
    kept = 0;
    for (let i = 0; i < count; i++) if (drop[i] !== 1) values[kept++] = values[i]!;
  }
  const part = values.subarray(0, kept);
  sortUint32(part);
  let m = 0;
  for (let i = 0; i < kept; i++) if (i === 0 || part[i] !== part[m - 1]) part[m++] = part[i]!;
  return part.slice(0, m);
}

/** The hash shingleHashes gives the window of `width` words starting at `i` (for a window taken alone). */
export function windowHash(tokens: ArrayLike<number>, i: number, width: number, seed: number): number {
  let h = fmix32(seed ^ Math.imul(width, 0x9e3779b1));
  for (let j = 0; j < width; j++) h = mix(h, tokens[i + j]!);
  return fmix32(h ^ width);
}

// Scratch space and per-byte counts for sortUint32, reused across calls.
let scratch = new Uint32Array(1024);
const counts = new Uint32Array(4 * 256);

/**
 * Sort in place, ascending: an LSD radix sort, four passes of 8 bits, O(n) against the
 * comparison sort's O(n log n) with a call per comparison, which made TypedArray#sort most of
 * this stage's time.
 */
export function sortUint32(a: Uint32Array): void {
  const n = a.length;
  if (n < 64) {
    a.sort();
    return;
  }
  if (scratch.length < n) scratch = new Uint32Array(n);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    counts[v & 255]!++;
    counts[256 + ((v >>> 8) & 255)]!++;
    counts[512 + ((v >>> 16) & 255)]!++;
    counts[768 + (v >>> 24)]!++;
  }
  // Four passes: a → scratch → a → scratch → a, so the result ends in `a`.
  let src: Uint32Array = a;
  let dst: Uint32Array = scratch;
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 256;
    const shift = pass * 8;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = counts[base + b]!;
      counts[base + b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      dst[counts[base + ((v >>> shift) & 255)]!++] = v;
    }
    const t = src;
    src = dst;
    dst = t;
  }
}
