// Incremental: one article at a time → its match among everything seen before. createIndex() is
// the synchronous in-memory index; openIndex() runs the same matching over any Store.
import { randomUUID } from "node:crypto";
import { lshParams, type LshParams } from "./candidates.js";
import { fail } from "./errors.js";
import {
  checkScheme,
  chooseMatch,
  compactSignature,
  contentKey,
  differingOptions,
  evictionTime,
  indexKeys,
  resolveIndexOptions,
  sameContent,
  toEntry,
  type Candidate,
  type Entry,
  type IndexDoc,
} from "./match.js";
import type { DedupeOptions, ResolvedOptions } from "./options.js";
import { decodeIndex, encodeIndex, encodePieces, openIndexFile, type LoadPlan } from "./persist.js";
import { MemoryStore } from "./store/memory.js";
import type { NewDoc, Scheme, Store, StoredDoc } from "./store/store.js";
import type { Match } from "./types.js";
import { TWIN } from "./verify.js";

export type { DocTime, IndexDoc, SignatureDoc, TimedDoc } from "./match.js";

/** An index that remembers the documents it has seen, in this process. */
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
  /**
   * Forget every document whose time is before `before` (ms since 1970, ISO-8601 or a Date);
   * returns how many. Their ids may be added again; no later match points at them.
   */
  evict(before: number | string | Date): number;
}

/** An index over a Store (openIndex): the same answers, asynchronously. */
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
  /** As DedupeIndex.evict: forget the documents whose time is before `before`; resolves to how many. */
  evict(before: number | string | Date): Promise<number>;
  /** Release the store's connection; later calls fail with INDEX_STORE. */
  close(): Promise<void>;
}

class MemoryIndex implements DedupeIndex {
  private readonly params: LshParams;

  constructor(
    readonly options: ResolvedOptions,
    private readonly store: MemoryStore,
  ) {
    this.params = lshParams(options);
  }

  get size(): number {
    return this.store.size;
  }

  has(id: string | number): boolean {
    return this.store.has(String(id));
  }

  canonicalOf(id: string | number): string | undefined {
    return this.store.get(String(id))?.canonical;
  }

  query(doc: IndexDoc): Match | null {
    return this.match(this.entry(doc)).found;
  }

  add(doc: IndexDoc): Match | null {
    const entry = this.entry(doc);
    const time = this.advance(entry.time);
    const held = this.store.get(entry.id);
    if (held) fail("DUPLICATE_ID", entry.id, `${held.n} in the index`);
    const { found, exact, key } = this.match(entry);
    const bands = indexed(entry, found, exact, this.options) ? indexKeys(entry, this.params, this.options.seed) : null;
    this.store.put(record(entry, found, "", time), entry.scheme, bands, key);
    // A late document already outside the window is answered, then forgotten at once.
    if (this.late(time)) this.store.evict(this.store.newest! - this.options.window!);
    return found;
  }

  private late(time: number | null): boolean {
    const { newest } = this.store;
    return this.options.window !== null && newest !== null && (time === null || time < newest - this.options.window);
  }

  evict(before: number | string | Date): number {
    return this.store.evict(evictionTime(before));
  }

  /**
   * The time a document is stored with (its own, else the newest seen), moving the index's clock
   * forward to it and, with a window, forgetting what fell out of the window.
   */
  private advance(time: number | null): number | null {
    if (time === null) return this.store.newest;
    if (this.store.newest === null || time > this.store.newest) {
      this.store.newest = time;
      if (this.options.window !== null) this.store.evict(time - this.options.window);
    }
    return time;
  }

  save(): Uint8Array {
    return encodeIndex(this.store.snapshot());
  }

  /** save()'s bytes as pieces, views of the index's arrays (saveIndexFile writes them one by one). */
  pieces(): Uint8Array[] {
    return encodePieces(this.store.snapshot());
  }

  private entry(doc: IndexDoc): Entry {
    const entry = toEntry(doc, this.options, this.store.numbered);
    checkScheme(this.store.scheme, entry);
    // The store keeps 16-bit values: the entry is compared, keyed and bucketed on the same ones.
    return entry.signature ? { ...entry, signature: compactSignature(entry.signature) } : entry;
  }

  /**
   * The entry's match: an exact duplicate of a stored document is matched through that document
   * alone (found by its content key, O(1) however many copies came before), any other entry
   * through its bucket members.
   */
  private match(entry: Entry): { found: Match | null; exact: boolean; key: number | null } {
    const key = contentKey(entry);
    if (!entry.signature) return { found: null, exact: false, key };
    const stored = key === null ? undefined : this.store.exact(key);
    const exact = stored !== undefined && sameContent(entry, stored);
    const candidates = exact ? [stored] : this.store.members(indexKeys(entry, this.params, this.options.seed)!);
    return { found: chooseMatch(entry, candidates, (id) => this.store.get(id), this.options), exact, key };
  }
}

