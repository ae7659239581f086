// Match: one document against the documents an index holds → the canonical it duplicates, if any.
// The one rule every index uses, whatever store keeps its documents.
import { boilerplateHashes } from "./boilerplate.js";
import { fail } from "./errors.js";
import { bandKeys, type LshParams } from "./candidates.js";
import { fingerprintText, leadSignatureOf } from "./fingerprint.js";
import { LEAD_PARAMS } from "./link.js";
import { FAMILY_OVERLAP } from "./cluster.js";

/**
 * FAMILY_OVERLAP for an index, lower by a quarter: an index's canonical is the first version it
 * saw, not the best connected one, and the third version of a write-through shares less with the
 * first than with the central one.
 */
const INDEX_FAMILY_OVERLAP = FAMILY_OVERLAP * 0.75;
import { fmix32, mix } from "./hash.js";
import { bytesOver, compareIds, toDoc } from "./input.js";
import { resolveOptions } from "./options-check.js";
import { INDEX_DEFAULTS, type DedupeOptions, type ResolvedOptions } from "./options.js";
import { round } from "./result.js";
import { importSignature } from "./signature.js";
import type { NewDoc, Scheme } from "./store/store.js";
import type { DocObject, Match } from "./types.js";
import { estimatedScore, isCopy, sharedCount, TWIN, type Evidence } from "./verify.js";

/**
 * A document for the index: text (as for `dedupe`), or a signature computed elsewhere — the
 * `hashvalues` of an npm `minhash` Minhash, with the number of distinct shingles it was built
 * from in `size` when known. One index holds one kind only.
 */
export type IndexDoc = string | TimedDoc | SignatureDoc;

/**
 * When a document appeared: milliseconds since 1970 (UTC), an ISO-8601 string ("2026-11-30",
 * "2026-11-30T07:25:00Z"; a date-time without an offset is read as UTC) or a Date. An index with
 * a window forgets documents older than the window, relative to the newest time it has seen.
 */
export type DocTime = number | string | Date;

/** A text document for the index, with an optional time. */
export type TimedDoc = DocObject & { time?: DocTime | null };

export interface SignatureDoc {
  id: string | number;
  hashvalues: ArrayLike<number>;
  /** Distinct shingles behind the signature; without it, containment assumes equal sizes. */
  size?: number;
  time?: DocTime | null;
}

/** What an index keeps of a document's evidence (see fingerprint.ts): signatures, sizes, numbers. */
export interface Sketch {
  /** MinHash signature of the narrative shingles; null without words. */
  readonly signature: Uint32Array | null;
  /** Distinct narrative shingles; 0 when unknown (imported signatures without a size). */
  readonly size: number;
  /** The lead's shingles, sorted (at most MAX_LEAD): empty for imported signatures. */
  readonly lead: Uint32Array;
  /** The number sample, compact (compactNumbers: one u32 a [masked, raw] pair), empty for imported signatures. */
  readonly numbers: Uint32Array;
}

/** What matching knows of one document. */
export interface Entry extends Sketch {
  readonly id: string;
  readonly scheme: Scheme;
  /** The document's time in ms since 1970, or null when it carries none. */
  readonly time: number | null;
}

/** A stored document as a match candidate: its sketch plus the id of its canonical. */
export interface Candidate extends Sketch {
  readonly id: string;
  readonly canonical: string;
}

/**
 * Options of an index: INDEX_DEFAULTS under the caller's. `boilerplate: "auto"` needs a whole
 * corpus to find the template, which an index that sees one article at a time never has: it is
 * refused. A list of lines (a dedupe() result's `boilerplate`, say) is left out of every
 * document, as in dedupe().
 */
export function resolveIndexOptions(options?: DedupeOptions): ResolvedOptions {
  const resolved = resolveOptions(options, INDEX_DEFAULTS);
  if (resolved.boilerplate === "auto") {
    fail("INVALID_OPTION", undefined, "boilerplate", 'of an index must be "off" or a list of lines ("auto" needs a whole corpus: run dedupe() on a sample and pass its boilerplate)');
  }
  return resolved;
}

