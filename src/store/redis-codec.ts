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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/*
 * A record, as stored under {P}:d:<id>:
 *   n u32 BE (written by the script: documents are numbered as they are committed)
 *   flags u8 | canonical length u16 BE | canonical (UTF-8; empty: the document is its own)
 *   size u32 | time f64 (HAS_TIME) | jaccard, containment u16 × 10⁴ (HAS_MATCH)
 *   token: 16 bytes (UUID_TOKEN) or length u8 + UTF-8
 *   signature length u16 | lead length u8 | number-sample length u8 | the three as u32 LE
 * One string instead of a hash of fields: a hash whose values are this long is a hash table in
 * Redis, with an entry and two allocations per field.
 */

/** The record of `doc` without its number (the commit script puts it first). */
export function encodeRecord(doc: NewDoc, indexed: boolean): Buffer {
  const canonical = doc.canonical === doc.id ? "" : doc.canonical;
  const time = doc.time;
  const uuid = UUID.test(doc.token);
  const sig = doc.signature ?? new Uint32Array(0);
  const canonBytes = Buffer.byteLength(canonical);
  const tokenBytes = uuid ? 16 : 1 + Buffer.byteLength(doc.token);
  const words = sig.length + doc.lead.length + doc.numbers.length;
  const out = Buffer.allocUnsafe(3 + canonBytes + 4 + (time === null ? 0 : 8) + (doc.match ? 4 : 0) + tokenBytes + 4 + words * 4);
  let at = 0;
  out[at++] = SELF | (time === null ? 0 : HAS_TIME) | (doc.match ? HAS_MATCH : 0) | (uuid ? UUID_TOKEN : 0) | (indexed ? INDEXED : 0);
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
  for (const words of [sig, doc.lead, doc.numbers]) {
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
  const signature = sigLength === 0 ? null : words(sigLength);
  const lead = words(leadLength);
  const numbers = words(numbersLength);
  return { id, n, canonical, size, signature, lead, numbers, match, token, time, indexed: (flags & INDEXED) !== 0 };
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
