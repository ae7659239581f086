// Memory store: an index's documents in this process, on typed arrays; synchronous underneath
// (createIndex) and asynchronous through memoryStore() (openIndex), which Redis replaces.
import { HashSlots, PER_BAND } from "../band-tables.js";
import { lshParams, type LshParams } from "../candidates.js";
import { MAX_LEAD, NUMBERS } from "../fingerprint.js";
import { fail } from "../errors.js";
import { contentKey, indexKeys, type Entry, type Sketch } from "../match.js";
import type { ResolvedOptions } from "../options.js";
import type { Snapshot, SnapshotPart } from "../persist.js";
import type { NewDoc, PendingAdd, Scheme, Store, StoreMeta, StoredDoc } from "./store.js";

/** Documents per chunk: a chunk is allocated whole when the last one fills, so growth never copies the index. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const SLOT = CHUNK - 1;
/** Flag bits of a document (bits 0 and 1 are also the snapshot's). */
const HAS_SIG = 1;
const UNINDEXED = 2;
const DEAD = 4;
/** The time of a document without one: before every time, so the first eviction forgets it. */
const NO_TIME = -Infinity;

/**
 * CHUNK documents' fields, by slot. A chunk is sealed when full: its slots are then sorted by
 * time once, so eviction walks them oldest first and forgets each in O(1).
 */
interface Chunk {
  /** The number of its slot 0. */
  readonly base: number;
  readonly ids: Array<string | undefined>;
  sigs: Uint32Array;
  sizes: Uint32Array;
  /** The canonical's document number (global, see MemoryStore.next). */
  canon: Int32Array;
  readonly flags: Uint8Array;
  readonly times: Float64Array;
  leads: Uint32Array;
  leadCounts: Uint8Array;
  numbers: Uint32Array;
  numberCounts: Uint8Array;
  /** next[slot × bands + band]: the document added before it to the same bucket, or -1 (allocated with the first indexed document). */
  next: Int32Array | null;
  filled: number;
  live: number;
  /** The oldest live document's time (for a sealed chunk, the one at `cursor` in `order`). */
  oldest: number;
  order: Int32Array | null;
  cursor: number;
}

