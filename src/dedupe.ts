// Dedupe: the batch driver. Documents → clusters, calling each stage in order.
import { boilerplateHashes, boilerplateLines, contentUnits, findBoilerplate, units } from "./boilerplate.js";
import { BandTables, bandKeys, lshParams } from "./candidates.js";
import { cluster, type Edge, type Group } from "./cluster.js";
import { fingerprint, shingleAndSign, type Fingerprint } from "./fingerprint.js";
import { fail } from "./errors.js";
import { bytesOver, toDocs } from "./input.js";
import { resolveOptions, type DedupeOptions, type ResolvedOptions } from "./options.js";
import { toResult } from "./result.js";
import type { DedupeResult, Doc, DocInput, Skipped } from "./types.js";
import { exactScore, isCopy } from "./verify.js";

/**
 * Find the copies among `docs` and group them into clusters, one canonical copy each.
 * Every input document is in exactly one cluster; the result depends only on the documents
 * and options, never on their order.
 *
 * @example
 * import { dedupe } from "news-dedupe";
 * const { clusters } = dedupe([
 *   { id: "a", text: wireStory },
 *   { id: "b", text: "Markets ticker\n\n" + wireStory + "\n\nRelated Links" },
 * ]);
 * // clusters[0] → { canonical: "b", members: [{ id: "b", ... }, { id: "a", jaccard: 0.9, ... }] }
 */
export function dedupe(docs: readonly DocInput[], options?: DedupeOptions): DedupeResult {
  const opts = resolveOptions(options);
  const { kept, skipped } = partitionBySize(toDocs(docs), opts.maxDocBytes);
  const skip = boilerplateOf(kept, opts);
  const result = clusterFingerprints(kept, kept.map((d) => forClustering(fingerprint(d.text, opts, skip))), opts);
  if (skip) result.boilerplate = boilerplateLines(kept.map((d) => units(d.text)), skip);
  if (skipped.length > 0) {
    result.skipped = skipped;
    result.stats.documents += skipped.length;
  }
  return result;
}

/** Oversize documents are set aside with their reason, sorted by id so input order cannot show. */
function partitionBySize(docs: Doc[], maxDocBytes: number): { kept: Doc[]; skipped: Skipped[] } {
  const kept: Doc[] = [];
  const skipped: Skipped[] = [];
  for (const doc of docs) {
    const bytes = bytesOver(doc.text, maxDocBytes);
    if (bytes === undefined) kept.push(doc);
    else skipped.push({ id: doc.id, code: "DOC_TOO_LARGE", reason: fail("DOC_TOO_LARGE", doc.id, String(bytes), String(maxDocBytes)).message });
  }
  skipped.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { kept, skipped };
}

/** What clustering needs of a fingerprint: the paragraphs are not used past fingerprint(). */
export type ClusterInput = Pick<Fingerprint, "repeats" | "shingles" | "signature">;

/** Drops the paragraphs, so a large batch holds only sets and signatures while it clusters. */
function forClustering({ repeats, shingles, signature }: Fingerprint): ClusterInput {
  return { repeats, shingles, signature };
}

/**
 * The stages after fingerprint(): candidates → verify → cluster → result, for checked documents
 * and their fingerprints (same order). Split from dedupe() so the CLI can compute fingerprints
 * in worker threads; dedupe() is exactly fingerprint() on each document followed by this.
 */
export function clusterFingerprints(
  docs: readonly Pick<Doc, "id">[],
  prints: readonly ClusterInput[],
  opts: ResolvedOptions,
): DedupeResult {
  return toResult(groups(docs, prints, opts), docs, prints);
}

/** LSH candidates → verified pairs → star clusters. */
function groups(docs: readonly Pick<Doc, "id">[], prints: readonly ClusterInput[], opts: ResolvedOptions): Group[] {
  const params = lshParams(opts.jaccard, opts.numHashes);
  const tables = new BandTables(params, prints.length);
  // Documents without words take no part in LSH; `indexed` maps table numbers back to positions.
  const indexed: number[] = [];
  prints.forEach((p, i) => {
    if (!p.signature) return;
    tables.add(bandKeys(p.signature, params));
    indexed.push(i);
  });

  const edges: Edge[] = [];
  for (const [x, y] of tables.pairs()) {
    const a = indexed[x]!;
    const b = indexed[y]!;
    const score = exactScore(prints[a]!.shingles, prints[b]!.shingles);
    if (isCopy(score, opts)) edges.push({ a, b, score });
  }
  return cluster(docs.map((d, i) => ({ id: d.id, size: prints[i]!.shingles.length })), edges);
}

/**
 * The hashes of the boilerplate lines to skip, or undefined when the option is "off". "auto"
 * clusters a first time on content units only (site chrome is short lines), then takes the
 * units that documents of different first-pass clusters share (boilerplate.ts).
 */
export function boilerplateOf(docs: readonly Doc[], opts: ResolvedOptions): Set<number> | undefined {
  if (opts.boilerplate === "off") return undefined;
  if (opts.boilerplate !== "auto") return boilerplateHashes(opts.boilerplate);
  const all = docs.map((d) => units(d.text));
  const first = all.map((u) => ({ paragraphs: u, repeats: 1, ...shingleAndSign(contentUnits(u), opts) }));
  const group = new Int32Array(docs.length);
  groups(docs, first, opts).forEach((g, n) => {
    group[g.canonical] = n;
    for (const m of g.members) group[m.index] = n;
  });
  return findBoilerplate(all, group);
}
