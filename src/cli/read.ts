// Read: command-line paths → documents, streamed in a stable order; every problem names its file and line.
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
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
    throw fail("CLI_USAGE", undefined, `${path}: ${fail("INPUT_UNREADABLE", undefined, reason(e)).message}`);
  }
}

function readPath(path: string, kind: Kind, options: ReadOptions): AsyncGenerator<InputItem> {
  if (kind === "stdin") return recordLines(options.stdin, STDIN, options);
  if (kind === "dir") return walk(path, path, options, new Set());
  // A file named on the command line is read whatever its extension: the user asked for it.
  return readFileItems(path, slashes(normalize(path)), path, options);
}

async function* walk(root: string, dir: string, options: ReadOptions, visited: Set<string>): AsyncGenerator<InputItem> {
  let names: string[];
  try {
    // Following symbolic links, so a link back up the tree must not loop.
    const real = await realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    names = (await readdir(dir)).filter((n) => !n.startsWith(".")).sort();
  } catch (e) {
    yield skip(dir, null, fail("INPUT_UNREADABLE", undefined, reason(e)));
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (e) {
      yield skip(path, null, fail("INPUT_UNREADABLE", undefined, reason(e)));
      continue;
    }
    if (isDir) {
      yield* walk(root, path, options, visited);
      continue;
    }
    const ext = extname(name).toLowerCase();
    if (!TEXT_EXTENSIONS.has(ext) && !RECORD_EXTENSIONS.has(ext)) {
      yield { kind: "ignored", source: path };
      continue;
    }
    yield* readFileItems(path, slashes(relative(root, path)), path, options);
  }
}

/** One file: records when .jsonl/.json, otherwise one article whose id is `id`. */
async function* readFileItems(path: string, id: string, source: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl") {
    yield* recordLines(createReadStream(path), source, options);
    return;
  }
  let bytes: Buffer;
  try {
    const size = (await stat(path)).size;
    if (ext !== ".json" && size > options.maxDocBytes) {
      yield skip(source, id, fail("INPUT_TOO_LARGE", undefined, String(size), String(options.maxDocBytes)));
      return;
    }
    bytes = await readFile(path);
  } catch (e) {
    yield skip(source, id, fail("INPUT_UNREADABLE", undefined, reason(e)));
    return;
  }
  if (ext === ".json") {
    yield* jsonFile(bytes, source, options);
    return;
  }
  const text = decode(bytes);
  if (text instanceof DedupeError) yield skip(source, id, text);
  else if (text.trim().length === 0) yield skip(source, id, fail("INPUT_EMPTY", undefined));
  else yield { kind: "doc", id, text, source };
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
    for await (const raw of lines(stream)) {
      n++;
      const source = `${file}:${n}`;
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
    yield skip(n === 0 ? file : `${file}:${n + 1}`, null, fail("INPUT_UNREADABLE", undefined, reason(e)));
  }
}

/** Split a byte stream on \n, without decoding: each line is checked for UTF-8 on its own. */
async function* lines(stream: AsyncIterable<Buffer | string> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
      const piece = buf.subarray(start, nl);
      yield pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      start = nl + 1;
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length > 0) yield Buffer.concat(pending);
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
    return skip(source, id, fail("INPUT_TOO_LARGE", undefined, String(bytes), String(options.maxDocBytes)));
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

/** One line about a system or parse error: its code and message, never a stack. */
function reason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\s+/g, " ").trim();
}
