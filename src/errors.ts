// Errors: one class, one message table, so every failure names its code and document.

/** Every error code the library raises, with its message template. */
const MESSAGES = {
  INVALID_DOCS: () => "documents must be an array of strings or { id, text } objects",
  INVALID_DIFF_DOCS: (what: string) => `diff() needs the documents as the array given to dedupe() or a Map from id to text, got ${what}`,
  INVALID_DOC: (what: string) => `is ${what}, not a string or an { id, text } object`,
  MISSING_ID: () => "has no id (expected a non-empty string or a finite number)",
  INVALID_ID: (what: string) => `has an id that is ${what} (expected a non-empty string or a finite number)`,
  DUPLICATE_ID: (first: string) => `has the same id as document #${first}`,
  INVALID_TEXT: (what: string) => `has a text that is ${what} (expected a string)`,
  INVALID_TIME: (what: string) => `has a time that is ${what} (expected milliseconds since 1970, an ISO-8601 date such as "2026-11-30T07:25:00Z", or a Date)`,
  DOC_TOO_LARGE: (bytes: string, max: string) => `is ${bytes} bytes, over the limit of ${max} bytes`,
  INVALID_OPTION: (name: string, why: string) => `option ${name} ${why}`,
  INVALID_SIGNATURE: (why: string) => `has an unusable signature: ${why}`,
  SIGNATURE_MISMATCH: (why: string) => `cannot be added: ${why}`,
  INDEX_CORRUPT: (why: string) => `index file is corrupt: ${why}`,
  INDEX_VERSION: (found: string, want: string) =>
    `index file has format version ${found}; this version of news-dedupe reads version ${want}`,
  UNKNOWN_MEMBER: () => "is a member of the cluster but not among the documents given to diff()",
  INDEX_STORE: (why: string) => `index store failed: ${why}`,
  INVALID_REPORT_INPUT: (what: string) => `report() needs ${what}`,
  REPORT_MISSING_TEXT: () => "is in the result but not among the documents given to report()",
  REPORT_UNKNOWN_DIFF: (why: string) => `has a diff given to report() that ${why}`,
  // Command line (src/cli/). Input messages follow "<file>:<line>: " on stderr and in mapping.jsonl.
  CLI_USAGE: (why: string) => why,
  INPUT_NOT_FOUND: (path: string) => `${path}: no such file or directory`,
  INPUT_UNREADABLE: (why: string) => `cannot be read (${why})`,
  INPUT_BINARY: () => "binary file (it contains NUL bytes)",
  INPUT_NOT_UTF8: () => "not valid UTF-8 text",
  INPUT_EMPTY: () => "empty document (no text)",
  INPUT_TOO_LARGE: (bytes: string, max: string) => `document of ${bytes} bytes, over the --max-doc-bytes limit of ${max}`,
  INPUT_BAD_JSON: (why: string) => `malformed JSON (${why})`,
  INPUT_BAD_RECORD: (what: string) => `record is ${what}, not a JSON object`,
  INPUT_NO_FIELD: (field: string) => `record has no "${field}" field`,
  INPUT_BAD_FIELD: (field: string, what: string, want: string) => `record's "${field}" field is ${what} (expected ${want})`,
  INPUT_NOT_FILE: (what: string) => `${what}, not a regular file: not read`,
  INPUT_LINK_LOOP: (first: string) => `symbolic link loop back to ${first}: not followed`,
  INPUT_SEEN_DIR: (first: string) => `the same directory as ${first}, already read: not read again`,
  INPUT_JSON_TOO_LARGE: (bytes: string, max: string) =>
    `.json file of ${bytes} bytes is parsed whole and over the limit of ${max}: convert it to JSON Lines (.jsonl)`,
  INPUT_DUPLICATE_ID: (id: string, first: string) => `duplicate id ${id}, first seen at ${first}`,
  // WARC archives (src/cli/read/warc.ts): a record that is not an article, or an archive that cannot be read on.
  WARC_CORRUPT: (why: string) => `not a readable WARC archive from here on (${why}): the rest of the file is not read`,
  WARC_TRUNCATED: (why: string) => `truncated record: ${why}`,
  WARC_REDIRECT: (status: string, location: string) => `HTTP ${status} redirect to ${location}: not an article`,
  WARC_HTTP_STATUS: (status: string) => `HTTP ${status} response: not an article`,
  WARC_NOT_HTML: (type: string) => `payload is ${type}, not HTML`,
  WARC_NOT_HTTP: () => "response record without an HTTP status line",
  WARC_NO_URI: () => "response record without a WARC-Target-URI (its id)",
  WARC_REVISIT: (uri: string) => `revisit record (a capture of ${uri} whose payload was recorded earlier): not an article of its own`,
  WARC_ENCODING: (what: string) => `payload in a content encoding that cannot be read: ${what}`,
  OUT_IS_INPUT: (out: string, input: string) =>
    `output directory ${out} is inside the input directory ${input} (use --force to write there anyway)`,
  OUT_WRITE: (path: string, why: string) => `cannot write ${path} (${why})`,
  OUT_EXISTS: (count: string, first: string) =>
    `files to write already exist (${count}, the first ${first}); use --force to overwrite`,
  REPORT_EXISTS: (path: string) => `report file ${path} already exists; use --force to overwrite`,
} as const;

export type ErrorCode = keyof typeof MESSAGES;

/**
 * The one error type news-dedupe throws for bad input or options.
 * `code` is stable across versions; `docId` names the offending document when there is one, and
 * `option` the offending option (so a caller such as the CLI can name it its own way).
 */
export class DedupeError extends Error {
  readonly code: ErrorCode;
  readonly docId: string | undefined;
  /** INVALID_OPTION: the option's name ("jaccard", "lsh.bands") and what is wrong with its value. */
  readonly option: string | undefined;
  readonly problem: string | undefined;
  constructor(code: ErrorCode, message: string, where: { docId?: string; option?: string; problem?: string } = {}) {
    super(message);
    this.name = "DedupeError";
    this.code = code;
    this.docId = where.docId;
    this.option = where.option;
    this.problem = where.problem;
  }
}

/**
 * Build a DedupeError from the table. `doc` names the document the message is about: its id
 * (a string, quoted in the message) or, when it has no usable id, its position in the input.
 */
export function dedupeError<C extends ErrorCode>(
  code: C,
  doc: string | number | undefined,
  ...args: Parameters<(typeof MESSAGES)[C]>
): DedupeError {
  const text = (MESSAGES[code] as (...a: string[]) => string)(...(args as string[]));
  const where = code === "INVALID_OPTION" ? { option: args[0] as string, problem: args[1] as string } : {};
  if (doc === undefined) return new DedupeError(code, text, where);
  const label = typeof doc === "number" ? `#${doc}` : JSON.stringify(doc);
  return new DedupeError(code, `document ${label} ${text}`, typeof doc === "string" ? { ...where, docId: doc } : where);
}

/** Throw a DedupeError built from the table (see dedupeError). */
export function fail<C extends ErrorCode>(code: C, doc: string | number | undefined, ...args: Parameters<(typeof MESSAGES)[C]>): never {
  throw dedupeError(code, doc, ...args);
}

/** A broken internal invariant: never the caller's fault. */
export function bug(what: string): Error {
  return new Error(`news-dedupe internal error: ${what}; this is a bug`);
}

/** Short description of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "string") return value.length === 0 ? "an empty string" : "a string";
  return `a ${typeof value}`;
}
