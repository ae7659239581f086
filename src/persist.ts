// Persist: an index snapshot ↔ bytes (versioned, checksummed), and atomic index files.
import { randomUUID } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import { dedupeError, fail } from "./errors.js";
import { MAX_LEAD, NUMBERS } from "./fingerprint.js";
import { crc32 } from "./hash.js";
import type { ResolvedOptions } from "./options.js";
import type { Scheme } from "./store/store.js";

export interface Snapshot {
  options: ResolvedOptions;
  scheme: Scheme | null;
  ids: readonly string[];
  sizes: Uint32Array;
  canonical: Int32Array;
  hasSig: Uint8Array;
  /** 1 for a document kept out of the band tables (a near-twin); absent in files of older versions. */
  unindexed?: Uint8Array;
  /** The leads (MAX_LEAD shingles a document, `leadCounts` of them used) and the number samples (NUMBERS pairs a document, `numberCounts` used). */
  leadCounts: Uint8Array;
  leads: Uint32Array;
  numberCounts: Uint8Array;
  numbers: Uint32Array;
  /** ids.length × numHashes values; zeros where hasSig is 0. */
  sigs: Uint32Array;
}

const MAGIC = 0x5844444e; // "NDDX" read as a little-endian u32
/**
 * Bump when the layout or the signature kernel changes: an index built by another version
 * would give wrong answers, so it is refused rather than read. (2: the story-evidence model —
 * narrative signatures, leads, number samples.)
 */
export const FORMAT_VERSION = 3;

/*
 * Layout, little-endian:
 *   u32 magic "NDDX" | u32 version | u32 header length | header (UTF-8 JSON: options, scheme, count)
 *   | u32 ids length | ids (UTF-8 JSON array) | padding to 4 | u32 sizes[n] | i32 canonical[n]
 *   | u8 flags[n] (bit 0: has a signature, bit 1: not in the band tables) | u8 leadCounts[n]
 *   | u8 numberCounts[n] | padding to 4 | u32 sigs[n × numHashes] | u32 leads[n × MAX_LEAD]
 *   | u32 numbers[n × 2 × NUMBERS] | u32 CRC32 of everything before it
 */
function layout(n: number, k: number, start: number) {
  const pad4 = (x: number) => (x + 3) & ~3;
  const sizesAt = pad4(start);
  const canonAt = sizesAt + 4 * n;
  const flagsAt = canonAt + 4 * n;
  const leadCountsAt = flagsAt + n;
  const countsAt = leadCountsAt + n;
  const sigsAt = pad4(countsAt + n);
  const leadsAt = sigsAt + 4 * n * k;
  const numbersAt = leadsAt + 4 * n * MAX_LEAD;
  const crcAt = numbersAt + 4 * n * 2 * NUMBERS;
  return { sizesAt, canonAt, flagsAt, leadCountsAt, countsAt, sigsAt, leadsAt, numbersAt, crcAt };
}

