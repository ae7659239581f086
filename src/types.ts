// The public data contract: what goes into dedupe() and what comes out.
import type { ErrorCode } from "./errors.js";

/** A document as the caller passes it: plain text (its id is its position) or an object with an id. */
export type DocInput = string | DocObject;

export interface DocObject {
  /** A unique, non-empty string or finite number (numbers are turned into strings). */
  id: string | number;
  text: string;
  /** Anything else on the object is carried through untouched. */
  [meta: string]: unknown;
}

/** A checked document: string id, string text. */
export interface Doc {
  readonly id: string;
  readonly text: string;
}

/** One document in a cluster, scored against the cluster's canonical copy. */
export interface Member {
  id: string;
  /** Exact Jaccard similarity of its shingle set to the canonical's (1 for the canonical). */
  jaccard: number;
  /** |A∩B| / min(|A|,|B|) against the canonical (1 for the canonical). */
  containment: number;
  /** Present when the document holds its own text several times (seed 004: 3). */
  repeats?: number;
  /** Present when the document has no words to compare (empty or whitespace-only text). */
  empty?: true;
  /**
   * Present on a digest: a page holding the texts of several unrelated stories, each verified as
   * a copy of part of it. A digest is never a canonical: it is a cluster of its own.
   */
  digest?: true;
}

/** A group of copies of one article. Singletons are clusters of one. */
export interface Cluster {
  /** The id of the most complete copy (see README, "Canonical copy"). */
  canonical: string;
  /** Canonical first, then the others by id. */
  members: Member[];
}

export interface DedupeResult {
  /** Every input document is in exactly one cluster; clusters are ordered by canonical id. */
  clusters: Cluster[];
  stats: {
    documents: number;
    clusters: number;
    /** Documents that are not the canonical of their cluster. */
    duplicates: number;
  };
  /**
   * The boilerplate lines (normalized) left out of the comparison, when the `boilerplate` option
   * is not "off"; pass them to diff() to mark them there.
   */
  boilerplate?: string[];
  /**
   * Documents left out, with the reason, sorted by id: present only when there are some (today:
   * texts over the `maxDocBytes` option). Every input document is in a cluster or here.
   */
  skipped?: Skipped[];
}

/** A document dedupe() did not compare. */
export interface Skipped {
  id: string;
  code: ErrorCode;
  /** One line naming the document and the reason, e.g. 'document "x" is 20000000 bytes, over the limit of 16777216 bytes'. */
  reason: string;
}

/** What the incremental index answers for one document. */
export interface Match {
  /** The canonical copy this document duplicates. */
  canonical: string;
  jaccard: number;
  containment: number;
}

/**
 * The documents diff() reads a cluster's members from: the array given to dedupe() (or any
 * array holding the members), or a Map from id to text, which is cheaper when diffing many
 * clusters of one corpus.
 */
export type DiffDocs = readonly DocInput[] | ReadonlyMap<string, string>;

/** How a paragraph of one copy relates to the rest of its cluster (see diff()). */
export type ParagraphClass = "shared" | "edited" | "unique" | "repeated" | "boilerplate";

/** A paragraph of another member, or of the same member for "repeated". */
export interface Counterpart {
  id: string;
  /** Position in that member's `paragraphs`. */
  index: number;
}

/**
 * Why a paragraph is page chrome rather than story text (docs/evidence.md): fewer than four
 * words; repeated on the page (a caption shown twice); short and not a sentence (headlines,
 * bylines, menus); short and nearly free of stopwords (tickers, tag lists).
 */
export type ChromeKind = "tiny" | "repeated" | "no-sentence" | "few-stopwords";

export interface DiffParagraph {
  /** Position in the member's `paragraphs` (a unit: a paragraph, or a line of a ticker-like block). */
  index: number;
  /** Offsets into the member's original text: text.slice(start, end) is this paragraph. */
  start: number;
  end: number;
  /** The original text of the paragraph. */
  text: string;
  class: ParagraphClass;
  /** shared: where it is found (the canonical first); edited: its closest version; repeated: the occurrence kept. */
  counterpart?: Counterpart;
  /** Levenshtein similarity to the counterpart: 1 for shared, 1 or less for edited and repeated. */
  similarity?: number;
  /** shared (the same text in another member): its entry in the report's `groups`, the members holding it. */
  group?: number;
  /** Set when matching leaves the paragraph out as page chrome, with the reason; absent for story text. */
  chrome?: ChromeKind;
}

export interface MemberDiff {
  id: string;
  canonical: boolean;
  paragraphs: DiffParagraph[];
  summary: {
    shared: number;
    edited: number;
    unique: number;
    repeated: number;
    boilerplate: number;
    /** Paragraphs that are page chrome (any class): the `chrome` ones. */
    chrome: number;
    /** Characters of the original text in unique paragraphs: what this copy adds. */
    uniqueChars: number;
  };
}

/** What each copy of a cluster has of its own, paragraph by paragraph. */
export interface DiffReport {
  canonical: string;
  /** In cluster order: the canonical first. */
  members: MemberDiff[];
  /**
   * For each text two or more members hold, the ids of those members in cluster order; a shared
   * paragraph names its entry (`group`). Listed once per text, so a report grows with the
   * cluster's text, not with the square of its copies.
   */
  groups: string[][];
  stats: {
    /** Paragraphs over all members, and how many distinct texts they hold. */
    paragraphs: number;
    distinctTexts: number;
    /**
     * Calls to fast-levenshtein: pairs of distinct texts that passed the prefilter and were
     * scored (texts over 3,000 characters are scored by shared shingles instead, no call).
     */
    levenshteinCalls: number;
  };
}

/** An input left out before its document reached dedupe(): a file that could not be read, a malformed record. */
export interface SkippedInput {
  /** Null when no id could be read. */
  id: string | null;
  /** Where it came from: "seeds/a.txt", "export.jsonl:12". */
  source: string;
  code: string;
  /** One line: what is wrong with it. */
  reason: string;
}

/**
 * Why a member matched its canonical, as an explain() API gives it; report() shows it under the
 * member when the `evidence` option returns one. Every field is optional and shown as text.
 */
export interface MemberEvidence {
  /** One line: the verdict and its main reason. */
  summary?: string;
  /** Named figures ("shared shingles": 412), shown as a list in this order. */
  scores?: ReadonlyArray<readonly [name: string, value: number | string]>;
  /** Passages the member shares with the canonical, as text. */
  passages?: readonly string[];
}
