// Detection quality on a labeled corpus: pairwise precision, recall, F1 and adjusted Rand index,
// overall and per operation, for news-dedupe and for the npm `minhash` package (the baseline).
import mh from "minhash";
import { fingerprintText as fingerprint } from "../src/fingerprint.ts";
import { DEFAULTS, dedupe, type DedupeOptions } from "../src/index.ts";
import { exactScore } from "../src/verify.ts";
import { OPERATIONS, type CorpusInfo, type Label, type LabeledDoc, type Operation } from "./corpus.ts";

export interface PairScores {
  precision: number;
  recall: number;
  f1: number;
  ari: number;
  /** Pairs in one true story and one predicted cluster, predicted only, true only. */
  tp: number;
  fp: number;
  fn: number;
}

export interface QualityResult {
  name: string;
  seconds: number;
  overall: PairScores;
  byOperation: Record<Operation, PairScores>;
  /** Hard-negative story pairs (different stories sharing text) put in one cluster: built ones, and those the honesty check found. */
  hardNegativesMerged: number;
  hardNegatives: number;
  foundMerged: number;
  found: number;
  /** Predicted pairs of different stories whose copies carry the same site's chrome. */
  sameSiteMerges: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/**
 * Pair-counting scores over the pairs with at least one document in `mask` (all pairs without a
 * mask). ARI is the Hubert-Arabie index on that universe of pairs: (TP - E) / (mean(T, P) - E)
 * with E = T·P / N, which for the full universe is the usual adjusted Rand index.
 */
export function pairScores(truth: Int32Array, pred: Int32Array, mask?: Uint8Array): PairScores {
  const n = truth.length;
  const count = (keys: (i: number) => number) => {
    const all = new Map<number, number>();
    const masked = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = keys(i);
      all.set(k, (all.get(k) ?? 0) + 1);
      if (mask && mask[i]) masked.set(k, (masked.get(k) ?? 0) + 1);
    }
    let total = 0;
    for (const [k, m] of all) total += mask ? pairs(m) - pairs(m - (masked.get(k) ?? 0)) : pairs(m);
    return total;
  };
  let maxPred = 0;
  for (let i = 0; i < n; i++) maxPred = Math.max(maxPred, pred[i]!);
  const T = count((i) => truth[i]!);
  const P = count((i) => pred[i]!);
  const TP = count((i) => truth[i]! * (maxPred + 1) + pred[i]!);
  let masked = 0;
  if (mask) for (let i = 0; i < n; i++) masked += mask[i]!;
  const N = mask ? pairs(n) - pairs(n - masked) : pairs(n);
  const precision = P === 0 ? 1 : TP / P;
  const recall = T === 0 ? 1 : TP / T;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const E = N === 0 ? 0 : (T * P) / N;
  const denom = (T + P) / 2 - E;
  const ari = denom === 0 ? 1 : (TP - E) / denom;
  return { precision, recall, f1, ari, tp: TP, fp: P - TP, fn: T - TP };
}

/** Scores of a predicted clustering (cluster number per document, in `labels` order). */
export function score(name: string, seconds: number, labels: readonly Label[], info: CorpusInfo, pred: Int32Array): QualityResult {
  const truth = Int32Array.from(labels, (l) => l.story);
  const byOperation = {} as Record<Operation, PairScores>;
  OPERATIONS.forEach((op, bit) => {
    const mask = Uint8Array.from(labels, (l) => ((l.ops >> bit) & 1));
    byOperation[op] = pairScores(truth, pred, mask);
  });
  // Stories meeting in one predicted cluster, and same-site merges, cluster by cluster.
  const members = new Map<number, number[]>();
  pred.forEach((c, i) => (members.get(c) ?? members.set(c, []).get(c)!).push(i));
  const merged = new Set<string>();
  let sameSiteMerges = 0;
  for (const docs of members.values()) {
    if (docs.length < 2) continue;
    const stories = [...new Set(docs.map((i) => labels[i]!.story))];
    if (stories.length < 2) continue;
    for (const a of stories) for (const b of stories) if (a < b) merged.add(`${a}:${b}`);
    for (let x = 0; x < docs.length; x++) {
      for (let y = x + 1; y < docs.length; y++) {
        const a = labels[docs[x]!]!;
        const b = labels[docs[y]!]!;
        if (a.story !== b.story && a.site >= 0 && a.site === b.site) sameSiteMerges++;
      }
    }
  }
  const isMerged = (h: CorpusInfo["hardNegatives"][number]) => merged.has(`${Math.min(h.a, h.b)}:${Math.max(h.a, h.b)}`);
  const built = info.hardNegatives.filter((h) => h.kind !== "found");
  const found = info.hardNegatives.filter((h) => h.kind === "found");
  return {
    name,
    seconds,
    overall: pairScores(truth, pred),
    byOperation,
    hardNegativesMerged: built.filter(isMerged).length,
    hardNegatives: built.length,
    foundMerged: found.filter(isMerged).length,
    found: found.length,
    sameSiteMerges,
  };
}