export function encodeIndex(s: Snapshot): Uint8Array {
  const enc = new TextEncoder();
  const n = s.ids.length;
  const header = enc.encode(JSON.stringify({ options: s.options, scheme: s.scheme, count: n }));
  const ids = enc.encode(JSON.stringify(s.ids));
  const at = layout(n, s.options.numHashes, 16 + header.length + ids.length);
  const out = new Uint8Array(at.crcAt + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  view.setUint32(12 + header.length, ids.length, true);
  out.set(ids, 16 + header.length);
  putU32s(out, at.sizesAt, s.sizes);
  putU32s(out, at.canonAt, new Uint32Array(s.canonical.buffer, s.canonical.byteOffset, n));
  // One byte per document: bit 0 "has a signature", bit 1 "kept out of the band tables".
  for (let i = 0; i < n; i++) out[at.flagsAt + i] = (s.hasSig[i]! ? 1 : 0) | (s.unindexed?.[i] ? 2 : 0);
  out.set(s.leadCounts, at.leadCountsAt);
  out.set(s.numberCounts, at.countsAt);
  putU32s(out, at.sigsAt, s.sigs);
  putU32s(out, at.leadsAt, s.leads);
  putU32s(out, at.numbersAt, s.numbers);
  view.setUint32(at.crcAt, crc32(out.subarray(0, at.crcAt)), true);
  return out;
}

export function decodeIndex(bytes: Uint8Array): Snapshot {
  const corrupt = (why: string) => dedupeError("INDEX_CORRUPT", undefined, why);
  if (bytes.length < 20) throw corrupt(`${bytes.length} bytes is too short to be an index`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt("it does not start with the news-dedupe magic bytes");
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) fail("INDEX_VERSION", undefined, String(version), String(FORMAT_VERSION));
  const crcAt = bytes.length - 4;
  const stored = view.getUint32(crcAt, true);
  if (crc32(bytes.subarray(0, crcAt)) !== stored) throw corrupt("checksum mismatch (truncated or altered)");

  const dec = new TextDecoder("utf-8", { fatal: true });
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(dec.decode(bytes.subarray(12, 12 + headerLength))) as {
    options: ResolvedOptions;
    scheme: Scheme | null;
    count: number;
  };
  const idsLength = view.getUint32(12 + headerLength, true);
  const ids = JSON.parse(dec.decode(bytes.subarray(16 + headerLength, 16 + headerLength + idsLength))) as string[];
  const n = header.count;
  const k = header.options.numHashes;
  const at = layout(n, k, 16 + headerLength + idsLength);
  if (ids.length !== n || at.crcAt !== crcAt) throw corrupt("its sections do not add up to its length");
  const flags = bytes.subarray(at.flagsAt, at.flagsAt + n);
  return {
    options: header.options,
    scheme: header.scheme,
    ids,
    sizes: getU32s(bytes, at.sizesAt, n),
    canonical: new Int32Array(getU32s(bytes, at.canonAt, n).buffer),
    hasSig: Uint8Array.from(flags, (f) => f & 1),
    unindexed: Uint8Array.from(flags, (f) => (f >> 1) & 1),
    leadCounts: new Uint8Array(bytes.subarray(at.leadCountsAt, at.leadCountsAt + n)),
    numberCounts: new Uint8Array(bytes.subarray(at.countsAt, at.countsAt + n)),
    sigs: getU32s(bytes, at.sigsAt, n * k),
    leads: getU32s(bytes, at.leadsAt, n * MAX_LEAD),
    numbers: getU32s(bytes, at.numbersAt, n * 2 * NUMBERS),
  };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function putU32s(out: Uint8Array, at: number, values: Uint32Array): void {
  if (littleEndian) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset);
  for (let i = 0; i < values.length; i++) view.setUint32(at + 4 * i, values[i]!, true);
}

function getU32s(bytes: Uint8Array, at: number, count: number): Uint32Array {
  // A copy with a buffer of its own: a Buffer's slice is a view into a shared pool.
  if (littleEndian) return new Uint32Array(new Uint8Array(bytes.subarray(at, at + 4 * count)).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return Uint32Array.from({ length: count }, (_, i) => view.getUint32(at + 4 * i, true));
}

/**
 * Write bytes to `path` atomically: a temporary file beside it, flushed to disk, then renamed
 * over the target. A crash at any point leaves either the old file or the new one, never half.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  // A name no other save can hold: two saves in one process within one millisecond, or in two
  // processes, each write a file of their own.
  const temp = `${path}.tmp-${process.pid}-${randomUUID()}`;
  const handle = await open(temp, "wx");
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The save in progress for each path in this process: saves to one path run one after another. */
const saving = new Map<string, Promise<void>>();

/**
 * Save an index to a file, atomically (see writeFileAtomic). Saves to one path from one process
 * run in the order they were called, so the file ends as the last call's snapshot; each save
 * takes its snapshot when called.
 */
export function saveIndexFile(index: { save(): Uint8Array }, path: string): Promise<void> {
  const bytes = index.save();
  const key = resolve(path);
  const previous = saving.get(key) ?? Promise.resolve();
  const done = previous.catch(() => undefined).then(() => writeFileAtomic(path, bytes));
  saving.set(key, done);
  const forget = () => {
    if (saving.get(key) === done) saving.delete(key);
  };
  done.then(forget, forget);
  return done;
}

/** Read the bytes of an index file (pass them to loadIndex). */
export async function readIndexFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
