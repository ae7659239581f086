// Dedupe: the batch driver. Documents → clusters, calling each stage in order.
import { boilerplateHashes, boilerplateLines, candidateLines, contentUnits, findBoilerplate, units } from "./boilerplate.js";
import { BandTables, bandKeys, batchLshParams } from "./candidates.js";
import { cluster, type Edge, type Group } from "./cluster.js";
import { fingerprint, shingleAndSign, type Fingerprint } from "./fingerprint.js";
import { fail } from "./errors.js";
import { bytesOver, toDocs } from "./input.js";
import type { Paragraph } from "./normalize.js";
import { resolveOptions, type DedupeOptions, type ResolvedOptions } from "./options.js";
import { toResult } from "./result.js";
import type { DedupeResult, Doc, DocInput, Skipped } from "./types.js";
import { exactScore, isCopy, minAgreement, SignatureBytes } from "./verify.js";

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
  const result =
    opts.boilerplate === "off"
      ? clusterFingerprints(kept, kept.map((d) => forClustering(fingerprint(d.text, opts))), opts)
      : withoutTemplate(kept, opts);
  if (skipped.length > 0) {
    result.skipped = skipped;
    result.stats.documents += skipped.length;
  }
  return result;
}

/** dedupe() with the `boilerplate` option on: the template lines found or given are not compared. */
function withoutTemplate(docs: readonly Doc[], opts: ResolvedOptions): DedupeResult {
  const unitsOf = docs.map((d) => units(d.text));
  const skip = boilerplateOf(docs, opts, unitsOf);
  // A document without boilerplate is fingerprinted exactly as with "off".
  const prints = docs.map((d, i) => forClustering(fingerprint(d.text, opts, unitsOf[i]!.some((u) => skip.has(u.hash)) ? skip : undefined)));
  const result = clusterFingerprints(docs, prints, opts);
  result.boilerplate = boilerplateLines(unitsOf, skip);
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
  const params = batchLshParams(opts.jaccard, opts.numHashes);
  const tables = new BandTables(params, prints.length);
  // Documents without words take no part in LSH; `indexed` maps table numbers back to positions.
  const indexed: number[] = [];
  const keys = new Uint32Array(params.bands);
  const bytes = new SignatureBytes(prints.length, opts.numHashes);
  prints.forEach((p, i) => {
    if (!p.signature) return;
    tables.add(bandKeys(p.signature, params, keys));
    bytes.set(indexed.length, p.signature);
    indexed.push(i);
  });

  const edges: Edge[] = [];
  const minAgree = minAgreement(opts.numHashes, opts.jaccard);
  for (const [x, y] of tables.pairs()) {
    // Stories sharing a sentence or two collide in a band; their signatures barely agree.
    if (bytes.agreements(x, y) < minAgree) continue;
    const a = indexed[x]!;
    const b = indexed[y]!;
    const score = exactScore(prints[a]!.shingles, prints[b]!.shingles);
    if (isCopy(score, opts)) edges.push({ a, b, score });
  }
  return cluster(docs.map((d, i) => ({ id: d.id, size: prints[i]!.shingles.length })), edges);
}

/**
 * The hashes of the boilerplate lines to skip (`unitsOf`: each document's units, see boilerplate.ts).
 * "auto" clusters a first time on content units only (site chrome is short lines), then takes
 * the short units that documents of different first-pass clusters share. Only documents
 * holding a short unit that another document also holds take part in the first pass: the
 * others cannot contribute boilerplate, and skipping them keeps "auto" cheap on corpora with
 * little shared chrome.
 */
export function boilerplateOf(docs: readonly Doc[], opts: ResolvedOptions, unitsOf: ReadonlyArray<readonly Paragraph[]>): Set<number> {
  if (opts.boilerplate === "off") return new Set();
  if (opts.boilerplate !== "auto") return boilerplateHashes(opts.boilerplate);
  const candidates = candidateLines(unitsOf);
  if (candidates.size === 0) return candidates;
  const taking: number[] = [];
  unitsOf.forEach((all, d) => {
    if (all.some((u) => candidates.has(u.hash))) taking.push(d);
  });
  const first = taking.map((d) => ({ repeats: 1, ...shingleAndSign(contentUnits(unitsOf[d]!), opts) }));
  const group = new Int32Array(docs.length).fill(-1);
  groups(taking.map((d) => docs[d]!), first, opts).forEach((g, n) => {
    group[taking[g.canonical]!] = n;
    for (const m of g.members) group[taking[m.index]!] = n;
  });
  return findBoilerplate(unitsOf, group);
}
