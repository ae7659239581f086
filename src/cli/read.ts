// Read: command-line paths → documents, streamed in a stable order; every problem names its file and line.
import { isUtf8 } from "node:buffer";
import { closeSync, createReadStream, fstatSync, openSync, readSync, type Dirent, type Stats } from "node:fs";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import { extname, join, normalize, relative, sep } from "node:path";
import { DedupeError, describe, fail } from "../errors.js";

export interface ReadOptions {
  /** Field of a JSON record holding its id ("id"). */
  readonly idField: string;
  /** Field of a JSON record holding its text ("text"). */
  readonly textField: string;
  /** Documents larger than this many UTF-8 bytes are skipped. */
  readonly maxDocBytes: number;
  /** Where "-" reads JSONL from. */
  readonly stdin: AsyncIterable<Buffer | string>;
}

/** A document; `source` says where it came from: "seeds/a.txt", "x.jsonl:12", "x.json[3]". */
export interface InputDoc {
  readonly kind: "doc";
  readonly id: string;
  readonly text: string;
  readonly source: string;
}

/** An input that is not used, with the reason; `id` is null when none could be read. */
export interface Skipped {
  readonly kind: "skip";
  readonly id: string | null;
  readonly source: string;
  readonly error: DedupeError;
}

/** A file in a directory that is not an input type (.txt, .md, .jsonl, .json): not a document. */
export interface Ignored {
  readonly kind: "ignored";
  readonly source: string;
}

export type InputItem = InputDoc | Skipped | Ignored;

const TEXT_EXTENSIONS = new Set([".txt", ".md"]);
const RECORD_EXTENSIONS = new Set([".jsonl", ".json"]);
const STDIN = "<stdin>";

/**
 * Every document under `paths`, in argument order; directories are walked depth-first in
 * code-unit order of names, skipping hidden entries. A path that does not exist throws
 * (a usage error: nothing has been read yet); anything wrong inside an input is yielded as
 * a Skipped item so the caller decides whether to go on. Ids are unique across all inputs:
 * a later document with a seen id is skipped.
 */
export async function* readInputs(paths: readonly string[], options: ReadOptions): AsyncGenerator<InputItem> {
  const kinds = await Promise.all(paths.map(kindOf));
  const seen = new Map<string, string>();
  for (let i = 0; i < paths.length; i++) {
    for await (const item of readPath(paths[i]!, kinds[i]!, options)) {
      if (item.kind !== "doc") {
        yield item;
        continue;
      }
      const first = seen.get(item.id);
      if (first === undefined) {
        seen.set(item.id, item.source);
        yield item;
      } else {
        yield skip(item.source, item.id, fail("INPUT_DUPLICATE_ID", undefined, JSON.stringify(item.id), first));
      }
    }
  }
}

type Kind = "stdin" | "dir" | "file";

async function kindOf(path: string): Promise<Kind> {
  if (path === "-") return "stdin";
  try {
    return (await stat(path)).isDirectory() ? "dir" : "file";
  } catch (e) {
    if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") throw fail("INPUT_NOT_FOUND", undefined, path);
    throw fail("CLI_USAGE", undefined, `${path}: ${unreadable(e).message}`);
  }
}

function readPath(path: string, kind: Kind, options: ReadOptions): AsyncGenerator<InputItem> {
  if (kind === "stdin") return recordLines(options.stdin, STDIN, options);
  if (kind === "dir") return walk(path, path, options, new Map());
  // A file named on the command line is read whatever its extension: the user asked for it.
  return readFileItems(path, slashes(normalize(path)), path, options);
}

async function* walk(root: string, dir: string, options: ReadOptions, visited: Map<string, string>): AsyncGenerator<InputItem> {
  let entries: Dirent[];
  try {
    // Links are followed, so a directory reached twice (a link back up the tree, or a second
    // link to one directory) is read once and named in a warning.
    const real = await realpath(dir);
    const first = visited.get(real);
    if (first !== undefined) {
      const parent = await realpath(join(dir, "..")).catch(() => "");
      const loop = parent === real || parent.startsWith(real + sep);
      yield skip(dir, null, loop ? fail("INPUT_LINK_LOOP", undefined, first) : fail("INPUT_SEEN_DIR", undefined, first));
      return;
    }
    visited.set(real, dir);
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  } catch (e) {
    yield skip(dir, null, unreadable(e));
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // The listing says what most entries are; anything else (a link to follow, a FIFO, a type
    // the file system did not give) gets a stat. A stat per file through fs/promises cost 2 s
    // of the main thread's time on 100,000 files.
    let info: Dirent | Stats = entry;
    if (!entry.isFile() && !entry.isDirectory()) {
      try {
        info = await stat(path);
      } catch (e) {
        yield skip(path, null, unreadable(e));
        continue;
      }
    }
    if (info.isDirectory()) {
      yield* walk(root, path, options, visited);
      continue;
    }
    const ext = extname(entry.name).toLowerCase();
    if (!TEXT_EXTENSIONS.has(ext) && !RECORD_EXTENSIONS.has(ext)) {
      yield { kind: "ignored", source: path };
      continue;
    }
    const id = slashes(relative(root, path));
    // A FIFO would block the run until something writes to it; a device may never end.
    if (!info.isFile()) yield skip(path, id, fail("INPUT_NOT_FILE", undefined, fileType(info)));
    else if (TEXT_EXTENSIONS.has(ext)) yield textItem(readRegularFile(path, options.maxDocBytes), id, path, options.maxDocBytes);
    else yield* readFileItems(path, id, path, options);
  }
}

