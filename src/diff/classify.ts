// Classify: a cluster and its documents' texts → each member's paragraphs as shared, edited,
// unique, repeated or boilerplate, with counterparts, similarities and a summary per member.
import { boilerplateHashes } from "../boilerplate.js";
import { units, type Unit } from "../normalize.js";
import { bug, describe, fail } from "../errors.js";
import { chromeOf } from "../fingerprint.js";
import { toDocs } from "../input.js";
import { resolveDiffOptions } from "../options-check.js";
import { DEFAULTS, type DiffOptions, type ResolvedDiffOptions } from "../options.js";
import type { Cluster, Counterpart, DiffDocs, DiffParagraph, DiffReport, MemberDiff } from "../types.js";
import { align, requiredSimilarity, similarity, usesLevenshtein, type Alignment, type Occurrence } from "./align.js";

/** How a unit stands against the other members, before repeats are taken out. */
interface Standing {
  rank: 0 | 1 | 2; // 2 shared, 1 edited, 0 unique
  similarity: number;
  /** The text it equals (shared), is nearest to (edited), or is held by or holds (merged), held by another member. */
  text: number;
}

/**
 * Where each text is, in cluster order, summarised so that a unit's standing costs O(1) however
 * many members hold its text: the members holding it, and its first occurrence in a member other
 * than its first holder.
 */
interface Holders {
  members: number[][];
  second: Array<Occurrence | undefined>;
}

function holdersOf(a: Alignment): Holders {
  const members = a.occurrences.map((occ) => {
    const out: number[] = [];
    for (const o of occ) if (out[out.length - 1] !== o.member) out.push(o.member);
    return out;
  });
  const second = a.occurrences.map((occ) => occ.find((o) => o.member !== occ[0]!.member));
  return { members, second };
}

/** Whether a member other than `member` holds text `t`. */
function heldElsewhere(h: Holders, t: number, member: number): boolean {
  const m = h.members[t]!;
  return m.length > 1 || (m.length === 1 && m[0] !== member);
}

/** The first occurrence of text `t` in a member other than `member` (it must be held elsewhere). */
function firstElsewhere(a: Alignment, h: Holders, t: number, member: number): Occurrence {
  const first = a.occurrences[t]![0]!;
  return first.member !== member ? first : h.second[t]!;
}

/**
 * What each copy in a cluster has of its own, paragraph by paragraph. Paragraphs are compared
 * after normalization (case, quotes, dashes, white space); a block of short lines such as a
 * stock ticker is compared line by line. Each paragraph of each member is
 * - `boilerplate`: one of `options.boilerplate` (site template, e.g. a dedupe() result's);
 * - `repeated`: the member holds it (exactly or nearly) more than once; the occurrence that
 *   matches the other members best, then the first, keeps its class and the others point to it;
 * - `shared`: found exactly in another member (the canonical preferred as counterpart);
 * - `edited`: a near match of a paragraph of another member, with its similarity;
 * - `unique`: in no other member.
 * `docs` holds the members' texts: the array given to dedupe() (members are looked up by id), or
 * a Map from id to text — build it once when diffing many clusters, as an array is checked
 * whole on every call. Deterministic and pure.
 *
 * @example
 * import { dedupe, diff, renderDiff } from "news-dedupe";
 * const result = dedupe(docs);
 * for (const cluster of result.clusters) {
 *   if (cluster.members.length < 2) continue;
 *   const report = diff(cluster, docs, { boilerplate: result.boilerplate });
 *   report.members[1]?.summary; // seeds, 002: { shared: 15, edited: 1, unique: 21, repeated: 2, boilerplate: 0, uniqueChars: 492 }
 *   console.log(renderDiff(report));
 * }
 */
export function diff(cluster: Cluster, docs: DiffDocs, options?: DiffOptions): DiffReport {
  const opts = resolveDiffOptions(options);
  const texts = memberTexts(cluster.members.map((m) => m.id), docs);
  return diffUnits(cluster, texts, texts.map((t) => units(t)), opts);
}

/**
 * diff() for members whose units are known (a batch keeps them from fingerprinting, so a text is
 * normalized once per run): `texts` and `unitsOf` in the cluster's member order.
 */
