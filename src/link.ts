// Link: a batch's fingerprints → verified pairs between exact-duplicate groups. Identical
// documents are grouped by hash first; every other document is compared with a bounded number of
// LSH candidates, so a flood of copies of one story costs O(n), not O(n²).
import { BandTables, PER_BAND } from "./band-tables.js";
import { bandKeys, lshParams } from "./candidates.js";
import { LEAD_HASHES, LEAD_WORDS, type Fingerprint } from "./fingerprint.js";
import { fmix32, mix } from "./hash.js";
import { bug } from "./errors.js";
import { compareIds } from "./input.js";
import type { ResolvedOptions } from "./options.js";
import { evidenceFrom, exactScore, exactScoreAtLeast, isCopy, leadShare, lowestContainment, minAgreement, SignatureBytes, TWIN, type PairScore } from "./verify.js";

export interface Edge {
  readonly a: number;
  readonly b: number;
  readonly score: PairScore;
}

export interface Linked {
  /** For each document, the first (by id) of its exact-duplicate group: itself for most documents. */
  readonly rep: Int32Array;
  /** Verified pairs between representatives, each once. */
  readonly edges: Edge[];
}

/** Candidates scored exactly per document, the best by signature agreement first. */
export const MAX_SCORED = 64;

/**
 * Verified pairs among the representatives, which are taken in id order (so the result does not
 * depend on input order): each is scored against at most MAX_SCORED earlier ones from its LSH
 * buckets, then indexed unless it is a twin of one of them.
 */
export function link(ids: readonly string[], prints: readonly Fingerprint[], opts: ResolvedOptions): Linked {
  const order = ids.map((_, i) => i).sort((x, y) => compareIds(ids[x]!, ids[y]!));
  const linker = new Linker(prints, opts);
  for (const j of order) linker.add(j);
  return linker.finish(ids);
}

/**
 * link(), one document at a time: `add` takes the documents in id order, each once its
 * fingerprint is in `prints` (an array the caller may still be filling), and `finish` returns
 * what link() returns. A batch whose documents arrive in id order links each as it comes, while
 * the rest are still being fingerprinted, instead of all of them afterwards.
 */
export class Linker {
  private readonly params: ReturnType<typeof lshParams>;
  private readonly minAgree: number;
  private readonly floor: number;
  private readonly tables: BandTables;
  private readonly keys: Uint32Array;
  private readonly bytes: SignatureBytes;
  /** Table number → document. */
  private readonly indexed: number[] = [];
  // The lead's own table: a lead-only copy of a long story has a small Jaccard similarity with it
  // (its lead over the whole story), which the main table misses, and the same lead.
  private readonly leadTables: BandTables;
  private readonly leadKeys: Uint32Array;
  private readonly leadIndexed: number[] = [];
  private readonly edges: Edge[] = [];
  /** Exact-duplicate groups: equal shingle sets, by hash, then compared (see exactGroup). */
  private readonly byKey = new Map<number, number[]>();
  private rep = new Int32Array(0);
  // Candidates of the document being linked: table numbers, each once (a stamp per table
  // number), with their signature agreement (-1: found by the lead alone). No set or array is
  // made per document: at scale the candidates are most of the batch's allocations.
  private seen = new Int32Array(0);
  private seenByLead = new Int32Array(0);
  private leadHits = new Uint8Array(0);
  private added = new Int32Array(0);
  private agreeOf = new Int32Array(0);
  private readonly candidates: number[] = [];
  /** What a document's walk of the tables visits (BandTables.gather). */
  private readonly visits: Int32Array;
  private done = 0;

  constructor(
    private readonly prints: readonly Fingerprint[],
    private readonly opts: ResolvedOptions,
  ) {
    this.params = lshParams(opts);
    this.minAgree = minAgreement(opts.numHashes, opts.jaccard);
    this.floor = lowestContainment(opts);
    // Only representatives are indexed, and the tables grow (by doubling) from their smallest
    // with them: sized for every document they would be twice the memory to allocate and fault
    // in when half the batch is copies, a batch linking as documents come does not know its size
    // anyway, and a batch of a few documents would pay for tables it never fills.
    this.tables = new BandTables(this.params.bands, 0);
    this.keys = new Uint32Array(this.params.bands);
    this.bytes = new SignatureBytes(0, opts.numHashes);
    this.leadTables = new BandTables(LEAD_PARAMS.bands, 0);
    this.leadKeys = new Uint32Array(LEAD_PARAMS.bands);
    this.visits = new Int32Array(Math.max(this.params.bands, LEAD_PARAMS.bands) * PER_BAND);
    this.room(prints.length);
  }

