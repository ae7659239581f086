// Options: the one place where every knob is typed, defaulted and checked.
import { fail } from "./errors.js";
import type { Cluster, Member, MemberEvidence, SkippedInput } from "./types.js";

/** Options shared by `dedupe()`, `createBatch()`, `createIndex()` and `openIndex()`. Every field is optional. */
export interface DedupeOptions {
  /** Words per shingle. Default 5. */
  shingleSize?: number;
  /** Number of MinHash values per signature. Default 128. */
  numHashes?: number;
  /** Seed of the hash functions; signatures are only comparable under one seed. Default 1. */
  seed?: number;
  /**
   * The Jaccard similarity the LSH tables are designed around: pairs above it come up as
   * candidates almost always, pairs below it less often (a lead-only copy also comes up through
   * the lead's own table). Default 0.2.
   */
  jaccard?: number;
  /**
   * Minimum containment of a copy: the share of the shorter narrative (story text outside
   * quotations) that the other holds. Default 0.4.
   */
  containment?: number;
  /** Minimum narrative shingles a copy shares, whatever the shares: about a sentence of running text. Default 12. */
  minShared?: number;
  /**
   * Minimum share of the shorter lead (the narrative's first 40 words) that the other's lead
   * holds, for a copy sharing less than `containment` (at least half of it) but the same lead:
   * lead-only copies, write-throughs that kept their lead. Default 0.6.
   */
  lead?: number;
  /**
   * Site template to leave out of the comparison: "off" (compare everything), "auto" (find the
   * short lines that recur across unrelated documents, see boilerplate.ts) or a list of lines. Default "off".
   */
  boilerplate?: BoilerplateOption;
  /**
   * Documents longer than this many bytes of UTF-8 are not compared: dedupe() lists them in the
   * result's `skipped`, the index refuses them. Default 16 MiB.
   */
  maxDocBytes?: number;
  /**
   * LSH banding, as datasketch's MinHashLSH takes it: `weights` of false positives and false
   * negatives for the optimiser that picks bands × rows from `jaccard`, or `bands` and `rows`
   * given outright (both, with bands × rows ≤ numHashes).
   */
  lsh?: LshOption;
  /**
   * The rules of the story-evidence model (docs/evidence.md), each on by default. Turn one off to
   * see what it does on a corpus, or where its reason does not hold: `quotes: false` for
   * transcripts and statements, whose text is what was said.
   */
  rules?: RulesOption;
  /**
   * An index only: forget documents older than this, relative to the newest document time the
   * index has seen — "30d", "12h", "90m", "45s", "500ms" or a number of milliseconds; null (or
   * absent) keeps everything. A batch refuses it (it sees a whole corpus at once). Default null.
   */
  window?: string | number | null;
}

/** The story-evidence rules: what each one does is in docs/evidence.md. */
export interface RulesOption {
  /** Compare story text only: page chrome (captions, promos, tickers, headline lists) is left out. */
  storyText?: boolean;
  /** Leave out the shingles lying mostly inside quotation marks. */
  quotes?: boolean;
  /** Refuse template twins: the same sentences around other numbers. */
  numbers?: boolean;
  /** Accept a shared lead with half the containment (lead-only copies, write-throughs). */
  lead?: boolean;
  /** Let a document join a cluster through a member, not only through the canonical. */
  families?: boolean;
}

export type ResolvedRules = Readonly<Required<RulesOption>>;

export type BoilerplateOption = "off" | "auto" | readonly string[];

export interface LshOption {
  weights?: { falsePositive: number; falseNegative: number };
  bands?: number;
  rows?: number;
}

export interface ResolvedLsh {
  readonly weights: { readonly falsePositive: number; readonly falseNegative: number };
  /** Set only when given: otherwise the optimiser chooses (candidates.ts). */
  readonly bands?: number;
  readonly rows?: number;
}

export interface ResolvedOptions {
  readonly shingleSize: number;
  readonly numHashes: number;
  readonly seed: number;
  readonly jaccard: number;
  readonly containment: number;
  readonly minShared: number;
  readonly lead: number;
  readonly boilerplate: BoilerplateOption;
  readonly maxDocBytes: number;
  readonly lsh: ResolvedLsh;
  readonly rules: ResolvedRules;
  /** The index's window in milliseconds, or null: no window. */
  readonly window: number | null;
}

