// Recent: a bounded memo from a word sequence (token hashes and their flags) to what was computed
// from it. Copies of one story under different site chrome (header, footer, share links) leave
// the same story words once the chrome is set aside, and a crawl holds many such copies: the
// evidence computed from those words (windows, sort, signatures, numbers: O(n) passes each) is
// then looked up, at the cost of one hashing pass and one comparison pass over the words.
import { fmix32 } from "./hash.js";

/** One generation: a map from a sequence's hash to where its words are kept, and the words. */
interface Generation<V> {
  readonly byHash: Map<number, { at: number; n: number; value: V }>;
  readonly tokens: Uint32Array;
  readonly flags: Uint8Array;
  used: number;
}

/**
 * Two generations of `capacity` words each: a lookup reads both, an entry goes into the current
 * one, and when that one is full it becomes the previous one and the older is dropped. Memory
 * stays O(capacity) whatever the corpus (an LRU list would cost a pointer chase per lookup), and
 * the copies a crawl holds near one another are found. A hit is confirmed word by word, so a
 * hash collision costs a miss, never a wrong value.
 */
export class RecentWords<V> {
  private current: Generation<V>;
  private previous: Generation<V> | null = null;
  /** The keys offered lately, one per slot: a sequence is kept the second time it comes. */
  private readonly seen = new Int32Array(4096);

  constructor(private readonly capacity: number) {
    this.current = this.generation();
  }

  /**
   * The key of the first `n` tokens (their flags are compared on a hit, not hashed): a
   * polynomial hash, one multiply-add per token where mix() takes six operations — the tokens
   * are hashes already, and a collision costs a miss, never a wrong value.
   */
  static key(tokens: Uint32Array, n: number): number {
    let h = n;
    for (let i = 0; i < n; i++) h = (Math.imul(h, 0x01000193) + tokens[i]!) | 0;
    return fmix32(h) | 0; // an int32 key: a small integer for the Map, not a heap number
  }

  /** Forget every entry and key (the slabs are kept). */
  clear(): void {
    this.seen.fill(0);
    this.current.byHash.clear();
    this.current.used = 0;
    this.previous = null;
  }

  /** The value remembered for exactly these words and flags, if any. */
  get(key: number, tokens: Uint32Array, flags: Uint8Array, n: number): V | undefined {
    return this.find(this.current, key, tokens, flags, n) ?? (this.previous ? this.find(this.previous, key, tokens, flags, n) : undefined);
  }

  /**
   * Remember `value` for these words, from the second time their key is offered: the first time
   * only the key is noted (in a direct-mapped table, O(1) and no allocation), so a corpus without
   * copies pays a hashing pass per document, not a copy of its words and an entry.
   * A sequence longer than a generation is not kept.
   */
  set(key: number, tokens: Uint32Array, flags: Uint8Array, n: number, value: V): void {
    const slot = key & (this.seen.length - 1);
    if (this.seen[slot] !== key) {
      this.seen[slot] = key;
      return;
    }
    if (n > this.capacity) return;
    if (this.current.used + n > this.capacity) {
      // The older generation's slabs are reused: no new memory to fault in per generation.
      const older = this.previous;
      this.previous = this.current;
      this.current = older ? { byHash: new Map(), tokens: older.tokens, flags: older.flags, used: 0 } : this.generation();
    }
    const g = this.current;
    g.tokens.set(tokens.subarray(0, n), g.used);
    g.flags.set(flags.subarray(0, n), g.used);
    g.byHash.set(key, { at: g.used, n, value });
    g.used += n;
  }

  private find(g: Generation<V>, key: number, tokens: Uint32Array, flags: Uint8Array, n: number): V | undefined {
    const e = g.byHash.get(key);
    if (!e || e.n !== n) return undefined;
    const { at } = e;
    for (let i = 0; i < n; i++) if (g.tokens[at + i] !== tokens[i] || g.flags[at + i] !== flags[i]) return undefined;
    return e.value;
  }

  private generation(): Generation<V> {
    return { byHash: new Map(), tokens: new Uint32Array(this.capacity), flags: new Uint8Array(this.capacity), used: 0 };
  }
}

