// Repeats: a document's units → how many times it holds its own text, and the text once.
import { mix } from "./hash.js";
import type { Unit } from "./normalize.js";

export interface Repeats {
  /** How many copies of its text the document holds: 1 for an ordinary article, 3 for seed 004. */
  count: number;
  /** The units of every paragraph's first occurrence, in order. */
  unique: Unit[];
}

let scratch = { first: new Int32Array(256), hash: new Uint32Array(256), length: new Float64Array(256) };

/**
 * Units grouped into their paragraphs (a split block's lines make one paragraph): paragraph i is
 * units[first[i], first[i + 1]), with the combined hash of its units in order (a one-unit
 * paragraph keeps its unit's hash) and its normalized length, its units joined by single spaces.
 * Typed arrays: a page of a hundred thousand one-word lines makes as many paragraphs.
 */
function paras(all: readonly Unit[]): { count: number; first: Int32Array; hash: Uint32Array; length: Float64Array } {
  // Scratch arrays reused across calls: V8 slows down on many short-lived ArrayBuffers, and every
  // document comes through here. Valid until the next call.
  if (scratch.first.length < all.length + 1) {
    const n = Math.max(all.length + 1, scratch.first.length * 2);
    scratch = { first: new Int32Array(n), hash: new Uint32Array(n), length: new Float64Array(n) };
  }
  const { first, hash, length } = scratch;
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const u = all[i]!;
    if (i > 0 && u.para === all[i - 1]!.para) {
      hash[count - 1] = mix(hash[count - 1]!, u.hash) >>> 0;
      length[count - 1]! += 1 + u.text.length;
      continue;
    }
    first[count] = i;
    hash[count] = u.hash;
    length[count] = u.text.length;
    count++;
  }
  first[count] = all.length;
  return { count, first, hash, length };
}

/**
 * Pages that paste a transcript several times (seed 004) would otherwise weigh its text
 * several times and look unlike a single copy. The count is the largest c such that the
 * paragraphs occurring at least c times make up at least half of the de-repeated text: a
 * pull-quote repeated once (seed 003) does not make a document a repeat, and a second copy
 * without its credit line (004) still counts. Paragraphs, not units: the lines of a ticker may
 * recur on a page without the page repeating its text.
 */
export function findRepeats(all: readonly Unit[]): Repeats {
  const p = paras(all);
  const occurrences = new Map<number, number>();
  const firstOf: number[] = [];
  for (let i = 0; i < p.count; i++) {
    const n = occurrences.get(p.hash[i]!) ?? 0;
    if (n === 0) firstOf.push(i);
    occurrences.set(p.hash[i]!, n + 1);
  }
  let total = 0;
  for (const i of firstOf) total += p.length[i]!;
  let count = 1;
  for (let c = 2; ; c++) {
    let covered = 0;
    for (const i of firstOf) if (occurrences.get(p.hash[i]!)! >= c) covered += p.length[i]!;
    if (covered === 0 || covered * 2 < total) break;
    count = c;
  }
  if (firstOf.length === p.count) return { count, unique: all as Unit[] };
  const unique: Unit[] = [];
  for (const i of firstOf) for (let u = p.first[i]!; u < p.first[i + 1]!; u++) unique.push(all[u]!);
  return { count, unique };
}

const NONE = 0xffffffff;

/**
 * Where a repeated text is, once: [start of the first paragraph, end of the last, then for each
 * paragraph kept its start, end and the start of the paragraph after it in the document (NONE
 * for the last)], offsets of whole paragraphs in `text` (a split block's from its first line's
 * start to its last line's end, white space included). Undefined when the text is not repeated.
 * Offsets, not text, so that a document's fingerprint stays small and derepeat() needs no second
 * pass over the text.
 */
export function onceSpans(text: string, all: readonly Unit[], repeats: Repeats): Uint32Array | undefined {
  if (repeats.count <= 1 || all.length === 0) return undefined;
  const p = paras(all);
  const kept = new Set(repeats.unique);
  const start = (i: number) => {
    const u = all[p.first[i]!]!;
    // The lines of a split block were trimmed: the block runs from its first line's start to its last line's end.
    return p.first[i + 1]! - p.first[i]! === 1 ? u.start : lineStart(text, u.start);
  };
  const end = (i: number) => {
    const u = all[p.first[i + 1]! - 1]!;
    return p.first[i + 1]! - p.first[i]! === 1 ? u.end : lineEnd(text, u.end);
  };
  const chosen: number[] = [];
  for (let i = 0; i < p.count; i++) if (kept.has(all[p.first[i]!]!)) chosen.push(i);
  const out = new Uint32Array(2 + 3 * chosen.length);
  out[0] = start(0);
  out[1] = end(p.count - 1);
  chosen.forEach((i, k) => {
    out[2 + 3 * k] = start(i);
    out[3 + 3 * k] = end(i);
    out[4 + 3 * k] = i + 1 < p.count ? start(i + 1) : NONE;
  });
  return out;
}

function lineStart(text: string, at: number): number {
  while (at > 0 && text[at - 1] !== "\n" && text[at - 1] !== "\r") at--;
  return at;
}

function lineEnd(text: string, at: number): number {
  while (at < text.length && text[at] !== "\n" && text[at] !== "\r") at++;
  return at;
}

/**
 * A document's text once, from its onceSpans: each paragraph kept, from the original text (not
 * the normalized one), followed by the separator that followed it in the original (a newline or
 * a blank line), so the text keeps the document's own layout; the text before the first
 * paragraph and after the last one is kept as well.
 */
export function derepeat(text: string, once: Uint32Array | undefined): string {
  if (!once) return text;
  const lastEnd = once[1]!;
  const kept = (once.length - 2) / 3;
  let out = text.slice(0, once[0]!);
  for (let i = 0; i < kept; i++) {
    const start = once[2 + 3 * i]!;
    const end = once[3 + 3 * i]!;
    const next = once[4 + 3 * i]!;
    const separator = i === kept - 1 || next === NONE ? text.slice(lastEnd) : text.slice(end, next);
    out += text.slice(start, end) + separator;
  }
  return out;
}
