// Incremental: one article at a time → its match among everything seen before (createIndex).
import { BandTables, bandKeys, lshParams } from "./candidates.js";
import { compareIds } from "./cluster.js";
import { fail } from "./errors.js";
import { fingerprint } from "./fingerprint.js";
import { bytesOver, toDoc } from "./input.js";
import { boilerplateHashes } from "./boilerplate.js";
import { resolveOptions, type DedupeOptions, type ResolvedOptions } from "./options.js";
import { decodeIndex, encodeIndex, readIndexFile, type Scheme, type Snapshot } from "./persist.js";
import { round } from "./result.js";
import { importSignature } from "./signature.js";
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

/** What the index knows of one document. */
export interface Entry {
  readonly id: string;
  readonly signature: Uint32Array | null;
  /** Distinct shingles; 0 when unknown (imported signatures without a size). */
  readonly size: number;
  readonly scheme: Scheme;
}

/** A stored document as a match candidate: its entry plus the id of its canonical. */
export interface Stored extends Entry {
  readonly canonical: string;
}

/**
 * Options of an index. `boilerplate: "auto"` needs a whole corpus to find the template, which an
 * index that sees one article at a time never has: it is refused. A list of lines (a dedupe()
 * result's `boilerplate`, say) is left out of every document, as in dedupe().
 */
