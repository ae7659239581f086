// Result: clusters of indices → the public DedupeResult (ids, rounded scores, flags).
import type { Group } from "./cluster.js";
import type { Fingerprint } from "./fingerprint.js";
import type { Cluster, DedupeResult, Doc, Member } from "./types.js";

/** Scores are rounded to 4 decimals: enough to rank, and stable in JSON. */
export function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function member(id: string, jaccard: number, containment: number, print: Pick<Fingerprint, "repeats" | "shingles">): Member {
  const m: Member = { id, jaccard: round(jaccard), containment: round(containment) };
  if (print.repeats > 1) m.repeats = print.repeats;
  if (print.shingles.length === 0) m.empty = true;
  return m;
}

export function toResult(
  groups: readonly Group[],
  docs: readonly Pick<Doc, "id">[],
  prints: ReadonlyArray<Pick<Fingerprint, "repeats" | "shingles">>,
  digests: ReadonlySet<number> = new Set(),
): DedupeResult {
  const clusters: Cluster[] = groups.map((g) => {
    const canonical = member(docs[g.canonical]!.id, 1, 1, prints[g.canonical]!);
    if (digests.has(g.canonical)) canonical.digest = true;
    return {
      canonical: docs[g.canonical]!.id,
      members: [canonical, ...g.members.map((m) => member(docs[m.index]!.id, m.score.jaccard, m.score.containment, prints[m.index]!))],
    };
  });
  return {
    clusters,
    stats: { documents: docs.length, clusters: clusters.length, duplicates: docs.length - clusters.length },
  };
}
