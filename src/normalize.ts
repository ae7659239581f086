// Normalize: raw text → units (paragraphs, or the lines of a block of short lines) of normalized
// text, each with offsets into the original. Every later stage reads a document through these.
import { AsciiCopy, FNV_OFFSET, FNV_PRIME, fmix32, hashString } from "./hash.js";

/**
 * The unit of comparison: a paragraph, or one line of a block whose lines are not wrapped prose
 * (a ticker, a list of headlines). Diffs show units; the public API calls them paragraphs.
 */
export interface Unit {
  /** Normalized text: NFKC, plain quotes and dashes, Turkish and Persian letters folded (FOLDS), lower case, single spaces. */
  readonly text: string;
  /** Offsets of the unit in the original text: text.slice(start, end). */
  readonly start: number;
  readonly end: number;
  /** hashString(text): equal units after normalization have equal hashes. */
  readonly hash: number;
  /** The paragraph it belongs to, numbered from 0: the lines of a split block share one. */
  readonly para: number;
}

// Each pattern is a single character class (optionally +): linear time, no backtracking.
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
// What changes nothing a reader sees must not change a hash: format characters (Unicode Cf:
// soft hyphen, zero-width and bidi controls, the Arabic letter mark, the Mongolian vowel
// separator, tag characters), variation selectors, the combining grapheme joiner, Hangul fillers,
// the Arabic tatweel (a stretch of a letter's joining line), and NUL.
const INVISIBLE = /[\p{Cf}\u0000\u034f\u0640\u115f\u1160\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/gu;
// Letters written two ways for one letter, which NFKC keeps apart: the Turkish dotted capital I
// and dotless i (a copy typed on another keyboard, or an upper-case headline, writes plain i/I),
// and the Persian yeh and keheh beside the Arabic yeh and kaf (and the alef maksura written for a
// final yeh), which Persian and Arabic keyboards produce for the same word.
const FOLDS = /[\u0130\u0131\u0649\u06a9\u06cc]/g;
const FOLDED: Record<string, string> = { "\u0130": "i", "\u0131": "i", "\u0649": "\u064a", "\u06a9": "\u0643", "\u06cc": "\u064a" };
const fold = (ch: string): string => FOLDED[ch]!;
/** What INVISIBLE, SINGLE_QUOTES, DOUBLE_QUOTES, DASHES or FOLDS make of a character; classify() fills it. */
const replacement = new Map<number, string>();
// Only runs that are not already a single " ": replacing every space (/\s+/g) makes V8 build a
// new string piece per word, a cons-string per word of prose.
const SPACES = /(?! )\s+| \s+/g;

/** Normalize one piece of text for comparison. */
export function normalizeText(text: string): string {
  // One scan says which passes can change this text; most paragraphs (ASCII or other text in
  // NFKC already) need only toLowerCase, so the other seven passes, each a full copy of the
  // string, are skipped.
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
  if (flags & (REMOVED | REPLACED)) {
    // Piecewise for a paragraph; on a long text, a string piece per replaced character would
    // cost more memory than the regex passes.
    if (text.length <= 1 << 16) out = mapCharacters(out);
    else out = out.replace(INVISIBLE, "").replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, "-").replace(FOLDS, fold);
  }
  if (flags & CASED) out = out.toLowerCase();
  // SPACES and trim change only white space other than " ", runs of " " (also once REMOVED
  // characters between them are gone) and a leading or trailing " ".
  const collapse =
    (flags & (SPACE | REMOVED | BLANKS)) !== 0 || text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32;
  return collapse ? out.replace(SPACES, " ").trim() : out;
}

/**
 * The INVISIBLE, SINGLE_QUOTES, DOUBLE_QUOTES, DASHES and FOLDS passes in one (each maps characters on
 * their own, so their order does not matter): one copy of the string instead of four.
 */
function mapCharacters(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((kind[c]! & (REMOVED | REPLACED)) === 0) continue;
    out += text.slice(from, i) + replacement.get(c)!;
    from = i + 1;
  }
  return out + text.slice(from);
}

/** The definition: every pass, in this order. normalizeText skips the passes that cannot change a text. */
function normalizeAll(text: string): string {
  // Invisible characters go before NFKC too: one between a letter and its combining mark (or
  // between Hangul jamo) would keep NFKC from composing them; and after, since NFKC makes some
  // (a tatweel out of an Arabic presentation form).
  return text
    .toWellFormed()
    .replace(INVISIBLE, "")
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, "-")
    .replace(FOLDS, fold)
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
/** Replaced by SINGLE_QUOTES, DOUBLE_QUOTES, DASHES or FOLDS. */
const REPLACED = 8;
/** Changed by toLowerCase. */
const CASED = 16;
/** NFKC may change it or combine it with its neighbour, or it is a surrogate: only normalizeAll is safe. */
const SLOW = 32;
/** " " itself, and in normalizeText's flags, two in a row. */
const BLANK = 64;
const BLANKS = 128;
const kind = new Uint8Array(65536);
for (let c = 0; c < 128; c++) kind[c] = classify(c); // asciiUnit reads this without filling it

/**
 * Filled from the passes themselves, so it agrees with normalizeAll by construction. A code unit
 * NFKC leaves alone still changes in context if it combines with the one before it: combining
 * marks, and the Hangul vowel and final-consonant jamo (the only other such characters in the
 * BMP; tests/normalize-fast.test.ts checks every decomposition in Unicode).
 */
