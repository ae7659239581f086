// Redis store: an index's documents on a Redis server, shared by every process that opens the
// same url and prefix: `openIndex(redisStore({ url, prefix }))`.
import { ErrorReply } from "redis";
import { DedupeError, dedupeError, describe, fail } from "../errors.js";
import type { ResolvedOptions } from "../options.js";
import { connect, FORMAT, hint, keyOf, mask, reason, runScript, type Client, type ScriptName } from "./redis-client.js";
import { contentItem, decodeRecord, encodeRecord, shardItems } from "./redis-codec.js";
import {
  PER_BAND,
  type BatchItem,
  type BatchView,
  type BatchWrite,
  type PendingAdd,
  type PendingBatch,
  type Scheme,
  type Store,
  type StoreMeta,
  type StoredDoc,
} from "./store.js";

export interface RedisStoreOptions {
  /** Server address, redis://[[user]:password@]host[:port][/db] or rediss:// for TLS. Default redis://127.0.0.1:6379. */
  url?: string;
  /** Start of every key of this index: one Redis can hold several indexes under different prefixes. Default "news-dedupe". */
  prefix?: string;
  /** Forget a document this many seconds after it was added (a news window, say 7 × 86400). Default: never. */
  ttlSeconds?: number;
  /**
   * Give up on a connection attempt or a command after this many milliseconds, with an INDEX_STORE
   * error, instead of waiting on a stalled server. Default 5000.
   */
  timeoutMs?: number;
  /**
   * Strings each band's buckets are kept in, a power of two from 256 to 65536. Memory per document
   * is lowest while the index holds about 100 documents per string, and an add reads one string
   * a band: 1024 (the default) suits up to a few million documents, 16384 tens of millions. Set
   * when the index is created; opening an existing one keeps its own.
   */
  shards?: number;
}

// The keys under the prefix, and the connection: redis-client.ts.

/**
 * Keep an index in Redis. Adds are atomic add-if-new: a batch reads what it needs in one script
 * (one snapshot), the index decides, and one commit script writes each document unless a document
 * it did not see has since entered a bucket it read; so of two copies of a new story added at
 * once by two workers, exactly one becomes canonical and the other is begun again.
 *
 * @example
 * import { openIndex } from "news-dedupe";
 * import { redisStore } from "news-dedupe/redis";
 * const index = await openIndex(redisStore({ url: "redis://127.0.0.1:6379", prefix: "news" }));
 */
export function redisStore(options: RedisStoreOptions = {}): Store {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "redisStore()", "takes an object { url, prefix, ttlSeconds, timeoutMs, shards }");
  const { url = "redis://127.0.0.1:6379", prefix = "news-dedupe", ttlSeconds, timeoutMs = 5000, shards = 1024 } = options;
  if (typeof url !== "string" || !/^rediss?:\/\//.test(url)) {
    fail("INVALID_OPTION", undefined, "url", `must be a redis:// or rediss:// address, got ${JSON.stringify(mask(String(url)))}`);
  }
  try {
    new URL(url);
  } catch {
    fail("INVALID_OPTION", undefined, "url", `is not a valid address: ${JSON.stringify(mask(url))} (percent-encode "/", "#", "?" and "@" in a password)`);
  }
  if (typeof prefix !== "string" || prefix.length === 0 || /[{}]/.test(prefix)) {
    fail("INVALID_OPTION", undefined, "prefix", `must be a non-empty string without braces, got ${typeof prefix === "string" ? JSON.stringify(prefix) : describe(prefix)}`);
  }
  if (ttlSeconds !== undefined && (typeof ttlSeconds !== "number" || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0)) {
    fail("INVALID_OPTION", undefined, "ttlSeconds", `must be a positive number of seconds, got ${JSON.stringify(ttlSeconds)}`);
  }
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    fail("INVALID_OPTION", undefined, "timeoutMs", `must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}`);
  }
  if (typeof shards !== "number" || !Number.isInteger(Math.log2(shards)) || shards < 256 || shards > 65536) {
    fail("INVALID_OPTION", undefined, "shards", `must be a power of two from 256 to 65536, got ${JSON.stringify(shards)}`);
  }
  return new RedisStore(url, prefix, ttlSeconds === undefined ? 0 : Math.ceil(ttlSeconds * 1000), timeoutMs, shards);
}

