// Match: one document against the documents an index holds → the canonical it duplicates, if any.
// The one rule every index uses, whatever store keeps its documents.
import { boilerplateHashes } from "./boilerplate.js";
import { fail } from "./errors.js";
import { fingerprintText } from "./fingerprint.js";
import { fmix32, mix } from "./hash.js";
import { bytesOver, compareIds, toDoc } from "./input.js";
import { INDEX_DEFAULTS, resolveOptions, type DedupeOptions, type ResolvedOptions } from "./options.js";
import { round } from "./result.js";
import { importSignature } from "./signature.js";
import type { Scheme } from "./store/store.js";
import type { DocInput, Match } from "./types.js";
import { estimatedScore, isCopy, type PairScore } from "./verify.js";

/**
 * A document for the index: text (as for `dedupe`), or a signature computed elsewhere — the
 * `hashvalues` of an npm `minhash` Minhash, with the number of distinct shingles it was built
 * from in `size` when known. One index holds one kind only.
 */
export type IndexDoc = DocInput | SignatureDoc;

export interface SignatureDoc {
  id: string | number;
  hashvalues: ArrayLike<number>;
  /** Distinct shingles behind the signature; without it, containment assumes equal sizes. */
  size?: number;
}

/** What matching knows of one document. */
export interface Entry {
  readonly id: string;
  readonly signature: Uint32Array | null;
  /** Distinct shingles; 0 when unknown (imported signatures without a size). */
  readonly size: number;
  readonly scheme: Scheme;
}

/** A stored document as a match candidate: its entry plus the id of its canonical. */
export interface Candidate {
  readonly id: string;
  readonly signature: Uint32Array | null;
  readonly size: number;
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

/** Turn a document into an entry: fingerprint its text, or check an imported signature. */
export function toEntry(doc: IndexDoc, options: ResolvedOptions, position = 0): Entry {
  if (typeof doc === "object" && doc !== null && "hashvalues" in doc) {
    const { hashvalues, size = 0 } = doc as SignatureDoc;
    const { id } = toDoc({ id: doc.id, text: "" }, position);
    if (typeof hashvalues !== "object" || hashvalues === null || typeof hashvalues.length !== "number") {
      fail("INVALID_SIGNATURE", id, "hashvalues is not an array");
    }
    if (hashvalues.length !== options.numHashes) fail("INVALID_SIGNATURE", id, `${hashvalues.length} hash values, the index uses ${options.numHashes}`);
    if (!Number.isInteger(size) || size < 0) fail("INVALID_SIGNATURE", id, `size ${String(size)} is not a whole number`);
    return { id, signature: importSignature(hashvalues, id), size, scheme: "minhash" };
  }
  const checked = toDoc(doc, position);
  const bytes = bytesOver(checked.text, options.maxDocBytes);
  if (bytes !== undefined) fail("DOC_TOO_LARGE", checked.id, String(bytes), String(options.maxDocBytes));
  const print = fingerprintText(checked.text, options, templateOf(options));
  return { id: checked.id, signature: print.signature, size: print.shingles.length, scheme: "news-dedupe" };
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

/** Scores from signatures; with an unknown size on either side, the two are taken as equal. */
function scoreEntries(a: Candidate, b: Candidate): PairScore {
  const known = a.size > 0 && b.size > 0;
  return estimatedScore(a.signature!, b.signature!, known ? a.size : 1, known ? b.size : 1);
}

/**
 * The rule shared by every store: among candidates that verify, consider their canonicals;
 * the document matches the canonical it verifies against directly (the same star rule as
 * `dedupe`, so copies cannot chain), best containment first, then Jaccard, then smaller id.
 */
export function chooseMatch(
  entry: Entry,
  candidates: readonly Candidate[],
  lookup: (id: string) => Candidate | undefined,
  options: ResolvedOptions,
): Match | null {
  if (!entry.signature) return null;
  const self: Candidate = { ...entry, canonical: entry.id };
  const canonicals = new Set<string>();
  for (const c of candidates) if (c.signature && isCopy(scoreEntries(self, c), options)) canonicals.add(c.canonical);
  let best: Match | null = null;
  for (const id of [...canonicals].sort(compareIds)) {
    const canonical = lookup(id);
    if (!canonical?.signature) continue;
    const s = scoreEntries(self, canonical);
    if (!isCopy(s, options)) continue;
    if (!best || s.containment > best.containment || (s.containment === best.containment && s.jaccard > best.jaccard)) {
      best = { canonical: id, jaccard: s.jaccard, containment: s.containment };
    }
  }
  return best && { canonical: best.canonical, jaccard: round(best.jaccard), containment: round(best.containment) };
}