export function resolveIndexOptions(options?: DedupeOptions): ResolvedOptions {
  const resolved = resolveOptions(options);
  if (resolved.boilerplate === "auto") {
    throw fail("INVALID_OPTION", undefined, "boilerplate", 'of an index must be "off" or a list of lines ("auto" needs a whole corpus: run dedupe() on a sample and pass its boilerplate)');
  }
  return resolved;
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

/** Turn a document into an index entry: fingerprint its text, or check an imported signature. */
export function toEntry(doc: IndexDoc, options: ResolvedOptions, position = 0): Entry {
  if (typeof doc === "object" && doc !== null && "hashvalues" in doc) {
    const { hashvalues, size = 0 } = doc as SignatureDoc;
    const { id } = toDoc({ id: doc.id, text: "" }, position);
    if (typeof hashvalues !== "object" || hashvalues === null || typeof hashvalues.length !== "number") {
      throw fail("INVALID_SIGNATURE", id, "hashvalues is not an array");
    }
    if (hashvalues.length !== options.numHashes) {
      throw fail("INVALID_SIGNATURE", id, `${hashvalues.length} hash values, the index uses ${options.numHashes}`);
    }
    if (!Number.isInteger(size) || size < 0) throw fail("INVALID_SIGNATURE", id, `size ${String(size)} is not a whole number`);
    return { id, signature: importSignature(hashvalues, id), size, scheme: "minhash" };
  }
  const checked = toDoc(doc, position);
  const bytes = bytesOver(checked.text, options.maxDocBytes);
  if (bytes !== undefined) throw fail("DOC_TOO_LARGE", checked.id, String(bytes), String(options.maxDocBytes));
  const print = fingerprint(checked.text, options, templateOf(options));
  return { id: checked.id, signature: print.signature, size: print.shingles.length, scheme: "news-dedupe" };
}

/** Scores from signatures; with an unknown size on either side, the two are taken as equal. */
function scoreEntries(a: Entry, b: Entry): PairScore {
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
  candidates: readonly Stored[],
  lookup: (id: string) => Stored | undefined,
  options: ResolvedOptions,
): Match | null {
  if (!entry.signature) return null;
  const canonicals = new Set<string>();
  for (const c of candidates) if (c.signature && isCopy(scoreEntries(entry, c), options)) canonicals.add(c.canonical);
  let best: Match | null = null;
  for (const id of [...canonicals].sort(compareIds)) {
    const canonical = lookup(id);
    if (!canonical?.signature) continue;
    const s = scoreEntries(entry, canonical);
    if (!isCopy(s, options)) continue;
    if (!best || s.containment > best.containment || (s.containment === best.containment && s.jaccard > best.jaccard)) {
      best = { canonical: id, jaccard: s.jaccard, containment: s.containment };
    }
  }
  return best && { canonical: best.canonical, jaccard: round(best.jaccard), containment: round(best.containment) };
}

/** An index that remembers the documents it has seen. */
export interface DedupeIndex {
  /** Match `doc` against the index and remember it. Throws on a bad document or an id seen before. */
  add(doc: IndexDoc): Match | null;
  /** Match `doc` against the index without remembering it. */
  query(doc: IndexDoc): Match | null;
  /** Whether a document with this id was added. */
  has(id: string | number): boolean;
  /** The canonical of an added document (itself when it matched nothing). */
  canonicalOf(id: string | number): string | undefined;
  /** Number of documents added. */
  readonly size: number;
  readonly options: ResolvedOptions;
  /** The whole index as bytes: format version, options, documents, CRC32 (see persist.ts). */
  save(): Uint8Array;
}

class MemoryIndex implements DedupeIndex {
  private readonly ids: string[] = [];
  private readonly numbers = new Map<string, number>();
  private sigs: Uint32Array;
  private sizes: Uint32Array;
  private canon: Int32Array;
  private hasSig: Uint8Array;
  /** Table number → document number (documents without words are not in the tables). */
  private tableDocs: Int32Array;
  private readonly tables: BandTables;
  private readonly params;
  private scheme: Scheme | null;

  constructor(readonly options: ResolvedOptions, snapshot?: Snapshot) {
    this.params = lshParams(options.jaccard, options.numHashes);
    const n = snapshot?.ids.length ?? 0;
    const cap = Math.max(16, n);
    this.tables = new BandTables(this.params, cap);
    this.sigs = new Uint32Array(cap * options.numHashes);
    this.sizes = new Uint32Array(cap);
    this.canon = new Int32Array(cap);
    this.hasSig = new Uint8Array(cap);
    this.tableDocs = new Int32Array(cap);
    this.scheme = snapshot?.scheme ?? null;
    if (!snapshot) return;
    for (let i = 0; i < n; i++) {
      const k = options.numHashes;
      const sig = snapshot.hasSig[i] ? snapshot.sigs.subarray(i * k, (i + 1) * k) : null;
      this.remember(snapshot.ids[i]!, sig, snapshot.sizes[i]!, snapshot.canonical[i]!);
    }
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string | number): boolean {
    return this.numbers.has(String(id));
  }

  canonicalOf(id: string | number): string | undefined {
    const n = this.numbers.get(String(id));
    return n === undefined ? undefined : this.ids[this.canon[n]!];
  }

  query(doc: IndexDoc): Match | null {
    return this.match(this.entry(doc));
  }

  add(doc: IndexDoc): Match | null {
    const entry = this.entry(doc);
    if (this.numbers.has(entry.id)) throw fail("DUPLICATE_ID", entry.id, `${this.numbers.get(entry.id)} in the index`);
    const found = this.match(entry);
    this.scheme ??= entry.scheme;
    const self = this.ids.length;
    this.remember(entry.id, entry.signature, entry.size, found ? this.numbers.get(found.canonical)! : self);
    return found;
  }

  save(): Uint8Array {
    const n = this.ids.length;
    return encodeIndex({
      options: this.options,
      scheme: this.scheme,
      ids: this.ids,
      sizes: this.sizes.subarray(0, n),
      canonical: this.canon.subarray(0, n),
      hasSig: this.hasSig.subarray(0, n),
      sigs: this.sigs.subarray(0, n * this.options.numHashes),
    });
  }

  private entry(doc: IndexDoc): Entry {
    const entry = toEntry(doc, this.options, this.ids.length);
    if (this.scheme && entry.scheme !== this.scheme) {
      throw fail("SIGNATURE_MISMATCH", entry.id, `it carries a ${entry.scheme} signature and the index holds ${this.scheme} signatures`);
    }
    return entry;
  }

  private match(entry: Entry): Match | null {
    if (!entry.signature) return null;
    const candidates = this.tables.query(bandKeys(entry.signature, this.params)).map((t) => this.stored(this.tableDocs[t]!));
    return chooseMatch(entry, candidates, (id) => this.stored(this.numbers.get(id)!), this.options);
  }

  private stored(n: number): Stored {
    const k = this.options.numHashes;
    return {
      id: this.ids[n]!,
      signature: this.hasSig[n] ? this.sigs.subarray(n * k, (n + 1) * k) : null,
      size: this.sizes[n]!,
      scheme: this.scheme ?? "news-dedupe",
      canonical: this.ids[this.canon[n]!]!,
    };
  }

  private remember(id: string, sig: Uint32Array | null, size: number, canonical: number): void {
    const n = this.ids.length;
    if (n === this.sizes.length) this.grow();
    this.ids.push(id);
    this.numbers.set(id, n);
    this.sizes[n] = size;
    this.canon[n] = canonical;
    if (!sig) return;
    this.hasSig[n] = 1;
    this.sigs.set(sig, n * this.options.numHashes);
    this.tableDocs[this.tables.add(bandKeys(sig, this.params))] = n;
  }

  private grow(): void {
    const cap = this.sizes.length * 2;
    const widen = <T extends Uint32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T, per = 1): T => {
      const b = make(cap * per);
      b.set(a);
      return b;
    };
    this.sigs = widen(this.sigs, (n) => new Uint32Array(n), this.options.numHashes);
    this.sizes = widen(this.sizes, (n) => new Uint32Array(n));
    this.canon = widen(this.canon, (n) => new Int32Array(n));
    this.hasSig = widen(this.hasSig, (n) => new Uint8Array(n));
    this.tableDocs = widen(this.tableDocs, (n) => new Int32Array(n));
  }
}

