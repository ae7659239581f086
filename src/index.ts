// The public surface of news-dedupe, listed by name.
export { dedupe } from "./dedupe.js";
export { DedupeError, type ErrorCode } from "./errors.js";
export { DEFAULTS, type DedupeOptions } from "./options.js";
export type { Cluster, DedupeResult, Doc, DocInput, DocObject, Match, Member } from "./types.js";
