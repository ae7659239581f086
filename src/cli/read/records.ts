// Records: JSON Lines (streamed, line by line, never a whole over-long line in memory) and .json
// files → documents, each named "file:line" or "file[i]"; the id and size rules are input.ts's.
import { dedupeError, describe, DedupeError } from "../../errors.js";
import { bytesOver, idOf } from "../../input.js";
import { decode, reason, skip, tooLarge, unreadable, type InputDoc, type InputHtml, type InputItem, type ReadOptions, type Skipped } from "./items.js";

/**
 * A .json file is an array of records or a single record; anything else that fails to parse
 * is read as JSONL, so an export mislabelled .json still gets line numbers in its errors.
 */
export async function* jsonFile(bytes: Buffer, source: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const text = decode(bytes);
  if (text instanceof DedupeError) {
    yield skip(source, null, text);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (text.trimStart().startsWith("[")) yield skip(source, null, dedupeError("INPUT_BAD_JSON", undefined, reason(e)));
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
export async function* recordLines(stream: AsyncIterable<Buffer | string> | Iterable<Buffer>, file: string, options: ReadOptions): AsyncGenerator<InputItem> {
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
        yield skip(source, null, dedupeError("INPUT_BAD_JSON", undefined, reason(e)));
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
 * within one chunk is a view of it, valid until the next line is asked for (files.ts chunks()
 * reads the next chunk into the same buffer); a line across chunks is a copy. A line
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
      pending.push(Buffer.from(piece)); // a copy: the chunk is not retained whole, and its buffer may be read into again
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

export function record(value: unknown, source: string, options: ReadOptions): InputDoc | InputHtml | Skipped {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return skip(source, null, dedupeError("INPUT_BAD_RECORD", undefined, describe(value)));
  }
  const fields = value as Record<string, unknown>;
  const rawId = fields[options.idField];
  if (rawId === undefined) return skip(source, null, dedupeError("INPUT_NO_FIELD", undefined, options.idField));
  const id = idOf(rawId);
  if (id === undefined) {
    return skip(source, null, dedupeError("INPUT_BAD_FIELD", undefined, options.idField, describe(rawId), "a non-empty string or a number"));
  }
  // With --html-field the record holds a page: its article is extracted later (cli/extract.ts).
  const field = options.htmlField ?? options.textField;
  const text = fields[field];
  if (text === undefined) return skip(source, id, dedupeError("INPUT_NO_FIELD", undefined, field));
  if (typeof text !== "string") {
    return skip(source, id, dedupeError("INPUT_BAD_FIELD", undefined, field, describe(text), "a string"));
  }
  const bytes = bytesOver(text, options.maxDocBytes);
  if (bytes !== undefined) return skip(source, id, tooLarge(bytes, options.maxDocBytes));
  if (text.trim().length === 0) return skip(source, id, dedupeError("INPUT_EMPTY", undefined));
  const time = options.timeField ? fields[options.timeField] : undefined;
  const timed = time === undefined ? {} : { time };
  if (options.htmlField === null) return { kind: "doc", id, text, source, ...timed };
  // A "url" field says where the page was fetched from: fromHtml() resolves a relative canonical link against it.
  const url = fields.url;
  return typeof url === "string" && url.length > 0 ? { kind: "html", id, html: text, source, url, ...timed } : { kind: "html", id, html: text, source, ...timed };
}

