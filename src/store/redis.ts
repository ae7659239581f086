// Redis store: an index's documents on a Redis server, shared by every process that opens the
// same url and prefix: `openIndex(redisStore({ url, prefix }))`.
import { createClient, ErrorReply, WatchError } from "redis";
import { DedupeError, dedupeError, describe, fail } from "../errors.js";
import type { ResolvedOptions } from "../options.js";
import { PER_BAND, type NewDoc, type PendingAdd, type Scheme, type Store, type StoreMeta, type StoredDoc } from "./store.js";

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
}

/*
 * Keys, under the prefix P, every one starting with "{P}": the braces end the prefix (a prefix may
 * hold neither brace), so no key of one prefix is a key of another ("ov" and "ov:d" included),
 * and they make P a Redis Cluster hash tag, keeping one index in one slot as WATCH/MULTI need.
 *   {P}:meta            hash: format, options (JSON), scheme — rewritten by the next add if lost
 *   {P}:seq             counter: the next document number (arrival order across all workers)
 *   {P}:docs            sorted set: id → time added (ms, server clock), for count()
 *   {P}:d:<id>          hash: n (number), c (canonical), z (shingles), s (signature, base64 u32 LE),
 *                       l (lead shingles), u (number sample, [masked, raw] u32s),
 *                       j/k (the match's scores), t (token of the add that wrote it)
 *   {P}:b:<band>:<key>  set: ids of the documents whose band <band> hashes to <key> (hex)
 *   {P}:x:<key>         string: the id of the latest document with this content key (base 36)
 * With a TTL, {P}:d:<id> and {P}:x:… expire that long after their add; {P}:b:… and {P}:docs
 * that long after their latest add, and members whose {P}:d:<id> has gone are dropped by the
 * next add to that bucket.
 */
const FORMAT = "4";
const FIELDS = ["n", "c", "z", "s", "j", "k", "t", "l", "u"] as const;

type Client = ReturnType<typeof createClient>;

/**
 * Keep an index in Redis. Adds are atomic add-if-new: begin() WATCHes the document's key and its
 * band buckets, and the commit's MULTI/EXEC writes nothing if any of them changed meanwhile, so of
 * two copies of a new story added at once by two workers, exactly one becomes canonical.
 *
 * @example
 * import { openIndex } from "news-dedupe";
 * import { redisStore } from "news-dedupe/redis";
 * const index = await openIndex(redisStore({ url: "redis://127.0.0.1:6379", prefix: "news" }));
 */
export function redisStore(options: RedisStoreOptions = {}): Store {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "redisStore()", "takes an object { url, prefix, ttlSeconds, timeoutMs }");
  const { url = "redis://127.0.0.1:6379", prefix = "news-dedupe", ttlSeconds, timeoutMs = 5000 } = options;
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
  return new RedisStore(url, prefix, ttlSeconds === undefined ? 0 : Math.ceil(ttlSeconds * 1000), timeoutMs);
}

/**
 * The url as it may appear in messages: with "***" for everything between the scheme and the
 * last "@" (user and password, whatever characters the password holds).
 */
export function mask(url: string): string {
  const scheme = /^\w+:\/\//.exec(url);
  const at = url.lastIndexOf("@");
  if (!scheme || at < scheme[0].length) return url;
  return `${scheme[0]}***@${url.slice(at + 1)}`;
}

class RedisStore implements Store {
  readonly where: string;
  private client: Client | null = null;
  private closed = false;

