// Ids: an in-memory index's document ids as bytes in its chunks, off the JavaScript heap, and a
// hash table from an id to its document number; and the ids section of an index file.
import { dedupeError } from "../errors.js";
import { grownPairs, pairShards, removePair, SHARD_BITS, SHARDS } from "../band-tables.js";
import { fmix32 } from "../hash.js";

/*
 * A string and a Map entry per document put every id on the garbage-collected heap: at tens of
 * millions of documents (a month of a firehose) the heap outgrows V8's limit and each full
 * collection walks all of them. Here an id is its bytes in its chunk (ArrayBuffers, which the
 * collector does not walk), found through a table of [hash, document] pairs.
 *
 * Bytes: UTF-8, extended to lone surrogates (WTF-8: a surrogate on its own is written as its
 * three-byte form), so that every JavaScript string, even one that is not well-formed UTF-16,
 * comes back as it went in. A well-formed id's bytes are its UTF-8.
 */

let scratch = new Uint8Array(256);

/** The bytes of an id, in a buffer reused by the next call. */
export function idBytes(id: string): Uint8Array {
  if (scratch.length < id.length * 3) scratch = new Uint8Array(id.length * 3 * 2);
  const out = scratch;
  let at = 0;
  for (let i = 0; i < id.length; i++) {
    let c = id.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
      continue;
    }
    if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < id.length) {
      const d = id.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[at++] = 0xf0 | (c >> 18);
        out[at++] = 0x80 | ((c >> 12) & 63);
        out[at++] = 0x80 | ((c >> 6) & 63);
        out[at++] = 0x80 | (c & 63);
        continue;
      }
    }
    out[at++] = 0xe0 | (c >> 12);
    out[at++] = 0x80 | ((c >> 6) & 63);
    out[at++] = 0x80 | (c & 63);
  }
  return out.subarray(0, at);
}

/** The id whose bytes these are (idBytes reversed). */
export function idString(bytes: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      units.push(b);
      i++;
    } else if (b < 0xe0) {
      units.push(((b & 31) << 6) | (bytes[i + 1]! & 63));
      i += 2;
    } else if (b < 0xf0) {
      units.push(((b & 15) << 12) | ((bytes[i + 1]! & 63) << 6) | (bytes[i + 2]! & 63));
      i += 3;
    } else {
      const c = (((b & 7) << 18) | ((bytes[i + 1]! & 63) << 12) | ((bytes[i + 2]! & 63) << 6) | (bytes[i + 3]! & 63)) - 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
      i += 4;
    }
  }
  let out = "";
  for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}

/** A 32-bit hash of some bytes. */
export function hashBytes(bytes: Uint8Array): number {
  let h = bytes.length ^ 0x2f1d5c3b;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    h = Math.imul(h ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)), 0x9e3779b1);
    h = (h << 13) | (h >>> 19);
  }
  for (; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x85ebca6b);
  return fmix32(h >>> 0);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** An id hash's home slot: the hash is already mixed. */
const idHome = (hash: number, mask: number) => hash & mask;


/**
 * Id hash → document number, for live documents: open addressing with linear probing over
 * [hash, document] pairs, in shards that grow one at a time (as band-tables.ts HashSlots). Two
 * ids may share a hash: a lookup compares the bytes of each document whose hash matches.
 */
export class IdTable {
  private readonly slots: Int32Array[];
  private readonly used = new Int32Array(SHARDS);

  constructor(expected = 0) {
    this.slots = pairShards(expected);
  }

