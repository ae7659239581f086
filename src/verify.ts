// Verify: a candidate pair → its Jaccard and containment, and whether it is a copy.
import type { ResolvedOptions } from "./options.js";
import { estimateJaccard } from "./signature.js";

export interface PairScore {
  /** |A∩B| / |A∪B| */
  readonly jaccard: number;
  /** |A∩B| / min(|A|, |B|): high when the smaller copy sits inside the larger one. */
  readonly containment: number;
  /** |A∩B|, in shingles (estimated when the score comes from signatures). */
  readonly shared: number;
}

/** Exact scores from two sorted, distinct shingle-hash sets (a linear merge). */
export function exactScore(a: Uint32Array, b: Uint32Array): PairScore {
  // Branch-free: which side moves next is a coin flip for two different sets, and a branch would
  // be mispredicted on about every other step.
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < na && j < nb) {
    const x = a[i]!;
    const y = b[j]!;
    shared += +(x === y);
    i += +(x <= y);
    j += +(y <= x);
  }
  return score(shared, a.length, b.length);
}

/**
 * Scores estimated from signatures and set sizes, for when the shingle sets are not kept
 * (the incremental index): |A∩B| = J (|A| + |B|) / (1 + J).
 */
export function estimatedScore(sigA: Uint32Array, sigB: Uint32Array, sizeA: number, sizeB: number): PairScore {
  const j = estimateJaccard(sigA, sigB);
  const shared = Math.min(sizeA, sizeB, (j * (sizeA + sizeB)) / (1 + j));
  return score(shared, sizeA, sizeB);
}

function score(shared: number, sizeA: number, sizeB: number): PairScore {
  const union = sizeA + sizeB - shared;
  const smaller = Math.min(sizeA, sizeB);
  return {
    jaccard: union === 0 ? 0 : shared / union,
    containment: smaller === 0 ? 0 : shared / smaller,
    shared,
  };
}

/**
 * One byte of every signature value, four to a 32-bit word: what the prefilter compares. Two
 * equal values have equal bytes, so a pair never shows fewer agreements here than its full
 * signatures (k × estimateJaccard) and the prefilter never rejects a pair they would keep; a
 * quarter of the bytes to read, compared four at a time. At scale, verification waits on memory
 * more than it computes, and the candidates it rejects are most of the pairs.
 */
export class SignatureBytes {
  private readonly words: Uint32Array;
  private readonly stride: number;
  private readonly padding: number;

  constructor(count: number, k: number) {
    this.stride = (k + 3) >> 2;
    this.padding = this.stride * 4 - k;
    this.words = new Uint32Array(count * this.stride);
  }

  set(i: number, sig: Uint32Array): void {
    const bytes = new Uint8Array(this.words.buffer, i * this.stride * 4, sig.length);
    // A byte hashed from the whole value: a signature value's low bits are its bin number (the
    // same in every document) and its high bits are small (a bin's minimum).
    for (let j = 0; j < sig.length; j++) bytes[j] = Math.imul(sig[j]!, 0x9e3779b1) >>> 24;
  }

  /** Positions whose bytes agree: at least the positions where the full signatures agree. */
  agreements(x: number, y: number): number {
    const w = this.words;
    const n = this.stride;
    let same = 0;
    for (let i = 0, a = x * n, b = y * n; i < n; i++) {
      const v = w[a + i]! ^ w[b + i]!;
      // The high bit of each byte of t is set exactly when that byte of v is zero.
      const t = ~(((v & 0x7f7f7f7f) + 0x7f7f7f7f) | v) & 0x80808080;
      same += Math.imul(t >>> 7, 0x01010101) >>> 24;
    }
    // Padding bytes are zero in both.
    return same - this.padding;
  }
}

const REJECT_TAIL = 1e-4;
const minAgreementMemo = new Map<string, number>();

/**
 * The fewest signature agreements a pair of Jaccard similarity `threshold` shows, but for a
 * 1-in-10,000 chance: the largest m with P(Binomial(k, threshold) < m) ≤ 1e-4. A candidate pair
 * below it is rejected before its exact score, which costs a merge of two shingle sets; LSH
 * itself already misses a sixth of the pairs right at the threshold (44 bands of 2 rows; the
 * index's 28 miss a third).
 */
export function minAgreement(k: number, threshold: number): number {
  const key = `${k}:${threshold}`;
  const known = minAgreementMemo.get(key);
  if (known !== undefined) return known;
  // P(X = i) in log space: lgamma-free, by the ratio of successive terms.
  const t = Math.min(threshold, 1 - 1e-12);
  let logP = k * Math.log1p(-t);
  let below = 0;
  let m = 0;
  for (let i = 0; i <= k; i++) {
    const next = below + Math.exp(logP);
    if (next > REJECT_TAIL) break;
    below = next;
    m = i + 1;
    logP += Math.log(k - i) - Math.log(i + 1) + Math.log(t) - Math.log1p(-t);
  }
  minAgreementMemo.set(key, m);
  return m;
}

/**
 * A document this close to its match (Jaccard) is a near-twin: it is not put in the band tables,
 * where its match answers for it, so floods of copies of one story under different page chrome
 * keep the buckets short (the batch in link.ts, the index in incremental.ts).
 */
export const TWIN = 0.8;

/**
 * A pair is a copy when both hold: containment catches a copy wrapped in chrome or extended
 * with a second story (002/003: 0.78), and the Jaccard floor stops a short text that merely
 * quotes a long one from counting as its copy.
 */
export function isCopy(s: PairScore, options: Pick<ResolvedOptions, "jaccard" | "containment">): boolean {
  return s.jaccard >= options.jaccard && s.containment >= options.containment;
}
