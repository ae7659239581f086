// Store index: the incremental index over a Store (openIndex()): memoryStore() in this process or
// redisStore() shared by many workers, with the matching of match.ts that createIndex() uses.
import { randomUUID } from "node:crypto";
import { lshParams, type LshParams } from "./candidates.js";
import { DedupeError, dedupeError, fail } from "./errors.js";
import {
  type Sketch,
  checkScheme,
  chooseMatch,
  compactSignature,
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
import { PER_BAND, type BatchWrite, type NewDoc, type Scheme, type Store } from "./store/store.js";
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

  /**
   * A batch through Store.beginMany: every document checked first (a bad one fails the call before
   * anything is written), then begun together, decided in order — each seeing the earlier ones of
   * the batch as it would after their add() — and committed together. Documents the commit refused
   * (another worker wrote into what they read, or they may have counted on a refused one) are begun
   * again, in order.
   */
  private async addManyNow(docs: readonly IndexDoc[]): Promise<Array<Match | null>> {
    this.live();
    if (!Array.isArray(docs)) fail("INVALID_OPTION", undefined, "docs", "of addMany() must be an array of documents");
    const entries: Entry[] = [];
    const first = new Map<string, number>();
    for (const doc of docs) {
      const reserved = typeof doc === "string" ? await this.store.reserve() : undefined;
      const entry = this.entry(doc, reserved ?? this.added + entries.length);
      if (entries.length) checkScheme(entries[0]!.scheme, entry);
      const seen = first.get(entry.id);
      if (seen !== undefined) fail("DUPLICATE_ID", entry.id, `${seen} of this addMany() call`);
      first.set(entry.id, entries.length);
      entries.push(entry);
    }
    if (!this.store.beginMany) {
      // One by one (checked above already), past an id already in the index, as with beginMany.
      const out: Array<Match | null> = [];
      let duplicate: unknown = null;
      for (const doc of docs) {
        try {
          out.push(await this.addNow(doc));
        } catch (error) {
          if (!(error instanceof DedupeError && error.code === "DUPLICATE_ID")) throw error;
          duplicate ??= error;
          out.push(null);
        }
      }
      if (duplicate) throw duplicate;
      return out;
    }
    const items = entries.map((e) => ({ id: e.id, bands: indexKeys(e, this.params, this.options.seed), key: contentKey(e) }));
    const tokens = entries.map((e) => this.pending.get(e.id) ?? randomUUID());
    const answers: Array<Match | null> = entries.map(() => null);
    // The window, as add() would move it document by document: each one's time, the horizon it is
    // matched under and where the last eviction before it happened (-1: before the batch). The
    // store evicts at the first document's horizon before the batch and at the last one's after
    // it; in between, each document steps over what the evictions before it would have forgotten.
    const window = this.options.window;
    const times: Array<number | null> = [];
    const horizons: number[] = [];
    const evictedAt: number[] = [];
    let horizon = window !== null && this.newest !== null ? this.newest - window : -Infinity;
    // k: an eviction before document k was stored; k + 0.5: right after it (a late document).
    let last = -1;
    for (const [i, e] of entries.entries()) {
      const time = e.time ?? this.newest;
      times.push(time);
      if (e.time !== null && (this.newest === null || e.time > this.newest)) {
        this.newest = e.time;
        if (window !== null) [horizon, last] = [e.time - window, i];
      }
      horizons.push(horizon);
      evictedAt.push(last);
      // A late document, already outside the window, is answered and then forgotten at once.
      if (window !== null && this.newest !== null && (time === null || time < horizon)) last = i + 0.5;
    }
    if (evictedAt[0] === 0) await this.store.evict(horizons[0]!);
    const position = new Map<string, number>();
    const alive = (c: Candidate, i: number) =>
      evictedAt[i]! <= (position.get(c.id) ?? -1) || ((c as { time?: number | null }).time ?? -Infinity) >= horizons[i]!;
    let duplicate: unknown = null;
    let todo = entries.map((_, i) => i);
    for (let attempt = 1; todo.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) fail("INDEX_STORE", undefined, `adding "${entries[todo[0]!]!.id}" conflicted with other workers ${MAX_ATTEMPTS} times in a row`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      const batch = await this.store.beginMany(todo.map((i) => items[i]!));
      if (batch.scheme) this.scheme = batch.scheme;
      checkScheme(this.scheme, entries[0]!);
      const writes: BatchWrite[] = [];
      const local = new Overlay();
      // Every document this round can look up: what the read returned, then the batch's own.
      const known = new Map<string, Candidate>();
      for (const c of [...batch.others, ...batch.views.flatMap((v) => (v.exact ? [v.exact, ...v.members] : v.members))]) known.set(c.id, c);
      for (let p = 0; p < todo.length; p++) {
        const i = todo[p]!;
        const entry = entries[i]!;
        const view = batch.views[p]!;
        if (view.existing) {
          if (view.existing.token === tokens[i] && tokens[i] !== "") answers[i] = view.existing.match;
          else duplicate ??= dedupeError("DUPLICATE_ID", entry.id, `${view.existing.n} in the index`);
          continue;
        }
        const live = (c: Candidate) => alive(c, i);
        // A copy whose canonical the window has forgotten stands on its own, as in the store.
        const own = (c: Candidate): Candidate => {
          if (c.canonical === c.id) return c;
          const canonical = known.get(c.canonical);
          return canonical && !live(canonical) ? { ...c, canonical: c.id } : c;
        };
        const { bands, key } = items[i]!;
        // An exact duplicate of a stored document, or of an earlier one of the batch, is matched through it alone.
        // The latest document with the content key answers for it (gone with it): of the batch, else stored.
        const mine = key === null ? undefined : local.exact(key);
        const held = mine ? (live(mine) ? mine : undefined) : view.exact && live(view.exact) ? view.exact : null;
        const same = held && sameContent(entry, held) ? held : null;
        let members: readonly Candidate[];
        if (same) members = [same];
        else if (view.exact) {
          // The read found a content-key holder and skipped the buckets: read them now.
          const more = await this.store.beginMany([{ id: null, bands, key: null }]);
          for (const c of [...more.others, ...more.views[0]!.members]) if (!known.has(c.id)) known.set(c.id, c);
          members = [...local.members(bands, live), ...more.views[0]!.members.filter(live)];
        }
        else members = [...local.members(bands, live), ...view.members.filter(live)];
        const match = await this.decide(entry, members.map(own), known, live);
        answers[i] = match;
        const placement = { indexed: indexed(entry, match, same !== null, this.options), key };
        const doc = record(entry, match, tokens[i]!, times[i]!);
        position.set(doc.id, i);
        known.set(doc.id, local.put(doc, entry, placement.indexed ? bands : null, key));
        writes.push({ item: p, doc, scheme: entry.scheme, placement });
      }
      let written: boolean[];
      try {
        written = await batch.commit(writes);
      } catch (error) {
        // The writes may have landed with the reply lost: re-adding these ids will recognise them.
        for (const w of writes) this.pending.set(w.doc.id, w.doc.token);
        throw error;
      }
      const again = new Set<number>();
      writes.forEach((w, j) => {
        const i = todo[w.item]!;
        if (!written[j]) return void again.add(i);
        this.pending.delete(w.doc.id);
        this.scheme ??= w.scheme;
        this.added++;
      });
      todo = todo.filter((i) => again.has(i));
    }
    if (last > 0) await this.store.evict(horizon);
    if (duplicate) throw duplicate;
    return answers;
  }

  /**
   * The match among stored candidates; their canonicals need not share a band with the entry
   * (looked up in `others`, else in the store). `live`: what a batch's window has not forgotten.
   */
  private async decide(
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

  private entry(doc: IndexDoc, position: number): Entry {
    const entry = toEntry(doc, this.options, position);
    checkScheme(this.scheme, entry);
    // 16-bit values, as createIndex() keeps them: the same answers on every store, and half the bytes on a server.
    return entry.signature ? { ...entry, signature: compactSignature(entry.signature) } : entry;
  }

  private live(): void {
    if (this.closed) fail("INDEX_STORE", undefined, `the index ${this.store.where} was closed`);
  }
}

/**
 * The earlier documents of a batch, as the later ones see them before anything is written: by
 * band key (the most recent PER_BAND a bucket, as a store answers) and by content key.
 */
class Overlay {
  /** By band and key: band × 2³² + key (a number key: a Map on strings would build one a band and document). */
  private readonly byBand = new Map<number, Candidate[]>();
  private readonly byKey = new Map<number, Candidate>();
  private readonly all: Candidate[] = [];

  put(doc: NewDoc, sketch: Sketch, bands: Uint32Array | null, key: number | null): Candidate {
    const candidate: Candidate = { ...sketch, id: doc.id, canonical: doc.canonical, time: doc.time } as Candidate;
    this.all.push(candidate);
    if (key !== null) this.byKey.set(key, candidate);
    if (bands) {
      for (let b = 0; b < bands.length; b++) {
        const bucket = this.byBand.get(b * 0x100000000 + bands[b]!);
        if (bucket) bucket.push(candidate);
        else this.byBand.set(b * 0x100000000 + bands[b]!, [candidate]);
      }
    }
    return candidate;
  }

  /** The latest document of the batch with this content key. */
  exact(key: number): Candidate | undefined {
    return this.byKey.get(key);
  }

  members(bands: Uint32Array | null, live: (c: Candidate) => boolean): Candidate[] {
    if (!bands || this.all.length === 0) return [];
    const out = new Set<Candidate>();
    for (let b = 0; b < bands.length; b++) {
      const bucket = this.byBand.get(b * 0x100000000 + bands[b]!);
      if (!bucket) continue;
      let taken = 0;
      for (let j = bucket.length - 1; j >= 0 && taken < PER_BAND; j--) {
        if (!live(bucket[j]!)) continue;
        out.add(bucket[j]!);
        taken++;
      }
    }
    return [...out];
  }
}