const EMPTY = new Uint32Array(0);

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
  private readonly byId = new Map<string, number>();
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
  private tables: HashSlots[] | null = null;
  private bands = 0;
  /** Sealed chunks with live documents, as a min-heap on their oldest time. */
  private heap: Chunk[] = [];
  private readonly params: LshParams;
  scheme: Scheme | null = null;
  /** The newest document time seen (ms since 1970), or null: the window is measured back from it. */
  newest: number | null = null;

  constructor(
    readonly options: ResolvedOptions,
    expected = 0,
  ) {
    this.params = lshParams(options);
    this.keys = new HashSlots(true, expected);
  }

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The stored document with this id, or undefined. */
  get(id: string): StoredDoc | undefined {
    const n = this.byId.get(id);
    return n === undefined ? undefined : this.doc(n);
  }

  /** Every live document sharing a band bucket with `bands` (at most PER_BAND a band, the latest), each once, in arrival order. */
  members(bands: Uint32Array): StoredDoc[] {
    const tables = this.tables;
    if (!tables) return [];
    const found = new Set<number>();
    const floor = this.first * CHUNK;
    for (let b = 0; b < this.bands; b++) {
      let taken = 0;
      for (let d = tables[b]!.get(bands[b]!); d >= floor && taken < PER_BAND; d = this.linkOf(d, b)) {
        if (this.isLive(d)) {
          found.add(d);
          taken++;
        }
      }
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
    const canonical = doc.canonical === doc.id ? n : this.byId.get(doc.canonical);
    if (canonical === undefined) fail("INDEX_STORE", undefined, `the canonical "${doc.canonical}" of "${doc.id}" is not in the index`);
    const c = this.open();
    const slot = n & SLOT;
    this.next++;
    this.numbered++;
    this.count++;
    c.filled++;
    c.live++;
    c.ids[slot] = doc.id;
    this.byId.set(doc.id, n);
    c.sizes[slot] = doc.size;
    c.canon[slot] = canonical;
    const time = doc.time ?? NO_TIME;
    c.times[slot] = time;
    if (time < c.oldest) c.oldest = time;
    c.leadCounts[slot] = Math.min(doc.lead.length, MAX_LEAD);
    c.leads.set(doc.lead.subarray(0, MAX_LEAD), slot * MAX_LEAD);
    c.numberCounts[slot] = Math.min(doc.numbers.length >> 1, NUMBERS);
    c.numbers.set(doc.numbers.subarray(0, 2 * NUMBERS), slot * 2 * NUMBERS);
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
    while (this.heap.length > 0 && this.heap[0]!.oldest < before) {
      const c = this.pop();
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
        this.push(c);
      }
    }
    // Drop the oldest chunks once nothing in them lives: every chain stops above them.
    while (this.chunks.length > 1 && this.chunks[0]!.live === 0) {
      this.chunks.shift();
      this.first++;
    }
    return evicted;
  }

  /** The live documents, renumbered 0… in arrival order, for persist.ts: views of the chunks where nothing was evicted. */
  snapshot(): Snapshot {
    const k = this.options.numHashes;
    const ids: string[] = [];
    const parts: SnapshotPart[] = [];
    // Each live document's position in the snapshot, by chunk: a canonical is written as its position.
    const base = new Float64Array(this.chunks.length + 1);
    const ranks: Array<Int32Array | null> = [];
    let at = 0;
    this.chunks.forEach((c, i) => {
      base[i] = at;
      if (c.live === c.filled) {
        ranks.push(null);
        at += c.filled;
        return;
      }
      const rank = new Int32Array(c.filled).fill(-1);
      for (let s = 0; s < c.filled; s++) if (!(c.flags[s]! & DEAD)) rank[s] = at++ - base[i]!;
      ranks.push(rank);
    });
    const position = (n: number): number => {
      const i = (n >>> CHUNK_BITS) - this.first;
      if (i < 0) return -1;
      const rank = ranks[i];
      const r = rank ? rank[n & SLOT]! : n & SLOT;
      return r < 0 ? -1 : base[i]! + r;
    };
    this.chunks.forEach((c, i) => {
      if (c.live === 0) return;
      const whole = c.live === c.filled;
      const take = whole ? null : Array.from({ length: c.filled }, (_, s) => s).filter((s) => !(c.flags[s]! & DEAD));
      const count = c.live;
      const pick = <T extends Uint32Array | Uint8Array | Float64Array>(a: T, per: number, make: (n: number) => T): T => {
        if (!take) return a.subarray(0, count * per) as T;
        const out = make(count * per);
        take.forEach((s, j) => out.set(a.subarray(s * per, (s + 1) * per), j * per));
        return out;
      };
      const canonical = new Int32Array(count);
      (take ?? Array.from({ length: count }, (_, s) => s)).forEach((s, j) => {
        const p = position(c.canon[s]!);
        // A canonical that was evicted leaves its copies standing on their own.
        canonical[j] = p < 0 ? base[i]! + j : p;
        ids.push(c.ids[s]!);
      });
      parts.push({
        count,
        sizes: pick(c.sizes, 1, (m) => new Uint32Array(m)),
        canonical,
        flags: pick(c.flags, 1, (m) => new Uint8Array(m)).map((f) => f & (HAS_SIG | UNINDEXED)),
        times: pick(c.times, 1, (m) => new Float64Array(m)),
        sigs: pick(c.sigs, k, (m) => new Uint32Array(m)),
        leadCounts: pick(c.leadCounts, 1, (m) => new Uint8Array(m)),
        leads: pick(c.leads, MAX_LEAD, (m) => new Uint32Array(m)),
        numberCounts: pick(c.numberCounts, 1, (m) => new Uint8Array(m)),
        numbers: pick(c.numbers, 2 * NUMBERS, (m) => new Uint32Array(m)),
      });
    });
    return { options: this.options, scheme: this.scheme, newest: this.newest, numbered: this.numbered, count: this.count, ids, parts };
  }

  /**
   * Fill an empty store from a snapshot: fields copied chunk by chunk, buckets and content keys
   * derived from the signatures (they are not in the file).
   */
  load(snapshot: Snapshot): void {
    if (this.next !== 0) fail("INDEX_STORE", undefined, "load() needs an empty store");
    this.scheme = snapshot.scheme;
    this.newest = snapshot.newest;
    this.numbered = snapshot.numbered;
    const k = this.options.numHashes;
    const entry = { id: "", scheme: "news-dedupe" as Scheme, time: null, size: 0, signature: EMPTY, lead: EMPTY, numbers: EMPTY };
    let i = 0;
    for (const part of snapshot.parts) {
      for (let j = 0; j < part.count; ) {
        const c = this.open();
        const from: number = this.next & SLOT;
        const m = Math.min(part.count - j, CHUNK - from);
        c.sizes.set(part.sizes.subarray(j, j + m), from);
        c.flags.set(part.flags.subarray(j, j + m), from);
        c.times.set(part.times.subarray(j, j + m), from);
        c.sigs.set(part.sigs.subarray(j * k, (j + m) * k), from * k);
        c.leadCounts.set(part.leadCounts.subarray(j, j + m), from);
        c.leads.set(part.leads.subarray(j * MAX_LEAD, (j + m) * MAX_LEAD), from * MAX_LEAD);
        c.numberCounts.set(part.numberCounts.subarray(j, j + m), from);
        c.numbers.set(part.numbers.subarray(j * 2 * NUMBERS, (j + m) * 2 * NUMBERS), from * 2 * NUMBERS);
        for (let x = 0; x < m; x++) {
          const n = this.next++;
          const slot = from + x;
          const id = snapshot.ids[i++]!;
          c.ids[slot] = id;
          this.byId.set(id, n);
          c.canon[slot] = part.canonical[j + x]!;
          const t = c.times[slot]!;
          if (t < c.oldest) c.oldest = t;
          if (!(c.flags[slot]! & HAS_SIG)) continue;
          const sketch = this.sketch(c, slot, entry);
          this.keys.set(contentKey(sketch)!, n);
          if (!(c.flags[slot]! & UNINDEXED)) this.link(n, c, indexKeys(sketch, this.params, this.options.seed)!);
        }
        c.filled += m;
        c.live += m;
        this.count += m;
        j += m;
      }
    }
  }

  private doc(n: number): StoredDoc {
    const c = this.chunkOf(n)!;
    const slot = n & SLOT;
    const k = this.options.numHashes;
    const canon = c.canon[slot]!;
    const time = c.times[slot]!;
    return {
      id: c.ids[slot]!,
      n,
      // A canonical that was evicted leaves its copies standing on their own.
      canonical: this.isLive(canon) ? this.chunkOf(canon)!.ids[canon & SLOT]! : c.ids[slot]!,
      size: c.sizes[slot]!,
      signature: c.flags[slot]! & HAS_SIG ? c.sigs.subarray(slot * k, (slot + 1) * k) : null,
      lead: c.leads.subarray(slot * MAX_LEAD, slot * MAX_LEAD + c.leadCounts[slot]!),
      numbers: c.numbers.subarray(slot * 2 * NUMBERS, slot * 2 * NUMBERS + 2 * c.numberCounts[slot]!),
      match: null,
      token: "",
      time: time === NO_TIME ? null : time,
    };
  }

  /** A slot's sketch in `into` (reused), for deriving its keys. */
  private sketch(c: Chunk, slot: number, into: { -readonly [K in keyof Entry]: Entry[K] }): Entry {
    const k = this.options.numHashes;
    into.signature = c.sigs.subarray(slot * k, (slot + 1) * k);
    into.size = c.sizes[slot]!;
    into.lead = c.leads.subarray(slot * MAX_LEAD, slot * MAX_LEAD + c.leadCounts[slot]!);
    return into;
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
    if (!this.tables) {
      this.bands = bands.length;
      this.tables = Array.from({ length: this.bands }, () => new HashSlots(false, this.keys.size));
    }
    c.next ??= new Int32Array(CHUNK * this.bands);
    const at = (n & SLOT) * this.bands;
    for (let b = 0; b < this.bands; b++) {
      const table = this.tables[b]!;
      c.next[at + b] = table.get(bands[b]!);
      table.set(bands[b]!, n);
    }
  }

  /** Forget one document: its id, its content key, and the buckets where no live member is left. */
  private kill(c: Chunk, slot: number): void {
    const n = c.base + slot;
    c.flags[slot]! |= DEAD;
    this.byId.delete(c.ids[slot]!);
    c.ids[slot] = undefined;
    c.live--;
    this.count--;
    if (c.flags[slot]! & HAS_SIG) {
      const sketch = this.sketch(c, slot, { id: "", scheme: "news-dedupe", time: null, size: 0, signature: EMPTY, lead: EMPTY, numbers: EMPTY });
      const key = contentKey(sketch)!;
      if (this.keys.get(key) === n) this.keys.delete(key);
      if (!(c.flags[slot]! & UNINDEXED)) this.unlink(indexKeys(sketch, this.params, this.options.seed)!);
    }
    if (c.live === 0 && c.filled === CHUNK) this.release(c);
  }

  /** Drop the bucket entries whose chains hold no live document any more. */
  private unlink(bands: Uint32Array): void {
    const floor = this.first * CHUNK;
    for (let b = 0; b < this.bands; b++) {
      const table = this.tables![b]!;
      let d = table.get(bands[b]!);
      while (d >= floor && !this.isLive(d)) d = this.linkOf(d, b);
      if (d < floor) table.delete(bands[b]!);
    }
  }

  /** A sealed chunk with nothing live: its fields go (the chains through it stay until it is the oldest). */
  private release(c: Chunk): void {
    c.sigs = c.leads = c.numbers = c.sizes = EMPTY;
    c.canon = new Int32Array(0);
    c.leadCounts = c.numberCounts = new Uint8Array(0);
  }

  /** The chunk being filled; a full one is sealed (sorted by time, put on the heap) and a new one begun. */
  private open(): Chunk {
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.filled < CHUNK) return last;
    if (last) this.seal(last);
    const k = this.options.numHashes;
    const c: Chunk = {
      base: this.next,
      ids: new Array<string | undefined>(CHUNK),
      sigs: new Uint32Array(CHUNK * k),
      sizes: new Uint32Array(CHUNK),
      canon: new Int32Array(CHUNK),
      flags: new Uint8Array(CHUNK),
      times: new Float64Array(CHUNK),
      leads: new Uint32Array(CHUNK * MAX_LEAD),
      leadCounts: new Uint8Array(CHUNK),
      numbers: new Uint32Array(CHUNK * 2 * NUMBERS),
      numberCounts: new Uint8Array(CHUNK),
      next: this.bands ? new Int32Array(CHUNK * this.bands) : null,
      filled: 0,
      live: 0,
      oldest: Infinity,
      order: null,
      cursor: 0,
    };
    if (this.chunks.length === 0) this.first = this.next >>> CHUNK_BITS;
    this.chunks.push(c);
    return c;
  }

  private seal(c: Chunk): void {
    const live = Array.from({ length: CHUNK }, (_, s) => s).filter((s) => !(c.flags[s]! & DEAD));
    c.order = Int32Array.from(live.sort((a, b) => c.times[a]! - c.times[b]! || a - b));
    if (c.live === 0) return this.release(c);
    c.oldest = c.times[c.order[0]!]!;
    this.push(c);
  }

  private push(c: Chunk): void {
    const h = this.heap;
    h.push(c);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p]!.oldest <= h[i]!.oldest) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Chunk {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.oldest < h[m]!.oldest) m = l;
        if (r < h.length && h[r]!.oldest < h[m]!.oldest) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The in-memory index behind the asynchronous Store interface, for code written against
 * `openIndex(store)` that runs in one process today and on redisStore() tomorrow. Opening the
 * same memoryStore() twice opens one index, as two processes opening one Redis prefix do.
 */