export function diffUnits(cluster: Cluster, texts: readonly string[], unitsOf: ReadonlyArray<readonly Unit[]>, opts: ResolvedDiffOptions): DiffReport {
  const ids = cluster.members.map((m) => m.id);
  const alignment = align(unitsOf, opts.editSimilarity);
  const skip = boilerplateHashes(opts.boilerplate);
  let extraCalls = 0;

  const boilerplateOf = unitsOf.map((all) => all.map((u) => skip.has(u.hash)));
  const chromeOfMember = unitsOf.map((all) => chromeOf(all, DEFAULTS));
  const holders = holdersOf(alignment);
  const standingsOf = unitsOf.map((all, m) => all.map((_, i) => standingOf(alignment, holders, m, i, opts.editSimilarity)));
  const keepersOf = unitsOf.map((_, m) => repeatKeepers(alignment, m, standingsOf[m]!, boilerplateOf[m]!));
  // A counterpart is, where the text occurs several times, an occurrence that carries the class:
  // per text, the first such occurrence in each member (a member's occurrences of one text are
  // one group of repeats, so it has at most one).
  const carriers = alignment.occurrences.map((occ) => occ.filter((o) => keepersOf[o.member]![o.index] === o.index && !boilerplateOf[o.member]![o.index]));
  const counterpartOf = (t: number, member: number): Occurrence => {
    const c = carriers[t]!;
    return (c[0] && c[0].member !== member ? c[0] : c[1]) ?? firstElsewhere(alignment, holders, t, member);
  };
  // Members holding each shared text, listed once per text (not once per paragraph holding it).
  const groups: string[][] = [];
  const groupOf = new Map<number, number>();
  const group = (t: number) => {
    let g = groupOf.get(t);
    if (g === undefined) {
      g = groups.push(holders.members[t]!.map((m) => ids[m]!)) - 1;
      groupOf.set(t, g);
    }
    return g;
  };

  const members: MemberDiff[] = unitsOf.map((all, m) => {
    const isBoilerplate = boilerplateOf[m]!;
    const standing = standingsOf[m]!;
    const keeper = keepersOf[m]!;
    const paragraphs = all.map((u, i): DiffParagraph => {
      const p: DiffParagraph = { index: i, start: u.start, end: u.end, text: texts[m]!.slice(u.start, u.end), class: "unique" };
      const s = standing[i]!;
      const k = keeper[i]!;
      const chrome = chromeOfMember[m]![i];
      if (chrome) p.chrome = chrome;
      if (isBoilerplate[i]) p.class = "boilerplate";
      else if (k !== i) {
        p.class = "repeated";
        p.counterpart = { id: ids[m]!, index: k };
        const sim = linkSimilarity(alignment, alignment.textOf[m]![i]!, alignment.textOf[m]![k]!);
        if (sim === undefined && usesLevenshtein(all[i]!.text, all[k]!.text)) extraCalls++;
        p.similarity = round(sim ?? similarity(all[i]!.text, all[k]!.text));
      } else if (s.rank > 0) {
        p.class = s.rank === 2 ? "shared" : "edited";
        p.counterpart = toCounterpart(ids, counterpartOf(s.text, m));
        p.similarity = round(s.similarity);
        if (s.rank === 2 && s.text === alignment.textOf[m]![i]) p.group = group(s.text);
      }
      return p;
    });
    return { id: ids[m]!, canonical: ids[m] === cluster.canonical, paragraphs, summary: summarize(paragraphs) };
  });

  return {
    canonical: cluster.canonical,
    members,
    groups,
    stats: {
      paragraphs: unitsOf.reduce((n, u) => n + u.length, 0),
      distinctTexts: alignment.texts.length,
      levenshteinCalls: alignment.levenshteinCalls + extraCalls,
    },
  };
}

/**
 * The members' texts, looked up by id. An array is checked as dedupe() checks it (one pass over
 * it per call); a Map is only read for the members, so a loop over many clusters of a large
 * corpus should build the Map once.
 */
function memberTexts(ids: readonly string[], docs: DiffDocs): string[] {
  let byId: ReadonlyMap<string, unknown>;
  if (docs instanceof Map) byId = docs;
  else if (Array.isArray(docs)) byId = new Map(toDocs(docs).map((d) => [d.id, d.text]));
  else fail("INVALID_DIFF_DOCS", undefined, describe(docs));
  return ids.map((id) => {
    const text = byId.get(id);
    if (text === undefined) fail("UNKNOWN_MEMBER", id);
    if (typeof text !== "string") fail("INVALID_TEXT", id, describe(text));
    return text;
  });
}

