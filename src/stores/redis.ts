// Redis store: one index shared by many processes, `createIndex({ store: redisStore({ url }) })`.
import { randomUUID } from "node:crypto";
import { createClient, ErrorReply, WatchError } from "redis";
import { bandKeys, lshParams, type LshParams } from "../candidates.js";
import { DedupeError, describe, fail } from "../errors.js";
import {
  chooseMatch,
  resolveIndexOptions,
  toEntry,
  type AsyncDedupeIndex,
  type Entry,
  type IndexDoc,
  type IndexStore,
  type Stored,
} from "../incremental.js";
import type { DedupeOptions, ResolvedOptions } from "../options.js";
import type { Scheme } from "../persist.js";
import type { Match } from "../types.js";

export interface RedisStoreOptions {
  /** Server address, redis://[[user]:password@]host[:port][/db] or rediss:// for TLS. Default redis://127.0.0.1:6379. */
  url?: string;
  /** Start of every key of this index: one Redis can hold several indexes under different prefixes. Default "news-dedupe". */
  prefix?: string;
  /** Forget a document this many seconds after it was added (a news window, say 7 × 86400). Default: never. */
  ttlSeconds?: number;
}

/*
 * Keys, under the prefix P:
 *   P:meta            hash: format, options (JSON), scheme — written once, never expires
 *   P:seq             counter: the next document number (arrival order across all workers)
 *   P:docs            sorted set: id → time added (ms, server clock), for size()
 *   P:d:<id>          hash: n (number), c (canonical), z (shingles), s (signature, base64 u32 LE),
 *                     j/k (the match's scores), t (token of the add that wrote it)
 *   P:b:<band>:<key>  set: ids of the documents whose band <band> hashes to <key> (hex)
 * With a TTL, P:d:<id> expires that long after its add; P:b:… and P:docs that long after their
 * latest add, and members whose P:d:<id> has gone are dropped by the next add to that bucket.
 */
const FORMAT = "1";
const FIELDS = ["n", "c", "z", "s", "j", "k", "t"] as const;
/** Conflicting attempts (another worker added a document sharing a band meanwhile) before add() gives up. */
const MAX_ATTEMPTS = 100;

type Client = ReturnType<typeof createClient>;

/**
 * Keep the index in Redis, shared by every process that opens the same url and prefix. Adds are
 * atomic add-if-new (WATCH on the document's band buckets, MULTI/EXEC, retried on conflict): of
 * two copies of a new story added at once by two workers, exactly one becomes canonical.
 */
export function redisStore(options: RedisStoreOptions = {}): IndexStore {
  if (typeof options !== "object" || options === null) throw fail("INVALID_OPTION", undefined, "redisStore()", "takes an object { url, prefix, ttlSeconds }");
  const { url = "redis://127.0.0.1:6379", prefix = "news-dedupe", ttlSeconds } = options;
  if (typeof url !== "string" || !/^rediss?:\/\//.test(url)) {
    throw fail("INVALID_OPTION", undefined, "url", `must be a redis:// or rediss:// address, got ${JSON.stringify(mask(String(url)))}`);
  }
  if (typeof prefix !== "string" || prefix.length === 0) throw fail("INVALID_OPTION", undefined, "prefix", `must be a non-empty string, got ${describe(prefix)}`);
  if (ttlSeconds !== undefined && (typeof ttlSeconds !== "number" || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0)) {
    throw fail("INVALID_OPTION", undefined, "ttlSeconds", `must be a positive number of seconds, got ${JSON.stringify(ttlSeconds)}`);
  }
  return { open: (given) => RedisIndex.open(url, prefix, ttlSeconds === undefined ? 0 : Math.ceil(ttlSeconds * 1000), given) };
}

/** The url as it may appear in messages: without its password. */
function mask(url: string): string {
  return url.replace(/^(\w+:\/\/[^:@/]*:)[^@/]*@/, "$1***@");
}

interface StoredDoc {
  n: number;
  canonical: string;
  size: number;
  signature: Uint32Array | null;
  match: Match | null;
  token: string;
}

