// Items: what reading the command line's inputs yields — a document, a skipped input with its reason,
// or an ignored file — and the one-line reasons shared by the readers.
import { isUtf8 } from "node:buffer";
import { sep } from "node:path";
import { dedupeError, type DedupeError } from "../../errors.js";

export interface ReadOptions {
  /** Field of a JSON record holding its id ("id"). */
  readonly idField: string;
  /** Field of a JSON record holding its text ("text"). */
  readonly textField: string;
  /** Field of a JSON record holding a page's HTML (--html-field), read instead of the text field; null: none. */
  readonly htmlField: string | null;
  /** Documents larger than this many UTF-8 bytes are skipped. */
  readonly maxDocBytes: number;
  /** Field of a JSON record holding its time (--time-field), carried to the index; null: none. */
  readonly timeField?: string | null;
  /** Where "-" reads JSONL from. */
  readonly stdin: AsyncIterable<Buffer | string>;
  /** Told of each WARC record read: the archive's bytes read so far and its size (for the progress bar). */
  readonly onRecord?: (bytes: number, total: number) => void;
}

/** What a WARC record says about its document, carried into its row. */
export interface RecordMeta {
  /** WARC-Record-ID. */
  readonly recordId?: string;
  /** WARC-Date: when the page was captured. */
  readonly time?: string;
  /** WARC-Target-URI. */
  readonly url?: string;
}

/** A document; `source` says where it came from: "seeds/a.txt", "x.jsonl:12", "x.json[3]". */
export interface InputDoc {
  readonly kind: "doc";
  readonly id: string;
  readonly text: string;
  readonly source: string;
  /** The record's --time-field value, unchecked (the index checks it). */
  readonly time?: unknown;
}

/**
 * A page whose article is still to be extracted (an .html file, a record's --html-field, a WARC
 * response); `url` is where it was fetched from, when known.
 */
export interface InputHtml {
  readonly kind: "html";
  readonly id: string;
  readonly html: string;
  readonly source: string;
  readonly url?: string;
  readonly meta?: RecordMeta;
  readonly time?: unknown;
}

/** An input that is not used, with the reason; `id` is null when none could be read. */
export interface Skipped {
  readonly kind: "skip";
  readonly id: string | null;
  readonly source: string;
  readonly error: DedupeError;
  readonly meta?: RecordMeta;
}

/** A file in a directory that is not an input type (.txt, .md, .jsonl, .json, .html, .htm, .warc, .warc.gz): not a document. */
export interface Ignored {
  readonly kind: "ignored";
  readonly source: string;
}

export type InputItem = InputDoc | InputHtml | Skipped | Ignored;

/** Bytes → text without a byte-order mark, or the reason they are not text. */
export function decode(bytes: Buffer): string | DedupeError {
  if (bytes.includes(0)) return dedupeError("INPUT_BINARY", undefined);
  if (!isUtf8(bytes)) return dedupeError("INPUT_NOT_UTF8", undefined);
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function tooLarge(bytes: number, limit: number): DedupeError {
  return dedupeError("INPUT_TOO_LARGE", undefined, String(bytes), String(limit));
}

export function skip(source: string, id: string | null, error: DedupeError, meta?: RecordMeta): Skipped {
  return meta ? { kind: "skip", id, source, error, meta } : { kind: "skip", id, source, error };
}

export function slashes(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

export function errno(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String(e.code) : undefined;
}

/** A file system error as the one-line reason of an INPUT_UNREADABLE skip. */
export function unreadable(e: unknown): DedupeError {
  return dedupeError("INPUT_UNREADABLE", undefined, FRIENDLY[errno(e) ?? ""] ?? reason(e));
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
export function reason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\s+/g, " ").trim();
}