export function memoryStore(): Store {
  let held: MemoryStore | null = null;
  let closed = false;
  const live = (): MemoryStore => {
    if (closed) fail("INDEX_STORE", undefined, "the index was closed");
    if (!held) fail("INDEX_STORE", undefined, "the index is not open");
    return held;
  };
  return {
    where: "in memory",
    async open(initial: StoreMeta) {
      closed = false;
      held ??= new MemoryStore(initial.options);
      return { options: held.options, scheme: held.scheme };
    },
    async begin(id, bands, key) {
      const store = live();
      const exact = (key === null ? undefined : store.exact(key)) ?? null;
      const pending: PendingAdd = {
        existing: store.get(id) ?? null,
        exact,
        members: bands && !exact ? store.members(bands).filter((d) => d.id !== id) : [],
        scheme: store.scheme,
        // One thread: nothing can change between begin and commit.
        commit: async (doc, scheme, placement) => {
          live().put(doc, scheme, placement.indexed ? bands : null, placement.key);
          return true;
        },
        abort: async () => undefined,
      };
      return pending;
    },
    async members(bands) {
      return live().members(bands);
    },
    async exact(key) {
      return live().exact(key) ?? null;
    },
    async get(ids) {
      const store = live();
      return ids.map((id) => store.get(id) ?? null);
    },
    async reserve() {
      return live().numbered;
    },
    async count() {
      return live().size;
    },
    async evict(before) {
      return live().evict(before);
    },
    async close() {
      closed = true;
    },
  };
}

export type { Sketch };
