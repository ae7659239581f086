// Incremental: one article at a time → its match among everything seen before, in this process:
// createIndex(), loadIndex(). store-index.ts runs the same matching over any Store (openIndex()).
import { lshParams, type LshParams } from "./candidates.js";
import { fail } from "./errors.js";
import {
  checkScheme,
  chooseMatch,
  compactEntry,
  contentKey,
  evictionTime,
  indexed,
  indexKeys,
  record,
  resolveIndexOptions,
  sameContent,
  toEntry,
  type Entry,
  type IndexDoc,
} from "./match.js";
import type { DedupeOptions, ResolvedOptions } from "./options.js";
import { decodeIndex, encodeIndex, encodePieces, openIndexFile, type LoadPlan } from "./persist.js";
import { MemoryStore } from "./store/memory.js";
import type { Match } from "./types.js";

export type { DocTime, IndexDoc, SignatureDoc, TimedDoc } from "./match.js";

/** An index that remembers the documents it has seen, in this process. */
export interface DedupeIndex {
  /** Match `doc` against the index and remember it. Throws on a bad document or an id seen before. */
  add(doc: IndexDoc): Match | null;
  /** Match `doc` against the index without remembering it. */
  query(doc: IndexDoc): Match | null;
  /** Whether a document with this id was added. */
  has(id: string | number): boolean;
  /** The canonical of an added document (itself when it matched nothing). */
  canonicalOf(id: string | number): string | undefined;
  /** Number of documents added. */
  readonly size: number;
  readonly options: ResolvedOptions;
  /** The whole index as bytes: format version, options, documents, CRC32 (see persist.ts). */
  save(): Uint8Array;
  /**
   * Forget every document whose time is before `before` (ms since 1970, ISO-8601 or a Date);
   * returns how many. Their ids may be added again; no later match points at them.
   */
  evict(before: number | string | Date): number;
}


class MemoryIndex implements DedupeIndex {
  private readonly params: LshParams;

  constructor(
    readonly options: ResolvedOptions,
    private readonly store: MemoryStore,
  ) {
    this.params = lshParams(options);
  }

  get size(): number {
    return this.store.size;
  }

  has(id: string | number): boolean {
    return this.store.has(String(id));
  }

  canonicalOf(id: string | number): string | undefined {
    return this.store.get(String(id))?.canonical;
  }

  query(doc: IndexDoc): Match | null {
    return this.match(this.entry(doc)).found;
  }

  add(doc: IndexDoc): Match | null {
    const entry = this.entry(doc);
    const time = this.advance(entry.time);
    const held = this.store.get(entry.id);
    if (held) fail("DUPLICATE_ID", entry.id, `${held.n} in the index`);
    const { found, exact, key } = this.match(entry);
    const bands = indexed(entry, found, exact, this.options) ? indexKeys(entry, this.params, this.options.seed) : null;
    this.store.put(record(entry, found, "", time), entry.scheme, bands, key);
    // A late document already outside the window is answered, then forgotten at once.
    if (this.late(time)) this.store.evict(this.store.newest! - this.options.window!);
    return found;
  }

  private late(time: number | null): boolean {
    const { newest } = this.store;
    return this.options.window !== null && newest !== null && (time === null || time < newest - this.options.window);
  }

  evict(before: number | string | Date): number {
    return this.store.evict(evictionTime(before));
  }

  /**
   * The time a document is stored with (its own, else the newest seen), moving the index's clock
   * forward to it and, with a window, forgetting what fell out of the window.
   */
  private advance(time: number | null): number | null {
    if (time === null) return this.store.newest;
    if (this.store.newest === null || time > this.store.newest) {
      this.store.newest = time;
      if (this.options.window !== null) this.store.evict(time - this.options.window);
    }
    return time;
  }

  save(): Uint8Array {
    return encodeIndex(this.store.snapshot());
  }

  /** save()'s bytes as pieces, views of the index's arrays (saveIndexFile writes them one by one). */
  pieces(): Uint8Array[] {
    return encodePieces(this.store.snapshot());
  }

  private entry(doc: IndexDoc): Entry {
    const entry = toEntry(doc, this.options, this.store.numbered);
    checkScheme(this.store.scheme, entry);
    // The store keeps 16-bit values and compact number samples: the entry is compared, keyed and
    // bucketed on the same ones.
    return compactEntry(entry);
  }

  /**
   * The entry's match: an exact duplicate of a stored document is matched through that document
   * alone (found by its content key, O(1) however many copies came before), any other entry
   * through its bucket members.
   */
  private match(entry: Entry): { found: Match | null; exact: boolean; key: number | null } {
    const key = contentKey(entry);
    if (!entry.signature) return { found: null, exact: false, key };
    const stored = key === null ? undefined : this.store.exact(key);
    const exact = stored !== undefined && sameContent(entry, stored);
    const candidates = exact ? [stored] : this.store.members(indexKeys(entry, this.params, this.options.seed)!);
    return { found: chooseMatch(entry, candidates, (id) => this.store.get(id), this.options), exact, key };
  }
}



/**
 * An incremental index for pipelines that see articles one by one, in this process. `add`
 * answers with the canonical copy the article duplicates (or null) and remembers it; `save`
 * and `loadIndex` carry the index from one run to the next. For an index shared by several
 * processes, see openIndex().
 *
 * @example
 * import { createIndex } from "news-dedupe";
 * const index = createIndex();
 * index.add({ id: "afp-1", text: story });            // null: first time seen
 * index.add({ id: "site-2", text: "Ticker\n\n" + story }); // { canonical: "afp-1", jaccard: 0.9, containment: 1 }
 */
export function createIndex(options?: DedupeOptions): DedupeIndex {
  if (typeof options === "object" && options !== null && "store" in options) {
    fail("INVALID_OPTION", undefined, "store", "is not an option of createIndex(): open a store with openIndex(store, options)");
  }
  const resolved = resolveIndexOptions(options);
  return new MemoryIndex(resolved, new MemoryStore(resolved, 0, true));
}

/**
 * Read an index written by `save()`. Refuses, with a DedupeError, bytes that are truncated,
 * corrupt (CRC32 mismatch) or of another format version.
 *
 * @example
 * import { writeFileSync, readFileSync } from "node:fs";
 * writeFileSync("index.ndx", index.save());
 * const tomorrow = loadIndex(readFileSync("index.ndx"));
 */
export function loadIndex(bytes: Uint8Array): DedupeIndex {
  return fromPlan(decodeIndex(bytes));
}

function fromPlan(plan: LoadPlan): DedupeIndex {
  const options = resolveIndexOptions(plan.options);
  const store = new MemoryStore(options, plan.count, true);
  store.load(plan);
  return new MemoryIndex(options, store);
}

/** Read an index file written by `saveIndexFile` (or `index.save()` bytes written any way). */
export async function loadIndexFile(path: string): Promise<DedupeIndex> {
  // Read front to back into the index's own arrays: never the whole file in memory at once.
  const plan = openIndexFile(path);
  try {
    return fromPlan(plan);
  } finally {
    plan.close();
  }
}
