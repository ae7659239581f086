// Files: one file → its documents (one article, or the records of a .jsonl/.json file), read with a
// bound so that neither a huge file nor one that grows while read is ever held whole.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { dedupeError, DedupeError } from "../../errors.js";
import { decode, skip, tooLarge, unreadable, type InputItem, type ReadOptions } from "./items.js";
import { htmlItem } from "./html.js";
import { jsonFile, recordLines } from "./records.js";
import type * as Warc from "./warc.js";

/** One file: records when .jsonl/.json, pages when .warc/.warc.gz, a page when .html/.htm, otherwise one article whose id is `id`. */
export async function* readFileItems(path: string, id: string, source: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const ext = extname(path).toLowerCase();
  if (isWarc(path)) {
    // Loaded with the first archive: warcio is not needed by a run without one.
    const { warcItems } = (await import("./warc.js")) as typeof Warc;
    yield* warcItems(path, source, options);
    return;
  }
  if (HTML_EXTENSIONS.has(ext)) {
    yield htmlItem(await readBounded(path, options.maxDocBytes), id, source, options.maxDocBytes);
    return;
  }
  if (ext === ".jsonl") {
    yield* recordLines(chunks(path), source, options);
    return;
  }
  if (ext !== ".json") {
    yield textItem(await readBounded(path, options.maxDocBytes), id, source, options.maxDocBytes);
    return;
  }
  const limit = Math.max(MAX_JSON_FILE_BYTES, options.maxDocBytes);
  const bytes = await readBounded(path, limit);
  if (bytes instanceof DedupeError) yield skip(source, null, bytes);
  else if (typeof bytes === "number") yield skip(source, null, dedupeError("INPUT_JSON_TOO_LARGE", undefined, String(bytes), String(limit)));
  else yield* jsonFile(bytes, source, options);
}

/** Bytes per read of a streamed file. */
const STREAM_CHUNK = 1024 * 1024;

/**
 * A file's bytes, a chunk at a time, every chunk read into the same buffer: each is overwritten
 * by the next read, so the reader must be done with a chunk (or have copied what it keeps) before
 * asking for the next, as recordLines is. A read stream allocates a new buffer per chunk, and
 * the memory of hundreds of megabytes read once is fresh pages to fault in, which cost several
 * times the read itself; one buffer is faulted in once.
 */
export async function* chunks(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(STREAM_CHUNK);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** One article file, from what a read gave: the document, or why it is skipped. */
export function textItem(bytes: Buffer | number | DedupeError, id: string, source: string, limit: number): InputItem {
  if (bytes instanceof DedupeError) return skip(source, id, bytes);
  if (typeof bytes === "number") return skip(source, id, tooLarge(bytes, limit));
  const text = decode(bytes);
  if (text instanceof DedupeError) return skip(source, id, text);
  if (text.trim().length === 0) return skip(source, id, dedupeError("INPUT_EMPTY", undefined));
  return { kind: "doc", id, text, source };
}

/**
 * A regular file found by the directory walk: read synchronously. A file of a few kilobytes
 * through fs/promises (open, stat, read, close, each a round trip to the thread pool) cost more
 * CPU than fingerprinting it; a regular file cannot block like a FIFO can, and the workers go on
 * meanwhile. A file over the limit is not read.
 */
export function readRegularFile(path: string, limit: number): Buffer | number | DedupeError {
  let fd;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    return unreadable(e);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return size;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // the file may have grown since its stat: read until its end, stopping past the limit
      const buf = Buffer.allocUnsafe(Math.min(Math.max(size + 1, 4096), CHUNK, limit + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) return total;
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    return unreadable(e);
  } finally {
    closeSync(fd);
  }
}

export const HTML_EXTENSIONS = new Set([".html", ".htm"]);

/** Whether a file name is a WARC archive's. */
export function isWarc(name: string): boolean {
  return /\.warc(\.gz)?$/i.test(name);
}

/** A .json file is parsed whole: over this size (or --max-doc-bytes, if larger) it is skipped, JSONL being the format for big exports. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/**
 * A file's bytes, or its size when it is over `limit`, or why it cannot be read. The size is
 * checked before reading and the read stops past the limit, so neither a huge file nor one that
 * grows while read (or a FIFO named on the command line) is ever held whole.
 */
async function readBounded(path: string, limit: number): Promise<Buffer | number | DedupeError> {
  let file;
  try {
    file = await open(path, "r");
  } catch (e) {
    return unreadable(e);
  }
  try {
    const size = (await file.stat()).size;
    if (size > limit) return size;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) return Math.max(total, (await file.stat()).size);
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    return unreadable(e);
  } finally {
    await file.close().catch(() => undefined);
  }
}