/**
 * Whether a new document goes in the band tables: not when it has no words, or is an exact
 * duplicate or a near-twin of its match (that document answers for it), unless the index has a
 * window: a copy may outlive the document that answered for it there, and must then be found on
 * its own.
 */
function indexed(entry: Entry, match: Match | null, exact: boolean, options: ResolvedOptions): boolean {
  if (entry.signature === null) return false;
  return options.window !== null || (!exact && (match === null || match.jaccard < TWIN));
}

/** What the store is given for a new document. */
function record(entry: Entry, match: Match | null, token: string, time: number | null): NewDoc {
  const { id, size, signature, lead, numbers } = entry;
  return { id, canonical: match?.canonical ?? id, size, signature, lead, numbers, match, token, time };
}


/**
 * An incremental index for pipelines that see articles one by one, in this process. `add`
 * answers with the canonical copy the article duplicates (or null) and remembers it; `save`
 * and `loadIndex` carry the index from one run to the next. For an index shared by several
 * processes, see openIndex().
 *
 * @example
 * import { createIndex } from "news-dedupe";
 * const index = createIndex();
 * index.add({ id: "afp-1", text: story });            // null: first time seen
 * index.add({ id: "site-2", text: "Ticker\n\n" + story }); // { canonical: "afp-1", jaccard: 0.9, containment: 1 }
 */
export function createIndex(options?: DedupeOptions): DedupeIndex {
  if (typeof options === "object" && options !== null && "store" in options) {
    fail("INVALID_OPTION", undefined, "store", "is not an option of createIndex(): open a store with openIndex(store, options)");
  }
  const resolved = resolveIndexOptions(options);
  return new MemoryIndex(resolved, new MemoryStore(resolved, 0, true));
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
  return fromPlan(decodeIndex(bytes));
}

function fromPlan(plan: LoadPlan): DedupeIndex {
  const options = resolveIndexOptions(plan.options);
  const store = new MemoryStore(options, plan.count, true);
  store.load(plan);
  return new MemoryIndex(options, store);
}

/** Read an index file written by `saveIndexFile` (or `index.save()` bytes written any way). */
export async function loadIndexFile(path: string): Promise<DedupeIndex> {
  // Read front to back into the index's own arrays: never the whole file in memory at once.
  const plan = openIndexFile(path);
  try {
    return fromPlan(plan);
  } finally {
    plan.close();
  }
}

/** Conflicting attempts (another worker added a document sharing a band meanwhile) before add() gives up. */
const MAX_ATTEMPTS = 100;

/**
 * An index kept in a store: memoryStore() in this process or redisStore() from
 * "news-dedupe/redis", shared by every process that opens the same server and prefix. Without
 * options the store's own are used (an existing shared index keeps the options it was created
 * with); with options that differ from them, it refuses.
 *
 * @example
 * import { openIndex } from "news-dedupe";
 * import { redisStore } from "news-dedupe/redis";
 * const index = await openIndex(redisStore({ url: "redis://127.0.0.1:6379", prefix: "news", ttlSeconds: 7 * 86400 }));
 * await index.add({ id: "afp-1", text: story });   // null, whichever worker saw it first
 * await index.close();
 */
export async function openIndex(store: Store, options?: DedupeOptions): Promise<AsyncDedupeIndex> {
  if (typeof store !== "object" || store === null || typeof store.begin !== "function") {
    fail("INVALID_OPTION", undefined, "store", "must be a store such as memoryStore() or redisStore({ url })");
  }
  const explicit = typeof options === "object" && options !== null && Object.values(options).some((v) => v !== undefined);
  const wanted = resolveIndexOptions(options);
  const meta = await store.open({ options: wanted, scheme: null });
  let theirs: ResolvedOptions;
  try {
    theirs = resolveIndexOptions(meta.options);
  } catch (error) {
    await store.close();
    throw error;
  }
  const differ = differingOptions(theirs, wanted);
  if (explicit && differ.length > 0) {
    await store.close();
    const show = (o: ResolvedOptions) => differ.map((k) => `${k} ${JSON.stringify(o[k])}`).join(", ");
    fail("INDEX_STORE", undefined, `the index ${store.where} was created with ${show(theirs)}, not ${show(wanted)}: open it with its options (or none)`);
  }
  return new StoreIndex(store, theirs, meta.scheme);
}

class StoreIndex implements AsyncDedupeIndex {
  private readonly params: LshParams;
  /** Adds run one after another: a store's watch belongs to its connection. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Tokens of adds whose outcome a failure hid: re-adding the id recognises its own write. */
  private readonly pending = new Map<string, string>();
  private added = 0;
  private closed = false;
  /** The newest document time this handle has seen (null: none yet): the window is measured back from it. */
  private newest: number | null = null;

