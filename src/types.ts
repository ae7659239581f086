// The public data contract: what goes into dedupe() and what comes out.

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
}

/** What the incremental index answers for one document. */
export interface Match {
  /** The canonical copy this document duplicates. */
  canonical: string;
  jaccard: number;
  containment: number;
}
