// Boilerplate: documents' lines → the set of short-line hashes that recur across unrelated documents
// (site chrome: tickers, "Related Links", newsletter lines), which shingling then skips.
import { hashString } from "./hash.js";
import { normalizeText, paragraphs, type Paragraph } from "./normalize.js";

/** Site chrome is short; a unit of at least this many words is article content: compared in the first pass, never boilerplate. */
export const CONTENT_WORDS = 12;

/**
 * The units a document is compared on, line by line where lines carry meaning. A paragraph is
 * normally one unit, but a blank-line block whose lines are not wrapped prose — seed 002's
 * 16-row ticker with the headline and photo credit under it — is one unit per line, so a
 * ticker row can be recognised on its own and a diff can say "unique: ticker lines".
 * A block is wrapped prose when at least half of its line breaks fall inside a sentence (the
 * next line starts with a lower-case letter), as in text hard-wrapped at 72 columns.
 */
export function units(text: string, paras: readonly Paragraph[] = paragraphs(text)): Paragraph[] {
  return paras.flatMap((p) => unitsOf(text, p));
}

function unitsOf(text: string, p: Paragraph): Paragraph[] {
  const lines = blockLines(text, p);
  if (lines.length < 2 || isWrappedProse(text, lines)) return [p];
  const out: Paragraph[] = [];
  for (const [start, end] of lines) {
    const norm = normalizeText(text.slice(start, end));
    if (norm.length > 0) out.push({ text: norm, start, end, hash: hashString(norm) });
  }
  return out;
}

/**
 * The paragraphs with their boilerplate units left out. A paragraph holding no boilerplate
 * stays whole, so a text without boilerplate is compared exactly as with the option off.
 */
export function withoutBoilerplate(text: string, paras: readonly Paragraph[], hashes: ReadonlySet<number>): Paragraph[] {
  const out: Paragraph[] = [];
  for (const p of paras) {
    if (hashes.has(p.hash)) continue;
    const parts = unitsOf(text, p);
    const kept = parts.filter((u) => !hashes.has(u.hash));
    if (kept.length === parts.length) out.push(p);
    else out.push(...kept);
  }
  return out;
}

/** [start, end) of each non-blank line of a paragraph, trimmed of surrounding white space. */
function blockLines(text: string, p: Paragraph): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = p.start;
  for (let i = p.start; i <= p.end; i++) {
    const c = i < p.end ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13) continue;
    let s = start;
    let e = i;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push([s, e]);
    start = i + 1;
  }
  return out;
}

function isWrappedProse(text: string, lines: ReadonlyArray<[number, number]>): boolean {
  let soft = 0;
  for (let i = 1; i < lines.length; i++) {
    const first = text[lines[i]![0]]!;
    if (first !== first.toUpperCase()) soft++;
  }
  return soft * 2 >= lines.length - 1;
}

/** Words in a normalized unit (normalized text has single spaces). */
function words(u: Paragraph): number {
  let n = 1;
  for (let i = 0; i < u.text.length; i++) if (u.text.charCodeAt(i) === 32) n++;
  return n;
}

/** Site chrome is short: only a unit of fewer than CONTENT_WORDS words can be boilerplate. */
export function isShort(u: Paragraph): boolean {
  return words(u) < CONTENT_WORDS;
}

/** The units of a document's first-pass fingerprint: long ones only, so chrome cannot link documents. */
export function contentUnits(all: readonly Paragraph[]): Paragraph[] {
  return all.filter((u) => !isShort(u));
}

/**
 * The short units held by at least two documents: the only units that can turn out to be
 * boilerplate, so documents holding none of them need no first pass.
 */
export function candidateLines(unitsOf: ReadonlyArray<readonly Paragraph[]>): Set<number> {
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
export function findBoilerplate(unitsOf: ReadonlyArray<readonly Paragraph[]>, group: ArrayLike<number>): Set<number> {
  return shortUnitsAcross(unitsOf, (d) => group[d]!);
}

/** The short units found under two or more different keys (documents with a negative key take no part). */
function shortUnitsAcross(unitsOf: ReadonlyArray<readonly Paragraph[]>, keyOf: (d: number) => number): Set<number> {
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
export function boilerplateLines(unitsOf: ReadonlyArray<readonly Paragraph[]>, hashes: ReadonlySet<number>): string[] {
  const lines = new Set<string>();
  for (const all of unitsOf) for (const u of all) if (hashes.has(u.hash)) lines.add(u.text);
  return [...lines].sort();
}
