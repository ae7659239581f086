// The public surface of news-dedupe, listed by name.
export { dedupe } from "./dedupe.js";
export { DedupeError, type ErrorCode } from "./errors.js";
export { DEFAULTS, type DedupeOptions } from "./options.js";
export type { Cluster, DedupeResult, Doc, DocInput, DocObject, Match, Member } from "./types.js";
export { createIndex, loadIndex, loadIndexFile, type DedupeIndex, type IndexDoc, type SignatureDoc } from "./incremental.js";
export { saveIndexFile } from "./persist.js";
