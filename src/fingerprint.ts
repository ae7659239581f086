// Fingerprint: one document's units → its story text and the evidence later stages compare: the
// narrative shingle set and its MinHash signature, the lead, and the number-bearing shingles.
// The stages (repeats, boilerplate) → tokenize → story → shingle → signature, in order, for one document.
import { units, type Unit } from "./normalize.js";
import { DIGIT, maskedWindows, numberPairs } from "./numbers.js";
import type { ResolvedOptions } from "./options.js";
import { findRepeats, onceSpans } from "./repeats.js";
import { shingleHashes, sortedDistinct, windowCount, windowHashes } from "./shingle.js";
import { RecentWords } from "./recent.js";
import { signature } from "./signature.js";
import { endsSentence, quotedRanges, storyText, type ChromeReason } from "./story.js";
import { tokenHashes, tokenHashesWithFlags } from "./tokenize.js";

/** What the later stages know of a document. */
export interface Fingerprint {
  /** Copies of its own text the document holds (1 for most documents). */
  readonly repeats: number;
  /**
   * Sorted distinct shingle hashes of its narrative: the story text (chrome left out, see
   * story.ts) without the shingles that lie mostly inside quotation marks.
   */
  readonly shingles: Uint32Array;
  /** MinHash signature of `shingles`; null when there are no words to compare. */
  readonly signature: Uint32Array | null;
  /** Sorted distinct 3-word shingles of the first LEAD_WORDS words of the narrative. */
  readonly lead: Uint32Array;
  /** MinHash signature (LEAD_HASHES values) of `lead`, for the lead's LSH table and the index; null without words. */
  readonly leadSignature: Uint32Array | null;
  /**
   * Number-bearing narrative shingles, at most NUMBERS: pairs [masked hash, raw hash] sorted by
   * the masked hash (the shingle with every number replaced by one placeholder), the smallest ones.
   */
  readonly numbers: Uint32Array;
  /**
   * The narrative's first OPENING shingle hashes in text order (those left out as quoted
   * skipped): where the lead lies among what two documents share (verify.ts sameOpening).
   */
  readonly opening: Uint32Array;
  /** When the document holds its text several times: where its text is, once (see onceSpans). */
  readonly once?: Uint32Array;
}

export type FingerprintOptions = Pick<ResolvedOptions, "shingleSize" | "numHashes" | "seed"> & {
  /** The rules that shape a fingerprint (story text, quotes); all on when absent. */
  readonly rules?: Pick<ResolvedOptions["rules"], "storyText" | "quotes">;
};

/**
 * How a fingerprint was made, for explain(): the de-repeated units compared, why each is chrome,
 * and each narrative window in text order with its unit, its hash and whether it was left out as
 * quoted.
 */
export interface Trace {
  units: readonly Unit[];
  chrome: readonly ChromeReason[];
  language: string | null;
  /** For each window of the narrative (in order): the unit its first word is in. */
  windowUnit: Int32Array;
  /** For each window: its shingle hash. */
  windowHash: Uint32Array;
  /** For each window: its hash with every number-bearing word masked (0 when it holds no number). */
  windowMasked: Uint32Array;
  /** For each window: 1 when it lies mostly inside quotation marks and was left out. */
  windowQuoted: Uint8Array;
}

/**
 * Shingles of the opening, in order: past the lead's 40 words with room for a headline or a
 * caption kept as story text before it, so that whatever two documents share before their lead
 * is in it.
 */
export const OPENING = 64;
/** The lead is the narrative's first this many words: a news story's lead sentence or two. */
export const LEAD_WORDS = 40;
/** Words per lead shingle: short, so that an edited word in a lead leaves most of it matching. */
const LEAD_SHINGLE = 3;
/** MinHash values of a lead signature: one LSH band each (see link.ts LEAD_PARAMS). */
export const LEAD_HASHES = 16;
/** The most shingles a lead has: one per window of LEAD_SHINGLE words in LEAD_WORDS. */
export const MAX_LEAD = LEAD_WORDS - 2;
const LEAD_SALT = 0x1ead;