function fileType(info: Dirent | Stats): string {
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** One file: records when .jsonl/.json, otherwise one article whose id is `id`. */
async function* readFileItems(path: string, id: string, source: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl") {
    yield* recordLines(createReadStream(path), source, options);
    return;
  }
  if (ext !== ".json") {
    yield textItem(await readBounded(path, options.maxDocBytes), id, source, options.maxDocBytes);
    return;
  }
  const limit = Math.max(MAX_JSON_FILE_BYTES, options.maxDocBytes);
  const bytes = await readBounded(path, limit);
  if (bytes instanceof DedupeError) yield skip(source, null, bytes);
  else if (typeof bytes === "number") yield skip(source, null, fail("INPUT_JSON_TOO_LARGE", undefined, String(bytes), String(limit)));
  else yield* jsonFile(bytes, source, options);
}

/** One article file, from what a read gave: the document, or why it is skipped. */
function textItem(bytes: Buffer | number | DedupeError, id: string, source: string, limit: number): InputItem {
  if (bytes instanceof DedupeError) return skip(source, id, bytes);
  if (typeof bytes === "number") return skip(source, id, tooLarge(bytes, limit));
  const text = decode(bytes);
  if (text instanceof DedupeError) return skip(source, id, text);
  if (text.trim().length === 0) return skip(source, id, fail("INPUT_EMPTY", undefined));
  return { kind: "doc", id, text, source };
}

/**
 * A regular file found by the directory walk: read synchronously. A file of a few kilobytes
 * through fs/promises (open, stat, read, close, each a round trip to the thread pool) cost more
 * CPU than fingerprinting it; a regular file cannot block like a FIFO can, and the workers go on
 * meanwhile. A file over the limit is not read.
 */
function readRegularFile(path: string, limit: number): Buffer | number | DedupeError {
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

function tooLarge(bytes: number, limit: number): DedupeError {
  return fail("INPUT_TOO_LARGE", undefined, String(bytes), String(limit));
}

/**
 * A .json file is an array of records or a single record; anything else that fails to parse
 * is read as JSONL, so an export mislabelled .json still gets line numbers in its errors.
 */
async function* jsonFile(bytes: Buffer, source: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const text = decode(bytes);
  if (text instanceof DedupeError) {
    yield skip(source, null, text);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (text.trimStart().startsWith("[")) yield skip(source, null, fail("INPUT_BAD_JSON", undefined, reason(e)));
    else yield* recordLines([bytes], source, options);
    return;
  }
  if (!Array.isArray(value)) {
    yield record(value, source, options);
    return;
  }
  for (let i = 0; i < value.length; i++) yield record(value[i], `${source}[${i}]`, options);
}

/** JSON Lines, streamed: one record per non-blank line, "file:line" as its source. */
async function* recordLines(stream: AsyncIterable<Buffer | string> | Iterable<Buffer>, file: string, options: ReadOptions): AsyncGenerator<InputItem> {
  let n = 0;
  try {
    for await (const raw of lines(stream, options.maxDocBytes)) {
      n++;
      const source = `${file}:${n}`;
      if (!Buffer.isBuffer(raw)) {
        const id = leadingField(raw.head.toString("utf8"), options.idField);
        yield skip(source, id, tooLarge(raw.bytes, options.maxDocBytes));
        continue;
      }
      const text = decode(raw.at(-1) === 13 ? raw.subarray(0, -1) : raw);
      if (text instanceof DedupeError) {
        yield skip(source, null, text);
        continue;
      }
      if (text.trim().length === 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        yield skip(source, null, fail("INPUT_BAD_JSON", undefined, reason(e)));
        continue;
      }
      yield record(value, source, options);
    }
  } catch (e) {
    // The stream failed (unreadable file, or a directory that is no longer one).
    yield skip(n === 0 ? file : `${file}:${n + 1}`, null, unreadable(e));
  }
}

/** A line over the limit: its length and its first bytes (where the id usually is). */
interface LongLine {
  readonly bytes: number;
  readonly head: Buffer;
}

/** Bytes of a long line kept to find its id. */
const HEAD_BYTES = 64 * 1024;

/**
 * Split a byte stream on \n, without decoding: each line is checked for UTF-8 on its own. A line
 * longer than `limit` is not collected: only its length and first HEAD_BYTES are kept, so a
 * 200 MB line costs no more memory than a short one.
 */
async function* lines(stream: AsyncIterable<Buffer | string> | Iterable<Buffer>, limit: number): AsyncGenerator<Buffer | LongLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let long: { bytes: number; head: Buffer } | null = null;
  const add = (piece: Buffer) => {
    if (long) {
      long.bytes += piece.length;
      return;
    }
    pendingBytes += piece.length;
    if (pendingBytes <= limit) {
      pending.push(Buffer.from(piece)); // a copy, so the stream's chunk is not retained whole
      return;
    }
    const head = Buffer.concat([...pending, piece]).subarray(0, HEAD_BYTES);
    long = { bytes: pendingBytes, head: Buffer.from(head) };
    pending = [];
  };
  const end = (): Buffer | LongLine => {
    const line: Buffer | LongLine = long ?? (pending.length === 1 ? pending[0]! : Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
    long = null;
    return line;
  };
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
      if (pending.length === 0 && long === null && nl - start <= limit) yield buf.subarray(start, nl);
      else {
        add(buf.subarray(start, nl));
        yield end();
      }
      start = nl + 1;
    }
    if (start < buf.length) add(buf.subarray(start));
  }
  if (pending.length > 0 || long !== null) yield end();
}

