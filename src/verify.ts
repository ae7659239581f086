// Verify: a candidate pair → its Jaccard and containment, and whether it is a copy.
import type { Fingerprint } from "./fingerprint.js";
import type { ResolvedOptions } from "./options.js";
import { estimateJaccard } from "./signature.js";
import { holds } from "./story.js";

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
  return score(sharedCount(a, b), a.length, b.length);
}

/** The values two sorted, distinct sets share (a linear merge). */
export function sharedCount(a: Uint32Array, b: Uint32Array): number {
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
  return shared;
}

/**
 * exactScore, or null once the merge shows the pair shares fewer than `minShared` shingles or a
 * containment under `minContainment` (what it shares so far plus what is left of the shorter
 * remainder is the most it can reach): most candidates a batch scores share a sentence or two,
 * and the merge of those stops well before the end of the sets.
 */
export function exactScoreAtLeast(a: Uint32Array, b: Uint32Array, minShared: number, minContainment: number): PairScore | null {
  const na = a.length;
  const nb = b.length;
  const smaller = Math.min(na, nb);
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < na && j < nb) {
    // The bound is checked once a block of steps, so the inner loop stays exactScore's.
    for (let k = 0; k < BOUND_STEPS && i < na && j < nb; k++) {
      const x = a[i]!;
      const y = b[j]!;
      shared += +(x === y);
      i += +(x <= y);
      j += +(y <= x);
    }
    const most = shared + Math.min(na - i, nb - j);
    if (most < minShared || most / smaller < minContainment) return null;
  }
  return score(shared, na, nb);
}
const BOUND_STEPS = 32;

/**
 * How far below its estimate a cautious score takes a Jaccard similarity, in standard errors of
 * the estimate: an index decides on estimates alone, and a pair whose true containment sits just
 * under the threshold would otherwise cross it on sampling noise about one time in four (at 128
 * hashes a pair of J 0.1 has a standard error of 0.027, a quarter of its value). Three quarters
 * of one trades a few copies near the threshold for no such crossing on the real pages we measure,
 * under any of 20 hash seeds (docs/evidence.md).
 */
const CAUTION = 0.75;

/**
 * Scores estimated from signatures and set sizes, for when the shingle sets are not kept
 * (the incremental index): |A∩B| = J (|A| + |B|) / (1 + J). `atLeast`: shingles the pair is
 * known to share whatever the signatures say (the index's exact lead overlap, match.ts), so that
 * sampling noise cannot take the estimate below what is known.
 */
export function estimatedScore(sigA: Uint32Array, sigB: Uint32Array, sizeA: number, sizeB: number, cautious = false, atLeast = 0): PairScore {
  let j = estimateJaccard(sigA, sigB);
  // Cautious: CAUTION standard errors of the estimate, sqrt(j(1 - j)/k), below it.
  if (cautious && j < 1) j = Math.max(0, j - CAUTION * Math.sqrt((j * (1 - j)) / sigA.length));
  const shared = Math.min(sizeA, sizeB, Math.max(atLeast, (j * (sizeA + sizeB)) / (1 + j)));
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
  private words: Uint32Array;
  private readonly stride: number;
  private readonly padding: number;

  constructor(count: number, k: number) {
    this.stride = (k + 3) >> 2;
    this.padding = this.stride * 4 - k;
    this.words = new Uint32Array(count * this.stride);
  }

  /** Room for documents 0 … count - 1. */
  room(count: number): void {
    if (this.words.length >= count * this.stride) return;
    const grown = new Uint32Array(count * this.stride);
    grown.set(this.words);
    this.words = grown;
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
 * keep the buckets short (the batch in link.ts, the indexes in incremental.ts and store-index.ts).
 */
export const TWIN = 0.8;

/** What two documents' fingerprints say about them being copies. */
export interface Evidence extends PairScore {
  /** Lead shingles in common, over the smaller lead's (0 when either has no lead). */
  readonly lead: number;
  /** Number-bearing shingles the two have with the same words: with other numbers, with the same ones. */
  readonly conflicts: number;
  readonly agree: number;
  /**
   * Whether the first passage each document shares with the other lies in the other's
   * opening (see sameOpening); true when unknown (an index keeps no text order).
   */
  readonly sameOpening: boolean;
}

/** The parts of a fingerprint evidence reads. */
export type Evident = Pick<Fingerprint, "shingles" | "lead" | "numbers" | "opening">;

/** The evidence of two fingerprints, exactly (the batch keeps their sets). */
export function evidence(a: Evident, b: Evident): Evidence {
  return evidenceFrom(exactScore(a.shingles, b.shingles), a, b);
}

/**
 * The evidence of two fingerprints whose shingle sets were already scored (`s`). Only the lead
 * rule reads sameOpening, so with the thresholds `o` a pair that rule will not decide skips the
 * walk of both openings (most verified pairs: copies clear the containment threshold).
 */
export function evidenceFrom(s: PairScore, a: Evident, b: Evident, o?: Thresholds): Evidence {
  const { conflicts, agree } = numberAgreement(a.numbers, b.numbers);
  const lead = leadShare(a.lead, b.lead);
  const moot = lead === 0 || (o !== undefined && (o.rules?.lead === false || lead < o.lead || s.containment >= o.containment));
  const opening = moot || sameOpening(a, b);
  return { jaccard: s.jaccard, containment: s.containment, shared: s.shared, lead, conflicts, agree, sameOpening: opening };
}

/** A passage: this many consecutive shared shingles, 8 words of running text at 5 words a shingle. */
const PASSAGE = 4;

/**
 * Whether the first passage each document shares with the other lies in the other's opening
 * (Fingerprint.opening). A page that ran another's lead ran it as its opening, after at most
 * its own words (a dateline, an intro), and whatever it shares before that lead — a headline or
 * a deck echoing the lead — echoes the other's opening too. When one page's first shared passage
 * comes from deep in the other's body, the two hold shared passages in an order no copy has, and
 * the lead they share is one of several passages, not the opening of both: what two different
 * stories drawing on the same text look like. True when an opening holds no passage (the shared
 * lead lies beyond it, or the opening is too short to say).
 */
export function sameOpening(a: Evident, b: Evident): boolean {
  return opensWithin(a, b) && opensWithin(b, a);
}

/** Whether the first passage of `a`'s opening that `b` holds has a shingle in `b`'s opening. */
function opensWithin(a: Evident, b: Evident): boolean {
  const first = firstPassage(a.opening, b.shingles);
  if (!first) return true;
  for (let i = first[0]; i < first[1]; i++) if (b.opening.includes(a.opening[i]!)) return true;
  return false;
}

/** [start, end) of the first run of PASSAGE or more shingles of `opening` that `set` holds. */
function firstPassage(opening: Uint32Array, set: Uint32Array): [number, number] | null {
  let run = 0;
  for (let i = 0; i <= opening.length; i++) {
    if (i < opening.length && holds(set, opening[i]!)) run++;
    else if (run >= PASSAGE) return [i - run, i];
    else run = 0;
  }
  return null;
}


/** Lead shingles in common over the smaller lead's; 0 when either is empty. */
export function leadShare(a: Uint32Array, b: Uint32Array): number {
  const smaller = Math.min(a.length, b.length);
  return smaller === 0 ? 0 : sharedCount(a, b) / smaller;
}

/**
 * The lowest containment any rule of decide() accepts (identical narratives aside, which a
 * batch groups before it compares): a pair under it needs no more evidence.
 */
export function lowestContainment(o: Thresholds): number {
  return o.rules?.lead === false ? o.containment : Math.min(o.containment, o.containment / 2);
}

/**
 * Conflicts and agreements between two number samples ([masked, raw] pairs sorted by masked):
 * a masked shingle both hold is the same words around numbers, which agree or differ.
 */
export function numberAgreement(a: Uint32Array, b: Uint32Array): { conflicts: number; agree: number } {
  let conflicts = 0;
  let agree = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) i += 2;
    else if (x > y) j += 2;
    else {
      if (a[i + 1] === b[j + 1]) agree++;
      else conflicts++;
      i += 2;
      j += 2;
    }
  }
  return { conflicts, agree };
}

