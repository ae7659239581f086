// Redis store, the bytes: a document's record as one binary string, and band keys as the shard
// items the Lua scripts (redis-lua.ts) read and write.
import type { Match } from "../types.js";
import type { NewDoc, StoredDoc } from "./store.js";

const SELF = 0;
const HAS_TIME = 1;
const HAS_MATCH = 2;
const UUID_TOKEN = 4;
/** In the band buckets (not a near-twin or an exact duplicate): its entries go when it is forgotten. */
const INDEXED = 8;
/** The signature is packed (packSignature) rather than k raw u32 values. */
const PACKED = 16;
/** The signature's values are 16-bit (match.ts compactSignature, as indexes keep them): 2 bytes each. */
const SHORT = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/*
 * A record, as stored under {P}:d:<id>:
 *   n u32 BE (written by the script: documents are numbered as they are committed)
 *   flags u8 | canonical length u16 BE | canonical (UTF-8; empty: the document is its own)
 *   size u32 | time f64 (HAS_TIME) | jaccard, containment u16 × 10⁴ (HAS_MATCH)
 *   token: 16 bytes (UUID_TOKEN) or length u8 + UTF-8
 *   signature length u16 | lead length u8 | number-sample length u8 | the signature as u16 LE
 *   (SHORT: 16-bit values), packed (PACKED, see packSignature) or as u32 LE | the lead and the
 *   number sample (compact: one u32 a pair, match.ts compactNumbers) as u32 LE
 * One string instead of a hash of fields: a hash whose values are this long is a hash table in
 * Redis, with an entry and two allocations per field.
 */

/** The record of `doc` without its number (the commit script puts it first). */
export function encodeRecord(doc: NewDoc, indexed: boolean): Buffer {
  const canonical = doc.canonical === doc.id ? "" : doc.canonical;
  const time = doc.time;
  const uuid = UUID.test(doc.token);
  const sig = doc.signature ?? new Uint32Array(0);
  const short = sig.length > 0 && sig.every((v) => v <= 0xffff);
  const packed = short ? Buffer.from(Uint16Array.from(sig).buffer) : packSignature(sig);
  const canonBytes = Buffer.byteLength(canonical);
  const tokenBytes = uuid ? 16 : 1 + Buffer.byteLength(doc.token);
  const words = (packed ? 0 : sig.length) + doc.lead.length + doc.numbers.length;
  const out = Buffer.allocUnsafe(3 + canonBytes + 4 + (time === null ? 0 : 8) + (doc.match ? 4 : 0) + tokenBytes + 4 + (packed?.length ?? 0) + words * 4);
  let at = 0;
  out[at++] = SELF | (time === null ? 0 : HAS_TIME) | (doc.match ? HAS_MATCH : 0) | (uuid ? UUID_TOKEN : 0) | (indexed ? INDEXED : 0) | (short ? SHORT : packed ? PACKED : 0);
  at = out.writeUInt16BE(canonBytes, at);
  at += out.write(canonical, at);
  at = out.writeUInt32BE(doc.size, at);
  if (time !== null) at = out.writeDoubleBE(time, at);
  if (doc.match) {
    at = out.writeUInt16BE(Math.round(doc.match.jaccard * 1e4), at);
    at = out.writeUInt16BE(Math.round(doc.match.containment * 1e4), at);
  }
  if (uuid) at += out.write(doc.token.replaceAll("-", ""), at, "hex");
  else {
    if (Buffer.byteLength(doc.token) > 255) throw new Error("token over 255 bytes");
    out[at++] = Buffer.byteLength(doc.token);
    at += out.write(doc.token, at);
  }
  at = out.writeUInt16BE(sig.length, at);
  out[at++] = doc.lead.length;
  out[at++] = doc.numbers.length;
  if (packed) at += packed.copy(out, at);
  for (const words of packed ? [doc.lead, doc.numbers] : [sig, doc.lead, doc.numbers]) {
    Buffer.from(words.buffer, words.byteOffset, words.byteLength).copy(out, at);
    at += words.byteLength;
  }
  return out;
}

/** A stored record (number first) as the document it describes. */
export function decodeRecord(id: string, rec: Buffer): StoredDoc & { indexed: boolean } {
  let at = 0;
  const n = rec.readUInt32BE(at);
  const flags = rec[4]!;
  const canonLength = rec.readUInt16BE(5);
  at = 7;
  const canonical = canonLength === 0 ? id : rec.toString("utf8", at, at + canonLength);
  at += canonLength;
  const size = rec.readUInt32BE(at);
  at += 4;
  let time: number | null = null;
  if (flags & HAS_TIME) {
    time = rec.readDoubleBE(at);
    at += 8;
  }
  let match: Match | null = null;
  if (flags & HAS_MATCH) {
    match = { canonical, jaccard: rec.readUInt16BE(at) / 1e4, containment: rec.readUInt16BE(at + 2) / 1e4 };
    at += 4;
  }
  let token: string;
  if (flags & UUID_TOKEN) {
    const hex = rec.toString("hex", at, at + 16);
    token = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    at += 16;
  } else {
    const length = rec[at++]!;
    token = rec.toString("utf8", at, at + length);
    at += length;
  }
  const sigLength = rec.readUInt16BE(at);
  const leadLength = rec[at + 2]!;
  const numbersLength = rec[at + 3]!;
  at += 4;
  const words = (count: number) => {
    // A copy: a Uint32Array over a Buffer needs 4-byte alignment, which a record's offsets lack.
    const view = new Uint32Array(rec.buffer.slice(rec.byteOffset + at, rec.byteOffset + at + count * 4));
    at += count * 4;
    return view;
  };
  let signature: Uint32Array | null = null;
  if (sigLength > 0 && flags & SHORT) {
    signature = Uint32Array.from(new Uint16Array(rec.buffer.slice(rec.byteOffset + at, rec.byteOffset + at + sigLength * 2)));
    at += sigLength * 2;
  } else if (sigLength > 0 && flags & PACKED) [signature, at] = unpackSignature(rec, at, sigLength);
  else if (sigLength > 0) signature = words(sigLength);
  const lead = words(leadLength);
  const numbers = words(numbersLength);
  return { id, n, canonical, size, signature, lead, numbers, match, token, time, indexed: (flags & INDEXED) !== 0 };
}

