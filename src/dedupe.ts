// Dedupe: the batch driver. Documents → clusters, calling each stage in order.
import { boilerplateHashes, boilerplateLines, contentUnits, findBoilerplate, units } from "./boilerplate.js";
import { BandTables, bandKeys, lshParams } from "./candidates.js";
import { cluster, type Edge, type Group } from "./cluster.js";
import { fingerprint, shingleAndSign, type Fingerprint } from "./fingerprint.js";
import { toDocs } from "./input.js";
import { resolveOptions, type DedupeOptions, type ResolvedOptions } from "./options.js";
import { toResult } from "./result.js";
import type { DedupeResult, Doc, DocInput } from "./types.js";
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
  const checked = toDocs(docs);
  const skip = boilerplateOf(checked, opts);
  const prints = checked.map((d) => fingerprint(d.text, opts, skip));
  const result = toResult(groups(checked, prints, opts), checked, prints);
  if (skip) result.boilerplate = boilerplateLines(checked.map((d) => units(d.text)), skip);
  return result;
}

/** LSH candidates → verified pairs → star clusters. */
function groups(docs: readonly Doc[], prints: readonly Fingerprint[], opts: ResolvedOptions): Group[] {
  const params = lshParams(opts.jaccard, opts.numHashes);
  const tables = new BandTables(params);
  prints.forEach((p, i) => p.signature && tables.add(i, bandKeys(p.signature, params)));

  const edges: Edge[] = [];
  for (const [a, b] of tables.pairs()) {
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
function boilerplateOf(docs: readonly Doc[], opts: ResolvedOptions): Set<number> | undefined {
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