/**
 * The value of a top-level string or number field in the first bytes of a JSON object, or null
 * when it is not there (the text field came first, or the head is not an object). Used only to
 * name a record too long to parse; a small scanner, not a parser: it skips other values by
 * matching brackets and strings.
 */
export function leadingField(head: string, field: string): string | null {
  let i = 0;
  const ws = () => {
    while (i < head.length && /\s/.test(head[i]!)) i++;
  };
  const string = (): string | null => {
    const start = i;
    for (i++; i < head.length; i++) {
      if (head[i] === "\\") i++;
      else if (head[i] === '"') {
        i++;
        try {
          return JSON.parse(head.slice(start, i)) as string;
        } catch {
          return null;
        }
      }
    }
    return null;
  };
  const skipValue = (): boolean => {
    if (head[i] === '"') return string() !== null;
    let depth = 0;
    for (; i < head.length; i++) {
      const c = head[i]!;
      if (c === '"') {
        if (string() === null) return false;
        i--;
      } else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        if (depth === 0) return true;
        depth--;
        if (depth === 0) {
          i++;
          return true;
        }
      } else if (c === "," && depth === 0) return true;
    }
    return false;
  };
  ws();
  if (head[i] !== "{") return null;
  i++;
  for (;;) {
    ws();
    if (head[i] !== '"') return null;
    const key = string();
    ws();
    if (key === null || head[i] !== ":") return null;
    i++;
    ws();
    if (key === field) {
      if (head[i] === '"') {
        const value = string();
        return value === null || value.length === 0 ? null : value;
      }
      const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?=\s*[,}])/.exec(head.slice(i));
      return num ? String(Number(num[0])) : null;
    }
    if (!skipValue()) return null;
    ws();
    if (head[i] !== ",") return null;
    i++;
  }
}

function record(value: unknown, source: string, options: ReadOptions): InputDoc | Skipped {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return skip(source, null, fail("INPUT_BAD_RECORD", undefined, describe(value)));
  }
  const fields = value as Record<string, unknown>;
  const rawId = fields[options.idField];
  if (rawId === undefined) return skip(source, null, fail("INPUT_NO_FIELD", undefined, options.idField));
  const id = typeof rawId === "number" && Number.isFinite(rawId) ? String(rawId) : rawId;
  if (typeof id !== "string" || id.length === 0) {
    return skip(source, null, fail("INPUT_BAD_FIELD", undefined, options.idField, describe(rawId), "a non-empty string or a number"));
  }
  const text = fields[options.textField];
  if (text === undefined) return skip(source, id, fail("INPUT_NO_FIELD", undefined, options.textField));
  if (typeof text !== "string") {
    return skip(source, id, fail("INPUT_BAD_FIELD", undefined, options.textField, describe(text), "a string"));
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > options.maxDocBytes) {
    return skip(source, id, tooLarge(bytes, options.maxDocBytes));
  }
  if (text.trim().length === 0) return skip(source, id, fail("INPUT_EMPTY", undefined));
  return { kind: "doc", id, text, source };
}

/** Bytes → text without a byte-order mark, or the reason they are not text. */
function decode(bytes: Buffer): string | DedupeError {
  if (bytes.includes(0)) return fail("INPUT_BINARY", undefined);
  if (!isUtf8(bytes)) return fail("INPUT_NOT_UTF8", undefined);
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function skip(source: string, id: string | null, error: DedupeError): Skipped {
  return { kind: "skip", id, source, error };
}

function slashes(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function errno(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String(e.code) : undefined;
}

/** A file system error as the one-line reason of an INPUT_UNREADABLE skip. */
function unreadable(e: unknown): DedupeError {
  return fail("INPUT_UNREADABLE", undefined, FRIENDLY[errno(e) ?? ""] ?? reason(e));
}

const FRIENDLY: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOENT: "it no longer exists: removed while the corpus was read",
  ELOOP: "a loop of symbolic links",
  EISDIR: "it is a directory",
  ENOTDIR: "a path component is not a directory",
};

/** One line about a system or parse error: its code and message, never a stack. */
function reason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\s+/g, " ").trim();
}