/** news-dedupe (default options unless given): cluster number per document. */
export function runOurs(docs: readonly LabeledDoc[], options?: DedupeOptions): { pred: Int32Array; seconds: number } {
  const t0 = performance.now();
  const result = dedupe(
    docs.map((d) => ({ id: d.id, text: d.text })),
    options,
  );
  const seconds = (performance.now() - t0) / 1000;
  const position = new Map(docs.map((d, i) => [d.id, i]));
  const pred = new Int32Array(docs.length);
  result.clusters.forEach((c, n) => c.members.forEach((m) => (pred[position.get(m.id)!] = n)));
  return { pred, seconds };
}

/** The words of a text as the baseline sees them: lower-cased runs of letters and digits. */
export function baselineWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

/** 5-word shingles as strings, as a user of the `minhash` package would build them. */
export function baselineShingles(text: string, size = 5): Set<string> {
  const words = baselineWords(text);
  const out = new Set<string>();
  if (words.length > 0 && words.length < size) out.add(words.join(" "));
  for (let i = 0; i + size <= words.length; i++) out.add(words.slice(i, i + size).join(" "));
  return out;
}

/** A Minhash of a text, the package's README way: update() with every (distinct) shingle. */
export function baselineMinhash(text: string): InstanceType<typeof mh.Minhash> {
  const m = new mh.Minhash();
  for (const s of baselineShingles(text)) m.update(s);
  return m;
}

/**
 * The baseline: npm `minhash` Minhash (128 permutations) + LshIndex (its default bandSize 4),
 * pairs with estimated Jaccard ≥ 0.5, connected components as clusters.
 */
export function runBaseline(docs: readonly LabeledDoc[], threshold = 0.5): { pred: Int32Array; seconds: number } {
  const t0 = performance.now();
  const hashes = docs.map((d) => baselineMinhash(d.text));
  const index = new mh.LshIndex({ bandSize: 4 });
  hashes.forEach((h, i) => index.insert(i, h));
  const parent = Int32Array.from(docs, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  hashes.forEach((h, i) => {
    for (const key of safeQuery(index, h)) {
      const j = Number(key);
      if (j !== i && h.jaccard(hashes[j]!) >= threshold) parent[find(i)] = find(j);
    }
  });
  const pred = Int32Array.from(docs, (_, i) => find(i));
  return { pred, seconds: (performance.now() - t0) / 1000 };
}

/**
 * LshIndex.query, except that it throws on a band it has never seen (index[band] is undefined);
 * this reads the same band lists and treats an unseen band as empty.
 */
export function safeQuery(index: InstanceType<typeof mh.LshIndex>, h: InstanceType<typeof mh.Minhash>): string[] {
  const found = new Set<string>();
  for (const band of index.getHashbands(h)) for (const key of index.index[band] ?? []) found.add(String(key));
  return [...found];
}

export interface MissReasons {
  /** Pairs of one story that news-dedupe put in different clusters, with a copy made by `op`. */
  pairs: number;
  /** Exact scores of those pairs: under the Jaccard floor (containment fine), under the containment threshold, or passing both. */
  jaccardFloor: number;
  containment: number;
  passBoth: number;
}

/**
 * Why true pairs were missed: each missed pair with a copy made by `op`, scored exactly (5-word
 * shingles, as dedupe() does). "passBoth" pairs pass both thresholds: LSH did not propose them,
 * or star clustering put them under different canonicals.
 */
export function missReasons(docs: readonly LabeledDoc[], pred: Int32Array, op: Operation): MissReasons {
  const bit = 1 << OPERATIONS.indexOf(op);
  const byStory = new Map<number, number[]>();
  docs.forEach((d, i) => (byStory.get(d.story) ?? byStory.set(d.story, []).get(d.story)!).push(i));
  const prints = new Map<number, Uint32Array>();
  const shingles = (i: number) => prints.get(i) ?? prints.set(i, fingerprint(docs[i]!.text, DEFAULTS).shingles).get(i)!;
  const r: MissReasons = { pairs: 0, jaccardFloor: 0, containment: 0, passBoth: 0 };
  for (const members of byStory.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = members[x]!;
        const b = members[y]!;
        if (pred[a] === pred[b] || ((docs[a]!.ops | docs[b]!.ops) & bit) === 0) continue;
        const s = exactScore(shingles(a), shingles(b));
        r.pairs++;
        if (s.containment < DEFAULTS.containment) r.containment++;
        else if (s.jaccard < DEFAULTS.jaccard) r.jaccardFloor++;
        else r.passBoth++;
      }
    }
  }
  return r;
}
