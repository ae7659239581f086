// Align: the units of a cluster's members → their distinct texts with every occurrence, and near
// links between texts: exact matches by text first, then fast-levenshtein after a prefilter.
import levenshtein from "fast-levenshtein";
import type { Unit } from "../normalize.js";
import { shingleHashes } from "../shingle.js";
import { tokenHashes } from "../tokenize.js";

/**
 * Levenshtein calls started from one distinct text. The work bound of diff() is this × the
 * number of distinct paragraph texts in the cluster, plus at most one call per repeated
 * paragraph that is not linked directly to the occurrence it repeats (tests/diff-scale.test.ts).
 */
export const MAX_CANDIDATES = 4;
/** Words per prefilter shingle: a changed word leaves the shingles around it, an unrelated line shares none. */
const PREFILTER_SHINGLE = 3;
/** Lines shorter than this need more than the edit threshold to count as near (see requiredSimilarity). */
const SHORT_LINE = 80;

export interface Occurrence {
  /** Position of the member in the cluster. */
  readonly member: number;
  /** Position of the unit in the member. */
  readonly index: number;
}

export interface Near {
  readonly text: number;
  readonly similarity: number;
}

export interface Alignment {
  /** Distinct normalized texts, numbered in order of first occurrence (canonical first). */
  readonly texts: readonly string[];
  /** For each text, where it occurs: by member, then by index. */
  readonly occurrences: ReadonlyArray<readonly Occurrence[]>;
  /** For each member and unit, the number of its text. */
  readonly textOf: ReadonlyArray<readonly number[]>;
  /** For each text, the texts within edit distance of it: most similar first, then by number. */
  readonly near: ReadonlyArray<readonly Near[]>;
  /** For each text, longer texts that hold it whole (it was merged into them), and the converse. */
  readonly within: ReadonlyArray<readonly number[]>;
  readonly holds: ReadonlyArray<readonly number[]>;
  readonly levenshteinCalls: number;
}

/**
 * Texts longer than this are not given to Levenshtein, whose cost is the product of the two
 * lengths (a scraped page without line breaks can be one line of tens of thousands of
 * characters); news paragraphs are far shorter.
 */
export const MAX_LEVENSHTEIN_CHARS = 3000;

/** Whether similarity(a, b) calls Levenshtein (counted in the work bound). */
export function usesLevenshtein(a: string, b: string): boolean {
  const [x, y] = differing(a, b);
  return Math.max(x.length, y.length) <= MAX_LEVENSHTEIN_CHARS;
}

/**
 * What is left of two texts once their common prefix and suffix are cut. The edit distance of
 * two texts is that of these parts, so a few words changed in a long paragraph cost O(n) to cut
 * plus Levenshtein on the changed stretch, instead of O(n·m) on the whole.
 */
function differing(a: string, b: string): [string, string] {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let q = 0;
  while (q < n - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  return p === 0 && q === 0 ? [a, b] : [a.slice(p, a.length - q), b.slice(p, b.length - q)];
}

/**
 * Similarity in [0, 1]: 1 - edit distance / length of the longer text. When the stretch where
 * the texts differ is over MAX_LEVENSHTEIN_CHARS, the share of the longer text's 3-word shingles
 * that the other holds instead: linear time, and like the edit similarity 1 for equal texts and
 * lower for each change.
 */
export function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  const [x, y] = differing(a, b);
  if (Math.max(x.length, y.length) <= MAX_LEVENSHTEIN_CHARS) return 1 - levenshtein.get(x, y) / longer;
  return shingleSimilarity(prefilterShingles(a), prefilterShingles(b));
}

function prefilterShingles(text: string): Uint32Array {
  return shingleHashes(tokenHashes(text), PREFILTER_SHINGLE, 0);
}

