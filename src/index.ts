// The public surface of news-dedupe, listed by name.
export { createBatch, dedupe, type AsyncBatch, type Batch, type BatchPlugs, type Keep } from "./dedupe.js";
export { diff } from "./diff/classify.js";
export { renderDiff } from "./diff/render.js";
export { DedupeError, type ErrorCode } from "./errors.js";
export { explain, renderExplanation, type ExplainedDocument, type ExplainedUnit, type Explanation, type NumberConflict, type Passage } from "./explain.js";
export { fromHtml, type HtmlArticle, type HtmlOptions } from "./html.js";
export {
  DEFAULTS,
  DIFF_DEFAULTS,
  INDEX_DEFAULTS,
  REPORT_DEFAULTS,
  type BoilerplateOption,
  type DedupeOptions,
  type DiffOptions,
  type LshOption,
  type ReportOptions,
  type ResolvedOptions,
  type ResolvedRules,
  type RulesOption,
} from "./options.js";
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
  MemberEvidence,
  ParagraphClass,
  Skipped,
  SkippedInput,
} from "./types.js";
export { explanationEvidence, report, reportedClusters } from "./report-html.js";
export { createIndex, loadIndex, loadIndexFile, type DedupeIndex, type DocTime, type IndexDoc, type SignatureDoc, type TimedDoc } from "./incremental.js";
export { openIndex, type AsyncDedupeIndex } from "./store-index.js";
export type { Store, StoreMeta, StoredDoc, NewDoc, PendingAdd, Scheme } from "./store/store.js";
export { memoryStore } from "./store/memory-async.js";
export { saveIndexFile } from "./persist.js";
