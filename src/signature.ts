// Signature: a sorted shingle-hash set → a MinHash signature (Uint32Array of numHashes values).
import { fail } from "./errors.js";
import { fmix32, mix } from "./hash.js";

/**
 * One-permutation MinHash with optimal densification (Li, Owen & Zhang 2012; Shrivastava 2017).
 * Classic MinHash (Broder 1997) applies numHashes hash functions to every shingle: k multiply-mins
 * per shingle. Here each shingle is hashed once, its hash picks one of k bins, and each bin keeps
 * its minimum: O(n + k). Bins left empty borrow the value of the first non-empty bin along a probe
 * sequence that depends only on (seed, bin, attempt), so two documents probe alike and the
 * probability that position i agrees stays equal to their Jaccard similarity. bench/ compares its
 * estimation error with classic MinHash at the same k.
 */
let scratch = { sig: new Uint32Array(0), filled: new Uint8Array(0) };

export function signature(shingles: Uint32Array, numHashes: number, seed: number): Uint32Array {
  const k = numHashes;
  // Scratch reused across calls: V8 slows down on many short-lived ArrayBuffers once a batch
  // holds hundreds of thousands of live ones, so a call allocates only the signature it returns.
  if (scratch.filled.length !== k) scratch = { sig: new Uint32Array(k), filled: new Uint8Array(k) };
  const { sig, filled } = scratch;
  sig.fill(0xffffffff);
  filled.fill(0);
  const salt = fmix32(seed ^ 0x9e3779b9);
  // x % k on a uint32 is a float remainder in V8; for a power-of-two k (the default 128) the
  // same bin comes from a mask, several times faster on the densification probes.
  const mask = (k & (k - 1)) === 0 ? k - 1 : -1;
  for (let i = 0; i < shingles.length; i++) {
    // fmix32 is a bijection, so this is a random permutation of the 32-bit hash space.
    const h = fmix32((shingles[i]! ^ salt) >>> 0);
    const bin = mask >= 0 ? h & mask : h % k;
    // Bins start at 0xffffffff, so a bin's first hash needs no branch of its own: one branch
    // per shingle, rarely taken, instead of an unpredictable "first in this bin?" test.
    filled[bin] = 1;
    if (h < sig[bin]!) sig[bin] = h;
  }
  let nonEmpty = 0;
  for (let bin = 0; bin < k; bin++) nonEmpty += filled[bin]!;
  const dense = sig.slice();
  if (nonEmpty === 0 || nonEmpty === k) return dense;
  const probeSeed = fmix32(seed ^ 0x85ebca6b);
  for (let bin = 0; bin < k; bin++) {
    if (filled[bin] === 1) continue;
    const base = mix(probeSeed, bin);
    for (let attempt = 1; ; attempt++) {
      const probe = fmix32(base ^ attempt);
      const from = mask >= 0 ? probe & mask : probe % k;
      if (filled[from] === 1) {
        dense[bin] = sig[from]!;
        break;
      }
    }
  }
  return dense;
}

/** The fraction of positions where two signatures agree: an unbiased estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) fail("SIGNATURE_MISMATCH", undefined, `signatures of ${a.length} and ${b.length} values`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Accept a signature computed elsewhere: the `hashvalues` of the npm `minhash` package (numbers
 * in [0, 4294967311)) or any array of non-negative integers. Values are folded to 32 bits; the
 * fold is the same for every document, so equal values stay equal.
 */
export function importSignature(values: ArrayLike<number>, docId: string): Uint32Array {
  const out = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || Math.floor(v) !== v) {
      fail("INVALID_SIGNATURE", docId, `value #${i} is ${String(v)}, not a non-negative integer`);
    }
    out[i] = v % 4294967296;
  }
  return out;
}