/** Word flags: inside quotation marks, holding a digit (numbers.ts DIGIT, 2), in a unit the lead skips, a character pair of a text without spaces. */
const QUOTED = 1;
const NOT_LEAD = 4;
const PAIR = 8;

/**
 * Fingerprint a document from its units (normalize.ts). Units whose hash is in `skip` (site
 * template lines, see boilerplate.ts) are left out. With the document's `text`, a document that
 * holds its text several times also gets its `once` spans.
 */
export function fingerprint(all: readonly Unit[], options: FingerprintOptions, skip?: ReadonlySet<number>, text?: string, trace?: Partial<Trace>): Fingerprint {
  const compared = skip ? withoutSkipped(all, skip) : all;
  const { count, unique } = findRepeats(compared);
  const print = { repeats: count, ...evidence(unique, count, options, trace) };
  if (count === 1 || text === undefined) return print;
  // The text once, over every unit: what a deduplicated corpus writes for this document.
  const once = onceSpans(text, all, skip ? findRepeats(all) : { count, unique });
  return once ? { ...print, once } : print;
}

/** The fingerprint of a text, when its units are not wanted afterwards (an index keeps none). */
export function fingerprintText(text: string, options: FingerprintOptions, skip?: ReadonlySet<number>): Fingerprint {
  return fingerprint(units(text), options, skip, text);
}

/**
 * Per-document working arrays, reused across calls (a document is fingerprinted in one
 * synchronous call): V8 slows down on many short-lived ArrayBuffers, and every document passes
 * through here. Grown on demand; never shared across calls.
 */
const scratch = {
  tokens: new Uint32Array(4096),
  flags: new Uint8Array(4096),
  windows: new Uint32Array(4096),
  drop: new Uint8Array(4096),
  starts: new Int32Array(256),
};

function room(words: number, units: number): void {
  const grow = <T extends Uint32Array | Uint8Array | Int32Array>(a: T, n: number, make: (n: number) => T): T => {
    const b = make(n);
    b.set(a);
    return b;
  };
  if (scratch.tokens.length < words) {
    const n = Math.max(words, scratch.tokens.length * 2);
    scratch.tokens = grow(scratch.tokens, n, (k) => new Uint32Array(k));
    scratch.flags = grow(scratch.flags, n, (k) => new Uint8Array(k));
    scratch.windows = new Uint32Array(n);
    scratch.drop = new Uint8Array(n);
  }
  if (scratch.starts.length < units + 1) scratch.starts = grow(scratch.starts, Math.max(units + 1, scratch.starts.length * 2), (k) => new Int32Array(k));
}

/**
 * The words of a unit appended at `at` in the scratch arrays, with their flags (quoted, holding a
 * digit); returns how many.
 */
function unitWords(text: string, at: number, quotes: boolean): number {
  const ranges = quotes ? quotedRanges(text) : NO_QUOTES;
  return tokenHashesWithFlags(text, scratch.tokens, at, scratch.flags, { digit: DIGIT, quoted: QUOTED, pair: PAIR, ranges });
}

const NO_QUOTES: Array<[number, number]> = [];


/**
 * The words of a document's de-repeated units into the scratch arrays (unit i's words are
 * tokens[starts[i] .. starts[i + 1])), and which units are chrome.
 */
function storyWords(list: readonly Unit[], pageRepeats: number, options: FingerprintOptions): { chrome: ChromeReason[]; language: string | null } {
  const quotes = options.rules?.quotes ?? true;
  let chars = 0;
  for (const u of list) chars += u.text.length;
  // At most one word per character (a text without spaces gives one per character), plus one per unit.
  room(chars + list.length + 1, list.length);
  const { starts } = scratch;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    starts[i] = n;
    n += unitWords(list[i]!.text, n, quotes);
  }
  starts[list.length] = n;
  if (options.rules?.storyText === false) return { chrome: list.map((): ChromeReason => ""), language: null };
  return storyText(list, scratch.tokens, starts, pageRepeats, scratch.flags, PAIR);
}

