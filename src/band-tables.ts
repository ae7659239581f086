// Band tables: LSH band keys of numbered documents → the documents sharing a bucket with a query, or every
// pair sharing one. A data structure on typed arrays, used by the batch and by the in-memory store.
import { fmix32 } from "./hash.js";

/**
 * Candidates taken from each band's bucket, the most recent first. A crowded bucket is one story
 * copied many times (or a phrase every page shares): a few of its documents stand for the rest, so
 * a query costs O(bands × PER_BAND) however many copies there are.
 */
export const PER_BAND = 16;

/**
 * Band tables: for each band, key → the documents with that key. Open addressing on typed
 * arrays with the documents of one bucket chained through `next`: about 20 bytes per document
 * and band, where a Map of arrays would take several times that at a million documents.
 * Documents are numbered 0, 1, 2… in the order they are added.
 */
export class BandTables {
  private keys: Uint32Array[];
  private heads: Int32Array[];
  private used: number[];
  /** next[doc * bands + band]: the previous document in the same bucket, or -1. */
  private next: Int32Array;
  private count = 0;

  constructor(
    readonly bands: number,
    expected = 1024,
  ) {
    const cap = capacityFor(expected);
    this.keys = Array.from({ length: bands }, () => new Uint32Array(cap));
    this.heads = Array.from({ length: bands }, () => new Int32Array(cap).fill(-1));
    this.used = new Array<number>(bands).fill(0);
    this.next = new Int32Array(Math.max(expected, 16) * bands);
  }

  /** Number of documents added. */
  get size(): number {
    return this.count;
  }

  /** Add the next document (its number is the current size) under its band keys. */
  add(keys: Uint32Array): number {
    const doc = this.count++;
    const bands = this.bands;
    if ((doc + 1) * bands > this.next.length) {
      const grown = new Int32Array(this.next.length * 2);
      grown.set(this.next);
      this.next = grown;
    }
    for (let b = 0; b < bands; b++) {
      if ((this.used[b]! + 1) * 2 > this.keys[b]!.length) this.rehash(b);
      const slot = this.find(b, keys[b]!);
      const heads = this.heads[b]!;
      if (heads[slot] === -1) {
        this.keys[b]![slot] = keys[b]!;
        this.used[b]!++;
      }
      this.next[doc * bands + b] = heads[slot]!;
      heads[slot] = doc;
    }
    return doc;
  }

  /**
   * Documents sharing at least one band with `keys`, each once, ascending; at most `perBand` from
   * each band's bucket, the most recently added first. An unseen key is no match. The bound makes
   * a query O(bands × perBand) however crowded a bucket is: a flood of copies of one story fills
   * its buckets, and any few of them stand for the rest.
   */
  query(keys: Uint32Array, perBand = Infinity): number[] {
    const visits = new Int32Array(this.bands * Math.min(perBand, this.count));
    const n = this.gather(keys, perBand, visits);
    return [...new Set(visits.subarray(0, n))].sort((x, y) => x - y);
  }

  /**
   * The documents sharing a band with `keys`, written to `out` (room for bands × perBand, or for
   * bands × size): at most `perBand` from each band's bucket, the most recently added first, a
   * document sharing several bands once per band; returns how many. For the batch's hot loop,
   * which deduplicates with a stamp per document; written out rather than handed to a callback,
   * which at hundreds of visits per document cost more than the walk itself.
   */
  gather(keys: Uint32Array, perBand: number, out: Int32Array): number {
    const bands = this.bands;
    const next = this.next;
    let n = 0;
    for (let b = 0; b < bands; b++) {
      let taken = 0;
      for (let d = this.heads[b]![this.find(b, keys[b]!)]!; d !== -1 && taken < perBand; d = next[d * bands + b]!, taken++) out[n++] = d;
    }
    return n;
  }

  /**
   * Every pair [i, j] (i < j) that shares a bucket, each once, ordered by j then i. Lazy, and
   * deduplicated with one stamp per document rather than a set of pairs: memory stays O(n)
   * however many pairs a corpus of near-identical documents produces.
   */
  *pairs(): Generator<[number, number]> {
    const bands = this.bands;
    const stamp = new Int32Array(this.count).fill(-1);
    const earlier: number[] = [];
    for (let j = 0; j < this.count; j++) {
      earlier.length = 0;
      for (let b = 0; b < bands; b++) {
        // a chain links each document to the one added before it in the same bucket
        for (let i = this.next[j * bands + b]!; i !== -1; i = this.next[i * bands + b]!) {
          if (stamp[i] === j) continue;
          stamp[i] = j;
          earlier.push(i);
        }
      }
      earlier.sort((x, y) => x - y);
      for (const i of earlier) yield [i, j];
    }
  }

