// Cluster: verified pairs → clusters with a canonical copy, guarded against chaining.
import type { PairScore } from "./verify.js";

export interface Edge {
  readonly a: number;
  readonly b: number;
  readonly score: PairScore;
}

export interface Node {
  readonly id: string;
  /** Number of shingles: the size of the document's content. */
  readonly size: number;
}

export interface Group {
  canonical: number;
  /** Other members with their scores against the canonical. */
  members: Array<{ index: number; score: PairScore }>;
}

/**
 * Star clustering. Plain union-find over verified pairs lets A~B, B~C, C~D chain four
 * unrelated stories that each overlap the next. Here a cluster is a canonical document and
 * the documents verified against *it*: no member is more than one verified step from its
 * canonical. Canonicals are picked greedily, most complete first: the largest total content
 * shared with the document's verified neighbours, then the largest content, then the
 * smallest id (ids, not input positions, so the result does not depend on input order).
 */
export function cluster(nodes: readonly Node[], edges: readonly Edge[]): Group[] {
  const shared = new Float64Array(nodes.length);
  const adjacency: Array<Array<{ other: number; score: PairScore }>> = nodes.map(() => []);
  for (const e of edges) {
    shared[e.a]! += e.score.shared;
    shared[e.b]! += e.score.shared;
    adjacency[e.a]!.push({ other: e.b, score: e.score });
    adjacency[e.b]!.push({ other: e.a, score: e.score });
  }
  const order = nodes.map((_, i) => i);
  order.sort((x, y) => shared[y]! - shared[x]! || nodes[y]!.size - nodes[x]!.size || compareIds(nodes[x]!.id, nodes[y]!.id));
  const assigned = new Uint8Array(nodes.length);
  const groups: Group[] = [];
  for (const center of order) {
    if (assigned[center] === 1) continue;
    assigned[center] = 1;
    const members: Group["members"] = [];
    for (const { other, score } of adjacency[center]!) {
      if (assigned[other] === 1) continue;
      assigned[other] = 1;
      members.push({ index: other, score });
    }
    members.sort((x, y) => compareIds(nodes[x.index]!.id, nodes[y.index]!.id));
    groups.push({ canonical: center, members });
  }
  return groups.sort((x, y) => compareIds(nodes[x.canonical]!.id, nodes[y.canonical]!.id));
}

/** Code-unit order: the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
