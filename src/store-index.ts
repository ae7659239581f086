// Store index: the incremental index over a Store (openIndex()): memoryStore() in this process or
// redisStore() shared by many workers, with the matching of match.ts that createIndex() uses.
import { randomUUID } from "node:crypto";
import { lshParams, type LshParams } from "./candidates.js";
import { fail } from "./errors.js";
import {
  checkScheme,
  chooseMatch,
  compactEntry,
  contentKey,
  differingOptions,
  evictionTime,
  indexed,
  indexKeys,
  record,
  resolveIndexOptions,
  sameContent,
  toEntry,
  type Candidate,
  type Entry,
  type IndexDoc,
} from "./match.js";
import type { DedupeOptions, ResolvedOptions } from "./options.js";
import { addBatch, MAX_ATTEMPTS, type BatchHost } from "./store-batch.js";
import type { Scheme, Store } from "./store/store.js";
import type { Match } from "./types.js";

/** An index over a Store (openIndex): the same answers, asynchronously. */
export interface AsyncDedupeIndex {
  /** As DedupeIndex.add; with a shared store, exactly one of several copies added at once becomes canonical. */
  add(doc: IndexDoc): Promise<Match | null>;
  /**
   * Add several documents: the answers add() would give one after the other, in order, with the
   * same guarantee between workers; a store with batches (Redis) reads and writes them in one
   * round trip each. Every document is checked before any is written; an id already in the index
   * throws DUPLICATE_ID for it, after the others are added.
   */
  addMany(docs: readonly IndexDoc[]): Promise<Array<Match | null>>;
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

// The members a batch uses (BatchHost) are not private; the class itself is not exported.
class StoreIndex implements AsyncDedupeIndex, BatchHost {
  readonly params: LshParams;
  /** Adds run one after another: a store's watch belongs to its connection. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Tokens of adds whose outcome a failure hid: re-adding the id recognises its own write. */
  readonly pending = new Map<string, string>();
  added = 0;
  private closed = false;
  /** The newest document time this handle has seen (null: none yet): the window is measured back from it. */
  newest: number | null = null;

  constructor(
    readonly store: Store,
    readonly options: ResolvedOptions,
    public scheme: Scheme | null,
  ) {
    this.params = lshParams(options);
    store.deriveKeys?.((doc) => ({ bands: indexKeys(doc, this.params, options.seed), key: contentKey({ ...doc, scheme: "news-dedupe" }) }));
  }

  add(doc: IndexDoc): Promise<Match | null> {
    const run = this.queue.then(() => this.addNow(doc));
    this.queue = run.catch(() => undefined);
    return run;
  }

  addMany(docs: readonly IndexDoc[]): Promise<Array<Match | null>> {
    const run = this.queue.then(() => this.addManyNow(docs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async query(doc: IndexDoc): Promise<Match | null> {
    this.live();
    const entry = this.entry(doc, this.added);
    if (!entry.signature) return null;
    const key = contentKey(entry);
    if (this.store.beginMany) {
      // One round trip: the exact lookup, the members and their canonicals in one read.
      const bands = indexKeys(entry, this.params, this.options.seed);
      const read = await this.store.beginMany([{ id: null, bands, key }]);
      const { exact, members } = read.views[0]!;
      const same = exact && sameContent(entry, exact) ? exact : null;
      return this.decide(entry, same ? [same] : exact ? await this.store.members(bands!) : members, new Map(read.others.map((c) => [c.id, c])));
    }
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

  async addNow(doc: IndexDoc): Promise<Match | null> {
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

  private addManyNow(docs: readonly IndexDoc[]): Promise<Array<Match | null>> {
    this.live();
    return addBatch(this, docs);
  }

  /**
   * The match among stored candidates; their canonicals need not share a band with the entry
   * (looked up in `others`, else in the store). `live`: what a batch's window has not forgotten.
   */
  async decide(
    entry: Entry,
    members: readonly Candidate[],
    others: ReadonlyMap<string, Candidate> = new Map(),
    live = (_: Candidate) => true,
  ): Promise<Match | null> {
    const known = new Map<string, Candidate>(members.map((m) => [m.id, m]));
    const missing = [...new Set(members.map((m) => m.canonical))].filter((id) => !known.has(id) && !others.has(id));
    if (missing.length > 0) {
      const found = await this.store.get(missing);
      found.forEach((d) => d && known.set(d.id, d));
    }
    return chooseMatch(entry, members, (id) => [known.get(id) ?? others.get(id)].find((c) => c && live(c)), this.options);
  }

  entry(doc: IndexDoc, position: number): Entry {
    const entry = toEntry(doc, this.options, position);
    checkScheme(this.scheme, entry);
    // 16-bit values and compact number samples, as createIndex() keeps them: the same answers on
    // every store, and fewer bytes on a server.
    return compactEntry(entry);
  }

  private live(): void {
    if (this.closed) fail("INDEX_STORE", undefined, `the index ${this.store.where} was closed`);
  }
}
