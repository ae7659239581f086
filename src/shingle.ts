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
  sortUint32(out);
  let m = 0;
  for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[m - 1]) out[m++] = out[i]!;
  return m === count ? out : out.slice(0, m);
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
