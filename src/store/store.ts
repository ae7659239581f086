// Store: the storage primitives an index keeps its documents in. Matching is not a store's job:
// the index decides (store-index.ts, with match.ts) and a store only reads, watches and writes.
import type { ResolvedOptions } from "../options.js";
export { PER_BAND } from "../band-tables.js";
import type { Match } from "../types.js";

/** Where an index's signatures come from: our kernel, or the npm minhash package's hashvalues. */
export type Scheme = "news-dedupe" | "minhash";

/** What a store keeps of one document. */
export interface StoredDoc {
  readonly id: string;
  /** The document's number in the index (arrival order). */
  readonly n: number;
  /** The id of its canonical: itself when it matched nothing. */
  readonly canonical: string;
  /** Distinct narrative shingles; 0 when unknown (imported signatures without a size). */
  readonly size: number;
  readonly signature: Uint32Array | null;
  /** The lead's shingles and the number sample (see match.ts Sketch). */
  readonly lead: Uint32Array;
  readonly numbers: Uint32Array;
  /** The answer its add gave (null for a canonical), for an add retried after a lost reply. */
  readonly match: Match | null;
  /** The token of the add that wrote it ("" where adds cannot be lost). */
  readonly token: string;
  /**
   * The document's time in ms since 1970: its own, or the newest time the index had seen when it
   * was added; null when neither exists (never evicted by time).
   */
  readonly time: number | null;
}

/** A document to write: the store numbers it (see Store.begin). */
export type NewDoc = Omit<StoredDoc, "n">;

/** What an index stores about itself, written once when it is created. */
export interface StoreMeta {
  readonly options: ResolvedOptions;
  /** The kind of signature it holds; null until its first document. */
  readonly scheme: Scheme | null;
}

/**
 * An add in progress: what the store held for the id and its band buckets when it began. The
 * store watches them until commit() or abort(); a commit after another writer changed any of them
 * writes nothing and returns false (the index then begins again).
 */
export interface PendingAdd {
  /** The document already stored under this id, if any. */
  readonly existing: StoredDoc | null;
  /** A stored document with the content key given to begin(), if any: then `members` is empty. */
  readonly exact: StoredDoc | null;
  /** Every live document in the id's band buckets (without the id itself). */
  readonly members: readonly StoredDoc[];
  /** The scheme stored in the meta now (another process may have set it). */
  readonly scheme: Scheme | null;
  /**
   * Write `doc` unless a watched key changed since begin(); false then (nothing written).
   * `placement.indexed`: put it in the band buckets given to begin() (a near-twin of a stored
   * document is not: its twin answers for it); `placement.key`: its content key, recorded for
   * exact-duplicate lookups unless a document with that key is already stored.
   */
  commit(doc: NewDoc, scheme: Scheme, placement: Placement): Promise<boolean>;
  abort(): Promise<void>;
}

export interface Placement {
  readonly indexed: boolean;
  readonly key: number | null;
}

/** One document of a batch (Store.beginMany): its id (null for a query), band keys and content key. */
export interface BatchItem {
  readonly id: string | null;
  readonly bands: Uint32Array | null;
  readonly key: number | null;
}

/** What the store held for one item of a batch when it began (as PendingAdd). */
export interface BatchView {
  readonly existing: StoredDoc | null;
  readonly exact: StoredDoc | null;
  readonly members: readonly StoredDoc[];
}

/** One document to write at the end of a batch: the item it was begun as, and how to place it. */
export interface BatchWrite {
  readonly item: number;
  readonly doc: NewDoc;
  readonly scheme: Scheme;
  readonly placement: Placement;
}

/**
 * Adds begun together, from one snapshot: what the store held for every item, and the
 * canonicals of their members that are not members themselves (so that deciding needs no
 * further reads).
 */
export interface PendingBatch {
  readonly views: readonly BatchView[];
  readonly others: readonly StoredDoc[];
  readonly scheme: Scheme | null;
  /**
   * Write the documents in order, each unless another writer changed what its item read since
   * the batch began, or an earlier write of this call that it could have depended on was
   * refused: true for each one written. Refused ones are begun again.
   */
  commit(writes: readonly BatchWrite[]): Promise<boolean[]>;
}

/**
 * Storage for an index opened with openIndex(): memoryStore() (this process) or redisStore()
 * (shared by many). Band keys come as numbers; how they are laid out is the store's business.
 */
export interface Store {
  /** Where the index is, for messages after "the index ": "in memory", '"news" on redis://host:6379' (never a password). */
  readonly where: string;
  /** Connect, and return the stored meta, writing `initial` first when there is none. */
  open(initial: StoreMeta): Promise<StoreMeta>;
  /**
   * Begin adding `id`: look its content `key` up first, and unless a document with that key is
   * stored (an exact duplicate needs no buckets), watch and read these band buckets (null: none,
   * a document without words). `reserved`: the number reserve() gave the document, if any.
   */
  begin(id: string, bands: Uint32Array | null, key: number | null, reserved?: number): Promise<PendingAdd>;
  /** The first stored document with this content key (see match.ts contentKey), if any. */
  exact(key: number): Promise<StoredDoc | null>;
  /** The live documents in any of these band buckets: at most bands × PER_BAND of them. */
  members(bands: Uint32Array): Promise<StoredDoc[]>;
  /** The stored documents with these ids (null where none is stored). */
  get(ids: readonly string[]): Promise<Array<StoredDoc | null>>;
  /** A fresh document number, for a document whose id is its number (a plain string). */
  reserve(): Promise<number>;
  /** Documents stored (not yet expired, for a store with a time to live). */
  count(): Promise<number>;
  /**
   * Optional: begin several adds (or queries) in one round trip, from one snapshot. An index adds
   * a batch through it when present (addMany), and one by one through begin() otherwise.
   */
  beginMany?(items: readonly BatchItem[]): Promise<PendingBatch>;
  /**
   * Optional, for a store that keeps no band keys per document: how to derive a stored
   * document's band keys and content key (the index's LSH parameters), for removing its entries
   * when it is forgotten.
   */
  deriveKeys?(keysOf: (doc: StoredDoc) => { bands: Uint32Array | null; key: number | null }): void;
  /**
   * Forget every document whose time is before `before` (ms since 1970), with its band-bucket and
   * content-key entries, so that no later match points at it; documents without a time stay.
   * Returns how many were forgotten. An evicted id may be added again.
   */
  evict(before: number): Promise<number>;
  close(): Promise<void>;
}
