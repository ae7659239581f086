// Index run (--index): the inputs against an index kept between runs — a file (createIndex, saved
// with --update) or a Redis prefix (openIndex, shared by many machines) → one line per article:
// a copy of an earlier one, or new.
import { stat } from "node:fs/promises";
import { DedupeError, dedupeError } from "../errors.js";
import { createIndex, loadIndexFile, type DedupeIndex, type IndexDoc } from "../incremental.js";
import { openIndex, type AsyncDedupeIndex } from "../store-index.js";
import type { DedupeOptions, ResolvedOptions } from "../options.js";
import { saveIndexFile } from "../persist.js";
import type { Match } from "../types.js";
import { usage } from "./args.js";
import { Extractor } from "./extract.js";
import { createProgress, PROGRESS_DELAY_MS } from "./progress.js";
import { readInputs, type ReadOptions } from "./read/walk.js";
import { ignoredWarning, inOrder, type Ready } from "./ready.js";

/** One input's answer. */
export interface IndexRow {
  id: string | null;
  source: string;
  /** new: nothing like it in the index; copy: of `canonical`; seen: its id is in the index already (its canonical given); skipped: unusable. */
  status: "new" | "copy" | "seen" | "skipped";
  canonical?: string;
  jaccard?: number;
  containment?: number;
  code?: string;
  reason?: string;
}

export interface IndexRunOptions {
  readonly target: string;
  readonly update: boolean;
  readonly format: "human" | "json" | "jsonl";
  readonly onError: "skip" | "fail";
  readonly threads: number | "auto";
  /** The matching options the user gave (flags), to create an index with or to check an existing one against. */
  readonly given: DedupeOptions;
  readonly noProgress: boolean;
}

/** Either kind of index, behind one asynchronous face. */
interface Target {
  readonly where: string;
  readonly options: ResolvedOptions;
  add(doc: IndexDoc): Promise<Match | null>;
  query(doc: IndexDoc): Promise<Match | null>;
  size(): Promise<number>;
  canonicalOf(id: string): Promise<string | undefined>;
  /** Save (a file index with --update) and release. */
  finish(save: boolean): Promise<void>;
}

/**
 * Run the inputs against the index. Without --update the index is not changed: each article is
 * matched against it and against the articles before it in this run (a file index is read into
 * memory and added to there, unsaved; a Redis index is queried, and the run's own articles kept
 * in a scratch index beside it).
 */
export async function runIndex(paths: readonly string[], read: ReadOptions, o: IndexRunOptions, io: { stderr: NodeJS.WritableStream & { isTTY?: boolean } }): Promise<{ rows: IndexRow[]; text: string; size: number }> {
  const target = await openTarget(o);
  const before = await target.size();
  const progress = createProgress(io.stderr, { enabled: !o.noProgress && io.stderr.isTTY === true, delayMs: PROGRESS_DELAY_MS });
  const scratch = target.where.startsWith("redis") && !o.update ? createIndex(target.options) : null;
  const rows: IndexRow[] = [];
  const seen = new Map<string, string>();
  const extractor = new Extractor({ threads: o.threads });
  let saved = false;
  const accept = async (item: Ready) => {
    const first = item.id === null ? undefined : seen.get(item.id);
    if (item.kind === "skip" || first !== undefined) {
      const error = item.kind === "skip" ? item.error : dedupeError("INPUT_DUPLICATE_ID", undefined, JSON.stringify(item.id), first!);
      return skipped(item.id, item.source, error);
    }
    seen.set(item.id, item.source);
    // An article the index holds already (a crawl fetched twice, a shard run again): said so, not matched with itself.
    const held = await target.canonicalOf(item.id);
    if (held !== undefined) {
      rows.push({ id: item.id, source: item.source, status: "seen", canonical: held });
      return;
    }
    const doc = { id: item.id, text: item.text, ...(item.time === undefined ? {} : { time: item.time as never }) };
    try {
      let match: Match | null;
      if (scratch) {
        match = (await target.query(doc)) ?? scratch.query(doc);
        scratch.add(doc);
      } else match = await target.add(doc);
      rows.push(match ? { id: item.id, source: item.source, status: "copy", ...match } : { id: item.id, source: item.source, status: "new" });
      progress.update(rows.length, rows.length);
    } catch (e) {
      // A bad document (a time that is not one, an id the index holds): that input is skipped.
      if (e instanceof DedupeError && e.docId !== undefined) return skipped(item.id, item.source, e);
      throw e;
    }
  };
  const skipped = (id: string | null, source: string, error: DedupeError) => {
    if (o.onError === "fail") throw new DedupeError(error.code, `${source}: ${error.message}`);
    progress.log(`news-dedupe: ${source}: ${error.message}; skipped`);
    rows.push({ id, source, status: "skipped", code: error.code, reason: error.message });
  };
  try {
    const ignored: string[] = [];
    for await (const item of inOrder(readInputs(paths, read), extractor, (source) => ignored.push(source))) await accept(item);
    const warning = ignoredWarning(ignored);
    if (warning) progress.log(warning);
    await extractor.close();
    progress.stop();
    const size = o.update ? await target.size() : before;
    await target.finish(o.update);
    saved = true;
    return { rows, size, text: render(rows, o, target.where, size) };
  } finally {
    progress.stop();
    await extractor.close();
    if (!saved) await target.finish(false).catch(() => undefined);
  }
}