class RedisStore implements Store {
  readonly where: string;
  private client: Client | null = null;
  private closed = false;
  /** The options this handle opened the index with (JSON): an add refuses an index re-created with others. */
  private optionsJson = "";
  /** Shard bits of the index's band strings (its meta's, whoever created it). */
  private bits = 0;
  private keysOf: ((doc: StoredDoc) => { bands: Uint32Array | null; key: number | null }) | null = null;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly timeoutMs: number,
    private readonly shards: number,
  ) {
    this.where = `"${prefix}" on ${mask(url)}`;
  }

  async open(initial: StoreMeta): Promise<StoreMeta> {
    return this.adopt(await connect(this.url, this.timeoutMs), initial);
  }

  /** Check (or write) the meta of the index under the prefix, and keep the client. */
  private async adopt(client: Client, initial: StoreMeta): Promise<StoreMeta> {
    try {
      const meta = this.key("meta");
      await client
        .multi()
        .hSetNX(meta, "format", FORMAT)
        .hSetNX(meta, "options", JSON.stringify(initial.options))
        .hSetNX(meta, "shards", String(Math.log2(this.shards)))
        .exec();
      const stored = await client.hGetAll(meta);
      if (stored.format !== FORMAT) {
        fail("INDEX_STORE", undefined, `the index ${this.where} has format ${String(stored.format)}, written by an earlier version; this version reads format ${FORMAT}: build it again under a new prefix`);
      }
      this.client = client;
      this.closed = false;
      this.optionsJson = stored.options ?? JSON.stringify(initial.options);
      this.bits = Number(stored.shards ?? Math.log2(this.shards));
      return { options: JSON.parse(this.optionsJson) as ResolvedOptions, scheme: (stored.scheme as Scheme | undefined) ?? null };
    } catch (error) {
      client.destroy();
      throw this.failure(error, "opening the index");
    }
  }

  deriveKeys(keysOf: (doc: StoredDoc) => { bands: Uint32Array | null; key: number | null }): void {
    this.keysOf = keysOf;
  }

  async begin(id: string, bands: Uint32Array | null, key: number | null): Promise<PendingAdd> {
    const batch = await this.beginMany([{ id, bands, key }]);
    const view = batch.views[0]!;
    return {
      ...view,
      scheme: batch.scheme,
      commit: async (doc, scheme, placement) => (await batch.commit([{ item: 0, doc, scheme, placement }]))[0]!,
      // Nothing is held between begin and commit: the commit checks what it read instead.
      abort: async () => undefined,
    };
  }

  async beginMany(items: readonly BatchItem[]): Promise<PendingBatch> {
    const client = this.live();
    const doing = items.length === 1 && items[0]!.id !== null ? `adding "${items[0]!.id}"` : items.some((i) => i.id !== null) ? `adding ${items.length} documents` : "querying";
    const read = await this.read(client, items, doing);
    const others = read.others;
    return {
      views: read.views,
      others,
      scheme: read.scheme,
      commit: (writes) => this.commit(client, read.snapshot, items, writes),
    };
  }

  async members(bands: Uint32Array): Promise<StoredDoc[]> {
    const { views } = await this.read(this.live(), [{ id: null, bands, key: null }], "querying");
    return [...views[0]!.members];
  }

  async exact(key: number): Promise<StoredDoc | null> {
    const { views } = await this.read(this.live(), [{ id: null, bands: null, key }], "querying");
    return views[0]!.exact;
  }

  async get(ids: readonly string[]): Promise<Array<StoredDoc | null>> {
    const doing = `looking up ${ids.map((id) => `"${id}"`).join(", ")}`;
    const { views } = await this.read(this.live(), ids.map((id) => ({ id, bands: null, key: null })), doing);
    return views.map((v) => v.existing);
  }

  async reserve(): Promise<number> {
    const client = this.live();
    try {
      return (await client.hIncrBy(this.key("meta"), "seq", 1)) - 1;
    } catch (error) {
      throw this.failure(error, "numbering a document");
    }
  }

  async count(): Promise<number> {
    return (await this.read(this.live(), [], "counting documents")).count;
  }

  async evict(before: number): Promise<number> {
    const client = this.live();
    let forgotten = 0;
    try {
      for (;;) {
        const [count, more, out] = (await this.script(client, "EVICT", [String(Math.floor(before)), String(EVICT_STEP)])) as [number, number, Buffer[]];
        forgotten += count;
        await this.unlink(client, out);
        if (!more) return forgotten;
      }
    } catch (error) {
      throw this.failure(error, "evicting documents");
    }
  }

  async close(): Promise<void> {
    if (this.closed || !this.client) return;
    this.closed = true;
    const client = this.client;
    await client.close().catch(() => client.destroy());
  }

  /** One READ script: what the items need, the next document number, the meta and the count. */
  private async read(client: Client, items: readonly BatchItem[], doing: string) {
    try {
      const args: Array<string | Buffer> = [String(this.ttlMs), String(PER_BAND), String(items.length)];
      for (const item of items) args.push(item.id ?? "", shardItems(item.bands, this.bits), contentItem(item.key, this.bits));
      const [next, format, options, scheme, count, docs, evicted] = (await this.script(client, "READ", args)) as ReadReply;
      // A server restarted without persistence has lost the meta (the commit rewrites it); one
      // whose index was re-created under this prefix with other options is not this index.
      if ((format !== null && format.toString() !== FORMAT) || (options !== null && options.toString() !== this.optionsJson)) {
        fail("INDEX_STORE", undefined, `the index ${this.where} was re-created with other options or format since it was opened: open it again`);
      }
      await this.unlink(client, evicted);
      const others: StoredDoc[] = [];
      const views = docs.map(([existing, exactId, exactRec, members, canonicals], i): BatchView => {
        const id = items[i]!.id;
        const pool = new Map<string, StoredDoc>();
        const take = (docId: string, rec: Buffer) => {
          const doc = decodeRecord(docId, rec);
          pool.set(docId, doc);
          return doc;
        };
        for (let j = 0; j < canonicals.length; j += 2) others.push(take(canonicals[j]!.toString(), canonicals[j + 1]!));
        const found: StoredDoc[] = [];
        for (let j = 0; j < members.length; j += 2) found.push(take(members[j]!.toString(), members[j + 1]!));
        const view = {
          existing: existing && id !== null ? take(id, existing) : null,
          exact: exactId && exactRec ? take(exactId.toString(), exactRec) : null,
          members: found,
        };
        // A copy whose canonical was evicted (or whose canonical's id now names a later document)
        // stands on its own, as in memory.
        const own = (doc: StoredDoc): StoredDoc => {
          const canonical = doc.canonical === doc.id ? doc : pool.get(doc.canonical);
          return canonical && canonical.n <= doc.n ? doc : { ...doc, canonical: doc.id };
        };
        return { existing: view.existing && own(view.existing), exact: view.exact && own(view.exact), members: found.map(own) };
      });
      return { snapshot: next.toString(), views, others, count, scheme: scheme === null ? null : (scheme.toString() as Scheme) };
    } catch (error) {
      throw this.failure(error, doing);
    }
  }

  /**
   * One COMMIT script for the writes of a batch begun at document number `next`: true for each
   * document written, false for one the script refused (another writer changed what it read).
   */
  private async commit(client: Client, snapshot: string, items: readonly BatchItem[], writes: readonly BatchWrite[]): Promise<boolean[]> {
    if (writes.length === 0) return [];
    const scheme = writes[0]!.scheme;
    const args: Array<string | Buffer> = [String(this.ttlMs), snapshot, FORMAT, this.optionsJson, scheme, String(writes.length)];
    for (const { item, doc, placement } of writes) {
      const { bands, key } = items[item]!;
      args.push(
        doc.id,
        encodeRecord(doc, placement.indexed),
        // A document without a time is forgotten by the first eviction, as in memory.
        doc.time === null ? "" : String(Math.floor(doc.time)),
        shardItems(bands, this.bits),
        placement.indexed ? "1" : "0",
        contentItem(key, this.bits),
        placement.key !== null ? "1" : "0",
        doc.canonical === doc.id ? "" : doc.canonical,
      );
    }
    try {
      const [numbers, evicted] = (await this.script(client, "COMMIT", args)) as [number[], Buffer[]];
      await this.unlink(client, evicted);
      return numbers.map((n) => n >= 0);
    } catch (error) {
      if (error instanceof ErrorReply && error.message.startsWith("NDRECREATED")) {
        fail("INDEX_STORE", undefined, `the index ${this.where} was re-created with other options or format since it was opened: open it again`);
      }
      throw this.failure(error, writes.length === 1 ? `adding "${writes[0]!.doc.id}"` : `adding ${writes.length} documents`);
    }
  }

  /**
   * Remove the band and content-key entries of forgotten documents ([id, record]… as a script
   * returned them). Their records are gone already, so a reader skips the entries until then.
   */
  private async unlink(client: Client, forgotten: readonly Buffer[]): Promise<void> {
    if (forgotten.length === 0 || !this.keysOf) return;
    let args: Array<string | Buffer> = [];
    for (let j = 0; j < forgotten.length; j += 2) {
      const doc = decodeRecord(forgotten[j]!.toString(), forgotten[j + 1]!);
      const { bands, key } = this.keysOf(doc);
      const items = Buffer.concat([doc.indexed ? shardItems(bands, this.bits) : Buffer.alloc(0), contentItem(key, this.bits)]);
      if (items.length) args.push(String(doc.n), items);
      // A script runs alone on the server: a few thousand entries at a time keeps other clients' waits short.
      if (args.length >= 2 * UNLINK_STEP || (j + 2 >= forgotten.length && args.length)) {
        await this.script(client, "UNLINK", args);
        args = [];
      }
    }
  }

  /** Run a script by its SHA1 (redis-client.ts). */
  private script(client: Client, name: ScriptName, args: ReadonlyArray<string | Buffer>): Promise<unknown> {
    return runScript(client, this.prefix, name, args);
  }

  private key(name: string): string {
    return keyOf(this.prefix, name);
  }

  private live(): Client {
    if (this.closed || !this.client) fail("INDEX_STORE", undefined, `the index ${this.where} was closed`);
    return this.client;
  }

  /** Errors as DedupeErrors: ours unchanged, Redis's and the network's named with the server and the action. */
  private failure(error: unknown, doing: string): DedupeError {
    if (error instanceof DedupeError) return error;
    const where = mask(this.url);
    const build = (why: string) => dedupeError("INDEX_STORE", undefined, why);
    if (this.closed) return build(`${doing}: the index ${this.where} was closed`);
    if (error instanceof ErrorReply) return build(`${doing}: ${where} answered: ${reason(error)}${hint(error)}`);
    return build(`${doing}: lost the connection to ${where} (${reason(error)}); it reconnects by itself, try again`);
  }
}

type Reply = Buffer | null;
type ReadReply = [Buffer, Reply, Reply, Reply, number, Array<[Reply, Reply, Reply, Buffer[], Buffer[]]>, Buffer[]];

/** Documents one EVICT script forgets at most, and whose entries one UNLINK script removes, so that one call never holds the server long. */
const EVICT_STEP = 2000;
const UNLINK_STEP = 100;