/** Shared shingles / shingles of the larger set; the sets are sorted and distinct. */
function shingleSimilarity(x: Uint32Array, y: Uint32Array): number {
  const larger = Math.max(x.length, y.length);
  if (larger === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i]! < y[j]!) i++;
    else if (x[i]! > y[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return shared / larger;
}

/**
 * The similarity two texts need to be near, given the longer one's length. Short lines that
 * share a frame score high by chance ("learn about missile defense at spacewar.com" against
 * "all about missiles at spacewar.com": 0.74), so below SHORT_LINE characters the threshold
 * rises linearly towards 1: a 40-character line needs 0.8 at the default 0.6.
 */
export function requiredSimilarity(threshold: number, longer: number): number {
  return threshold + (1 - threshold) * Math.max(0, 1 - longer / SHORT_LINE);
}

/** A text with more prefilter shingles than this is indexed and searched by a quarter of them (see sampled). */
const SAMPLE_ABOVE = 32;

/**
 * The prefilter shingles a text is indexed and searched by: all of a short text's, a fixed
 * quarter (by hash) of a long one's. Two long texts close enough to be near share many shingles,
 * so they share sampled ones too, and the postings of a page of prose shrink fourfold.
 */
function sampled(set: Uint32Array): Uint32Array {
  return set.length <= SAMPLE_ABOVE ? set : set.filter((h) => (h & 3) === 0);
}

/**
 * A shingle held by more distinct texts than this finds no near neighbour: it is a frame every
 * line shares (a ticker's "| index | change |", a caption's credit), and scanning its postings
 * for every text would make the search O(texts²) on a page of such lines.
 */
export const MAX_POSTINGS = 64;
/**
 * Candidates for a near match share at least this share of the smaller text's (sampled) prefilter
 * shingles: an edit leaves most of a paragraph's shingles, an unrelated paragraph that repeats
 * one sentence of it does not, and Levenshtein on it would cost O(n·m) for nothing.
 */
const MIN_COMMON = 0.25;
/** Texts checked per text for holding it whole (a paragraph another copy merged with its neighbour). */
const MAX_CONTAINERS = 4;
/** A text shorter than this many characters is not looked for inside others ("Photo", a lone date). */
const MIN_CONTAINED = 24;

/**
 * Align the members' units. Identical texts are found by a map lookup and scored once, however
 * many members hold them. Near matches are searched per distinct text: the candidates are the
 * texts sharing at least one 3-word shingle (of those held by at most MAX_POSTINGS texts) whose
 * length ratio can still reach the threshold (the distance is at least the difference in
 * length); the MAX_CANDIDATES sharing the most shingles are scored with fast-levenshtein, each
 * pair once. A cluster of n long copies thus costs at most MAX_CANDIDATES calls per distinct
 * text, not one per pair of paragraphs, and the search itself O(shingles × MAX_POSTINGS) per
 * text. Texts are also looked for whole inside the longer texts sharing the most shingles with
 * them: a paragraph that one copy merged with its neighbour (or split in two) is the same text.
 */
export function align(unitsOf: ReadonlyArray<readonly Unit[]>, threshold: number): Alignment {
  const ids = new Map<string, number>();
  const texts: string[] = [];
  const occurrences: Occurrence[][] = [];
  const textOf = unitsOf.map((units, member) =>
    units.map((u, index) => {
      let id = ids.get(u.text);
      if (id === undefined) {
        id = texts.length;
        ids.set(u.text, id);
        texts.push(u.text);
        occurrences.push([]);
      }
      occurrences[id]!.push({ member, index });
      return id;
    }),
  );

  const shingles = texts.map((t) => sampled(prefilterShingles(t)));
  const postings = new Map<number, number[]>();
  shingles.forEach((set, id) => {
    for (const h of set) {
      const list = postings.get(h);
      if (!list) postings.set(h, [id]);
      else if (list.length <= MAX_POSTINGS) list.push(id);
    }
  });

  const near: Near[][] = texts.map(() => []);
  const within: number[][] = texts.map(() => []);
  const scored = new Set<number>();
  let levenshteinCalls = 0;
  const overlap = new Map<number, number>();
  // A text every member holds is shared in each of them: it starts no search (the texts near it
  // find it, since links go both ways), which spares most of the work when copies agree.
  const everywhere = occurrences.map((occ) => {
    let members = 0;
    for (let k = 0; k < occ.length; k++) if (k === 0 || occ[k]!.member !== occ[k - 1]!.member) members++;
    return members === unitsOf.length && unitsOf.length > 1;
  });
  for (let id = 0; id < texts.length; id++) {
    if (everywhere[id]) continue;
    overlap.clear();
    for (const h of shingles[id]!) {
      const list = postings.get(h)!;
      if (list.length > MAX_POSTINGS) continue;
      for (const other of list) if (other !== id) overlap.set(other, (overlap.get(other) ?? 0) + 1);
    }
    const a = texts[id]!;
    const ranked = [...overlap].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const candidates = ranked
      .filter(([other, common]) => {
        const b = texts[other]!;
        const longer = Math.max(a.length, b.length);
        // Near texts share most of their shingles; texts sharing a sentence or two do not.
        if (common < MIN_COMMON * Math.min(shingles[id]!.length, shingles[other]!.length)) return false;
        return Math.min(a.length, b.length) / longer >= requiredSimilarity(threshold, longer);
      })
      .slice(0, MAX_CANDIDATES);
    for (const [other] of candidates) {
      const key = Math.min(id, other) * texts.length + Math.max(id, other);
      if (scored.has(key)) continue;
      scored.add(key);
      const b = texts[other]!;
      if (usesLevenshtein(a, b)) levenshteinCalls++;
      const s = similarity(a, b);
      if (s >= requiredSimilarity(threshold, Math.max(a.length, b.length))) {
        near[id]!.push({ text: other, similarity: s });
        near[other]!.push({ text: id, similarity: s });
      }
    }
    if (a.length < MIN_CONTAINED) continue;
    let checked = 0;
    for (const [other] of ranked) {
      if (checked === MAX_CONTAINERS) break;
      if (texts[other]!.length <= a.length) continue;
      checked++;
      if (texts[other]!.includes(a)) within[id]!.push(other);
    }
  }
  for (const links of near) links.sort((x, y) => y.similarity - x.similarity || x.text - y.text);
  const holds: number[][] = texts.map(() => []);
  within.forEach((containers, id) => containers.forEach((c) => holds[c]!.push(id)));
  return { texts, occurrences, textOf, near, within, holds, levenshteinCalls };
}