/** The option names on which two resolved option sets differ (an index refuses to be opened with others). */
export function differingOptions(a: ResolvedOptions, b: ResolvedOptions): Array<keyof ResolvedOptions> {
  return (Object.keys(a) as Array<keyof ResolvedOptions>).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

const templates = new WeakMap<ResolvedOptions, ReadonlySet<number> | undefined>();

/** The hashes of the index's boilerplate lines, computed once per options object. */
function templateOf(options: ResolvedOptions): ReadonlySet<number> | undefined {
  if (!templates.has(options)) {
    const lines = options.boilerplate;
    templates.set(options, typeof lines === "string" || lines.length === 0 ? undefined : boilerplateHashes(lines));
  }
  return templates.get(options);
}

/**
 * Turn a document into an entry: fingerprint its text, or check an imported signature. Its
 * signature and number sample are full ones: compactEntry makes it what an index keeps.
 */
export function toEntry(doc: IndexDoc, options: ResolvedOptions, position = 0): Entry {
  if (typeof doc === "object" && doc !== null && "hashvalues" in doc) {
    const { hashvalues, size = 0 } = doc as SignatureDoc;
    const { id } = toDoc({ id: doc.id, text: "" }, position);
    if (typeof hashvalues !== "object" || hashvalues === null || typeof hashvalues.length !== "number") {
      fail("INVALID_SIGNATURE", id, "hashvalues is not an array");
    }
    if (hashvalues.length !== options.numHashes) fail("INVALID_SIGNATURE", id, `${hashvalues.length} hash values, the index uses ${options.numHashes}`);
    if (!Number.isInteger(size) || size < 0) fail("INVALID_SIGNATURE", id, `size ${String(size)} is not a whole number`);
    const time = timeOf((doc as SignatureDoc).time, id);
    return { id, signature: importSignature(hashvalues, id), size, lead: new Uint32Array(0), numbers: new Uint32Array(0), scheme: "minhash", time };
  }
  const checked = toDoc(doc, position);
  const time = typeof doc === "string" ? null : timeOf((doc as TimedDoc).time, checked.id);
  const bytes = bytesOver(checked.text, options.maxDocBytes);
  if (bytes !== undefined) fail("DOC_TOO_LARGE", checked.id, String(bytes), String(options.maxDocBytes));
  const print = fingerprintText(checked.text, options, templateOf(options));
  return {
    id: checked.id,
    signature: print.signature,
    size: print.shingles.length,
    lead: print.lead,
    numbers: print.numbers,
    scheme: "news-dedupe",
    time,
  };
}

/** The latest time a Date can hold, in ms: times past it are refused rather than wrapped. */
const MAX_TIME = 8.64e15;
/** ISO-8601 dates and date-times (a space for the T is accepted, as many feeds write it). */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * A document time as ms since 1970, or null when absent; a value that is not a time is refused
 * with INVALID_TIME naming the document.
 */
export function timeOf(value: unknown, doc: string | number | undefined): number | null {
  const ms = parseTime(value);
  if (ms !== undefined) return ms;
  const what =
    typeof value === "string"
      ? `${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}, not an ISO-8601 date`
      : value instanceof Date
        ? "an invalid Date"
        : typeof value === "number"
          ? String(value)
          : `a ${Array.isArray(value) ? "array" : typeof value}`;
  fail("INVALID_TIME", doc, what);
}

/** The `before` of evict(): a time as a document carries one, required. */
export function evictionTime(before: unknown): number {
  const ms = parseTime(before);
  if (ms === undefined || ms === null) {
    fail("INVALID_OPTION", undefined, "before", `of evict() must be milliseconds since 1970, an ISO-8601 date or a Date, got ${before instanceof Date ? "an invalid Date" : JSON.stringify(before) ?? String(before)}`);
  }
  return ms;
}

/** ms since 1970; null when absent; undefined when not a time. */
function parseTime(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return null;
  let ms = NaN;
  if (typeof value === "number") ms = value;
  else if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "string") {
    const m = ISO.exec(value.trim());
    // Date.parse reads a date-time without an offset in the machine's zone: UTC instead, so a time
    // means the same on every machine.
    if (m) ms = Date.parse(m[0].replace(" ", "T").replace(",", ".") + (m[0].length > 10 && !m[1] ? "Z" : ""));
  }
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME ? ms : undefined;
}


/**
 * The content key of an entry: equal signatures and sizes give equal keys, and two documents with
 * the same shingle set always have both. An index looks a key up before any LSH query, so an
 * exact duplicate costs O(1) however many copies came before it. 53 bits, a safe integer.
 */
export function contentKey(entry: Entry): number | null {
  const sig = entry.signature;
  if (!sig) return null;
  let h1 = entry.size;
  let h2 = entry.size ^ 0x5bd1e995;
  for (let i = 0; i < sig.length; i++) {
    h1 = mix(h1, sig[i]!);
    h2 = mix(h2, sig[i]! ^ 0x9e3779b9);
  }
  return (fmix32(h1) >>> 11) * 0x100000000 + fmix32(h2);
}

