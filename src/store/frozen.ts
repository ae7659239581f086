// Frozen buckets: the band buckets of the documents an index file brought, built once at load
// by a counting sort per band, read-only afterwards (documents added later go to the hash tables).

/**
 * Per band, the loaded documents' (key, document) pairs grouped by the key's top bits: `offsets`
 * marks where each group starts, and a group holds its pairs in arrival order. A hash table
 * with a chain per bucket (what added documents get) costs about two and a half times the bytes
 * of a pair, for the empty slots and the links, and is built by one random write per pair;
 * here each band is two sequential passes over the keys and scattered writes into arrays a few
 * MB long. The bytes matter twice: an index is loaded into fresh memory, and a page is paid for
 * when it is first touched.
 * A lookup scans one group, a few pairs on average (the top bits are chosen from the count).
 * From 2^19 documents on, a group has 16 or more top bits of its keys in common, so a pair
 * keeps only the low 16: two bytes less a pair and band, the comparison still exact.
 */
export class FrozenBuckets {
  private constructor(
    /** The documents numbered below it are the frozen ones. */
    readonly count: number,
    private readonly shift: number,
    private readonly offsets: Int32Array[],
    /** Each pair's key, or only its low 16 bits when the group's top bits hold the rest. */
    private readonly keys: Array<Uint32Array | Uint16Array>,
    private readonly docs: Int32Array[],
  ) {}

  /**
   * Build from `keys[b][i]`, the key of document i in band b, for the documents i < n with
   * `bandsOf[i]` > b (0: in no band). The key arrays are reused as scratch and left undefined.
   */
  static build(keys: Uint32Array[], bandsOf: Uint8Array, n: number): FrozenBuckets {
    // About eight pairs a group: a group is one or two cache lines, and the offsets add half a
    // byte a pair.
    const bits = Math.max(1, Math.min(24, Math.ceil(Math.log2(Math.max(2, n))) - 3));
    const shift = 32 - bits;
    const groups = 1 << bits;
    const offsets: Int32Array[] = [];
    const short = bits >= 16;
    const sorted: Array<Uint32Array | Uint16Array> = [];
    const docs: Int32Array[] = [];
    const cursor = new Int32Array(groups);
    let spare: Uint32Array | null = null;
    for (let b = 0; b < keys.length; b++) {
      const from = keys[b]!;
      let m = 0;
      const offset = new Int32Array(groups + 1);
      for (let i = 0; i < n; i++) {
        if (bandsOf[i]! > b) {
          offset[(from[i]! >>> shift) + 1]!++;
          m++;
        }
      }
      for (let g = 0; g < groups; g++) offset[g + 1]! += offset[g]!;
      cursor.set(offset.subarray(0, groups));
      // The previous band's input, free once sorted: one key array of scratch for all bands. A
      // Uint16Array keeps a key's low 16 bits (a typed array store wraps).
      const into = short ? new Uint16Array(m) : spare && spare.length >= m ? spare.subarray(0, m) : new Uint32Array(m);
      const doc = new Int32Array(m);
      for (let i = 0; i < n; i++) {
        if (bandsOf[i]! <= b) continue;
        const key = from[i]!;
        const at = cursor[key >>> shift]!++;
        into[at] = key;
        doc[at] = i;
      }
      offsets.push(offset);
      sorted.push(into);
      docs.push(doc);
      spare = from;
      (keys as Array<Uint32Array | undefined>)[b] = undefined;
    }
    return new FrozenBuckets(n, shift, offsets, sorted, docs);
  }

  /** The documents in band b's bucket `key`, newest first, until `visit` returns false. */
  each(b: number, key: number, visit: (doc: number) => boolean): void {
    const g = key >>> this.shift;
    const offsets = this.offsets[b]!;
    const keys = this.keys[b]!;
    const docs = this.docs[b]!;
    const k = this.shift <= 16 ? key & 0xffff : key >>> 0;
    for (let j = offsets[g + 1]! - 1; j >= offsets[g]!; j--) {
      if (keys[j] === k && !visit(docs[j]!)) return;
    }
  }
}