  constructor(
    private readonly store: Store,
    readonly options: ResolvedOptions,
    private scheme: Scheme | null,
  ) {
    this.params = lshParams(options);
  }

  add(doc: IndexDoc): Promise<Match | null> {
    const run = this.queue.then(() => this.addNow(doc));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async query(doc: IndexDoc): Promise<Match | null> {
    this.live();
    const entry = this.entry(doc, this.added);
    if (!entry.signature) return null;
    const key = contentKey(entry);
    const stored = key === null ? null : await this.store.exact(key);
    if (stored && sameContent(entry, stored)) return this.decide(entry, [stored]);
    const members = await this.store.members(indexKeys(entry, this.params, this.options.seed)!);
    return this.decide(entry, members);
  }

  async has(id: string | number): Promise<boolean> {
    this.live();
    return (await this.store.get([String(id)]))[0] !== null;
  }

  async canonicalOf(id: string | number): Promise<string | undefined> {
    this.live();
    return (await this.store.get([String(id)]))[0]?.canonical;
  }

  async size(): Promise<number> {
    this.live();
    return this.store.count();
  }

  async evict(before: number | string | Date): Promise<number> {
    this.live();
    return this.store.evict(evictionTime(before));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.store.close();
  }

  private async addNow(doc: IndexDoc): Promise<Match | null> {
    this.live();
    // A plain string's id is its number in the index, as in memory: reserve it first.
    const reserved = typeof doc === "string" ? await this.store.reserve() : undefined;
    const entry = this.entry(doc, reserved ?? this.added);
    // The window: when the clock moves forward, the store forgets what fell out of it first, so
    // no match below can point at such a document.
    const time = entry.time ?? this.newest;
    if (entry.time !== null && (this.newest === null || entry.time > this.newest)) {
      this.newest = entry.time;
      if (this.options.window !== null) await this.store.evict(entry.time - this.options.window);
    }
    const bands = indexKeys(entry, this.params, this.options.seed);
    const key = contentKey(entry);
    const token = this.pending.get(entry.id) ?? randomUUID();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const add = await this.store.begin(entry.id, bands, key, reserved);
      // An exact duplicate of a stored document is matched through it alone.
      const same = add.exact && sameContent(entry, add.exact) ? add.exact : null;
      let match: Match | null;
      try {
        if (add.existing) {
          if (add.existing.token === token && token !== "") {
            this.pending.delete(entry.id);
            return add.existing.match;
          }
          fail("DUPLICATE_ID", entry.id, `${add.existing.n} in the index`);
        }
        if (add.scheme) this.scheme = add.scheme;
        checkScheme(this.scheme, entry);
        match = await this.decide(entry, same ? [same] : add.exact ? await this.store.members(bands!) : add.members);
      } catch (error) {
        await add.abort();
        throw error;
      }
      let done: boolean;
      try {
        const placement = { indexed: indexed(entry, match, same !== null, this.options), key };
        done = await add.commit(record(entry, match, token, time), entry.scheme, placement);
      } catch (error) {
        // The write may have landed with its reply lost: a re-add of this id will recognise it.
        this.pending.set(entry.id, token);
        throw error;
      }
      if (done) {
        this.pending.delete(entry.id);
        this.scheme ??= entry.scheme;
        this.added++;
        // A late document already outside the window is answered, then forgotten at once.
        if (this.options.window !== null && this.newest !== null && (time === null || time < this.newest - this.options.window)) {
          await this.store.evict(this.newest - this.options.window);
        }
        return match;
      }
      // Another writer changed a watched key meanwhile: read again, after a short random pause.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
    }
    fail("INDEX_STORE", undefined, `adding "${entry.id}" conflicted with other workers ${MAX_ATTEMPTS} times in a row`);
  }

  /** The match among stored candidates; their canonicals need not share a band with the entry. */
  private async decide(entry: Entry, members: readonly StoredDoc[]): Promise<Match | null> {
    const known = new Map<string, Candidate>(members.map((m) => [m.id, m]));
    const missing = [...new Set(members.map((m) => m.canonical))].filter((id) => !known.has(id));
    if (missing.length > 0) {
      const found = await this.store.get(missing);
      found.forEach((d) => d && known.set(d.id, d));
    }
    return chooseMatch(entry, members, (id) => known.get(id), this.options);
  }

  private entry(doc: IndexDoc, position: number): Entry {
    const entry = toEntry(doc, this.options, position);
    checkScheme(this.scheme, entry);
    return entry;
  }

  private live(): void {
    if (this.closed) fail("INDEX_STORE", undefined, `the index ${this.store.where} was closed`);
  }
}