/**
 * A signature as an in-memory index keeps it: 16 bits of each value, hashed from the whole value
 * (a value's low bits are its bin number, the same in every document). Half the bytes; two
 * different values agree by chance 1 time in 65,536, which moves a Jaccard estimate by
 * (1 − J)/65,536 on average: nothing next to its standard error (up to 0.044 at 128 values).
 */
export function compactSignature(sig: Uint32Array): Uint32Array {
  const out = new Uint32Array(sig.length);
  for (let i = 0; i < sig.length; i++) out[i] = Math.imul(sig[i]!, 0x9e3779b1) >>> 16;
  return out;
}

/**
 * A number sample ([masked, raw] pairs, numbers.ts numberPairs) as an index keeps it: one u32 a
 * pair, the masked hash's low 24 bits over the raw hash's low 8, sorted. Half the bytes (64 a
 * document). Low bits, not high: the sample holds the smallest masked hashes, whose high bits
 * are mostly zeros (their top 24 would tell two windows apart far less often than 1 in 2^24), and
 * a masked window met with several numbers keeps its smallest raw hash, whose high bits lean to
 * zero as well; low bits of an fmix32 hash are uniform either way. Sorting the packed values
 * keeps the sample sorted by what compactAgreement compares (O(NUMBERS log NUMBERS), once an
 * entry). What the bits lose is harmless: two different masked windows agree by chance 1 time in
 * 2^24 (at most one more conflict or agreement, never both); two different numbers around the
 * same words agree by chance 1 time in 256, which hides one conflict of a template twin in 256,
 * and a twin is rejected only on TWIN_CONFLICTS (3) or more of them, so it still is unless it
 * had exactly that many. The batch (dedupe) keeps the full pairs.
 */
export function compactNumbers(pairs: Uint32Array): Uint32Array {
  const out = new Uint32Array(pairs.length >> 1);
  for (let k = 0; k < out.length; k++) out[k] = ((pairs[2 * k]! << 8) | (pairs[2 * k + 1]! & 0xff)) >>> 0;
  return out.sort();
}

/**
 * numberAgreement (verify.ts) on compact samples (compactNumbers): a masked key both hold is the
 * same words around numbers, which agree (the same raw bits) or differ. Equal keys within one
 * sample (a chance collision) are met one by one, as distinct pairs would be.
 */
export function compactAgreement(a: Uint32Array, b: Uint32Array): { conflicts: number; agree: number } {
  let conflicts = 0;
  let agree = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i]! >>> 8;
    const y = b[j]! >>> 8;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      if (a[i] === b[j]) agree++;
      else conflicts++;
      i++;
      j++;
    }
  }
  return { conflicts, agree };
}

/** An entry as an index keeps and compares it: 16-bit signature values, a compact number sample. */
export function compactEntry(entry: Entry): Entry {
  return { ...entry, signature: entry.signature && compactSignature(entry.signature), numbers: compactNumbers(entry.numbers) };
}