  /** The options this handle opened the index with (JSON): an add refuses an index re-created with others. */
  private optionsJson = "";

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly timeoutMs: number,
  ) {
    this.where = `"${prefix}" on ${mask(url)}`;
  }

  async open(initial: StoreMeta): Promise<StoreMeta> {
    let ready = false;
    let client: Client;
    try {
      client = this.connectable(() => ready);
    } catch (error) {
      fail("INDEX_STORE", undefined, `cannot use ${mask(this.url)}: ${error instanceof Error ? mask(error.message.split("\n")[0]!) : "bad address"}`);
    }
    // Errors reach callers through the failing call; the client emits them too, and would crash without a listener.
    client.on("error", () => undefined);
    client.on("ready", () => (ready = true));
    try {
      await client.connect();
    } catch (error) {
      fail("INDEX_STORE", undefined, `cannot connect to ${mask(this.url)}: ${reason(error)}${hint(error)}`);
    }
    return this.adopt(client, initial);
  }

  /** A client for the url: failing fast while disconnected, every command bounded by the timeout. */
  private connectable(isReady: () => boolean): Client {
    return createClient({
      url: this.url,
      // Fail at once while disconnected (a clear error) instead of queueing calls without limit.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.timeoutMs,
        // A stalled server answers nothing: a socket awaiting a reply that long is closed, its
        // commands fail (and the client reconnects) instead of hanging for the whole stall.
        socketTimeout: this.timeoutMs,
        // Never reconnect before the first success: a wrong address or password is an error, not a wait.
        reconnectStrategy: (retries: number, cause: Error) => (isReady() ? Math.min(50 * 2 ** retries, 2000) : cause),
      },
    });
  }

  /** Check (or write) the meta of the index under the prefix, and keep the client. */
  private async adopt(client: Client, initial: StoreMeta): Promise<StoreMeta> {
    try {
      const meta = this.key("meta");
      await client.multi().hSetNX(meta, "format", FORMAT).hSetNX(meta, "options", JSON.stringify(initial.options)).exec();
      const stored = await client.hGetAll(meta);
      if (stored.format !== FORMAT) {
        fail("INDEX_STORE", undefined, `the index ${this.where} has format ${String(stored.format)}; this version reads format ${FORMAT}`);
      }
      this.client = client;
      this.closed = false;
      this.optionsJson = stored.options ?? JSON.stringify(initial.options);
      return { options: JSON.parse(this.optionsJson) as ResolvedOptions, scheme: (stored.scheme as Scheme | undefined) ?? null };
    } catch (error) {
      client.destroy();
      throw this.failure(error, "opening the index");
    }
  }

  async begin(id: string, bands: Uint32Array | null, key: number | null, reserved?: number): Promise<PendingAdd> {
    const client = this.live();
    const docKey = this.docKey(id);
    const meta = this.key("meta");
    const buckets = bands ? this.bucketKeys(bands) : [];
    try {
      // One round trip: WATCH first on the connection, then every read the add may need, the
      // next document number and the server's clock.
      const [, existing, [format, options, scheme], exactId, ids, seq, now] = await Promise.all([
        client.watch([docKey, meta, ...buckets]),
        this.record(client, id),
        client.hmGet(meta, ["format", "options", "scheme"]),
        key === null ? null : client.get(this.exactKey(key)),
        buckets.length ? client.sUnion(buckets) : ([] as string[]),
        reserved === undefined ? client.incr(this.key("seq")) : reserved + 1,
        this.now(client),
      ]);
      // A server restarted without persistence has lost the meta (the commit rewrites it); one
      // whose index was re-created under this prefix with other options is not this index.
      if ((format != null && format !== FORMAT) || (options != null && options !== this.optionsJson)) {
        fail("INDEX_STORE", undefined, `the index ${this.where} was re-created with other options or format since it was opened: open it again`);
      }
      const exact = exactId === null ? null : await this.record(client, exactId);
      let members: StoredDoc[] = [];
      let stale: string[] = [];
      if (!exact && ids.length > 0) {
        // The id's own bucket entries can only be left over from an expired add of it.
        const others = bounded(ids.filter((other) => other !== id), buckets.length);
        const records = await Promise.all(others.map((other) => this.record(client, other)));
        members = records.filter((r): r is StoredDoc => r !== null);
        stale = others.filter((_, i) => records[i] === null);
      }
      return {
        existing,
        exact,
        members,
        scheme: (scheme as Scheme | null) ?? null,
        commit: (doc, docScheme, placement) =>
          this.commit(client, doc, seq - 1, docScheme, placement.indexed ? buckets : [], stale, buckets, placement.key, now),
        abort: async () => {
          await client.unwatch().catch(() => undefined);
        },
      };
    } catch (error) {
      await client.unwatch().catch(() => undefined);
      throw this.failure(error, `adding "${id}"`);
    }
  }

  async members(bands: Uint32Array): Promise<StoredDoc[]> {
    const client = this.live();
    try {
      const ids = bounded(await client.sUnion(this.bucketKeys(bands)), bands.length);
      const records = await Promise.all(ids.map((id) => this.record(client, id)));
      return records.filter((r): r is StoredDoc => r !== null);
    } catch (error) {
      throw this.failure(error, "querying");
    }
  }

  async exact(key: number): Promise<StoredDoc | null> {
    const client = this.live();
    try {
      const id = await client.get(this.exactKey(key));
      return id === null ? null : await this.record(client, id);
    } catch (error) {
      throw this.failure(error, "querying");
    }
  }

  async get(ids: readonly string[]): Promise<Array<StoredDoc | null>> {
    const client = this.live();
    try {
      return await Promise.all(ids.map((id) => this.record(client, id)));
    } catch (error) {
      throw this.failure(error, `looking up ${ids.map((id) => `"${id}"`).join(", ")}`);
    }
  }

  async reserve(): Promise<number> {
    const client = this.live();
    try {
      return (await client.incr(this.key("seq"))) - 1;
    } catch (error) {
      throw this.failure(error, "numbering a document");
    }
  }

  async count(): Promise<number> {
    const client = this.live();
    try {
      if (!this.ttlMs) return await client.zCard(this.key("docs"));
      const now = await this.now(client);
      return await client.zCount(this.key("docs"), `(${now - this.ttlMs}`, "+inf");
    } catch (error) {
      throw this.failure(error, "counting documents");
    }
  }

  /** Contract placeholder (issue 16): the window/evict on Redis is implemented on branch issue-16-redis. */
  async evict(before: number): Promise<number> {
    void before;
    return fail("INDEX_STORE", undefined, `evict() is not implemented yet on ${this.where}`);
  }

  async close(): Promise<void> {
    if (this.closed || !this.client) return;
    this.closed = true;
    const client = this.client;
    await client.close().catch(() => client.destroy());
  }

  /**
   * Write the document unless a watched key changed since begin(): false then. It goes into
   * `buckets` (none for a near-twin or an exact duplicate); `stale` members are dropped from every
   * bucket read (`read`); the meta is rewritten if the server lost it.
   */
  private async commit(
    client: Client,
    doc: NewDoc,
    n: number,
    scheme: Scheme,
    buckets: readonly string[],
    stale: readonly string[],
    read: readonly string[],
    key: number | null,
    now: number,
  ): Promise<boolean> {
    try {
      const docKey = this.docKey(doc.id);
      const write = client.multi();
      const fields: { [field: string]: string } = { n: String(n), c: doc.canonical, z: String(doc.size), t: doc.token };
      if (doc.signature) fields.s = encode(doc.signature);
      if (doc.lead.length) fields.l = encode(doc.lead);
      if (doc.numbers.length) fields.u = encode(doc.numbers);
      if (doc.match) Object.assign(fields, { j: String(doc.match.jaccard), k: String(doc.match.containment) });
      write.hSet(docKey, fields);
      if (this.ttlMs) write.pExpire(docKey, this.ttlMs);
      for (const bucket of buckets) {
        write.sAdd(bucket, doc.id);
        if (this.ttlMs) write.pExpire(bucket, this.ttlMs);
      }
      // Members whose documents expired: removing them from a bucket that lacks them does nothing.
      if (stale.length) for (const bucket of read) write.sRem(bucket, [...stale]);
      if (key !== null) {
        const x = this.exactKey(key);
        write.set(x, doc.id);
        if (this.ttlMs) write.pExpire(x, this.ttlMs);
      }
      const docs = this.key("docs");
      write.zAdd(docs, { score: now, value: doc.id });
      if (this.ttlMs) write.zRemRangeByScore(docs, "-inf", now - this.ttlMs).pExpire(docs, this.ttlMs);
      const meta = this.key("meta");
      write.hSetNX(meta, "format", FORMAT).hSetNX(meta, "options", this.optionsJson).hSetNX(meta, "scheme", scheme);
      try {
        await write.exec();
      } catch (error) {
        if (error instanceof WatchError) return false;
        throw error;
      }
      return true;
    } catch (error) {
      throw this.failure(error, `adding "${doc.id}"`);
    }
  }

  private async record(client: Client, id: string): Promise<StoredDoc | null> {
    const [n, c, z, s, j, k, t, l, u] = await client.hmGet(this.docKey(id), [...FIELDS]);
    if (n == null || c == null) return null;
    return {
      id,
      n: Number(n),
      canonical: c,
      size: Number(z),
      signature: s ? decode(s) : null,
      lead: l ? decode(l) : new Uint32Array(0),
      numbers: u ? decode(u) : new Uint32Array(0),
      match: j == null || c === id ? null : { canonical: c, jaccard: Number(j), containment: Number(k) },
      token: t ?? "",
      time: null,
    };
  }

  private async now(client: Client): Promise<number> {
    const [seconds, micros] = (await client.sendCommand(["TIME"])) as [string, string];
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  private bucketKeys(bands: Uint32Array): string[] {
    return Array.from(bands, (key, b) => this.key(`b:${b}:${key.toString(16)}`));
  }

  private key(name: string): string {
    return `{${this.prefix}}:${name}`;
  }

  private exactKey(key: number): string {
    return this.key(`x:${key.toString(36)}`);
  }

  private docKey(id: string): string {
    return this.key(`d:${id}`);
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

/**
 * At most bands × PER_BAND members of a bucket union, the same ones for every caller (the first
 * in code-unit order): a flood of copies of one story fills its buckets, and a few of them answer
 * for the rest.
 */
function bounded(ids: string[], bands: number): string[] {
  const most = bands * PER_BAND;
  return ids.length <= most ? ids : ids.sort().slice(0, most);
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.trim() || (error instanceof Error ? error.constructor.name : "unknown error");
}

function hint(error: unknown): string {
  return /^(NOAUTH|WRONGPASS)/.test(reason(error)) ? " (give the password in the url: redis://:password@host:port)" : "";
}

function encode(signature: Uint32Array): string {
  const bytes = Buffer.alloc(signature.length * 4);
  for (let i = 0; i < signature.length; i++) bytes.writeUInt32LE(signature[i]!, i * 4);
  return bytes.toString("base64");
}

function decode(text: string): Uint32Array {
  const bytes = Buffer.from(text, "base64");
  const out = new Uint32Array(bytes.length >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readUInt32LE(i * 4);
  return out;
}