/**
 * A one-permutation MinHash signature of k = 2^b values (signature.ts) in fewer bytes, losslessly:
 * a value that won its own bin i has i as its low b bits (the bin is picked by them), so only its
 * 32 - b high bits are stored; a densified (empty) bin holds the value of the bin it borrowed
 * from, so it is stored as that bin's number alone. 401 bytes instead of 512 at 128 values, less
 * for a short text with empty bins. null when it does not pay (imported signatures, whose values
 * are not binned): those are stored raw.
 */
function packSignature(sig: Uint32Array): Buffer | null {
  const k = sig.length;
  const b = Math.log2(k);
  if (!Number.isInteger(b) || k < 2 || k > 256) return null;
  const mask = k - 1;
  const borrowed: number[] = [];
  for (let i = 0; i < k; i++) {
    const from = sig[i]! & mask;
    if (from === i) continue;
    if (sig[from] !== sig[i]) return null;
    borrowed.push(i, from);
  }
  const width = 32 - b;
  const e = borrowed.length / 2;
  const size = 1 + 2 * e + Math.ceil(((k - e) * width) / 8);
  if (size >= k * 4) return null;
  const out = Buffer.alloc(size);
  out[0] = e;
  borrowed.forEach((v, j) => (out[1 + j] = v));
  let at = 1 + 2 * e;
  // A bit accumulator: under 8 bits between values, so 7 + width ≤ 32 bits fit a uint32 from
  // k = 128 up; below that (wider values) it is a double.
  let acc = 0;
  let bits = 0;
  const narrow = width <= 25;
  for (let i = 0; i < k; i++) {
    if ((sig[i]! & mask) !== i) continue;
    acc = narrow ? ((acc << width) | (sig[i]! >>> b)) >>> 0 : acc * 2 ** width + (sig[i]! >>> b);
    bits += width;
    while (bits >= 8) {
      bits -= 8;
      const top = narrow ? acc >>> bits : Math.floor(acc / 2 ** bits);
      out[at++] = top;
      acc = narrow ? (acc & ((1 << bits) - 1)) >>> 0 : acc - top * 2 ** bits;
    }
  }
  if (bits > 0) out[at++] = acc * 2 ** (8 - bits);
  return out;
}

function unpackSignature(rec: Buffer, start: number, k: number): [Uint32Array, number] {
  const b = Math.log2(k);
  const width = 32 - b;
  const e = rec[start]!;
  const from = new Int16Array(k).fill(-1);
  for (let j = 0; j < e; j++) from[rec[start + 1 + 2 * j]!] = rec[start + 2 + 2 * j]!;
  let at = start + 1 + 2 * e;
  const end = at + Math.ceil(((k - e) * width) / 8);
  const out = new Uint32Array(k);
  let acc = 0;
  let bits = 0;
  const narrow = width <= 25;
  for (let i = 0; i < k; i++) {
    if (from[i] !== -1) continue;
    while (bits < width) {
      acc = narrow ? ((acc << 8) | rec[at++]!) >>> 0 : acc * 256 + rec[at++]!;
      bits += 8;
    }
    bits -= width;
    const high = narrow ? acc >>> bits : Math.floor(acc / 2 ** bits);
    acc = narrow ? (acc & ((1 << bits) - 1)) >>> 0 : acc - high * 2 ** bits;
    out[i] = high * k + i;
  }
  for (let i = 0; i < k; i++) if (from[i] !== -1) out[i] = out[from[i]!]!;
  return [out, end];
}

/** Band number of the content-key table in shard items. */
const CONTENT = 0xffff;

/**
 * Band keys as shard items [band u16][shard u16][rest 3 bytes]: the low `bits` of a key pick one
 * of 2^bits strings of its band, the other 32 - bits (at most 24) are stored in it.
 */
export function shardItems(bands: Uint32Array | null, bits: number): Buffer {
  if (!bands) return Buffer.alloc(0);
  const out = Buffer.allocUnsafe(bands.length * 7);
  bands.forEach((key, b) => item(out, b * 7, b, key, bits));
  return out;
}

/** A content key (53 bits, see match.ts contentKey) as a shard item of the content-key table. */
export function contentItem(key: number | null, bits: number): Buffer {
  if (key === null) return Buffer.alloc(0);
  const low = key % 0x100000000;
  const high = Math.floor(key / 0x100000000);
  const out = Buffer.allocUnsafe(7);
  item(out, 0, CONTENT, (low ^ Math.imul(high, 0x9e3779b1)) >>> 0, bits);
  return out;
}

function item(out: Buffer, at: number, band: number, key: number, bits: number): void {
  out.writeUInt16BE(band, at);
  out.writeUInt16BE(key & ((1 << bits) - 1), at + 2);
  out.writeUIntBE(key >>> bits, at + 4, 3);
}
