// 32-bit hashing shared by the kernels: mixing, string hashing, a seeded PRNG and CRC32.

/** MurmurHash3's finalizer: a bijection on 32-bit integers with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One MurmurHash3 block step: fold `k` into the running hash `h`. */
export function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, finalized with fmix32; the tokenizer inlines the same loop. */
export function hashString(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

/**
 * A reused byte copy of ASCII texts, for kernels that read every character: a Uint8Array is read
 * several times faster than String#charCodeAt, and TextEncoder#encodeInto copies natively.
 */
export class AsciiCopy {
  private readonly encoder = new TextEncoder();
  private bytes = new Uint8Array(1 << 14);

  /** Longer texts are not copied, so a copy never holds more than this many bytes. */
  static readonly MAX = 1 << 20;

  /**
   * The text's bytes (valid until the next call; one past the end is readable) when it is all
   * ASCII, so that its UTF-8 bytes are its UTF-16 code units; null otherwise or when too long.
   */
  of(text: string): Uint8Array | null {
    const len = text.length;
    if (len >= AsciiCopy.MAX) return null;
    if (this.bytes.length <= len) this.bytes = new Uint8Array(Math.max(len + 1, this.bytes.length * 2));
    const { read, written } = this.encoder.encodeInto(text, this.bytes);
    return read === len && written === len ? this.bytes : null;
  }
}

/** mulberry32: a small seeded PRNG, identical on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE) of a byte array, for the index file's checksum. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
