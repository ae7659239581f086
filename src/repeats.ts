// Repeats: a document's paragraphs → how many times it holds its own text, and the text once.
import type { Paragraph } from "./normalize.js";

export interface Repeats {
  /** How many copies of its text the document holds: 1 for an ordinary article, 3 for seed 004. */
  count: number;
  /** The paragraphs with every repeat after the first occurrence removed, in order. */
  unique: Paragraph[];
}

/**
 * Pages that paste a transcript several times (seed 004) would otherwise weigh its text
 * several times and look unlike a single copy. The count is the largest c such that the
 * paragraphs occurring at least c times make up at least half of the de-repeated text: a
 * pull-quote repeated once (seed 003) does not make a document a repeat, and a second copy
 * without its credit line (004) still counts.
 */
export function findRepeats(paras: readonly Paragraph[]): Repeats {
  const occurrences = new Map<number, number>();
  const unique: Paragraph[] = [];
  for (const p of paras) {
    const n = occurrences.get(p.hash) ?? 0;
    if (n === 0) unique.push(p);
    occurrences.set(p.hash, n + 1);
  }
  let total = 0;
  for (const p of unique) total += p.text.length;
  let count = 1;
  for (let c = 2; ; c++) {
    let covered = 0;
    for (const p of unique) if (occurrences.get(p.hash)! >= c) covered += p.text.length;
    if (covered === 0 || covered * 2 < total) break;
    count = c;
  }
  return { count, unique };
}