function classify(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return KNOWN | SLOW;
  const ch = String.fromCharCode(c);
  if (/\p{M}/u.test(ch) || (c >= 0x1161 && c <= 0x1175) || (c >= 0x11a8 && c <= 0x11c2)) return KNOWN | SLOW;
  const nfkc = ch.normalize("NFKC");
  if (nfkc !== ch) return /\s/.test(ch) && /^\s+$/.test(nfkc) ? KNOWN | SPACE : KNOWN | SLOW;
  const plain = one(INVISIBLE, ch) ? "" : one(SINGLE_QUOTES, ch) ? "'" : one(DOUBLE_QUOTES, ch) ? '"' : one(DASHES, ch) ? "-" : one(FOLDS, ch) ? fold(ch) : null;
  if (plain !== null) {
    replacement.set(c, plain);
    return plain === "" ? KNOWN | REMOVED : KNOWN | REPLACED;
  }
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
  // indexOf finds the breaks natively, instead of a charCodeAt test on every character here.
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
 * The units of a text. When blank lines separate blocks, a paragraph is a block of lines; a text
 * without blank lines (as many scraped pages are) has one paragraph per line. A block whose lines
 * are not wrapped prose — seed 002's 16-row ticker with the headline and photo credit under it —
 * gives one unit per line, so that a ticker row can be recognised on its own and a diff can say
 * "unique: ticker lines". A block is wrapped prose when at least half of its line breaks fall
 * inside a sentence (the next line starts with a lower-case letter), as in text hard-wrapped at
 * 72 columns. Each unit's text is normalized once, here.
 */
export function units(text: string): Unit[] {
  const all = lines(text);
  const blankMode = all.some((l, i) => l.blank && i > 0 && i < all.length - 1);
  const out: Unit[] = [];
  const bytes = ascii.of(text);
  // Lower-cased once and sliced, instead of one toLowerCase call (and copy) per paragraph. (ASCII
  // keeps offsets; a slice shares the lowered text, about the size of its paragraphs together.)
  const lower = bytes ? text.toLowerCase() : "";
  let para = 0;
  const push = (start: number, end: number) => {
    const fast = bytes ? asciiUnit(lower, bytes, 0, start, end, para) : asciiParagraph(text, start, end, para);
    if (fast) return void out.push(fast);
    const norm = normalizeText(text.slice(start, end));
    if (norm.length > 0) out.push({ text: norm, start, end, hash: hashString(norm), para });
  };
  if (!blankMode) {
    for (const l of all) {
      if (l.blank) continue;
      push(l.start, l.end);
      para++;
    }
    return out;
  }
  let first = -1;
  const block = (last: number) => {
    const parts = trimmedLines(text, all, first, last);
    if (parts.length < 2 || isWrappedProse(text, parts)) push(all[first]!.start, all[last]!.end);
    else for (const [start, end] of parts) push(start, end);
    para++;
  };
  all.forEach((l, i) => {
    if (!l.blank) {
      if (first < 0) first = i;
    } else if (first >= 0) {
      block(i - 1);
      first = -1;
    }
  });
  if (first >= 0) block(all.length - 1);
  return out;
}

/** [start, end) of each line first..last that is not empty once trimmed of white space. */
function trimmedLines(text: string, all: readonly Line[], first: number, last: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = first; i <= last; i++) {
    let s = all[i]!.start;
    let e = all[i]!.end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push([s, e]);
  }
  return out;
}

/** /\s/ for one UTF-16 code unit, without a regex call for the common ASCII cases. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(String.fromCharCode(c));
}

function isWrappedProse(text: string, lines: ReadonlyArray<[number, number]>): boolean {
  let soft = 0;
  for (let i = 1; i < lines.length; i++) {
    const first = text[lines[i]![0]]!;
    if (first !== first.toUpperCase()) soft++;
  }
  return soft * 2 >= lines.length - 1;
}

const ascii = new AsciiCopy();
const LOWER = Uint8Array.from({ length: 128 }, (_, c) => (c >= 65 && c <= 90 ? c + 32 : c));

/**
 * The paragraph [start, end) of a text, read from `bytes` (its ASCII bytes from `at` on: bytes[0]
 * is the text's character `at`), when normalizing it only lower-cases it: `lower` is the text
 * from `at` lower-cased, and the paragraph's hash (hashString of its lower-cased text) comes from
 * the same pass as the check. Null when any other pass would change it.
 */
function asciiUnit(lower: string, bytes: Uint8Array, at: number, start: number, end: number, para: number): Unit | null {
  let flags = 0;
  let last = 0;
  let h = FNV_OFFSET | 0;
  for (let i = start - at; i < end - at; i++) {
    const c = bytes[i]!;
    const k = kind[c]!;
    flags |= k | ((k & last & BLANK) << 1);
    last = k;
    h = Math.imul(h ^ LOWER[c]!, FNV_PRIME);
  }
  if ((flags & ~(KNOWN | BLANK | CASED)) !== 0 || bytes[start - at] === 32 || bytes[end - at - 1] === 32) return null;
  return { text: lower.slice(start - at, end - at), start, end, hash: fmix32(h), para };
}

/**
 * asciiUnit for one paragraph of a text that is not all ASCII (one "·" or "é" anywhere sends the
 * whole text off the byte path): most paragraphs of such a text are still ASCII, and a native
 * byte copy of the paragraph plus one pass costs less than normalizeText's three passes over
 * its characters (the flags scan, toLowerCase, hashString). Null when the paragraph is not ASCII
 * or needs more than lower-casing.
 */
function asciiParagraph(text: string, start: number, end: number, para: number): Unit | null {
  const piece = text.slice(start, end);
  const bytes = ascii.of(piece);
  return bytes && asciiUnit(piece.toLowerCase(), bytes, start, start, end, para);
}