/**
 * Template twins — an agency's routine item for another day (a market close, a quake flash) —
 * share their formula's words around other numbers: this many shingles with the same words and
 * other numbers, and more of them than with the same numbers, is evidence against a copy.
 */
const TWIN_CONFLICTS = 3;

export type Thresholds = Pick<ResolvedOptions, "containment" | "minShared" | "lead"> & {
  readonly rules?: Pick<ResolvedOptions["rules"], "numbers" | "lead">;
};

/** The decision on a pair's evidence, and the rule that made it (for explain()). */
export function decide(e: Evidence, o: Thresholds): { copy: boolean; rule: string } {
  const c = e.containment.toFixed(2);
  // The same narrative, however short: what a batch groups as exact duplicates (link.ts).
  if (e.jaccard >= 1 && e.shared > 0) return { copy: true, rule: "the same narrative, shingle for shingle" };
  if (e.shared < o.minShared) return { copy: false, rule: `shares ${Math.round(e.shared)} narrative shingles, fewer than minShared (${o.minShared})` };
  if (o.rules?.numbers !== false && e.conflicts >= TWIN_CONFLICTS && e.conflicts > e.agree) {
    return { copy: false, rule: `a template twin: ${e.conflicts} shingles with the same words around other numbers, ${e.agree} with the same numbers` };
  }
  if (e.containment >= o.containment) return { copy: true, rule: `containment ${c} ≥ ${o.containment} with ${Math.round(e.shared)} narrative shingles shared` };
  if (o.rules?.lead === false) return { copy: false, rule: `containment ${c} < ${o.containment} (the lead rule is off)` };
  if (e.lead >= o.lead && e.containment >= o.containment / 2 && e.sameOpening) {
    return { copy: true, rule: `the same lead (${e.lead.toFixed(2)} ≥ ${o.lead}) and containment ${c} ≥ ${o.containment / 2}` };
  }
  if (e.lead < o.lead) return { copy: false, rule: `containment ${c} < ${o.containment} and lead ${e.lead.toFixed(2)} < ${o.lead}` };
  if (e.containment < o.containment / 2) return { copy: false, rule: `containment ${c} < ${o.containment}, and ${c} < ${o.containment / 2} despite the same lead` };
  return { copy: false, rule: `containment ${c} < ${o.containment}, and despite the same lead (${e.lead.toFixed(2)}) not the same opening (one's first shared passage lies beyond the other's opening)` };
}

/**
 * A pair is a copy when it shares at least a sentence of running narrative, is not a template
 * twin, and either the shorter narrative is mostly inside the other (containment: what survives
 * chrome, truncation and appended text) or the two share their lead (lead-only copies, and
 * write-throughs that kept the lead). See decide().
 */
export function isCopy(e: Evidence, o: Thresholds): boolean {
  return decide(e, o).copy;
}