/**
 * Why each unit of a document is chrome ("" for story text), as fingerprinting decides it: for
 * diff(), which labels chrome. A unit the page repeats as part of its whole text (repeats.ts)
 * takes the reason of its first occurrence.
 */
export function chromeOf(all: readonly Unit[], options: FingerprintOptions): ChromeReason[] {
  const { count, unique } = findRepeats(all);
  const { chrome } = storyWords(unique, count, options);
  const byUnit = new Map<Unit, ChromeReason>(unique.map((u, i) => [u, chrome[i]!]));
  const byHash = new Map<number, ChromeReason>();
  unique.forEach((u, i) => byHash.has(u.hash) || byHash.set(u.hash, chrome[i]!));
  return all.map((u) => byUnit.get(u) ?? byHash.get(u.hash) ?? "");
}

/** The evidence of a document's de-repeated units. */
function evidence(list: readonly Unit[], pageRepeats: number, options: FingerprintOptions, trace?: Partial<Trace>): Omit<Fingerprint, "repeats" | "once"> {
  const { chrome, language } = storyWords(list, pageRepeats, options);
  if (trace) Object.assign(trace, { units: list, chrome, language, windowUnit: new Int32Array(0) });
  // The story's words, compacted in place (each unit moves to an offset no later than its own).
  // The lead is read from units that end a sentence: a caption or a headline kept as story (long
  // enough, see story.ts) does not stand first in it, unless no unit ends one.
  const sentences = list.some((u, i) => !chrome[i] && endsSentence(u.text));
  const { tokens, flags, starts } = scratch;
  let m = 0;
  for (let i = 0; i < list.length; i++) {
    if (chrome[i]) continue;
    const from = starts[i]!;
    const count = starts[i + 1]! - from;
    if (m !== from) {
      tokens.copyWithin(m, from, from + count);
      flags.copyWithin(m, from, from + count);
    }
    if (sentences && !endsSentence(list[i]!.text)) for (let k = m; k < m + count; k++) flags[k]! |= NOT_LEAD;
    if (trace) trace.windowUnit = appendUnit(trace.windowUnit!, i, count);
    m += count;
  }
  return narrative(tokens, flags, m, options, trace);
}

/** The word → unit map of a trace, `count` more words of unit `i` (traces are for explain(), not the hot path). */
function appendUnit(words: Int32Array, i: number, count: number): Int32Array {
  const out = new Int32Array(words.length + count);
  out.set(words);
  out.fill(i, words.length);
  return out;
}

/**
 * The narrative's evidence from the story's first `n` words: its shingles but those lying mostly
 * inside quotation marks (what independent reports of one event share is what was said; a copy
 * shares the running text around it), all of them when nothing else is left; the lead; the numbers.
 */
function narrative(tokens: Uint32Array, flags: Uint8Array, n: number, options: FingerprintOptions, trace?: Partial<Trace>): Evidence {
  // A trace wants every window, so explain() always computes.
  if (trace) return narrativeOf(tokens, flags, n, options, trace);
  const memo = recentFor(options);
  const key = RecentWords.key(tokens, n);
  const known = memo.get(key, tokens, flags, n);
  if (known) return known;
  const made = narrativeOf(tokens, flags, n, options);
  memo.set(key, tokens, flags, n, made);
  return made;
}

type Evidence = Omit<Fingerprint, "repeats" | "once">;

/**
 * The narratives computed lately, by their words and flags (the whole input of narrativeOf with
 * the options): the copies of a story under other sites' chrome have the same narrative. Their
 * fingerprints then share these arrays, which nothing writes to. 2.5 MB of words a generation.
 */
const RECENT_WORDS = 1 << 19;
let recent: { memo: RecentWords<Evidence>; size: number; hashes: number; seed: number } | null = null;
function recentFor(o: FingerprintOptions): RecentWords<Evidence> {
  if (!recent || recent.size !== o.shingleSize || recent.hashes !== o.numHashes || recent.seed !== o.seed) {
    recent = { memo: new RecentWords(RECENT_WORDS), size: o.shingleSize, hashes: o.numHashes, seed: o.seed };
  }
  return recent.memo;
}