/**
 * Shared if another member holds the same text, else edited if one holds a near text, else
 * shared or edited if another member holds it inside a longer paragraph, or holds paragraphs that
 * together make it up (a paragraph merged with its neighbour in one copy, split in another), by
 * the share of its characters they cover; else unique.
 */
function standingOf(a: Alignment, h: Holders, member: number, index: number, threshold: number): Standing {
  const text = a.textOf[member]![index]!;
  if (heldElsewhere(h, text, member)) return { rank: 2, similarity: 1, text };
  // near links are sorted most similar first
  for (const link of a.near[text]!) if (heldElsewhere(h, link.text, member)) return { rank: 1, similarity: link.similarity, text: link.text };
  for (const container of a.within[text]!) if (heldElsewhere(h, container, member)) return { rank: 2, similarity: 1, text: container };
  let covered = 0;
  let first = -1;
  for (const part of a.holds[text]!) {
    if (!heldElsewhere(h, part, member)) continue;
    covered += a.texts[part]!.length + 1;
    if (first < 0) first = part;
  }
  if (first < 0) return { rank: 0, similarity: 0, text };
  const length = a.texts[text]!.length;
  const share = Math.min(1, covered / length);
  if (share >= 0.99) return { rank: 2, similarity: 1, text: first };
  if (share >= requiredSimilarity(threshold, length)) return { rank: 1, similarity: share, text: first };
  return { rank: 0, similarity: 0, text };
}

/**
 * For each unit of one member, the index of the unit that stands for its group of repeats
 * (itself when it is not repeated). Units are grouped when their texts are equal or near;
 * the group keeps the unit that matches the other members best (shared, then edited by
 * similarity), then the first. Seed 003 opens with a quote that returns later with another
 * attribution: the later one is shared with 002, so the opening one is the repeat.
 */
function repeatKeepers(a: Alignment, member: number, standing: readonly Standing[], skip: readonly boolean[]): number[] {
  const textOf = a.textOf[member]!;
  const parent = textOf.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const firstOfText = new Map<number, number>();
  textOf.forEach((t, i) => {
    if (!skip[i] && !firstOfText.has(t)) firstOfText.set(t, i);
  });
  textOf.forEach((t, i) => {
    if (skip[i]) return;
    const join = (j: number | undefined) => {
      if (j === undefined || j === i) return;
      const [x, y] = [find(i), find(j)];
      if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
    };
    join(firstOfText.get(t));
    for (const link of a.near[t]!) join(firstOfText.get(link.text));
  });
  const best = new Map<number, number>();
  textOf.forEach((_, i) => {
    if (skip[i]) return;
    const root = find(i);
    const current = best.get(root);
    if (current === undefined || better(standing[i]!, standing[current]!)) best.set(root, i);
  });
  return textOf.map((_, i) => {
    if (skip[i]) return i;
    const k = best.get(find(i));
    if (k === undefined) throw bug("a paragraph has no repeat group");
    return k;
  });
}

/** Strictly better standing; ties go to the earlier unit, which is visited first. */
function better(x: Standing, y: Standing): boolean {
  return x.rank > y.rank || (x.rank === y.rank && x.similarity > y.similarity);
}

function linkSimilarity(a: Alignment, x: number, y: number): number | undefined {
  if (x === y) return 1;
  return a.near[x]!.find((l) => l.text === y)?.similarity;
}

function toCounterpart(ids: readonly string[], o: Occurrence): Counterpart {
  return { id: ids[o.member]!, index: o.index };
}

function summarize(paragraphs: readonly DiffParagraph[]): MemberDiff["summary"] {
  const s = { shared: 0, edited: 0, unique: 0, repeated: 0, boilerplate: 0, chrome: 0, uniqueChars: 0 };
  for (const p of paragraphs) {
    s[p.class]++;
    if (p.chrome) s.chrome++;
    if (p.class === "unique") s.uniqueChars += p.text.length;
  }
  return s;
}

/** Similarities are rounded to 4 decimals, as the scores of dedupe() are. */
function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
