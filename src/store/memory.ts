// Memory store: an index's documents in this process, on typed arrays; synchronous underneath
// (createIndex) and asynchronous through memoryStore() (openIndex), which Redis replaces.
import { BandTables, PER_BAND } from "../band-tables.js";
import { MAX_LEAD, NUMBERS } from "../fingerprint.js";
import { fail } from "../errors.js";
import type { ResolvedOptions } from "../options.js";
import type { Snapshot } from "../persist.js";
import type { NewDoc, PendingAdd, Scheme, Store, StoreMeta, StoredDoc } from "./store.js";

/**
 * The documents of an in-memory index. Signatures, sizes and canonicals live in typed arrays
 * indexed by document number, and the band tables chain documents through typed arrays too: a
 * few hundred bytes per document instead of an object each.
 */
export class MemoryStore {
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();
  private sigs: Uint32Array;
  private sizes: Uint32Array;
  private canon: Int32Array;
  private hasSig: Uint8Array;
  /** Up to MAX_LEAD lead shingles per document and their count, and up to NUMBERS [masked, raw] pairs. */
  private leads: Uint32Array;
  private leadCounts: Uint8Array;
  private numberPairs: Uint32Array;
  private numberCounts: Uint8Array;
  /** Table number → document number (documents without words are not in the tables). */
  private tableDocs: Int32Array;
  /** Content key → the first document stored with it (exact duplicates, see match.ts contentKey). */
  private readonly keys = new Map<number, number>();
  /** Documents not in the band tables: near-twins of a stored document (see verify.ts TWIN). */
  private unindexed: Uint8Array;
  /** Created with the first document in a band bucket: its number of bands comes with it. */
  private tables: BandTables | null = null;
  scheme: Scheme | null = null;
  /** The newest document time seen (ms since 1970), or null: the window is measured back from it. */
  newest: number | null = null;

