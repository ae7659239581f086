// Options: the one place where every knob is typed and defaulted, each default with its reason.
// options-check.ts checks the caller's options and merges them over these defaults.
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