  /** Slot of `key` in band b: where it is, or the empty slot where it would go. */
  private find(b: number, key: number): number {
    const keys = this.keys[b]!;
    const heads = this.heads[b]!;
    const mask = keys.length - 1;
    let slot = fmix32(key) & mask;
    while (heads[slot] !== -1 && keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(b: number): void {
    const oldKeys = this.keys[b]!;
    const oldHeads = this.heads[b]!;
    this.keys[b] = new Uint32Array(oldKeys.length * 2);
    this.heads[b] = new Int32Array(oldKeys.length * 2).fill(-1);
    for (let slot = 0; slot < oldKeys.length; slot++) {
      if (oldHeads[slot] === -1) continue;
      const to = this.find(b, oldKeys[slot]!);
      this.keys[b]![to] = oldKeys[slot]!;
      this.heads[b]![to] = oldHeads[slot]!;
    }
  }
}

function capacityFor(n: number): number {
  let cap = 16;
  while (cap < n * 2) cap *= 2;
  return cap;
}

/** Shards of a HashSlots table: a table grows one shard at a time, so no insert rehashes more than 1/SHARDS of it. */
export const SHARD_BITS = 8;
export const SHARDS = 1 << SHARD_BITS;

/**
 * A map from integer keys (up to 2^53) to non-negative int32 values, with deletion: open
 * addressing with linear probing on typed arrays, split into SHARDS tables by the key's hash.
 * A single table doubles in one insert, rehashing every key: a stall that grows with the index,
 * O(n); a shard doubles alone, O(n / SHARDS). Deletion shifts the following entries back (no tombstones),
 * so a table whose keys come and go, as an index with a window, stays at its live size.
 */
export class HashSlots {
  private readonly keys: Float64Array[];
  private readonly vals: Int32Array[];
  private readonly used = new Int32Array(SHARDS);
  private count = 0;

  constructor(expected = 0) {
    let cap = 16;
    while (cap * 0.7 < expected / SHARDS) cap *= 2;
    this.keys = Array.from({ length: SHARDS }, () => new Float64Array(cap));
    this.vals = Array.from({ length: SHARDS }, () => new Int32Array(cap).fill(-1));
  }

  get size(): number {
    return this.count;
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    const h = hashKey(key);
    const s = h >>> (32 - SHARD_BITS);
    const keys = this.keys[s]!;
    const vals = this.vals[s]!;
    const mask = vals.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = vals[i]!;
      if (v === -1) return -1;
      if (keys[i] === key) return v;
    }
  }

  set(key: number, value: number): void {
    const h = hashKey(key);
    const s = h >>> (32 - SHARD_BITS);
    // A load of 0.7: linear probing stays at a few probes a lookup, with a third less memory than 0.5.
    if ((this.used[s]! + 1) * 10 > this.vals[s]!.length * 7) this.grow(s);
    const keys = this.keys[s]!;
    const vals = this.vals[s]!;
    const mask = vals.length - 1;
    let i = h & mask;
    while (vals[i] !== -1 && keys[i] !== key) i = (i + 1) & mask;
    if (vals[i] === -1) {
      this.used[s]!++;
      this.count++;
      keys[i] = key;
    }
    vals[i] = value;
  }

  delete(key: number): void {
    const h = hashKey(key);
    const s = h >>> (32 - SHARD_BITS);
    const keys = this.keys[s]!;
    const vals = this.vals[s]!;
    const mask = vals.length - 1;
    let i = h & mask;
    while (vals[i] !== -1 && keys[i] !== key) i = (i + 1) & mask;
    if (vals[i] === -1) return;
    this.used[s]!--;
    this.count--;
    // Backward shift: move each following entry of the run into the hole unless its home slot
    // lies cyclically after the hole (it would then be unreachable from its home).
    for (let j = (i + 1) & mask; vals[j] !== -1; j = (j + 1) & mask) {
      const home = hashKey(keys[j]!) & mask;
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (between) continue;
      keys[i] = keys[j]!;
      vals[i] = vals[j]!;
      i = j;
    }
    vals[i] = -1;
  }

  private grow(s: number): void {
    const oldKeys = this.keys[s]!;
    const oldVals = this.vals[s]!;
    const cap = oldVals.length * 2;
    const keys = new Float64Array(cap);
    const vals = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let j = 0; j < oldVals.length; j++) {
      if (oldVals[j] === -1) continue;
      let i = hashKey(oldKeys[j]!) & mask;
      while (vals[i] !== -1) i = (i + 1) & mask;
      keys[i] = oldKeys[j]!;
      vals[i] = oldVals[j]!;
    }
    this.keys[s] = keys;
    this.vals[s] = vals;
  }
}

