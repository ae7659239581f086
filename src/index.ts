// The public surface of news-dedupe, listed by name.
export { dedupe } from "./dedupe.js";
export { diff } from "./diff/classify.js";
export { renderDiff } from "./diff/render.js";
export { DedupeError, type ErrorCode } from "./errors.js";
export { DEFAULTS, DIFF_DEFAULTS, type BoilerplateOption, type DedupeOptions, type DiffOptions } from "./options.js";
export type {
  Cluster,
  Counterpart,
  DedupeResult,
  DiffDocs,
  DiffParagraph,
  DiffReport,
  Doc,
  DocInput,
  DocObject,
  Match,
  Member,
  MemberDiff,
  ParagraphClass,
  Skipped,
} from "./types.js";
export { createIndex, loadIndex, loadIndexFile, type DedupeIndex, type IndexDoc, type SignatureDoc } from "./incremental.js";
export type { AsyncDedupeIndex, IndexStore } from "./incremental.js";
export { memoryStore } from "./stores/memory.js";
export { saveIndexFile } from "./persist.js";
