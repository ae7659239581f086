// Cluster: verified pairs → clusters with a canonical copy, guarded against chaining and digests.
import { compareIds } from "./input.js";
import type { Edge } from "./link.js";
import { exactScore, sharedCount, type PairScore } from "./verify.js";

export interface Node {
  readonly id: string;
  /** Sorted distinct shingles: the document's content. */
  readonly shingles: Uint32Array;
}

export interface Group {
  canonical: number;
  /** Other members with their scores against the canonical. */
  members: Array<{ index: number; score: PairScore }>;
}

/**
 * A member joins through another member only if it shares at least this much of its text (or the
 * canonical's, if shorter) with the canonical itself: write-throughs of one story share whole
 * paragraphs with its central version (the canonical, chosen as the best connected), while a chain
 * of pages each overlapping the next drifts away, and the copies of another story that shares a
 * background sentence or two with the canonical (each copy then holding the same sentence or two)
 * stay under it.
 */
export const FAMILY_OVERLAP = 0.2;
/** Regions of a digest's text held by two of its neighbours that share at most this share of shingles are unrelated stories. */
const UNRELATED = 0.02;
/** A neighbour holding more than this share of a document is a copy of it, not one story of a digest. */
const PART = 0.6;
/** Neighbours of a document compared pairwise when looking for a digest (its largest ones). */
const DIGEST_NEIGHBOURS = 8;
/** A part of a digest holds at least this many shingles: a sentence or two in common is not a story. */
const MIN_PART = 10;

/**
 * Clusters with a canonical copy each. Canonicals are picked greedily, most complete first: the
 * largest total content shared with verified neighbours (exact duplicates count once each), then
 * the largest content, then the smallest id (ids, not input positions, so the result does not
 * depend on input order). A cluster takes its canonical's verified neighbours, then, breadth
 * first, their verified neighbours that share at least FAMILY_OVERLAP with the canonical: the
 * versions of one wire story linked through each other, but never a page that only overlaps a
 * page that overlaps the story (plain union-find would chain A~B, B~C, C~D into one).
 *
 * A digest — a page holding the texts of several unrelated stories, each verified as its copy —
 * would be the most complete copy of all of them and merge them. A document is a digest when two
 * of its neighbours each hold only part of it and their parts share nothing: it is then a
 * cluster of its own and links nothing.
 *
 * `rep[i]` is the representative of document i's exact-duplicate group; edges join representatives.
 * With `families` false (options.rules), a cluster is its canonical and its verified neighbours.
 */
export function cluster(nodes: readonly Node[], rep: Int32Array, edges: readonly Edge[], families = true): { groups: Group[]; digests: Set<number> } {
  const n = nodes.length;
  const weight = new Uint32Array(n);
  for (let i = 0; i < n; i++) weight[rep[i]!]!++;
  const adjacency: Array<Array<{ other: number; score: PairScore }>> = nodes.map(() => []);
  for (const e of edges) {
    adjacency[e.a]!.push({ other: e.b, score: e.score });
    adjacency[e.b]!.push({ other: e.a, score: e.score });
  }
  const digests = findDigests(nodes, adjacency);
  const shared = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (rep[i] !== i || digests.has(i)) continue;
    shared[i] = (weight[i]! - 1) * nodes[i]!.shingles.length;
    for (const { other, score } of adjacency[i]!) if (!digests.has(other)) shared[i]! += weight[other]! * score.shared;
  }
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (rep[i] === i) order.push(i);
  order.sort((x, y) => shared[y]! - shared[x]! || nodes[y]!.shingles.length - nodes[x]!.shingles.length || compareIds(nodes[x]!.id, nodes[y]!.id));

  const assigned = new Uint8Array(n);
  const groups: Group[] = [];
  const scoreOf = new Map<number, PairScore>();
  const tried = new Set<number>();
  for (const center of order) {
    if (assigned[center] === 1) continue;
    assigned[center] = 1;
    const members: Group["members"] = [];
    if (!digests.has(center)) {
      scoreOf.clear();
      tried.clear();
      const queue = [center];
      // Without families, only the canonical's own neighbours join.
      for (let q = 0; q < (families ? queue.length : 1); q++) {
        const from = queue[q]!;
        for (const { other, score } of adjacency[from]!) {
          if (assigned[other] === 1 || digests.has(other) || tried.has(other)) continue;
          const toCenter = from === center ? score : exactScore(nodes[center]!.shingles, nodes[other]!.shingles);
          // Scored against the canonical once, whichever member leads to it.
          tried.add(other);
          if (toCenter.containment < FAMILY_OVERLAP) continue;
          assigned[other] = 1;
          scoreOf.set(other, toCenter);
          queue.push(other);
        }
      }
      for (const [index, score] of scoreOf) members.push({ index, score });
    }
    groups.push({ canonical: center, members });
  }
  addDuplicates(groups, rep, nodes);
  for (const g of groups) g.members.sort((x, y) => compareIds(nodes[x.index]!.id, nodes[y.index]!.id));
  groups.sort((x, y) => compareIds(nodes[x.canonical]!.id, nodes[y.canonical]!.id));
  return { groups, digests };
}

/** Each exact duplicate joins its representative's group: Jaccard 1 against a canonical representative, else the representative's score. */
function addDuplicates(groups: Group[], rep: Int32Array, nodes: readonly Node[]): void {
  const at = new Map<number, { group: Group; score: PairScore | null }>();
  for (const g of groups) {
    at.set(g.canonical, { group: g, score: null });
    for (const m of g.members) at.set(m.index, { group: g, score: m.score });
  }
  for (let i = 0; i < rep.length; i++) {
    if (rep[i] === i) continue;
    const { group, score } = at.get(rep[i]!)!;
    const size = nodes[i]!.shingles.length;
    group.members.push({ index: i, score: score ?? { jaccard: 1, containment: 1, shared: size } });
  }
}

/**
 * The documents that are digests: two of their (largest) neighbours each hold only part of the
 * document (at most PART of its shingles) and the parts they hold share at most UNRELATED of
 * their shingles.
 */
function findDigests(nodes: readonly Node[], adjacency: ReadonlyArray<ReadonlyArray<{ other: number; score: PairScore }>>): Set<number> {
  const out = new Set<number>();
  nodes.forEach((node, d) => {
    const size = node.shingles.length;
    const parts = adjacency[d]!.filter(({ other, score }) => nodes[other]!.shingles.length < size && score.shared <= PART * size)
      .sort((x, y) => y.score.shared - x.score.shared || x.other - y.other)
      .slice(0, DIGEST_NEIGHBOURS)
      .map(({ other }) => intersect(node.shingles, nodes[other]!.shingles))
      .filter((part) => part.length >= MIN_PART);
    for (let x = 0; x < parts.length && !out.has(d); x++) {
      for (let y = x + 1; y < parts.length; y++) {
        const common = sharedCount(parts[x]!, parts[y]!);
        if (common <= UNRELATED * Math.min(parts[x]!.length, parts[y]!.length)) {
          out.add(d);
          break;
        }
      }
    }
  });
  return out;
}

/** The values two sorted sets share, sorted. */
function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}