  /** Link document j: the next in id order, compared with those added before it. */
  add(j: number): void {
    const { prints, opts, candidates, keys, leadKeys } = this;
    this.room(j + 1);
    this.done++;
    const p = prints[j]!;
    const rep = this.exactGroup(j, p.shingles);
    this.rep[j] = rep;
    if (rep !== j || !p.signature) return;
    const { seen, seenByLead, leadHits, added, agreeOf, bytes, indexed, leadIndexed } = this;
    bytes.set(j, p.signature);
    bandKeys(p.signature, this.params, keys);
    // A narrative wholly inside quotation marks has no lead; without the lead rule no table is needed.
    const lead = opts.rules.lead ? p.leadSignature : null;
    if (lead) bandKeys(lead, LEAD_PARAMS, leadKeys);
    candidates.length = 0;
    const minAgree = this.minAgree;
    const visits = this.visits;
    for (let v = 0, n = this.tables.gather(keys, PER_BAND, visits); v < n; v++) {
      const i = indexed[visits[v]!]!;
      if (seen[i] === j) continue;
      seen[i] = j;
      // Stories sharing a sentence or two collide in a band; their signatures barely agree.
      const agree = bytes.agreements(i, j);
      if (agree < minAgree) continue;
      agreeOf[i] = agree;
      added[i] = j;
      candidates.push(i);
    }
    if (lead) {
      // One row per band, so the bands a document shares are the lead values it agrees on: counted
      // as its buckets are walked, not read from its signature (a pointer and a cache miss per
      // visit, for hundreds of visits per document at scale).
      for (let v = 0, n = this.leadTables.gather(leadKeys, PER_BAND, visits); v < n; v++) {
        const i = leadIndexed[visits[v]!]!;
        if (added[i] === j) continue;
        if (seenByLead[i] !== j) {
          seenByLead[i] = j;
          leadHits[i] = 0;
        }
        // Found by its lead alone: ranked after the main table's.
        if (++leadHits[i]! < MIN_LEAD_AGREE) continue;
        agreeOf[i] = -1;
        added[i] = j;
        candidates.push(i);
      }
    }
    if (candidates.length > 1) candidates.sort((x, y) => agreeOf[y]! - agreeOf[x]! || x - y);
    let twin = false;
    for (let k = 0; k < candidates.length && k < MAX_SCORED; k++) {
      const i = candidates[k]!;
      const q = prints[i]!;
      // The lead's table brings up pairs for the lead rule: one whose leads differ is left to the
      // main table, as any pair under its design threshold is (a check of a few dozen shingles
      // instead of a merge of two whole sets, for most of what the lead's buckets hold at scale).
      if (agreeOf[i] === -1 && leadShare(q.lead, p.lead) < opts.lead) continue;
      // Then the shingle sets: a pair needs its shared shingles and at least the lowest
      // containment a rule accepts before the rest of the evidence is worth reading.
      const s = exactScoreAtLeast(q.shingles, p.shingles, opts.minShared, this.floor);
      if (s === null) continue;
      const e = evidenceFrom(s, q, p, opts);
      if (!isCopy(e, opts)) continue;
      this.edges.push({ a: i, b: j, score: s });
      if (e.jaccard >= TWIN) twin = true;
    }
    if (twin) return;
    indexed[this.tables.add(keys)] = j;
    if (lead) leadIndexed[this.leadTables.add(leadKeys)] = j;
  }

  /** The result, once every document of the batch was added. */
  finish(ids: readonly string[]): Linked {
    if (this.done !== this.prints.length) throw bug(`${this.prints.length} documents but ${this.done} linked`);
    const rep = this.rep.length === this.done ? this.rep : this.rep.slice(0, this.done);
    return { rep, edges: this.opts.rules.families ? byFullestVersion(ids, this.prints, this.edges, this.opts) : this.edges };
  }

  /**
   * The representative of j's exact-duplicate group among the documents added so far: the first
   * (by id) with the same shingle set, by hash, then compared; itself for most documents.
   */
  private exactGroup(j: number, s: Uint32Array): number {
    // A document without words is compared with nothing, not even another empty one.
    if (s.length === 0) return j;
    const key = setKey(s);
    const seen = this.byKey.get(key);
    const twin = seen?.find((r) => sameValues(this.prints[r]!.shingles, s));
    if (twin !== undefined) return twin;
    if (seen) seen.push(j);
    else this.byKey.set(key, [j]);
    return j;
  }