/**
 * Forget the narratives computed so far: for benchmarks that fingerprint the same texts over and
 * over to time fingerprinting, which the memo would otherwise turn into lookups.
 */
export function forgetNarratives(): void {
  recent?.memo.clear();
}

function narrativeOf(tokens: Uint32Array, flags: Uint8Array, n: number, options: FingerprintOptions, trace?: Partial<Trace>): Evidence {
  const { shingleSize: size, seed } = options;
  const width = Math.min(size, n);
  const windows = windowCount(n, size);
  const { drop } = scratch;
  let quoted = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    quoted += flags[i]! & QUOTED;
    if (i >= width) quoted -= flags[i - width]! & QUOTED;
    if (i >= width - 1) {
      const w = i - width + 1;
      drop[w] = quoted * 2 > width ? 1 : 0;
      kept += 1 - drop[w]!;
    }
  }
  if (kept === 0) drop.fill(0, 0, windows);
  windowHashes(tokens, n, size, seed, scratch.windows);
  // Read before sortedDistinct sorts the windows in place.
  const opening = new Uint32Array(Math.min(OPENING, windows));
  let o = 0;
  for (let w = 0; w < windows && o < OPENING; w++) if (!drop[w]) opening[o++] = scratch.windows[w]!;
  if (trace) {
    // The word → unit map becomes a window → unit map: a window belongs to its first word's unit.
    trace.windowUnit = trace.windowUnit!.slice(0, windows);
    trace.windowHash = scratch.windows.slice(0, windows);
    trace.windowQuoted = drop.slice(0, windows);
    trace.windowMasked = maskedWindows(tokens, flags, n, width, seed);
  }
  const numbers = numberPairs(tokens, flags, n, width, seed, scratch.windows, drop);
  const shingles = sortedDistinct(scratch.windows, windows, drop);
  const sig = shingles.length === 0 ? null : signature(shingles, options.numHashes, seed);

  const leadWords = new Uint32Array(Math.min(LEAD_WORDS, n));
  let l = 0;
  for (let i = 0; i < n && l < LEAD_WORDS; i++) if (!(flags[i]! & (QUOTED | NOT_LEAD))) leadWords[l++] = tokens[i]!;
  const lead = shingleHashes(leadWords.subarray(0, l), LEAD_SHINGLE, seed ^ LEAD_SALT);
  return { shingles, signature: sig, lead, leadSignature: leadSignatureOf(lead, seed), numbers, opening: opening.subarray(0, o) };
}

/** The lead's signature, for its LSH table: null for an empty lead. */
export function leadSignatureOf(lead: Uint32Array, seed: number): Uint32Array | null {
  return lead.length === 0 ? null : signature(lead, LEAD_HASHES, seed ^ LEAD_SALT);
}

/**
 * The units not in `skip`. A paragraph that loses some of its lines counts each remaining line as
 * a paragraph of its own (see findRepeats): what is left of a template block is not its text.
 */
function withoutSkipped(all: readonly Unit[], skip: ReadonlySet<number>): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < all.length; ) {
    let j = i + 1;
    while (j < all.length && all[j]!.para === all[i]!.para) j++;
    const block = all.slice(i, j);
    const kept = block.filter((u) => !skip.has(u.hash));
    if (kept.length === block.length) out.push(...block);
    else for (const u of kept) out.push({ ...u, para: -1 - out.length });
    i = j;
  }
  return out;
}

/** Shingles and signature of a list of units compared as one text, every word (corpus boilerplate's first pass). */
export function shingleAndSign(list: readonly Unit[], options: FingerprintOptions): Pick<Fingerprint, "shingles" | "signature"> {
  const text = list.map((u) => u.text).join(" ");
  const shingles = shingleHashes(tokenHashes(text), options.shingleSize, options.seed);
  const sig = shingles.length === 0 ? null : signature(shingles, options.numHashes, options.seed);
  return { shingles, signature: sig };
}