  /** The document with this hash for which `same` holds, or -1. */
  find(hash: number, same: (doc: number) => boolean): number {
    const slots = this.slots[hash >>> (32 - SHARD_BITS)]!;
    const mask = (slots.length >> 1) - 1;
    const h = hash | 0;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const d = slots[2 * i + 1]!;
      if (d === -1) return -1;
      if (slots[2 * i] === h && same(d)) return d;
    }
  }

  add(hash: number, doc: number): void {
    const s = hash >>> (32 - SHARD_BITS);
    if ((this.used[s]! + 1) * 10 > this.slots[s]!.length * 3.5) this.grow(s);
    const slots = this.slots[s]!;
    const mask = (slots.length >> 1) - 1;
    let i = hash & mask;
    while (slots[2 * i + 1] !== -1) i = (i + 1) & mask;
    slots[2 * i] = hash | 0;
    slots[2 * i + 1] = doc;
    this.used[s]!++;
  }

  remove(hash: number, doc: number): void {
    const s = hash >>> (32 - SHARD_BITS);
    const slots = this.slots[s]!;
    const mask = (slots.length >> 1) - 1;
    let i = hash & mask;
    while (slots[2 * i + 1] !== -1 && slots[2 * i + 1] !== doc) i = (i + 1) & mask;
    if (slots[2 * i + 1] === -1) return;
    this.used[s]!--;
    removePair(slots, i, idHome);
  }

  private grow(s: number): void {
    this.slots[s] = grownPairs(this.slots[s]!, idHome);
  }
}

/** Whether an id's bytes can go into a JSON string as they are (no quote, backslash, control character or lone surrogate). */
function plain(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x22 || b === 0x5c || b < 0x20) return false;
    if (b === 0xed && (bytes[i + 1]! & 0xe0) === 0xa0) return false;
  }
  return true;
}

/**
 * The ids section of an index file: a JSON array of the ids, in order. `each` visits the ids'
 * bytes, and is called twice (to size the array, then to fill it): no string per id.
 */
export function idsJson(each: (visit: (bytes: Uint8Array) => void) => void): Uint8Array {
  const enc = new TextEncoder();
  const escaped: Uint8Array[] = [];
  let length = 2;
  let count = 0;
  each((bytes) => {
    if (count++ > 0) length++;
    if (plain(bytes)) length += bytes.length + 2;
    else {
      const e = enc.encode(JSON.stringify(idString(bytes)));
      escaped.push(e);
      length += e.length;
    }
  });
  const out = new Uint8Array(length);
  let at = 0;
  let i = 0;
  let k = 0;
  out[at++] = 0x5b;
  each((bytes) => {
    if (i++ > 0) out[at++] = 0x2c;
    if (plain(bytes)) {
      out[at++] = 0x22;
      out.set(bytes, at);
      at += bytes.length;
      out[at++] = 0x22;
    } else {
      const e = escaped[k++]!;
      out.set(e, at);
      at += e.length;
    }
  });
  out[at++] = 0x5d;
  return out;
}

const corrupt = (why: string) => dedupeError("INDEX_CORRUPT", undefined, why);

/**
 * Visit the ids of an ids section (a JSON array of n strings) as bytes, in order: a string
 * without escapes is its bytes as they are, one with escapes goes through JSON.parse. Refuses
 * anything else as corrupt.
 */
export function eachId(json: Uint8Array, n: number, visit: (bytes: Uint8Array, i: number) => void): void {
  let at = 0;
  const space = () => {
    while (at < json.length && (json[at] === 0x20 || json[at] === 0x0a || json[at] === 0x0d || json[at] === 0x09)) at++;
  };
  const expect = (byte: number, what: string) => {
    space();
    if (json[at] !== byte) throw corrupt(`its ids are not a JSON array of strings (${what} expected at byte ${at})`);
    at++;
  };
  expect(0x5b, "[");
  for (let i = 0; i < n; i++) {
    if (i > 0) expect(0x2c, ",");
    expect(0x22, "a string");
    const start = at;
    let escapes = false;
    while (at < json.length && json[at] !== 0x22) {
      if (json[at] === 0x5c) {
        escapes = true;
        at++;
      }
      at++;
    }
    if (at >= json.length) throw corrupt("its ids end inside a string");
    if (!escapes) visit(json.subarray(start, at), i);
    else {
      let id: unknown;
      try {
        id = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json.subarray(start - 1, at + 1)));
      } catch {
        throw corrupt(`its id #${i} is not a JSON string`);
      }
      visit(idBytes(id as string), i);
    }
    at++;
  }
  expect(0x5d, `] after ${n} ids`);
  space();
  if (at !== json.length) throw corrupt(`it holds more than its ${n} ids`);
}