/** Defaults of dedupe() and createBatch(), each with the reason it was chosen (figures: docs/how-it-works.md). */
export const DEFAULTS: ResolvedOptions = Object.freeze({
  // The widest margin between the seeds' copy pair and their non-copy pair that still lets an
  // edited word leave most shingles intact: shorter shingles let shared quotes and stock phrases
  // through, and every longer one loses one more shingle to each edited word.
  shingleSize: 5,
  // The Jaccard estimate's standard error is at most sqrt(0.25 / 128) ≈ 0.044: well inside the
  // gap between copies and unrelated pairs, at 512 bytes per signature.
  numHashes: 128,
  seed: 1,
  // Copies that append a second story or drop their chrome keep a fifth of their union or more;
  // unrelated news pairs sit an order of magnitude below.
  jaccard: 0.2,
  // Containment over the narrative is what survives chrome, truncation and appended text, while
  // independent reports of one event share their quotes, not their running text, and keep well
  // under it (the reasons and the real pages it was measured on: docs/evidence.md).
  containment: 0.4,
  // A sentence of running text: two unrelated reports often share a stock phrase or a formula of
  // a few words, a copy shares sentences.
  minShared: 12,
  // Most of a lead: an edited word or two leaves it, another outlet's lead on the same event does
  // not come close.
  lead: 0.6,
  // "auto" costs a second detection pass and only helps corpora scraped from few sites.
  boilerplate: "off",
  // A thousand times a long article: a page that size is a crawl accident (a feed dump, a PDF read
  // as text), and fingerprinting it would stall a pipeline for a document nobody reads.
  maxDocBytes: 16 * 1024 * 1024,
  // Misses weigh 7:3 against spurious candidates: every candidate of a batch is verified exactly,
  // so a spurious one costs one comparison while a miss is a lost copy.
  lsh: Object.freeze({ weights: Object.freeze({ falsePositive: 0.3, falseNegative: 0.7 }) }),
  // Every rule on: each one is kept because it helps on real pages (docs/evidence.md).
  rules: Object.freeze({ storyText: true, quotes: true, numbers: true, lead: true, families: true }),
  // Nothing is forgotten unless asked: how long reprints keep arriving depends on the feed.
  window: null,
});

/** Defaults of an index (createIndex, openIndex): those of dedupe() but for the LSH weights. */
export const INDEX_DEFAULTS: ResolvedOptions = Object.freeze({
  ...DEFAULTS,
  // Even weights, as datasketch: an index keeps its band tables for as long as it lives (in memory
  // or on a server), so each band costs memory per document for the index's whole life.
  lsh: Object.freeze({ weights: Object.freeze({ falsePositive: 0.5, falseNegative: 0.5 }) }),
});

const KNOWN = new Set(Object.keys(DEFAULTS));

/** Check the caller's options and merge them over `defaults`; the result is frozen, the input untouched. */
export function resolveOptions(options: DedupeOptions = {}, defaults: ResolvedOptions = DEFAULTS): ResolvedOptions {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "options", "must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) fail("INVALID_OPTION", undefined, key, "is not a known option");
  }
  const o = { ...defaults, ...stripUndefined(options) };
  const numHashes = checkNumber("numHashes", o.numHashes, 8, 4096, true);
  return Object.freeze({
    shingleSize: checkNumber("shingleSize", o.shingleSize, 1, 32, true),
    numHashes,
    seed: checkNumber("seed", o.seed, 0, 0xffffffff, true),
    jaccard: checkNumber("jaccard", o.jaccard, 0.01, 1, false),
    containment: checkNumber("containment", o.containment, 0, 1, false),
    minShared: checkNumber("minShared", o.minShared, 1, 1_000_000, true),
    lead: checkNumber("lead", o.lead, 0, 1, false),
    boilerplate: checkBoilerplate(o.boilerplate),
    maxDocBytes: checkNumber("maxDocBytes", o.maxDocBytes, 1, Number.MAX_SAFE_INTEGER, true),
    lsh: checkLsh(o.lsh, defaults.lsh, numHashes),
    rules: checkRules(o.rules, defaults.rules),
    window: checkWindow(o.window),
  });
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** A window as milliseconds: "30d", "12h", "90m", "45s", "500ms", "2w" or a number of ms; null for none. */
function checkWindow(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const bad = () => fail("INVALID_OPTION", undefined, "window", `must be a duration such as "30d", "12h", "90m" or a number of milliseconds, got ${JSON.stringify(value)}`);
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (typeof value === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(value);
    if (!m) bad();
    ms = Number(m![1]) * UNITS[m![2]!]!;
  } else bad();
  if (!Number.isFinite(ms!) || ms! <= 0 || ms! > 8.64e15) bad();
  return Math.round(ms!);
}

