// Chunks: the in-memory index's documents in blocks of CHUNK slots of typed arrays, sealed (sorted
// by time) when full and kept on a heap by their oldest live time, so that a window evicts the
// oldest documents in O(1) each; and their snapshot for an index file.
import { MAX_LEAD } from "../fingerprint.js";
import { NUMBERS } from "../numbers.js";
import type { SnapshotPart } from "../persist.js";

/** Documents per chunk: a chunk is allocated whole when the last one fills, so growth never copies the index. */
export const CHUNK_BITS = 12;
export const CHUNK = 1 << CHUNK_BITS;
export const SLOT = CHUNK - 1;
/** Flag bits of a document (bits 0 and 1 are also the snapshot's). */
export const HAS_SIG = 1;
export const UNINDEXED = 2;
export const DEAD = 4;
/** The time of a document without one: before every time, so the first eviction forgets it. */
export const NO_TIME = -Infinity;

/**
 * CHUNK documents' fields, by slot. A chunk is sealed when full: its slots are then sorted by
 * time once, so eviction walks them oldest first and forgets each in O(1).
 */
export interface Chunk {
  /** The number of its slot 0. */
  readonly base: number;
  /** The ids' bytes (ids.ts), slot after slot: slot s's are [idEnds[s − 1], idEnds[s]) (from 0 for slot 0). */
  idBytes: Uint8Array;
  readonly idEnds: Uint32Array;
  /** 16-bit values in a compact store (createIndex), 32-bit in memoryStore()'s. */
  sigs: Uint16Array | Uint32Array;
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

export const EMPTY = new Uint32Array(0);

/** A new empty chunk for the documents numbered from `base`; `bands`: 0 until the band tables exist. */
export function newChunk(base: number, k: number, bands: number, compact: boolean): Chunk {
  return {
    base,
    idBytes: new Uint8Array(CHUNK * 16),
    idEnds: new Uint32Array(CHUNK),
    sigs: compact ? new Uint16Array(CHUNK * k) : new Uint32Array(CHUNK * k),
    sizes: new Uint32Array(CHUNK),
    canon: new Int32Array(CHUNK),
    flags: new Uint8Array(CHUNK),
    times: new Float64Array(CHUNK),
    leads: new Uint32Array(CHUNK * MAX_LEAD),
    leadCounts: new Uint8Array(CHUNK),
    numbers: new Uint32Array(CHUNK * NUMBERS),
    numberCounts: new Uint8Array(CHUNK),
    next: bands ? new Int32Array(CHUNK * bands).fill(-1) : null,
    filled: 0,
    live: 0,
    oldest: Infinity,
    order: null,
    cursor: 0,
  };
}

/** The bytes of slot's id. */
export function idOf(c: Chunk, slot: number): Uint8Array {
  return c.idBytes.subarray(slot === 0 ? 0 : c.idEnds[slot - 1]!, c.idEnds[slot]!);
}

/** Give the next slot (`slot`, filled in order) its id's bytes; the chunk's byte array doubles when full (its own bytes only). */
export function setId(c: Chunk, slot: number, bytes: Uint8Array): void {
  const from = slot === 0 ? 0 : c.idEnds[slot - 1]!;
  if (from + bytes.length > c.idBytes.length) {
    const grown = new Uint8Array(Math.max(2 * c.idBytes.length, from + bytes.length));
    grown.set(c.idBytes.subarray(0, from));
    c.idBytes = grown;
  }
  c.idBytes.set(bytes, from);
  c.idEnds[slot] = from + bytes.length;
}

/** A chunk with nothing live: its fields go (its chains stay until it is the oldest, then it is dropped). */
export function release(c: Chunk): void {
  c.idBytes = new Uint8Array(0);
  c.sigs = new Uint16Array(0);
  c.leads = c.numbers = c.sizes = EMPTY;
  c.canon = new Int32Array(0);
  c.leadCounts = c.numberCounts = new Uint8Array(0);
}

/** Seal a full chunk: its live slots in time order, once (a sort of CHUNK numbers). */
export function seal(c: Chunk): void {
  const live = Array.from({ length: CHUNK }, (_, s) => s).filter((s) => !(c.flags[s]! & DEAD));
  c.order = Int32Array.from(live.sort((a, b) => c.times[a]! - c.times[b]! || a - b));
  c.oldest = c.live === 0 ? Infinity : c.times[c.order[0]!]!;
  if (c.live === 0) release(c);
}

/** Sealed chunks with live documents, a binary min-heap on their oldest live time. */
export class ChunkHeap {
  private readonly h: Chunk[] = [];

  /** The chunk with the oldest live document, if any. */
  peek(): Chunk | undefined {
    return this.h[0];
  }

  push(c: Chunk): void {
    const h = this.h;
    h.push(c);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p]!.oldest <= h[i]!.oldest) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  pop(): Chunk {
    const h = this.h;
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
 * The live documents of `chunks` (the first numbered first × CHUNK), renumbered 0… in arrival
 * order, as snapshot parts: views of the chunks where nothing was evicted, copies of the live
 * slots elsewhere. A slot's fields never change once written, so the views stay valid while the
 * index goes on adding (a save in progress sees the snapshot of the moment it was taken).
 */
export function snapshotParts(chunks: readonly Chunk[], first: number, k: number): { eachId: (visit: (bytes: Uint8Array) => void) => void; parts: SnapshotPart[] } {
    const kept: Array<readonly number[] | null> = [];
    const parts: SnapshotPart[] = [];
    // Each live document's position in the snapshot, by chunk: a canonical is written as its position.
    const base = new Float64Array(chunks.length + 1);
    const ranks: Array<Int32Array | null> = [];
    let at = 0;
    chunks.forEach((c, i) => {
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
      const i = (n >>> CHUNK_BITS) - first;
      if (i < 0) return -1;
      const rank = ranks[i];
      const r = rank ? rank[n & SLOT]! : n & SLOT;
      return r < 0 ? -1 : base[i]! + r;
    };
    chunks.forEach((c, i) => {
      if (c.live === 0) return;
      const whole = c.live === c.filled;
      const take = whole ? null : Array.from({ length: c.filled }, (_, s) => s).filter((s) => !(c.flags[s]! & DEAD));
      const count = c.live;
      const pick = <T extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(a: T, per: number, make: (n: number) => T): T => {
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
      });
      kept[i] = take ?? Array.from({ length: count }, (_, s) => s);
      parts.push({
        count,
        sizes: pick(c.sizes, 1, (m) => new Uint32Array(m)),
        canonical,
        flags: pick(c.flags, 1, (m) => new Uint8Array(m)).map((f) => f & (HAS_SIG | UNINDEXED)),
        times: pick(c.times, 1, (m) => new Float64Array(m)),
        sigs: pick(c.sigs as Uint16Array, k, (m) => new Uint16Array(m)),
        leadCounts: pick(c.leadCounts, 1, (m) => new Uint8Array(m)),
        leads: pick(c.leads, MAX_LEAD, (m) => new Uint32Array(m)),
        numberCounts: pick(c.numberCounts, 1, (m) => new Uint8Array(m)),
        numbers: pick(c.numbers, NUMBERS, (m) => new Uint32Array(m)),
      });
    });
  const eachId = (visit: (bytes: Uint8Array) => void) =>
    chunks.forEach((c, i) => kept[i]?.forEach((s) => visit(idOf(c, s))));
  return { eachId, parts };
}
