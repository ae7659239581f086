// Normalize: raw text → paragraphs of normalized text, each with offsets into the original.
import { hashString } from "./hash.js";

export interface Paragraph {
  /** Normalized text: NFKC, plain quotes and dashes, lower case, single spaces. */
  readonly text: string;
  /** Offsets of the paragraph in the original text: text.slice(start, end). */
  readonly start: number;
  readonly end: number;
  /** hashString(text): equal paragraphs after normalization have equal hashes. */
  readonly hash: number;
}

// Each pattern is a single character class (optionally +): linear time, no backtracking.
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
// Zero-width and bidi controls change nothing a reader sees, so they must not change a hash.
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u0000]/g;
// Only runs that are not already a single " ": replacing every space (/\s+/g) made V8 build a
// new string piece per word, ~400 ms per MB of plain prose.
const SPACES = /(?! )\s+| \s+/g;

/** Normalize one piece of text for comparison. */
export function normalizeText(text: string): string {
  return text
    .toWellFormed()
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, "-")
    .toLowerCase()
    .replace(SPACES, " ")
    .trim();
}

interface Line {
  start: number;
  end: number;
  blank: boolean;
}

/** Split on \n, \r\n and \r; a line is blank when it holds only white space or invisible characters. */
function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13) continue;
    out.push({ start, end: i, blank: isBlank(text, start, i) });
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    start = i + 1;
  }
  return out;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xa0 && c !== 0xfeff && c !== 0x200b && c !== 12 && c !== 11) return false;
  }
  return true;
}

/**
 * Paragraphs of a text. When blank lines separate blocks, a paragraph is a block of lines;
 * a text without blank lines (as many scraped pages are) has one paragraph per line.
 */
export function paragraphs(text: string): Paragraph[] {
  const all = lines(text);
  const blankMode = all.some((l, i) => l.blank && i > 0 && i < all.length - 1);
  const out: Paragraph[] = [];
  const push = (start: number, end: number) => {
    const norm = normalizeText(text.slice(start, end));
    if (norm.length > 0) out.push({ text: norm, start, end, hash: hashString(norm) });
  };
  if (!blankMode) {
    for (const l of all) if (!l.blank) push(l.start, l.end);
    return out;
  }
  let blockStart = -1;
  let blockEnd = -1;
  for (const l of all) {
    if (l.blank) {
      if (blockStart >= 0) push(blockStart, blockEnd);
      blockStart = -1;
    } else {
      if (blockStart < 0) blockStart = l.start;
      blockEnd = l.end;
    }
  }
  if (blockStart >= 0) push(blockStart, blockEnd);
  return out;
}
