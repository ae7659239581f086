// Memory store: an index's documents in this process, on typed arrays; synchronous underneath
// (createIndex) and asynchronous through memoryStore() (memory-async.ts, for openIndex), which Redis replaces.
import { BucketSlots, HashSlots, PER_BAND } from "../band-tables.js";
import { lshParams, type LshParams } from "../candidates.js";
import { LEAD_PARAMS } from "../link.js";
import { MAX_LEAD } from "../fingerprint.js";
import { NUMBERS } from "../numbers.js";
import { fail } from "../errors.js";
import { contentKey, indexKeys } from "../match.js";
import type { ResolvedOptions } from "../options.js";
import type { LoadPlan, Snapshot } from "../persist.js";
import { CHUNK, CHUNK_BITS, ChunkHeap, DEAD, HAS_SIG, idOf, newChunk, NO_TIME, release, seal, setId, SLOT, snapshotParts, UNINDEXED, type Chunk } from "./chunks.js";
import type { FrozenBuckets } from "./frozen.js";
import { hashBytes, idBytes, idsJson, idString, IdTable, sameBytes } from "./ids.js";
import { deriveKeys, fillChunks, sketchOf, sketchSlot } from "./load.js";
import type { NewDoc, Scheme, StoredDoc } from "./store.js";

/**
 * The documents of an in-memory index. Fields live in chunks of typed arrays indexed by a
 * document's number (its arrival), and the band buckets chain documents through typed arrays
 * too: a few hundred bytes per document instead of an object each. Growing allocates one chunk;
 * the hash tables grow one shard at a time (band-tables.ts HashSlots): no add copies the index.
 *
 * Eviction (a window, or evict()): a document is marked dead and taken out of the id map, the
 * content-key table and every band bucket where it was the last live member; a bucket whose newer
 * members live keeps its chain and queries step over the dead ones. A chunk whose documents are
 * all dead gives its fields back at once, and is dropped whole when it is the oldest, which also
 * cuts every chain there (document numbers below the first chunk are gone).
 */
export class MemoryStore {
  /** Live documents by id (their bytes are in their chunks: ids.ts). */
  private readonly ids: IdTable;
  private chunks: Chunk[] = [];
  /** The number of chunks[0]; documents numbered below first × CHUNK are gone. */
  private first = 0;
  /** The number the next document gets: documents ever stored, evicted or not. */
  private next = 0;
  private count = 0;
  /** Documents ever added, kept across save and load: a plain string's id is its number, and numbers are never reused. */
  numbered = 0;
  /** Content key → the latest document stored with it (exact duplicates, see match.ts contentKey). */
  private readonly keys: HashSlots;
  /** Per band: bucket key → the latest document in it. Created with the first indexed document. */
  private tables: BucketSlots[] | null = null;
  /** The band buckets of the documents a load brought, or null. */
  private frozen: FrozenBuckets | null = null;
  private bands = 0;
  /** Sealed chunks with live documents, as a min-heap on their oldest time. */
  private readonly heap = new ChunkHeap();
  private readonly params: LshParams;
  scheme: Scheme | null = null;
  /** The newest document time seen (ms since 1970), or null: the window is measured back from it. */
  newest: number | null = null;