/**
 * An incremental index for pipelines that see articles one by one. `add` answers with the
 * canonical copy the article duplicates (or null) and remembers it; `save` and `loadIndex`
 * carry the index from one run to the next.
 *
 * @example
 * import { createIndex } from "news-dedupe";
 * const index = createIndex();
 * index.add({ id: "afp-1", text: story });            // null: first time seen
 * index.add({ id: "site-2", text: "Ticker\n\n" + story }); // { canonical: "afp-1", jaccard: 0.9, containment: 1 }
 */
export function createIndex(options?: DedupeOptions): DedupeIndex;
/**
 * An index kept in a store (see IndexStore): the same `add`/`query` answers, asynchronous,
 * because the store may be a server that several processes share (`redisStore` from
 * "news-dedupe/redis"). Without index options the store's own are used (an existing shared
 * index keeps the options it was created with); with options that differ from them, it refuses.
 *
 * @example
 * import { createIndex } from "news-dedupe";
 * import { redisStore } from "news-dedupe/redis";
 * const index = await createIndex({ store: redisStore({ url: "redis://127.0.0.1:6379", prefix: "news", ttlSeconds: 7 * 86400 }) });
 * await index.add({ id: "afp-1", text: story });   // null, whichever worker saw it first
 * await index.close();
 */
export function createIndex(options: DedupeOptions & { store: IndexStore }): Promise<AsyncDedupeIndex>;
export function createIndex(options?: DedupeOptions & { store?: IndexStore }): DedupeIndex | Promise<AsyncDedupeIndex> {
  if (typeof options === "object" && options !== null && options.store !== undefined) {
    const { store, ...rest } = options;
    // Every failure of an asynchronous index, bad options included, is a rejection.
    if (typeof store !== "object" || store === null || typeof store.open !== "function") {
      return Promise.reject(fail("INVALID_OPTION", undefined, "store", "must be a store such as memoryStore() or redisStore({ url })"));
    }
    return Promise.resolve().then(() => store.open(rest));
  }
  return new MemoryIndex(resolveIndexOptions(options));
}

/** An index whose answers come asynchronously, from a store (`createIndex({ store })`). */
export interface AsyncDedupeIndex {
  /** As DedupeIndex.add; with a shared store, exactly one of several copies added at once becomes canonical. */
  add(doc: IndexDoc): Promise<Match | null>;
  /** Match `doc` against the index without remembering it. */
  query(doc: IndexDoc): Promise<Match | null>;
  has(id: string | number): Promise<boolean>;
  canonicalOf(id: string | number): Promise<string | undefined>;
  /** Number of documents in the index (those not yet expired, for a store with a TTL). */
  size(): Promise<number>;
  readonly options: ResolvedOptions;
  /** Release the store's connection; later calls fail with INDEX_STORE. */
  close(): Promise<void>;
}

/** Where an index keeps what it has seen: memoryStore() (this process) or redisStore() (shared). */
export interface IndexStore {
  /** Open the index with the caller's options (fields left undefined were not given). */
  open(options: DedupeOptions): Promise<AsyncDedupeIndex>;
}

/**
 * Read an index written by `save()`. Refuses, with a DedupeError, bytes that are truncated,
 * corrupt (CRC32 mismatch) or of another format version.
 *
 * @example
 * import { writeFileSync, readFileSync } from "node:fs";
 * writeFileSync("index.ndx", index.save());
 * const tomorrow = loadIndex(readFileSync("index.ndx"));
 */
export function loadIndex(bytes: Uint8Array): DedupeIndex {
  const snapshot = decodeIndex(bytes);
  return new MemoryIndex(resolveIndexOptions(snapshot.options), snapshot);
}

/** Read an index file written by `saveIndexFile` (or `index.save()` bytes written any way). */
export async function loadIndexFile(path: string): Promise<DedupeIndex> {
  return loadIndex(await readIndexFile(path));
}
