// Persist: an index snapshot ↔ bytes (versioned, checksummed), and atomic index files.
import { randomUUID } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import { dedupeError, fail } from "./errors.js";
import { MAX_LEAD, NUMBERS } from "./fingerprint.js";
import { crc32 } from "node:zlib";
import type { ResolvedOptions } from "./options.js";
import type { Scheme } from "./store/store.js";

/** An index's documents, in arrival order, as one or more parts (views of a store's chunks, or of a file). */
export interface Snapshot {
  options: ResolvedOptions;
  scheme: Scheme | null;
  /** The newest document time the index had seen (ms since 1970), or null. */
  newest: number | null;
  /** Documents ever added (a plain string's id is its number: numbers are not reused). */
  numbered: number;
  count: number;
  ids: readonly string[];
  parts: readonly SnapshotPart[];
}

/** `count` documents' fields; `canonical` holds positions in the whole snapshot. */
export interface SnapshotPart {
  count: number;
  sizes: Uint32Array;
  canonical: Int32Array;
  /** Bit 0: has a signature; bit 1: kept out of the band tables (a near-twin). */
  flags: Uint8Array;
  /** ms since 1970; -Infinity for a document without a time. */
  times: Float64Array;
  /** count × numHashes values; zeros where flag bit 0 is clear. */
  sigs: Uint32Array;
  /** The leads (MAX_LEAD shingles a document, `leadCounts` of them used) and the number samples (NUMBERS pairs a document, `numberCounts` used). */
  leadCounts: Uint8Array;
  leads: Uint32Array;
  numberCounts: Uint8Array;
  numbers: Uint32Array;
}

const MAGIC = 0x5844444e; // "NDDX" read as a little-endian u32
/**
 * Bump when the layout or the signature kernel changes: an index built by another version
 * would give wrong answers, so it is refused rather than read. (2: the story-evidence model —
 * narrative signatures, leads, number samples; 3: document times, the window, 8-byte alignment.)
 */
export const FORMAT_VERSION = 3;

/*
 * Layout, little-endian:
 *   u32 magic "NDDX" | u32 version | u32 header length | header (UTF-8 JSON: options, scheme,
 *   count, newest, numbered) | u32 ids length | ids (UTF-8 JSON array) | padding to 8
 *   | u32 sizes[n] | i32 canonical[n] | u8 flags[n] | u8 leadCounts[n] | u8 numberCounts[n]
 *   | padding to 8 | f64 times[n] | u32 sigs[n × numHashes] | u32 leads[n × MAX_LEAD]
 *   | u32 numbers[n × 2 × NUMBERS] | u32 CRC32 of everything before it
 * Every array starts at a multiple of its element size, so a reader takes views of the file's
 * bytes instead of copies, and a writer hands the store's arrays to the file as they are.
 */
function layout(n: number, k: number, start: number) {
  const pad8 = (x: number) => (x + 7) & ~7;
  const sizesAt = pad8(start);
  const canonAt = sizesAt + 4 * n;
  const flagsAt = canonAt + 4 * n;
  const leadCountsAt = flagsAt + n;
  const countsAt = leadCountsAt + n;
  const timesAt = pad8(countsAt + n);
  const sigsAt = timesAt + 8 * n;
  const leadsAt = sigsAt + 4 * n * k;
  const numbersAt = leadsAt + 4 * n * MAX_LEAD;
  const crcAt = numbersAt + 4 * n * 2 * NUMBERS;
  return { sizesAt, canonAt, flagsAt, leadCountsAt, countsAt, timesAt, sigsAt, leadsAt, numbersAt, crcAt };
}

/**
 * The index file as a list of byte pieces, in order, the CRC32 last: views of the snapshot's
 * arrays wherever the machine is little-endian, so a save copies nothing it does not have to.
 */
export function encodePieces(s: Snapshot): Uint8Array[] {
  const enc = new TextEncoder();
  const n = s.count;
  const header = enc.encode(JSON.stringify({ options: s.options, scheme: s.scheme, count: n, newest: s.newest, numbered: s.numbered }));
  const ids = enc.encode(JSON.stringify(s.ids));
  const start = 16 + header.length + ids.length;
  const at = layout(n, s.options.numHashes, start);
  const head = new Uint8Array(at.sizesAt);
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  head.set(header, 12);
  view.setUint32(12 + header.length, ids.length, true);
  head.set(ids, 16 + header.length);
  const pieces: Uint8Array[] = [head];
  const section = (pick: (p: SnapshotPart) => Uint32Array | Int32Array | Uint8Array | Float64Array) => {
    for (const p of s.parts) pieces.push(bytesOf(pick(p)));
  };
  section((p) => p.sizes);
  section((p) => p.canonical);
  section((p) => p.flags);
  section((p) => p.leadCounts);
  section((p) => p.numberCounts);
  pieces.push(new Uint8Array(at.timesAt - (at.countsAt + n)));
  section((p) => p.times);
  section((p) => p.sigs);
  section((p) => p.leads);
  section((p) => p.numbers);
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    crc = crc32(piece, crc);
    length += piece.length;
  }
  if (length !== at.crcAt) throw new Error(`news-dedupe internal error: index sections of ${length} bytes, expected ${at.crcAt}; this is a bug`);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc, true);
  pieces.push(tail);
  return pieces;
}