class RedisIndex implements AsyncDedupeIndex {
  private readonly params: LshParams;
  private scheme: Scheme | null;
  /** Adds run one after another on this connection: WATCH belongs to the connection. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Tokens of adds whose outcome a lost connection hid: re-adding the id finds its own write. */
  private readonly pending = new Map<string, string>();
  private added = 0;
  private closed = false;

  private constructor(
    private readonly client: Client,
    private readonly where: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
    readonly options: ResolvedOptions,
    scheme: Scheme | null,
  ) {
    this.params = lshParams(options.jaccard, options.numHashes);
    this.scheme = scheme;
  }

  static async open(url: string, prefix: string, ttlMs: number, given: DedupeOptions): Promise<RedisIndex> {
    const explicit = Object.values(given).some((v) => v !== undefined);
    const wanted = resolveIndexOptions(given);
    const where = mask(url);
    let ready = false;
    const client = createClient({
      url,
      // Fail at once while disconnected (a clear error) instead of queueing calls without limit.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 5000,
        // Never reconnect before the first success: a wrong address or password is an error, not a wait.
        reconnectStrategy: (retries: number, cause: Error) => (ready ? Math.min(50 * 2 ** retries, 2000) : cause),
      },
    });
    // Errors reach callers through the failing call; the client emits them too, and would crash without a listener.
    client.on("error", () => undefined);
    client.on("ready", () => (ready = true));
    try {
      await client.connect();
    } catch (error) {
      throw fail("INDEX_STORE", undefined, `cannot connect to ${where}: ${reason(error)}${hint(error)}`);
    }
    try {
      const meta = `${prefix}:meta`;
      await client.multi().hSetNX(meta, "format", FORMAT).hSetNX(meta, "options", JSON.stringify(wanted)).exec();
      const stored = await client.hGetAll(meta);
      if (stored.format !== FORMAT) {
        throw fail("INDEX_STORE", undefined, `${where} holds an index of format ${String(stored.format)} under prefix "${prefix}"; this version reads format ${FORMAT}`);
      }
      const theirs = resolveIndexOptions(JSON.parse(stored.options ?? "{}") as DedupeOptions);
      if (explicit && JSON.stringify(theirs) !== JSON.stringify(wanted)) {
        const differ = (Object.keys(wanted) as Array<keyof ResolvedOptions>).filter((k) => JSON.stringify(theirs[k]) !== JSON.stringify(wanted[k]));
        throw fail(
          "INDEX_STORE",
          undefined,
          `the index "${prefix}" on ${where} was created with ${differ.map((k) => `${k} ${JSON.stringify(theirs[k])}`).join(", ")}, not ${differ.map((k) => JSON.stringify(wanted[k])).join(", ")}: open it with its options (or none)`,
        );
      }
      return new RedisIndex(client, where, prefix, ttlMs, theirs, (stored.scheme as Scheme | undefined) ?? null);
    } catch (error) {
      client.destroy();
      throw failure(error, "opening the index", where);
    }
  }

  add(doc: IndexDoc): Promise<Match | null> {
    const run = this.queue.then(() => this.addNow(doc));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async query(doc: IndexDoc): Promise<Match | null> {
    try {
      this.live();
      const entry = this.entry(doc, this.added);
      if (!entry.signature) return null;
      const keys = this.bucketKeys(entry.signature);
      const [members, scheme] = await Promise.all([this.members(keys), this.scheme ? null : this.client.hGet(this.key("meta"), "scheme")]);
      this.checkScheme(entry, scheme);
      return (await this.match(entry, members)).match;
    } catch (error) {
      throw this.failure(error, "querying");
    }
  }

  async has(id: string | number): Promise<boolean> {
    try {
      this.live();
      return (await this.client.exists(this.docKey(String(id)))) === 1;
    } catch (error) {
      throw this.failure(error, `looking up "${String(id)}"`);
    }
  }

  async canonicalOf(id: string | number): Promise<string | undefined> {
    try {
      this.live();
      return (await this.client.hGet(this.docKey(String(id)), "c")) ?? undefined;
    } catch (error) {
      throw this.failure(error, `looking up "${String(id)}"`);
    }
  }

  async size(): Promise<number> {
    try {
      this.live();
      if (!this.ttlMs) return await this.client.zCard(this.key("docs"));
      const now = await this.now();
      return await this.client.zCount(this.key("docs"), `(${now - this.ttlMs}`, "+inf");
    } catch (error) {
      throw this.failure(error, "counting documents");
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.client.close().catch(() => this.client.destroy());
  }

  private async addNow(doc: IndexDoc): Promise<Match | null> {
    let id = typeof doc === "object" && doc !== null && "id" in doc ? String(doc.id) : undefined;
    try {
      this.live();
      // A plain string's id is its number in the index, as in memory: reserve it first.
      let n = typeof doc === "string" ? (await this.client.incr(this.key("seq"))) - 1 : undefined;
      const entry = this.entry(doc, n ?? this.added);
      id = entry.id;
      const token = this.pending.get(entry.id) ?? randomUUID();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        try {
          const outcome = await this.tryAdd(entry, token, n);
          n = outcome.n;
          if (outcome.done) {
            this.pending.delete(entry.id);
            this.added++;
            return outcome.match;
          }
        } catch (error) {
          // The write may have landed with its reply lost: a re-add of this id will recognise it.
          if (!(error instanceof DedupeError) && !(error instanceof ErrorReply)) this.pending.set(entry.id, token);
          throw error;
        }
        // Someone added a document sharing a band meanwhile: read again, after a short random pause.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      }
      throw fail("INDEX_STORE", undefined, `adding "${entry.id}" conflicted with other workers ${MAX_ATTEMPTS} times in a row`);
    } catch (error) {
      throw this.failure(error, id === undefined ? "adding a document" : `adding "${id}"`);
    }
  }

  /** One optimistic attempt: watch, read, decide, write unless a watched key changed meanwhile. */
  private async tryAdd(entry: Entry, token: string, reserved: number | undefined): Promise<{ done: boolean; match: Match | null; n: number }> {
    const client = this.client;
    const docKey = this.docKey(entry.id);
    const buckets = entry.signature ? this.bucketKeys(entry.signature) : [];
    const meta = this.key("meta");
    // WATCH goes first on the connection, the reads after it in the same round trip.
    const [, found, members, scheme, seq, now] = await Promise.all([
      client.watch(this.scheme ? [docKey, ...buckets] : [docKey, meta, ...buckets]),
      this.record(entry.id),
      this.members(buckets),
      this.scheme ? null : client.hGet(meta, "scheme"),
      reserved === undefined ? client.incr(this.key("seq")) : reserved + 1,
      this.now(),
    ]);
    const n = seq - 1;
    if (found) {
      await client.unwatch();
      if (found.token === token) return { done: true, match: found.match, n };
      throw fail("DUPLICATE_ID", entry.id, `${found.n} in the index`);
    }
    try {
      this.checkScheme(entry, scheme);
    } catch (error) {
      await client.unwatch();
      throw error;
    }
    // The id's own bucket entries can only be left over from an expired add of it.
    const { match, stale } = await this.match(entry, members.filter((id) => id !== entry.id));

    const write = client.multi();
    const fields: { [field: string]: string } = { n: String(n), c: match?.canonical ?? entry.id, z: String(entry.size), t: token };
    if (entry.signature) fields.s = encode(entry.signature);
    if (match) Object.assign(fields, { j: String(match.jaccard), k: String(match.containment) });
    write.hSet(docKey, fields);
    if (this.ttlMs) write.pExpire(docKey, this.ttlMs);
    for (const bucket of buckets) {
      write.sAdd(bucket, entry.id);
      // Members whose documents expired: removing them from a bucket that lacks them does nothing.
      if (stale.length) write.sRem(bucket, stale);
      if (this.ttlMs) write.pExpire(bucket, this.ttlMs);
    }
    const docs = this.key("docs");
    write.zAdd(docs, { score: now, value: entry.id });
    if (this.ttlMs) write.zRemRangeByScore(docs, "-inf", now - this.ttlMs).pExpire(docs, this.ttlMs);
    if (!this.scheme) write.hSetNX(meta, "scheme", entry.scheme);
    try {
      await write.exec();
    } catch (error) {
      if (error instanceof WatchError) return { done: false, match: null, n };
      throw error;
    }
    this.scheme ??= entry.scheme;
    return { done: true, match, n };
  }

  /** The match among the bucket members, and the members whose documents have expired. */
  private async match(entry: Entry, ids: string[]): Promise<{ match: Match | null; stale: string[] }> {
    const stored = new Map<string, Stored>();
    const fetch = async (wanted: string[]) => {
      const records = await Promise.all(wanted.map((id) => this.record(id)));
      wanted.forEach((id, i) => {
        const r = records[i];
        if (r) stored.set(id, { id, signature: r.signature, size: r.size, scheme: entry.scheme, canonical: r.canonical });
      });
    };
    await fetch(ids);
    const candidates = ids.flatMap((id) => stored.get(id) ?? []);
    // A candidate's canonical need not share a band with the new document: fetch those too.
    await fetch([...new Set(candidates.map((c) => c.canonical))].filter((id) => !stored.has(id)));
    const stale = ids.filter((id) => !stored.has(id));
    return { match: chooseMatch(entry, candidates, (id) => stored.get(id), this.options), stale };
  }

  private async record(id: string): Promise<StoredDoc | null> {
    const [n, c, z, s, j, k, t] = await this.client.hmGet(this.docKey(id), [...FIELDS]);
    if (n == null || c == null) return null;
    return {
      n: Number(n),
      canonical: c,
      size: Number(z),
      signature: s ? decode(s) : null,
      match: j == null || c === id ? null : { canonical: c, jaccard: Number(j), containment: Number(k) },
      token: t ?? "",
    };
  }

  /** Every document in any of the buckets, each once (one command, not one per band). */
  private async members(buckets: string[]): Promise<string[]> {
    return buckets.length ? this.client.sUnion(buckets) : [];
  }

  private async now(): Promise<number> {
    const [seconds, micros] = (await this.client.sendCommand(["TIME"])) as [string, string];
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  private entry(doc: IndexDoc, position: number): Entry {
    const entry = toEntry(doc, this.options, position);
    this.checkScheme(entry, null);
    return entry;
  }

  /** One index holds one kind of signature; `stored` is the scheme just read from Redis, if any. */
  private checkScheme(entry: Entry, stored: string | null): void {
    if (stored) this.scheme = stored as Scheme;
    if (this.scheme && entry.scheme !== this.scheme) {
      throw fail("SIGNATURE_MISMATCH", entry.id, `it carries a ${entry.scheme} signature and the index holds ${this.scheme} signatures`);
    }
  }

  private bucketKeys(signature: Uint32Array): string[] {
    return Array.from(bandKeys(signature, this.params), (key, b) => this.key(`b:${b}:${key.toString(16)}`));
  }

  private key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  private docKey(id: string): string {
    return this.key(`d:${id}`);
  }

  private live(): void {
    if (this.closed) throw fail("INDEX_STORE", undefined, `the index "${this.prefix}" on ${this.where} was closed`);
  }

  private failure(error: unknown, doing: string): DedupeError {
    if (this.closed && !(error instanceof DedupeError)) return fail("INDEX_STORE", undefined, `${doing}: the index "${this.prefix}" on ${this.where} was closed`);
    return failure(error, doing, this.where);
  }
}

/** Errors as DedupeErrors: ours unchanged, Redis's and the network's named with the server and the action. */
function failure(error: unknown, doing: string, where: string): DedupeError {
  if (error instanceof DedupeError) return error;
  if (error instanceof ErrorReply) return fail("INDEX_STORE", undefined, `${doing}: ${where} answered: ${reason(error)}${hint(error)}`);
  return fail("INDEX_STORE", undefined, `${doing}: lost the connection to ${where} (${reason(error)}); it reconnects by itself, try again`);
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
