// Boilerplate: documents' units → the set of short-unit hashes that recur across unrelated documents
// (site chrome: tickers, "Related Links", newsletter lines), which fingerprinting then skips.
import { hashString } from "./hash.js";
import { normalizeText, type Unit } from "./normalize.js";

/** Site chrome is short; a unit of at least this many words is article content: compared in the first pass, never boilerplate. */
export const CONTENT_WORDS = 12;

/** Words in a normalized unit (normalized text has single spaces). */
function words(u: Unit): number {
  let n = 1;
  for (let i = 0; i < u.text.length; i++) if (u.text.charCodeAt(i) === 32) n++;
  return n;
}

/** Site chrome is short: only a unit of fewer than CONTENT_WORDS words can be boilerplate. */
export function isShort(u: Unit): boolean {
  return words(u) < CONTENT_WORDS;
}

/** The units of a document's first-pass fingerprint: long ones only, so chrome cannot link documents. */
export function contentUnits(all: readonly Unit[]): Unit[] {
  return all.filter((u) => !isShort(u));
}

/**
 * The short units held by at least two documents: the only units that can turn out to be
 * boilerplate, so documents holding none of them need no first pass.
 */
export function candidateLines(unitsOf: ReadonlyArray<readonly Unit[]>): Set<number> {
  return shortUnitsAcross(unitsOf, (d) => d);
}

/**
 * Boilerplate from a first pass: `group[d]` is the cluster document d fell into when only its
 * content units were compared (-1: it took no part). A short unit found in documents of two or
 * more different first-pass clusters is shared by documents that are not copies of each other
 * — the site's template, not the article — and is boilerplate. Copies of one story share their
 * text but sit in one first-pass cluster, so their common lines never count twice. Long units
 * are never boilerplate: a paragraph recurring across unrelated clusters (a quoted statement,
 * a standard background paragraph) is shared content that an editor wants to see.
 */
export function findBoilerplate(unitsOf: ReadonlyArray<readonly Unit[]>, group: ArrayLike<number>): Set<number> {
  return shortUnitsAcross(unitsOf, (d) => group[d]!);
}

/** The short units found under two or more different keys (documents with a negative key take no part). */
function shortUnitsAcross(unitsOf: ReadonlyArray<readonly Unit[]>, keyOf: (d: number) => number): Set<number> {
  const firstKey = new Map<number, number>();
  const found = new Set<number>();
  unitsOf.forEach((all, d) => {
    const key = keyOf(d);
    if (key < 0) return;
    for (const u of all) {
      if (!isShort(u)) continue;
      const seen = firstKey.get(u.hash);
      if (seen === undefined) firstKey.set(u.hash, key);
      else if (seen !== key) found.add(u.hash);
    }
  });
  return found;
}

/** Boilerplate given as lines (a caller's list, or a previous result's `boilerplate`) → their hashes. */
export function boilerplateHashes(lines: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const line of lines) {
    const norm = normalizeText(line);
    if (norm.length > 0) out.add(hashString(norm));
  }
  return out;
}

/** The normalized text of each boilerplate unit found in `unitsOf`, sorted and distinct. */
export function boilerplateLines(unitsOf: ReadonlyArray<readonly Unit[]>, hashes: ReadonlySet<number>): string[] {
  const lines = new Set<string>();
  for (const all of unitsOf) for (const u of all) if (hashes.has(u.hash)) lines.add(u.text);
  return [...lines].sort();
}
