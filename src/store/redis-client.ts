// Redis store, client side: the key layout and its format, the connection (timeouts, no offline
// queue), running the Lua scripts by SHA1, and the server's errors and url as messages may show them.
import { createHash } from "node:crypto";
import { createClient, ErrorReply, RESP_TYPES } from "redis";
import { fail } from "../errors.js";
import { EVICT, UNLINK } from "./redis-lua-evict.js";
import { COMMIT, READ } from "./redis-lua.js";

/*
 * Keys, under the prefix P, every one starting with "{P}": the braces end the prefix (a prefix may
 * hold neither brace), so no key of one prefix is a key of another ("ov" and "ov:d" included),
 * and they make P a Redis Cluster hash tag: every key of an index is in one slot, as its scripts
 * need (each script names {P}:meta as its key, so a cluster client sends it to that slot).
 *   {P}:meta              hash: format, options (JSON), scheme, shards (bits), n (documents
 *                         committed: the next number), count (documents held), seq (plain-string ids)
 *   {P}:d:<id>            string: the document's record (redis-codec.ts), its number first
 *   {P}:i:<n / 128>       hash: number → id, 128 numbers a hash (small hashes are compact lists)
 *   {P}:b:<band>:<shard>  string: 7-byte entries [rest of the band key: 3][number: 4], added at the end
 *   {P}:x:<shard>         string: the same for content keys (the latest document with each)
 *   {P}:t:<slot>, {P}:ts  documents by time (a window): 8-byte entries [ms in the slot][number]
 *                         sorted, one string a minute, and the sorted set of minutes that have one
 *   {P}:a:<slot>, {P}:as  the same by the server's clock at the add, with ttlSeconds
 * A bucket is not a key of its own: one key per band and document would cost more than the
 * document (a key is ~70 bytes before its value); shard strings cost 7 bytes an entry.
 */
/**
 * 6: this layout. 3 was the set-per-bucket layout; 4 the same with issue 15's tokenizer's
 * signatures; 5 this layout with number samples as [masked, raw] pairs (now compact, one u32 a pair).
 */
export const FORMAT = "6";

export type Client = ReturnType<typeof createClient>;

/** The name of key `name` of the index under `prefix`: "{prefix}:name". */
export function keyOf(prefix: string, name: string): string {
  return `{${prefix}}:${name}`;
}

/** A connected client for the url, or an INDEX_STORE error naming the address (its password masked). */
export async function connect(url: string, timeoutMs: number): Promise<Client> {
  let ready = false;
  let client: Client;
  try {
    client = connectable(url, timeoutMs, () => ready);
  } catch (error) {
    fail("INDEX_STORE", undefined, `cannot use ${mask(url)}: ${error instanceof Error ? mask(error.message.split("\n")[0]!) : "bad address"}`);
  }
  // Errors reach callers through the failing call; the client emits them too, and would crash without a listener.
  client.on("error", () => undefined);
  client.on("ready", () => (ready = true));
  try {
    await client.connect();
  } catch (error) {
    fail("INDEX_STORE", undefined, `cannot connect to ${mask(url)}: ${reason(error)}${hint(error)}`);
  }
  return client;
}

/** A client for the url: failing fast while disconnected, every command bounded by the timeout. */
function connectable(url: string, timeoutMs: number, isReady: () => boolean): Client {
  return createClient({
    url,
    // Fail at once while disconnected (a clear error) instead of queueing calls without limit.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      // A stalled server answers nothing: a socket awaiting a reply that long is closed, its
      // commands fail (and the client reconnects) instead of hanging for the whole stall.
      socketTimeout: timeoutMs,
      // Never reconnect before the first success: a wrong address or password is an error, not a wait.
      reconnectStrategy: (retries: number, cause: Error) => (isReady() ? Math.min(50 * 2 ** retries, 2000) : cause),
    },
  });
}

/** Replies with their bulk strings as bytes: records are binary. */
const BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };

const SCRIPTS = Object.fromEntries(
  Object.entries({ READ, COMMIT, EVICT, UNLINK }).map(([name, source]) => [name, { source, sha: createHash("sha1").update(source).digest("hex") }]),
) as Record<ScriptName, { source: string; sha: string }>;

export type ScriptName = "READ" | "COMMIT" | "EVICT" | "UNLINK";

/** Run a script of the index under `prefix` by its SHA1, loading it the first time the server lacks it. */
export async function runScript(client: Client, prefix: string, name: ScriptName, args: ReadonlyArray<string | Buffer>): Promise<unknown> {
  const { source, sha } = SCRIPTS[name];
  const head = [keyOf(prefix, "meta"), `{${prefix}}:`];
  try {
    return await client.sendCommand(["EVALSHA", sha, "1", ...head, ...args], BUFFERS);
  } catch (error) {
    if (!(error instanceof ErrorReply && error.message.startsWith("NOSCRIPT"))) throw error;
    return await client.sendCommand(["EVAL", source, "1", ...head, ...args], BUFFERS);
  }
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

/** The first line of an error's message, or the error's kind when it has none. */
export function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.trim() || (error instanceof Error ? error.constructor.name : "unknown error");
}

/** What to do about an error that asks for a password, or nothing. */
export function hint(error: unknown): string {
  return /^(NOAUTH|WRONGPASS)/.test(reason(error)) ? " (give the password in the url: redis://:password@host:port)" : "";
}