/** Whether a stored document holds exactly the entry's content (the key matched; the values are compared). */
export function sameContent(entry: Entry, stored: Candidate): boolean {
  const a = entry.signature;
  const b = stored.signature;
  if (!a || !b || a.length !== b.length || entry.size !== stored.size) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One index holds one kind of signature: refuse an entry of another kind. */
export function checkScheme(held: Scheme | null, entry: Entry): void {
  if (held && entry.scheme !== held) {
    fail("SIGNATURE_MISMATCH", entry.id, `it carries a ${entry.scheme} signature and the index holds ${held} signatures`);
  }
}

/**
 * The evidence of two sketches, estimated from their signatures and sizes. With an unknown size
 * on either side (imported signatures), the two are taken as equal and the count of shared
 * shingles is unknown, so minShared does not apply.
 */
export function sketchEvidence(a: Sketch, b: Sketch, cautious = true): Evidence {
  const known = a.size > 0 && b.size > 0;
  // The lead is kept whole (a few dozen shingles): its overlap is exact, not estimated.
  const smaller = Math.min(a.lead.length, b.lead.length);
  const leadShared = smaller === 0 ? 0 : sharedCount(a.lead, b.lead);
  const s = estimatedScore(a.signature!, b.signature!, known ? a.size : 1, known ? b.size : 1, cautious, known ? leadShared - LEAD_BRIDGE : 0);
  // An index keeps no text order, so where the lead lies among the shared passages is unknown
  // (verify.ts sameOpening): the lead rule takes the lead as the opening of both.
  return { ...s, shared: known ? s.shared : Infinity, lead: smaller === 0 ? 0 : leadShared / smaller, ...compactAgreement(a.numbers, b.numbers), sameOpening: true };
}

/**
 * What a shared lead says about the shared narrative, exactly: a run of n lead shingles (3 words)
 * is a run of n - 2 narrative shingles (5 words). The lead skips quoted words and units that end
 * no sentence, which the narrative keeps or splits differently, so a shared run can bridge a few
 * shingles the narrative does not share: LEAD_BRIDGE is those two plus a margin for the bridging
 * (docs/evidence.md, "The lead in an index"). A pair whose estimate falls under what its leads
 * show is a pair sampling noise took below it: an index's lead-only and lead + own text copies
 * share little besides the lead, the least an estimate from 128 values can see.
 */
const LEAD_BRIDGE = 7;

/**
 * The rule shared by every store, the batch's cluster rule one document at a time: among the
 * candidates the document is verified against, consider their canonicals. The document matches a
 * canonical it is verified against directly or, like a write-through joining its story through
 * another version, one whose member it is verified against while sharing at least
 * INDEX_FAMILY_OVERLAP with the canonical itself (a chain of pages each overlapping the next stops there); the best
 * containment first, then Jaccard, then the smaller id.
 */
export function chooseMatch(
  entry: Entry,
  candidates: readonly Candidate[],
  lookup: (id: string) => Candidate | undefined,
  options: ResolvedOptions,
): Match | null {
  if (!entry.signature) return null;
  const self: Candidate = { ...entry, canonical: entry.id };
  const direct = new Set<string>();
  const through = new Set<string>();
  for (const c of candidates) {
    if (!c.signature || !isCopy(sketchEvidence(self, c), options)) continue;
    if (c.id === c.canonical) direct.add(c.canonical);
    else if (options.rules.families) through.add(c.canonical);
  }
  let best: Match | null = null;
  for (const id of [...new Set([...direct, ...through])].sort(compareIds)) {
    const canonical = lookup(id);
    if (!canonical?.signature) continue;
    const s = sketchEvidence(self, canonical);
    // The family check is taken from the plain estimate, not the cautious one: the verified link
    // to the member is the evidence, and this only stops a chain drifting away.
    const joins = isCopy(s, options) || (through.has(id) && sketchEvidence(self, canonical, false).containment >= INDEX_FAMILY_OVERLAP);
    if (!joins) continue;
    if (!best || s.containment > best.containment || (s.containment === best.containment && s.jaccard > best.jaccard)) {
      best = { canonical: id, jaccard: s.jaccard, containment: s.containment };
    }
  }
  return best && { canonical: best.canonical, jaccard: round(best.jaccard), containment: round(best.containment) };
}

/**
 * The band keys an entry is stored and looked up under: its signature's bands, then its lead's
 * (a lead-only copy of a long story shares its lead but little of its Jaccard similarity); null
 * for an entry without words.
 */
export function indexKeys(entry: Sketch, params: LshParams, seed: number): Uint32Array | null {
  if (!entry.signature) return null;
  const main = bandKeys(entry.signature, params);
  const leadSignature = leadSignatureOf(entry.lead, seed);
  if (!leadSignature) return main;
  const keys = new Uint32Array(params.bands + LEAD_PARAMS.bands);
  keys.set(main);
  keys.set(bandKeys(leadSignature, LEAD_PARAMS), params.bands);
  return keys;
}

/**
 * Whether a new document goes in the band tables: not when it has no words, or is an exact
 * duplicate or a near-twin of its match (that document answers for it), unless the index has a
 * window: a copy may outlive the document that answered for it there, and must then be found on
 * its own.
 */
export function indexed(entry: Entry, match: Match | null, exact: boolean, options: ResolvedOptions): boolean {
  if (entry.signature === null) return false;
  return options.window !== null || (!exact && (match === null || match.jaccard < TWIN));
}

/** What the store is given for a new document. */
export function record(entry: Entry, match: Match | null, token: string, time: number | null): NewDoc {
  const { id, size, signature, lead, numbers } = entry;
  return { id, canonical: match?.canonical ?? id, size, signature, lead, numbers, match, token, time };
}