function checkRules(value: unknown, defaults: ResolvedRules): ResolvedRules {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("INVALID_OPTION", undefined, "rules", "must be an object of booleans");
  const out: Record<string, boolean> = { ...defaults };
  for (const [key, v] of Object.entries(value)) {
    if (!(key in defaults)) fail("INVALID_OPTION", undefined, `rules.${key}`, `is not a known rule (${Object.keys(defaults).join(", ")})`);
    if (v === undefined) continue;
    if (typeof v !== "boolean") fail("INVALID_OPTION", undefined, `rules.${key}`, `must be true or false, got ${JSON.stringify(v)}`);
    out[key] = v;
  }
  return Object.freeze(out) as ResolvedRules;
}

function checkNumber(name: string, value: unknown, min: number, max: number, integer: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail("INVALID_OPTION", undefined, name, `must be a finite number, got ${JSON.stringify(value)}`);
  if (integer && !Number.isInteger(value)) fail("INVALID_OPTION", undefined, name, `must be an integer, got ${value}`);
  if (value < min || value > max) fail("INVALID_OPTION", undefined, name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function checkBoilerplate(value: unknown): BoilerplateOption {
  if (value === "off" || value === "auto") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return Object.freeze([...value]);
  fail("INVALID_OPTION", undefined, "boilerplate", `must be "off", "auto" or an array of strings, got ${JSON.stringify(value)}`);
}

function checkLsh(value: unknown, defaults: ResolvedLsh, numHashes: number): ResolvedLsh {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("INVALID_OPTION", undefined, "lsh", "must be an object { weights, bands, rows }");
  const given = value as LshOption;
  for (const key of Object.keys(given)) {
    if (!["weights", "bands", "rows"].includes(key)) fail("INVALID_OPTION", undefined, `lsh.${key}`, "is not a known option (weights, bands, rows)");
  }
  let weights = defaults.weights;
  if (given.weights !== undefined) {
    const w = given.weights as unknown;
    if (typeof w !== "object" || w === null) fail("INVALID_OPTION", undefined, "lsh.weights", "must be { falsePositive, falseNegative }");
    const { falsePositive, falseNegative } = w as { falsePositive: unknown; falseNegative: unknown };
    const fp = checkNumber("lsh.weights.falsePositive", falsePositive, 0, 1, false);
    const fn = checkNumber("lsh.weights.falseNegative", falseNegative, 0, 1, false);
    if (fp + fn <= 0) fail("INVALID_OPTION", undefined, "lsh.weights", "must not both be 0");
    weights = Object.freeze({ falsePositive: fp, falseNegative: fn });
  }
  if ((given.bands === undefined) !== (given.rows === undefined)) fail("INVALID_OPTION", undefined, "lsh", "needs both bands and rows, or neither");
  if (given.bands === undefined) return Object.freeze({ weights });
  const bands = checkNumber("lsh.bands", given.bands, 1, numHashes, true);
  const rows = checkNumber("lsh.rows", given.rows, 1, numHashes, true);
  if (bands * rows > numHashes) fail("INVALID_OPTION", undefined, "lsh", `needs bands × rows ≤ numHashes (${numHashes}), got ${bands} × ${rows}`);
  return Object.freeze({ weights, bands, rows });
}

/** Options of `diff()`. Every field is optional. */
export interface DiffOptions {
  /** Lines to report as boilerplate (site template), e.g. the `boilerplate` of a dedupe() result. Default none. */
  boilerplate?: readonly string[];
  /** Minimum Levenshtein similarity of an edited paragraph to its counterpart (lines under 80 characters need more). Default 0.6. */
  editSimilarity?: number;
}

export interface ResolvedDiffOptions {
  readonly boilerplate: readonly string[];
  readonly editSimilarity: number;
}

/** Defaults of `diff()`, each with the reason it was chosen. */
export const DIFF_DEFAULTS: ResolvedDiffOptions = Object.freeze({
  boilerplate: Object.freeze([]),
  // Between unrelated paragraphs that share a phrase and a copy's paragraph with a dateline added
  // or a quote attributed differently (the seeds' cases: docs/diff.md).
  editSimilarity: 0.6,
});

const KNOWN_DIFF = new Set(Object.keys(DIFF_DEFAULTS));

/** Check diff() options and merge them over DIFF_DEFAULTS; frozen, the input untouched. */
export function resolveDiffOptions(options: DiffOptions = {}): ResolvedDiffOptions {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "options", "must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN_DIFF.has(key)) fail("INVALID_OPTION", undefined, key, "is not a known diff option");
  }
  const o = { ...DIFF_DEFAULTS, ...stripUndefined(options) };
  const boilerplate = checkBoilerplate(o.boilerplate);
  if (typeof boilerplate === "string") {
    fail("INVALID_OPTION", undefined, "boilerplate", `of diff() must be an array of lines (a dedupe() result's boilerplate), got ${JSON.stringify(boilerplate)}`);
  }
  return Object.freeze({
    boilerplate,
    editSimilarity: checkNumber("editSimilarity", o.editSimilarity, 0.01, 1, false),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Options of `report()`. Every field is optional. */
export interface ReportOptions {
  /**
   * Clusters shown paragraph by paragraph: the largest this many (by size, then canonical id); the
   * others are summarised (members, scores, the start of the canonical's text). Default 200.
   */
  diffClusters?: number;
  /**
   * In a cluster shown paragraph by paragraph, the members whose paragraphs are embedded (the
   * canonical first, then in cluster order); the others are listed with their scores and summary. Default 100.
   */
  diffMembers?: number;
  /** The options the result was computed with, shown in the summary (a batch's `options`). Default: none shown. */
  dedupeOptions?: DedupeOptions;
  /** The page's title. Default "news-dedupe report". */
  title?: string;
  /** Inputs left out before the documents reached dedupe() (the CLI's unreadable files), listed with their reasons. Default none. */
  skipped?: readonly SkippedInput[];
  /**
   * Why a member matched, shown under it in the clusters shown paragraph by paragraph: the hook
   * for an explain() API. Called once per member but the canonical; `undefined` shows nothing. Default none.
   */
  evidence?: (member: Member, cluster: Cluster) => MemberEvidence | undefined;
}

export interface ResolvedReportOptions {
  readonly diffClusters: number;
  readonly diffMembers: number;
  /** Resolved over DEFAULTS when given, so the summary shows every option; null when not given. */
  readonly dedupeOptions: ResolvedOptions | null;
  readonly title: string;
  readonly skipped: readonly SkippedInput[];
  readonly evidence: ((member: Member, cluster: Cluster) => MemberEvidence | undefined) | null;
}

/** Defaults of `report()`, each with the reason it was chosen (sizes: docs/report.md). */
export const REPORT_DEFAULTS: Pick<ResolvedReportOptions, "diffClusters" | "diffMembers" | "title"> = Object.freeze({
  // Clusters are read largest first, and an editor reviews a few hundred at most; the paragraphs of
  // every cluster would make the page grow with the corpus' text instead of with its number of documents.
  diffClusters: 200,
  // A flood of copies (issue 13) is one cluster: beyond a hundred copies the paragraphs repeat what
  // the first ones show, and embedding them all would make one cluster's size unbounded.
  diffMembers: 100,
  title: "news-dedupe report",
});

const KNOWN_REPORT = new Set(["diffClusters", "diffMembers", "dedupeOptions", "title", "skipped", "evidence"]);

/** Check report() options and merge them over REPORT_DEFAULTS; frozen, the input untouched. */
export function resolveReportOptions(options: ReportOptions = {}): ResolvedReportOptions {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "options", "must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN_REPORT.has(key)) fail("INVALID_OPTION", undefined, key, "is not a known report option");
  }
  const o = { ...REPORT_DEFAULTS, ...stripUndefined(options) };
  if (typeof o.title !== "string") fail("INVALID_OPTION", undefined, "title", `must be a string, got ${JSON.stringify(o.title)}`);
  const skipped = options.skipped ?? [];
  if (!Array.isArray(skipped) || !skipped.every(isSkippedInput)) {
    fail("INVALID_OPTION", undefined, "skipped", "must be an array of { id, source, code, reason } (id a string or null, the others strings)");
  }
  if (options.evidence !== undefined && typeof options.evidence !== "function") {
    fail("INVALID_OPTION", undefined, "evidence", `must be a function (member, cluster) => evidence, got ${JSON.stringify(options.evidence)}`);
  }
  return Object.freeze({
    diffClusters: checkNumber("diffClusters", o.diffClusters, 0, 1_000_000, true),
    diffMembers: checkNumber("diffMembers", o.diffMembers, 1, 1_000_000, true),
    dedupeOptions: options.dedupeOptions === undefined ? null : resolveOptions(options.dedupeOptions),
    title: o.title,
    skipped: Object.freeze([...skipped]),
    evidence: options.evidence ?? null,
  });
}

function isSkippedInput(s: unknown): s is SkippedInput {
  if (typeof s !== "object" || s === null) return false;
  const { id, source, code, reason } = s as Record<string, unknown>;
  return (id === null || typeof id === "string") && typeof source === "string" && typeof code === "string" && typeof reason === "string";
}