/** The index file as one array of bytes (index.save()). */
export function encodeIndex(s: Snapshot): Uint8Array {
  const pieces = encodePieces(s);
  const out = new Uint8Array(pieces.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Read index bytes: checked (magic, version, CRC32, section sizes), then views of them — the
 * snapshot's arrays share the bytes' memory (copied once only if the bytes are not 8-aligned).
 */
export function decodeIndex(input: Uint8Array): Snapshot {
  const corrupt = (why: string) => dedupeError("INDEX_CORRUPT", undefined, why);
  if (input.length < 20) throw corrupt(`${input.length} bytes is too short to be an index`);
  let view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt("it does not start with the news-dedupe magic bytes");
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) fail("INDEX_VERSION", undefined, String(version), String(FORMAT_VERSION));
  const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
  view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crcAt = bytes.length - 4;
  if (crc32(bytes.subarray(0, crcAt)) !== view.getUint32(crcAt, true)) throw corrupt("checksum mismatch (truncated or altered)");

  const dec = new TextDecoder("utf-8", { fatal: true });
  const headerLength = view.getUint32(8, true);
  let header: { options: ResolvedOptions; scheme: Scheme | null; count: number; newest: number | null; numbered: number };
  let ids: string[];
  const idsLength = view.getUint32(12 + headerLength, true);
  try {
    header = JSON.parse(dec.decode(bytes.subarray(12, 12 + headerLength)));
    ids = JSON.parse(dec.decode(bytes.subarray(16 + headerLength, 16 + headerLength + idsLength)));
  } catch (error) {
    throw corrupt(`unreadable header (${error instanceof Error ? error.message : String(error)})`);
  }
  const n = header.count;
  const k = header.options?.numHashes;
  if (!Number.isInteger(n) || !Number.isInteger(k) || !Array.isArray(ids)) throw corrupt("its header is not an index header");
  const at = layout(n, k, 16 + headerLength + idsLength);
  if (ids.length !== n || at.crcAt !== crcAt) throw corrupt("its sections do not add up to its length");
  const u32 = (from: number, count: number) => (littleEndian ? new Uint32Array(bytes.buffer, bytes.byteOffset + from, count) : readU32s(view, from, count));
  const part: SnapshotPart = {
    count: n,
    sizes: u32(at.sizesAt, n),
    canonical: littleEndian ? new Int32Array(bytes.buffer, bytes.byteOffset + at.canonAt, n) : Int32Array.from(readU32s(view, at.canonAt, n)),
    flags: bytes.subarray(at.flagsAt, at.flagsAt + n),
    leadCounts: bytes.subarray(at.leadCountsAt, at.leadCountsAt + n),
    numberCounts: bytes.subarray(at.countsAt, at.countsAt + n),
    times: littleEndian ? new Float64Array(bytes.buffer, bytes.byteOffset + at.timesAt, n) : Float64Array.from({ length: n }, (_, i) => view.getFloat64(at.timesAt + 8 * i, true)),
    sigs: u32(at.sigsAt, n * k),
    leads: u32(at.leadsAt, n * MAX_LEAD),
    numbers: u32(at.numbersAt, n * 2 * NUMBERS),
  };
  for (let i = 0; i < n; i++) {
    const c = part.canonical[i]!;
    if (c < 0 || c > i || part.leadCounts[i]! > MAX_LEAD || part.numberCounts[i]! > NUMBERS) throw corrupt(`document #${i} has impossible fields`);
  }
  return { options: header.options, scheme: header.scheme, newest: header.newest ?? null, numbered: header.numbered ?? n, count: n, ids, parts: [part] };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The bytes of a typed array, little-endian: a view where the machine is, a copy where it is not. */
function bytesOf(values: Uint32Array | Int32Array | Uint8Array | Float64Array): Uint8Array {
  if (littleEndian || values instanceof Uint8Array) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  if (values instanceof Float64Array) values.forEach((v, i) => view.setFloat64(8 * i, v, true));
  else values.forEach((v, i) => view.setUint32(4 * i, v >>> 0, true));
  return out;
}

function readU32s(view: DataView, at: number, count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, i) => view.getUint32(at + 4 * i, true));
}

/**
 * Write bytes to `path` atomically: a temporary file beside it, flushed to disk, then renamed
 * over the target. A crash at any point leaves either the old file or the new one, never half.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
  // A name no other save can hold: two saves in one process within one millisecond, or in two
  // processes, each write a file of their own.
  const temp = `${path}.tmp-${process.pid}-${randomUUID()}`;
  const handle = await open(temp, "wx");
  try {
    // Piece by piece (an index's arrays as they are in memory): no copy of the whole file.
    for (const piece of Array.isArray(bytes) ? bytes : [bytes]) {
      for (let at = 0; at < piece.length; ) at += (await handle.write(piece, at, Math.min(piece.length - at, 1 << 26))).bytesWritten;
    }
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
  // The index's own pieces when it offers them (createIndex's), its bytes otherwise.
  const withPieces = index as { save(): Uint8Array; pieces?: () => Uint8Array[] };
  const bytes = withPieces.pieces ? withPieces.pieces() : index.save();
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