  constructor(
    readonly options: ResolvedOptions,
    private readonly expected = 16,
  ) {
    const cap = Math.max(16, expected);
    this.sigs = new Uint32Array(cap * options.numHashes);
    this.sizes = new Uint32Array(cap);
    this.canon = new Int32Array(cap);
    this.hasSig = new Uint8Array(cap);
    this.leads = new Uint32Array(cap * MAX_LEAD);
    this.leadCounts = new Uint8Array(cap);
    this.numberPairs = new Uint32Array(cap * 2 * NUMBERS);
    this.numberCounts = new Uint8Array(cap);
    this.tableDocs = new Int32Array(cap);
    this.unindexed = new Uint8Array(cap);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The stored document with this id, or undefined. */
  get(id: string): StoredDoc | undefined {
    const n = this.byId.get(id);
    return n === undefined ? undefined : this.doc(n);
  }

  /** Every document sharing a band bucket with `bands`, each once, in arrival order. */
  members(bands: Uint32Array): StoredDoc[] {
    if (!this.tables) return [];
    return this.tables.query(bands, PER_BAND).map((t) => this.doc(this.tableDocs[t]!));
  }

  /** The first document stored with this content key. */
  exact(key: number): StoredDoc | undefined {
    const n = this.keys.get(key);
    return n === undefined ? undefined : this.doc(n);
  }

  /**
   * Store a new document, in the band tables under `bands` unless that is null (no signature, an
   * exact duplicate or a near-twin), and under its content `key` unless one is stored with it. Its
   * id is not held yet (the caller checked) and its canonical is itself or a stored document.
   */
  put(doc: NewDoc, scheme: Scheme | null, bands: Uint32Array | null, key: number | null = null): void {
    if (scheme) this.scheme ??= scheme;
    const n = this.ids.length;
    const canonical = doc.canonical === doc.id ? n : this.byId.get(doc.canonical);
    if (canonical === undefined) fail("INDEX_STORE", undefined, `the canonical "${doc.canonical}" of "${doc.id}" is not in the index`);
    if (n === this.sizes.length) this.grow();
    this.ids.push(doc.id);
    this.byId.set(doc.id, n);
    this.sizes[n] = doc.size;
    this.canon[n] = canonical;
    this.leadCounts[n] = Math.min(doc.lead.length, MAX_LEAD);
    this.leads.set(doc.lead.subarray(0, MAX_LEAD), n * MAX_LEAD);
    const pairs = doc.numbers.length >> 1;
    this.numberCounts[n] = Math.min(pairs, NUMBERS);
    this.numberPairs.set(doc.numbers.subarray(0, 2 * NUMBERS), n * 2 * NUMBERS);
    if (key !== null && !this.keys.has(key)) this.keys.set(key, n);
    if (!doc.signature) return;
    this.hasSig[n] = 1;
    this.sigs.set(doc.signature, n * this.options.numHashes);
    if (!bands) {
      this.unindexed[n] = 1;
      return;
    }
    this.tables ??= new BandTables(bands.length, this.expected);
    this.tableDocs[this.tables.add(bands)] = n;
  }

  /** Everything, for persist.ts. */
  snapshot(): Snapshot {
    const n = this.ids.length;
    return {
      options: this.options,
      scheme: this.scheme,
      ids: this.ids,
      sizes: this.sizes.subarray(0, n),
      canonical: this.canon.subarray(0, n),
      hasSig: this.hasSig.subarray(0, n),
      unindexed: this.unindexed.subarray(0, n),
      sigs: this.sigs.subarray(0, n * this.options.numHashes),
      leadCounts: this.leadCounts.subarray(0, n),
      leads: this.leads.subarray(0, n * MAX_LEAD),
      numberCounts: this.numberCounts.subarray(0, n),
      numbers: this.numberPairs.subarray(0, n * 2 * NUMBERS),
    };
  }

  private doc(n: number): StoredDoc {
    const k = this.options.numHashes;
    const hasSig = this.hasSig[n] === 1;
    return {
      id: this.ids[n]!,
      n,
      canonical: this.ids[this.canon[n]!]!,
      size: this.sizes[n]!,
      signature: hasSig ? this.sigs.subarray(n * k, (n + 1) * k) : null,
      lead: this.leads.subarray(n * MAX_LEAD, n * MAX_LEAD + this.leadCounts[n]!),
      numbers: this.numberPairs.subarray(n * 2 * NUMBERS, n * 2 * NUMBERS + 2 * this.numberCounts[n]!),
      match: null,
      token: "",
      time: null,
    };
  }

  /** Forget the documents whose time is before `before`; how many. (Contract placeholder: implemented in the next commit.) */
  evict(before: number): number {
    void before;
    return fail("INDEX_STORE", undefined, "evict() is not implemented yet in memory");
  }

  private grow(): void {
    const cap = this.sizes.length * 2;
    const widen = <T extends Uint32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T, per = 1): T => {
      const b = make(cap * per);
      b.set(a);
      return b;
    };
    this.sigs = widen(this.sigs, (n) => new Uint32Array(n), this.options.numHashes);
    this.sizes = widen(this.sizes, (n) => new Uint32Array(n));
    this.canon = widen(this.canon, (n) => new Int32Array(n));
    this.hasSig = widen(this.hasSig, (n) => new Uint8Array(n));
    this.leads = widen(this.leads, (n) => new Uint32Array(n), MAX_LEAD);
    this.leadCounts = widen(this.leadCounts, (n) => new Uint8Array(n));
    this.numberPairs = widen(this.numberPairs, (n) => new Uint32Array(n), 2 * NUMBERS);
    this.numberCounts = widen(this.numberCounts, (n) => new Uint8Array(n));
    this.tableDocs = widen(this.tableDocs, (n) => new Int32Array(n));
    this.unindexed = widen(this.unindexed, (n) => new Uint8Array(n));
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
      return live().size;
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