  constructor(
    readonly options: ResolvedOptions,
    expected = 0,
    /**
     * Keep 16 bits of each signature value (createIndex: its entries are compacted the same way,
     * see match.ts compactSignature) rather than 32 (memoryStore(), whose entries come from
     * openIndex as they come for Redis).
     */
    readonly compact = false,
  ) {
    this.params = lshParams(options);
    this.keys = new HashSlots(expected);
    this.ids = new IdTable(expected);
  }

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.numberOf(id) !== -1;
  }

  /** The stored document with this id, or undefined. */
  get(id: string): StoredDoc | undefined {
    const n = this.numberOf(id);
    return n === -1 ? undefined : this.doc(n);
  }

  /** The number of the live document with this id, or -1. */
  private numberOf(id: string): number {
    const bytes = idBytes(id);
    return this.ids.find(hashBytes(bytes), (d) => sameBytes(idOf(this.chunkOf(d)!, d & SLOT), bytes));
  }

  /** Every live document sharing a band bucket with `bands` (at most PER_BAND a band, the latest), each once, in arrival order. */
  members(bands: Uint32Array): StoredDoc[] {
    const tables = this.tables;
    if (!tables) return [];
    const found = new Set<number>();
    const floor = this.first * CHUNK;
    const frozen = this.frozen;
    let taken = 0;
    // One visitor for every band's frozen group (a query's hot path allocates it once, not per band).
    const visit = (d: number): boolean => {
      if (d < floor) return false;
      if (this.isLive(d)) {
        found.add(d);
        taken++;
      }
      return taken < PER_BAND;
    };
    for (let b = 0; b < Math.min(this.bands, bands.length); b++) {
      taken = 0;
      // Added documents first: every one is newer than every loaded one.
      for (let d = tables[b]!.get(bands[b]!); d >= floor && taken < PER_BAND; d = this.linkOf(d, b)) {
        if (this.isLive(d)) {
          found.add(d);
          taken++;
        }
      }
      if (frozen && taken < PER_BAND) frozen.each(b, bands[b]!, visit);
    }
    return [...found].sort((x, y) => x - y).map((d) => this.doc(d));
  }

  /** The latest live document stored with this content key. */
  exact(key: number): StoredDoc | undefined {
    const n = this.keys.get(key);
    return n === -1 ? undefined : this.doc(n);
  }

  /**
   * Store a new document, in the band tables under `bands` unless that is null (no signature, an
   * exact duplicate or a near-twin), and under its content `key`. Its id is not held yet (the
   * caller checked) and its canonical is itself or a live stored document.
   */
  put(doc: NewDoc, scheme: Scheme | null, bands: Uint32Array | null, key: number | null = null): void {
    if (scheme) this.scheme ??= scheme;
    const n = this.next;
    const canonical = doc.canonical === doc.id ? n : this.numberOf(doc.canonical);
    if (canonical === -1) fail("INDEX_STORE", undefined, `the canonical "${doc.canonical}" of "${doc.id}" is not in the index`);
    const c = this.open();
    const slot = n & SLOT;
    this.next++;
    this.numbered++;
    this.count++;
    c.filled++;
    c.live++;
    const id = idBytes(doc.id);
    setId(c, slot, id);
    this.ids.add(hashBytes(id), n);
    c.sizes[slot] = doc.size;
    c.canon[slot] = canonical;
    const time = doc.time ?? NO_TIME;
    c.times[slot] = time;
    if (time < c.oldest) c.oldest = time;
    c.leadCounts[slot] = Math.min(doc.lead.length, MAX_LEAD);
    c.leads.set(doc.lead.subarray(0, MAX_LEAD), slot * MAX_LEAD);
    c.numberCounts[slot] = Math.min(doc.numbers.length, NUMBERS);
    c.numbers.set(doc.numbers.subarray(0, NUMBERS), slot * NUMBERS);
    if (key !== null) this.keys.set(key, n);
    if (!doc.signature) return;
    c.sigs.set(doc.signature, slot * this.options.numHashes);
    if (!bands) {
      c.flags[slot] = HAS_SIG | UNINDEXED;
      return;
    }
    c.flags[slot] = HAS_SIG;
    this.link(n, c, bands);
  }

  /**
   * Forget every document whose time is before `before` (documents without a time first); how
   * many. Sealed chunks come off a heap by their oldest time and give up their documents in time
   * order, so the cost is O(log chunks) per chunk touched plus O(1) per document forgotten; only
   * the chunk being filled is scanned, and only when it holds a document that old.
   */
  evict(before: number): number {
    let evicted = 0;
    const open = this.chunks[this.chunks.length - 1];
    if (open && !open.order && open.oldest < before) {
      let oldest = Infinity;
      for (let slot = 0; slot < open.filled; slot++) {
        if (open.flags[slot]! & DEAD) continue;
        const t = open.times[slot]!;
        if (t < before) {
          this.kill(open, slot);
          evicted++;
        } else if (t < oldest) oldest = t;
      }
      open.oldest = oldest;
    }
    while ((this.heap.peek()?.oldest ?? Infinity) < before) {
      const c = this.heap.pop();
      const order = c.order!;
      while (c.cursor < order.length) {
        const slot = order[c.cursor]!;
        if (!(c.flags[slot]! & DEAD)) {
          if (c.times[slot]! >= before) break;
          this.kill(c, slot);
          evicted++;
        }
        c.cursor++;
      }
      if (c.live > 0) {
        c.oldest = c.times[order[c.cursor]!]!;
        this.heap.push(c);
      }
    }
    // Drop the oldest chunks once nothing in them lives: every chain stops above them.
    while (this.chunks.length > 1 && this.chunks[0]!.live === 0) {
      this.chunks.shift();
      this.first++;
    }
    // Frozen pairs are never taken out one by one; once every loaded document is gone, they all go.
    if (this.frozen && this.first * CHUNK >= this.frozen.count) this.frozen = null;
    return evicted;
  }

  /** The live documents, renumbered 0… in arrival order, for persist.ts: views of the chunks where nothing was evicted. */
  snapshot(): Snapshot {
    if (!this.compact) fail("INDEX_STORE", undefined, "only a compact store (createIndex) is saved");
    const { eachId, parts } = snapshotParts(this.chunks, this.first, this.options.numHashes);
    const ids = idsJson(eachId);
    return { options: this.options, scheme: this.scheme, newest: this.newest, numbered: this.numbered, count: this.count, ids, parts };
  }

  /**
   * Fill an empty store from an index file or bytes: chunks allocated for every document, each
   * section read straight into them (in the file's order), the checksum checked, then the buckets
   * and content keys derived from the signatures (they are not in the file). O(n), no array grown.
   */
  load(plan: LoadPlan): void {
    if (this.next !== 0) fail("INDEX_STORE", undefined, "load() needs an empty store");
    const n = plan.count;
    const chunks: Chunk[] = [];
    for (let from = 0; from < n; from += CHUNK) {
      const c = this.newChunk();
      c.filled = Math.min(CHUNK, n - from);
      this.next += c.filled;
      chunks.push(c);
    }
    fillChunks(plan, chunks, this.ids);
    this.count += n;
    this.scheme = plan.scheme;
    this.newest = plan.newest;
    this.numbered = plan.numbered;
    const bands = this.bandCount();
    this.tablesFor(bands);
    this.frozen = deriveKeys(chunks, n, this.options.numHashes, this.params, this.options.seed, bands, this.keys);
    // The chunks filled to the brim are sealed, as if their documents had been added one by one.
    for (const c of chunks) if (c.filled === CHUNK) this.seal(c);
  }

  /** Bands a document is bucketed under: its signature's, then (for our signatures) its lead's. */
  private bandCount(): number {
    return this.params.bands + (this.scheme === "minhash" ? 0 : LEAD_PARAMS.bands);
  }

  private tablesFor(bands: number): BucketSlots[] {
    if (!this.tables) {
      this.bands = bands;
      // Only documents added in this process go here (a load's are frozen): grown shard by shard.
      this.tables = Array.from({ length: bands }, () => new BucketSlots());
    }
    return this.tables;
  }

  private doc(n: number): StoredDoc {
    const c = this.chunkOf(n)!;
    const slot = n & SLOT;
    const k = this.options.numHashes;
    const canon = c.canon[slot]!;
    const time = c.times[slot]!;
    const id = idString(idOf(c, slot));
    return {
      id,
      n,
      // A canonical that was evicted leaves its copies standing on their own.
      canonical: canon === n ? id : this.isLive(canon) ? idString(idOf(this.chunkOf(canon)!, canon & SLOT)) : id,
      size: c.sizes[slot]!,
      // A compact store widens on the way out: StoredDoc signatures are Uint32Array for every store.
      signature: c.flags[slot]! & HAS_SIG ? Uint32Array.from(c.sigs.subarray(slot * k, (slot + 1) * k)) : null,
      lead: c.leads.subarray(slot * MAX_LEAD, slot * MAX_LEAD + c.leadCounts[slot]!),
      numbers: c.numbers.subarray(slot * NUMBERS, slot * NUMBERS + c.numberCounts[slot]!),
      match: null,
      token: "",
      time: time === NO_TIME ? null : time,
    };
  }

  private chunkOf(n: number): Chunk | undefined {
    return this.chunks[(n >>> CHUNK_BITS) - this.first];
  }

  private isLive(n: number): boolean {
    const c = this.chunkOf(n);
    return c !== undefined && n >= this.first * CHUNK && !(c.flags[n & SLOT]! & DEAD);
  }

  /** The document before `n` in band b's bucket (-1 at the end). */
  private linkOf(n: number, b: number): number {
    return this.chunkOf(n)!.next![(n & SLOT) * this.bands + b]!;
  }

  /** Put document n at the head of its buckets. */
  private link(n: number, c: Chunk, bands: Uint32Array): void {
    const tables = this.tablesFor(this.bandCount());
    c.next ??= new Int32Array(CHUNK * this.bands).fill(-1);
    const at = (n & SLOT) * this.bands;
    // A document without a lead has only its signature's bands.
    for (let b = 0; b < Math.min(this.bands, bands.length); b++) c.next[at + b] = tables[b]!.swap(bands[b]!, n);
  }

  /** Forget one document: its id, its content key, and the buckets where no live member is left. */
  private kill(c: Chunk, slot: number): void {
    const n = c.base + slot;
    c.flags[slot]! |= DEAD;
    this.ids.remove(hashBytes(idOf(c, slot)), n);
    c.live--;
    this.count--;
    if (c.flags[slot]! & HAS_SIG) {
      const sketch = sketchOf(c, slot, this.options.numHashes, sketchSlot());
      const key = contentKey(sketch)!;
      if (this.keys.get(key) === n) this.keys.delete(key);
      if (!(c.flags[slot]! & UNINDEXED)) this.unlink(indexKeys(sketch, this.params, this.options.seed)!);
    }
    if (c.live === 0 && c.filled === CHUNK) release(c);
  }

  /** Drop the bucket entries whose chains hold no live document any more. */
  private unlink(bands: Uint32Array): void {
    const floor = this.first * CHUNK;
    for (let b = 0; b < Math.min(this.bands, bands.length); b++) {
      const table = this.tables![b]!;
      let d = table.get(bands[b]!);
      while (d >= floor && !this.isLive(d)) d = this.linkOf(d, b);
      if (d < floor) table.delete(bands[b]!);
    }
  }

  /** The chunk being filled; a full one is sealed (sorted by time, put on the heap) and a new one begun. */
  private open(): Chunk {
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.filled < CHUNK) return last;
    if (last && !last.order) this.seal(last);
    return this.newChunk();
  }

  /** A new empty chunk at the end, for the documents numbered from `next`. */
  private newChunk(): Chunk {
    const c = newChunk(this.next, this.options.numHashes, this.bands, this.compact);
    if (this.chunks.length === 0) this.first = this.next >>> CHUNK_BITS;
    this.chunks.push(c);
    return c;
  }

  private seal(c: Chunk): void {
    seal(c);
    if (c.live > 0) this.heap.push(c);
  }

}