/** A 32-bit hash of a key of up to 53 bits. */
function hashKey(key: number): number {
  return fmix32((key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1));
}

/**
 * HashSlots for 32-bit keys, each slot a [key, value] pair in one Int32Array: a lookup touches
 * one cache line instead of two (the band tables are the index's largest and most probed
 * structure), and the shards are monomorphic arrays of one type.
 */
export class BucketSlots {
  private readonly slots: Int32Array[];
  private readonly used = new Int32Array(SHARDS);

  constructor(expected = 0) {
    this.slots = pairShards(expected);
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    const h = fmix32(key);
    const slots = this.slots[h >>> (32 - SHARD_BITS)]!;
    const mask = (slots.length >> 1) - 1;
    const k = key | 0;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = slots[2 * i + 1]!;
      if (v === -1) return -1;
      if (slots[2 * i] === k) return v;
    }
  }

  /** Set `key` to `value` and return its previous value (-1 if none), in one probe: a bucket's new head and the old one it links to. */
  swap(key: number, value: number): number {
    const h = fmix32(key);
    const s = h >>> (32 - SHARD_BITS);
    if ((this.used[s]! + 1) * 10 > this.slots[s]!.length * 3.5) this.grow(s);
    const slots = this.slots[s]!;
    const mask = (slots.length >> 1) - 1;
    const k = key | 0;
    let i = h & mask;
    while (slots[2 * i + 1] !== -1 && slots[2 * i] !== k) i = (i + 1) & mask;
    const old = slots[2 * i + 1]!;
    if (old === -1) {
      this.used[s]!++;
      slots[2 * i] = k;
    }
    slots[2 * i + 1] = value;
    return old;
  }

  delete(key: number): void {
    const h = fmix32(key);
    const s = h >>> (32 - SHARD_BITS);
    const slots = this.slots[s]!;
    const mask = (slots.length >> 1) - 1;
    const k = key | 0;
    let i = h & mask;
    while (slots[2 * i + 1] !== -1 && slots[2 * i] !== k) i = (i + 1) & mask;
    if (slots[2 * i + 1] === -1) return;
    this.used[s]!--;
    removePair(slots, i, bucketHome);
  }

  private grow(s: number): void {
    this.slots[s] = grownPairs(this.slots[s]!, bucketHome);
  }
}

/** A bucket key's home slot in a table of mask + 1 pairs. */
const bucketHome = (key: number, mask: number) => fmix32(key >>> 0) & mask;

/**
 * Take the pair at slot i out of a linear-probing table of [key, value] pairs (value -1: empty)
 * by shifting the following pairs of its run back (no tombstones): each moves into the hole
 * unless its home slot lies cyclically after the hole, where it would be unreachable from its home.
 */
export function removePair(slots: Int32Array, i: number, home: (key: number, mask: number) => number): void {
  const mask = (slots.length >> 1) - 1;
  for (let j = (i + 1) & mask; slots[2 * j + 1] !== -1; j = (j + 1) & mask) {
    const h = home(slots[2 * j]!, mask);
    const between = i <= j ? h > i && h <= j : h > i || h <= j;
    if (between) continue;
    slots[2 * i] = slots[2 * j]!;
    slots[2 * i + 1] = slots[2 * j + 1]!;
    i = j;
  }
  slots[2 * i + 1] = -1;
}

/** A table of [key, value] pairs with twice the slots, every pair of `old` placed again. */
export function grownPairs(old: Int32Array, home: (key: number, mask: number) => number): Int32Array {
  const slots = new Int32Array(old.length * 2).fill(-1);
  const mask = (slots.length >> 1) - 1;
  for (let j = 0; j < old.length; j += 2) {
    if (old[j + 1] === -1) continue;
    let i = home(old[j]!, mask);
    while (slots[2 * i + 1] !== -1) i = (i + 1) & mask;
    slots[2 * i] = old[j]!;
    slots[2 * i + 1] = old[j + 1]!;
  }
  return slots;
}

/** SHARDS empty tables of [key, value] pairs, each sized for its share of `expected` keys. */
export function pairShards(expected: number): Int32Array[] {
  let cap = 16;
  while (cap * 0.7 < expected / SHARDS) cap *= 2;
  return Array.from({ length: SHARDS }, () => new Int32Array(2 * cap).fill(-1));
}