  /** Per-document arrays with room for documents 0 … n - 1, grown by doubling. */
  private room(n: number): void {
    if (this.rep.length >= n) return;
    const size = Math.max(n, this.rep.length * 2, 1024);
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (k: number) => T, fill: number): T => {
      const b = make(size).fill(fill) as T;
      b.set(a);
      return b;
    };
    this.rep = grow(this.rep, (k) => new Int32Array(k), 0);
    this.seen = grow(this.seen, (k) => new Int32Array(k), -1);
    this.seenByLead = grow(this.seenByLead, (k) => new Int32Array(k), -1);
    this.leadHits = grow(this.leadHits, (k) => new Uint8Array(k), 0);
    this.added = grow(this.added, (k) => new Int32Array(k), -1);
    this.agreeOf = grow(this.agreeOf, (k) => new Int32Array(k), 0);
    this.bytes.room(size);
  }
}

/**
 * A document holding this share of another's narrative, and more narrative than it, is a fuller
 * version of it: a copy keeps this much of its story through a site's edits (spelling, place
 * names, a dateline), while two different stories share a paragraph or two.
 */
export const FULLER = 0.8;

/**
 * The verified pairs whose shorter side's fullest version agrees. A truncated copy is judged on
 * its own narrative, so a sentence or a paragraph it shares with another story can be half of
 * it; but it is a copy of its story, and its fullest version in the batch (the verified neighbour
 * holding the most narrative, FULLER of it at least) holds everything it shares with the other
 * document, against the whole story: when that version is not a copy of the other document
 * either, the pair is dropped. A pair is kept when the shorter side lies inside the other (FULLER
 * of it: the other is a fuller version itself, and a page holding several stories, the shorter
 * one among them, is no judge of it), when the shorter side has no fuller version, or when that
 * version is a verified copy of the other already (then no score is computed: a set lookup per
 * pair, and an exact score per pair of different stories).
 * A document no longer than a lead is a lead-only copy: its fuller versions add text it never
 * had, and the lead rule speaks for it.
 */
export function byFullestVersion(ids: readonly string[], prints: readonly Fingerprint[], edges: Edge[], opts: ResolvedOptions): Edge[] {
  const size = (i: number) => prints[i]!.shingles.length;
  const fullest = new Map<number, number>();
  const offer = (s: number, p: number, shared: number) => {
    if (size(p) <= size(s) || shared < FULLER * size(s)) return;
    const held = fullest.get(s);
    if (held === undefined || size(p) > size(held) || (size(p) === size(held) && compareIds(ids[p]!, ids[held]!) < 0)) fullest.set(s, p);
  };
  const verified = new Set<number>();
  const n = prints.length;
  for (const e of edges) {
    offer(e.a, e.b, e.score.shared);
    offer(e.b, e.a, e.score.shared);
    verified.add(e.a * n + e.b).add(e.b * n + e.a);
  }
  if (fullest.size === 0) return edges;
  const leadOnly = LEAD_WORDS - opts.shingleSize + 1;
  const agrees = (s: number, q: number, shared: number): boolean => {
    const p = fullest.get(s);
    if (p === undefined || p === q || shared >= FULLER * size(s) || size(s) <= leadOnly || verified.has(p * n + q)) return true;
    const a = prints[p]!;
    const b = prints[q]!;
    return isCopy(evidenceFrom(exactScore(a.shingles, b.shingles), a, b, opts), opts);
  };
  // The shorter side, or both when the two are the same size.
  return edges.filter((e) => (size(e.a) > size(e.b) || agrees(e.a, e.b, e.score.shared)) && (size(e.b) > size(e.a) || agrees(e.b, e.a, e.score.shared)));
}

/** Bands × rows of the lead's table: one band per value, a candidate at a lead similarity of 0.4 all but 1 time in 3,500 (8 × 2 missed 1 in 4); the agreement check below keeps the extra candidates cheap. */
export const LEAD_PARAMS = { bands: LEAD_HASHES, rows: 1 } as const;
/** Lead values that must agree for a candidate found by the lead alone: a quarter, a lead similarity far under the `lead` threshold. */
const MIN_LEAD_AGREE = LEAD_HASHES / 4;

/** A hash of a sorted shingle set, for finding equal sets. */
function setKey(s: Uint32Array): number {
  let h = s.length;
  for (let i = 0; i < s.length; i++) h = mix(h, s[i]!);
  return fmix32(h ^ s.length);
}

function sameValues(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
