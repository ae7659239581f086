// Normalize: raw text → paragraphs of normalized text, each with offsets into the original.
import { AsciiCopy, FNV_OFFSET, FNV_PRIME, fmix32, hashString } from "./hash.js";

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
  // One scan says which passes can change this text; most paragraphs (ASCII or other text in
  // NFKC already) need only toLowerCase, and the eight passes below cost 4x more than the scan.
  let flags = 0;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let k = kind[c]!;
    if (k === 0) k = kind[c] = classify(c);
    flags |= k | ((k & last & BLANK) << 1); // BLANK << 1 is BLANKS: two " " in a row
    last = k;
  }
  if (flags & SLOW) return normalizeAll(text);
  let out = text;
  if (flags & REMOVED) out = out.replace(INVISIBLE, "");
  if (flags & REPLACED) out = out.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, "-");
  if (flags & CASED) out = out.toLowerCase();
  // SPACES and trim change only white space other than " ", runs of " " (also once REMOVED
  // characters between them are gone) and a leading or trailing " ".
  const collapse =
    (flags & (SPACE | REMOVED | BLANKS)) !== 0 || text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32;
  return collapse ? out.replace(SPACES, " ").trim() : out;
}

/** The definition: every pass, in this order. normalizeText skips the passes that cannot change a text. */
function normalizeAll(text: string): string {
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

// What each pass of normalizeAll does to one UTF-16 code unit, as bit flags; 0 = not yet known.
const KNOWN = 1;
/** White space other than " ": SPACES and trim act on it (NBSP and the like, which NFKC makes " ", included). */
const SPACE = 2;
/** Removed by INVISIBLE. */
const REMOVED = 4;
/** Replaced by SINGLE_QUOTES, DOUBLE_QUOTES or DASHES. */
const REPLACED = 8;
/** Changed by toLowerCase. */
const CASED = 16;
/** NFKC may change it or combine it with its neighbour, or it is a surrogate: only normalizeAll is safe. */
const SLOW = 32;
/** " " itself, and in normalizeText's flags, two in a row. */
const BLANK = 64;
const BLANKS = 128;
const kind = new Uint8Array(65536);
for (let c = 0; c < 128; c++) kind[c] = classify(c); // asciiParagraph reads this without filling it

/**
 * Filled from the passes themselves, so it agrees with normalizeAll by construction. A code unit
 * NFKC leaves alone still changes in context if it combines with the one before it: combining
 * marks, and the Hangul vowel and final-consonant jamo (the only other such characters in the
 * BMP; tests/normalize.test.ts checks every decomposition in Unicode).
 */
function classify(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return KNOWN | SLOW;
  const ch = String.fromCharCode(c);
  if (/\p{M}/u.test(ch) || (c >= 0x1161 && c <= 0x1175) || (c >= 0x11a8 && c <= 0x11c2)) return KNOWN | SLOW;
  const nfkc = ch.normalize("NFKC");
  if (nfkc !== ch) return /\s/.test(ch) && /^\s+$/.test(nfkc) ? KNOWN | SPACE : KNOWN | SLOW;
  if (one(INVISIBLE, ch)) return KNOWN | REMOVED;
  if (one(SINGLE_QUOTES, ch) || one(DOUBLE_QUOTES, ch) || one(DASHES, ch)) return KNOWN | REPLACED;
  if (c === 32) return KNOWN | BLANK;
  if (/\s/.test(ch)) return KNOWN | SPACE;
  return ch.toLowerCase() === ch ? KNOWN : KNOWN | CASED;
}

/** Whether the global pattern `re` matches the one-character string `ch`. */
function one(re: RegExp, ch: string): boolean {
  re.lastIndex = 0;
  return re.test(ch);
}

interface Line {
  start: number;
  end: number;
  blank: boolean;
}

/** Split on \n, \r\n and \r; a line is blank when it holds only white space or invisible characters. */
function lines(text: string): Line[] {
  const out: Line[] = [];
  // indexOf finds the breaks natively, several times faster than testing every character here.
  let lf = text.indexOf("\n");
  let cr = text.indexOf("\r");
  let start = 0;
  for (;;) {
    if (lf >= 0 && lf < start) lf = text.indexOf("\n", start);
    if (cr >= 0 && cr < start) cr = text.indexOf("\r", start);
    const end = lf < 0 ? (cr < 0 ? text.length : cr) : cr < 0 || lf < cr ? lf : cr;
    out.push({ start, end, blank: isBlank(text, start, end) });
    if (end === text.length) return out;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
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
  const bytes = ascii.of(text);
  const push = (start: number, end: number) => {
    const fast = bytes && asciiParagraph(text, bytes, start, end);
    if (fast) return void out.push(fast);
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

const ascii = new AsciiCopy();
const LOWER = Uint8Array.from({ length: 128 }, (_, c) => (c >= 65 && c <= 90 ? c + 32 : c));

/**
 * The paragraph text[start, end) of an ASCII text, read from its bytes, when normalizing it only
 * lower-cases it: its hash (hashString of the lower-cased text) comes from the same pass as the
 * check. Null when any other pass would change it.
 */
function asciiParagraph(text: string, bytes: Uint8Array, start: number, end: number): Paragraph | null {
  let flags = 0;
  let last = 0;
  let h = FNV_OFFSET | 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    const k = kind[c]!;
    flags |= k | ((k & last & BLANK) << 1);
    last = k;
    h = Math.imul(h ^ LOWER[c]!, FNV_PRIME);
  }
  if ((flags & ~(KNOWN | BLANK | CASED)) !== 0 || bytes[start] === 32 || bytes[end - 1] === 32) return null;
  const raw = text.slice(start, end);
  return { text: flags & CASED ? raw.toLowerCase() : raw, start, end, hash: fmix32(h) };
}