async function openTarget(o: IndexRunOptions): Promise<Target> {
  if (/^rediss?:\/\//.test(o.target)) return openRedis(o);
  const path = o.target;
  const exists = await stat(path).then(
    (s) => s.isFile() || fail(`--index ${path} is not a file`),
    (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? false : fail(`--index ${path} cannot be read (${e.code ?? e.message})`)),
  );
  let index: DedupeIndex;
  if (!exists) {
    if (!o.update) throw usage(`--index ${path} does not exist (give --update to create it)`);
    index = createIndex(o.given);
  } else {
    try {
      index = await loadIndexFile(path);
    } catch (e) {
      if (e instanceof DedupeError) throw new DedupeError(e.code, `${path}: ${e.message}`);
      throw e;
    }
    refuseForeign(index.options, o.given, path);
  }
  return {
    where: path,
    options: index.options,
    add: async (doc) => index.add(doc),
    query: async (doc) => index.query(doc),
    size: async () => index.size,
    canonicalOf: async (id) => index.canonicalOf(id),
    finish: async (save) => {
      if (save) await saveIndexFile(index, path);
    },
  };
}

async function openRedis(o: IndexRunOptions): Promise<Target> {
  const url = new URL(o.target);
  // redis://host:port/prefix, or redis://host:port/db/prefix.
  const parts = url.pathname.split("/").filter((p) => p.length > 0).map(decodeURIComponent);
  if (parts.length === 0 || parts.length > 2 || (parts.length === 2 && !/^\d+$/.test(parts[0]!))) {
    throw usage("--index redis://host:port/prefix (or redis://host:port/db/prefix) needs the index's prefix");
  }
  const prefix = parts[parts.length - 1]!;
  url.pathname = parts.length === 2 ? `/${parts[0]}` : "";
  const { redisStore } = await import("../store/redis.js");
  const given = Object.values(o.given).some((v) => v !== undefined) ? o.given : undefined;
  const index: AsyncDedupeIndex = await openIndex(redisStore({ url: url.toString(), prefix }), given);
  return {
    where: `redis ${JSON.stringify(prefix)}`,
    options: index.options,
    add: (doc) => index.add(doc),
    query: (doc) => index.query(doc),
    size: () => index.size(),
    canonicalOf: (id) => index.canonicalOf(id),
    finish: () => index.close(),
  };
}

/** An index keeps the options it was made with: flags asking for others are refused, naming them. */
function refuseForeign(held: ResolvedOptions, given: DedupeOptions, path: string): void {
  const wanted = createIndex(given).options;
  const differ = (Object.keys(given) as Array<keyof DedupeOptions>).filter((k) => given[k] !== undefined && JSON.stringify(held[k]) !== JSON.stringify(wanted[k]));
  if (differ.length === 0) return;
  const show = (o: ResolvedOptions) => differ.map((k) => `${k} ${JSON.stringify(o[k])}`).join(", ");
  throw usage(`the index ${path} was made with ${show(held)}, not ${show(wanted)}: run without those flags to use its options`);
}

function fail(why: string): never {
  throw usage(why);
}

function render(rows: readonly IndexRow[], o: IndexRunOptions, where: string, size: number): string {
  const count = (s: IndexRow["status"]) => rows.filter((r) => r.status === s).length;
  const stats = { articles: rows.length, new: count("new"), copies: count("copy"), seen: count("seen"), skipped: count("skipped"), indexSize: size, updated: o.update };
  if (o.format === "jsonl") return rows.map((r) => JSON.stringify(r) + "\n").join("");
  if (o.format === "json") return JSON.stringify({ index: where, stats, articles: rows }, null, 2) + "\n";
  const lines = rows.map((r) =>
    r.status === "copy"
      ? `copy     ${r.id}  of ${r.canonical}  (containment ${r.containment}, Jaccard ${r.jaccard})`
      : r.status === "new"
        ? `new      ${r.id}`
        : r.status === "seen"
          ? `seen     ${r.id}  (in the index already${r.canonical === r.id ? "" : `, a copy of ${r.canonical}`})`
          : `skipped  ${r.source}: ${r.reason}`,
  );
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  lines.push(
    "",
    `${plural(rows.length, "article", "articles")}: ${stats.new} new, ${plural(stats.copies, "copy", "copies")}${stats.seen ? `, ${stats.seen} in the index already` : ""}${stats.skipped ? `, ${stats.skipped} skipped` : ""}; ` +
      `the index ${where} ${o.update ? "now holds" : "holds"} ${plural(size, "document", "documents")}${o.update ? "" : " (not updated: give --update to add the new articles)"}`,
  );
  return lines.join("\n") + "\n";
}
