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
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
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
 * A pair is a copy when both hold: containment catches a copy wrapped in chrome or extended
 * with a second story (002/003: 0.78), and the Jaccard floor stops a short text that merely
 * quotes a long one from counting as its copy.
 */
export function isCopy(s: PairScore, options: Pick<ResolvedOptions, "jaccard" | "containment">): boolean {
  return s.jaccard >= options.jaccard && s.containment >= options.containment;
}
