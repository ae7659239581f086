// Persist: an index snapshot ↔ bytes (versioned, checksummed), and atomic index files.
import { randomUUID } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import { dedupeError, fail } from "./errors.js";
import { MAX_LEAD } from "./fingerprint.js";
import { NUMBERS } from "./numbers.js";
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
  /** The ids, in order, as the file holds them: a JSON array of strings, UTF-8 (store/ids.ts idsJson). */
  ids: Uint8Array;
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
  /** count × numHashes 16-bit values (see match.ts compactSignature); zeros where flag bit 0 is clear. */
  sigs: Uint16Array;
  /** The leads (MAX_LEAD shingles a document, `leadCounts` of them used) and the number samples (NUMBERS compact pairs a document, see match.ts compactNumbers; `numberCounts` used). */
  leadCounts: Uint8Array;
  leads: Uint32Array;
  numberCounts: Uint8Array;
  numbers: Uint32Array;
}

const MAGIC = 0x5844444e; // "NDDX" read as a little-endian u32
/**
 * Bump when the layout or the signature kernel changes: an index built by another version
 * would give wrong answers, so it is refused rather than read. (2: the story-evidence model —
 * narrative signatures, leads, number samples; 3: words for scripts without spaces; 4: document
 * times, the window, 16-bit signatures, aligned sections; 5: compact number samples, one u32 a
 * pair instead of two.)
 */
export const FORMAT_VERSION = 5;

/*
 * Layout, little-endian:
 *   u32 magic "NDDX" | u32 version | u32 header length | header (UTF-8 JSON: options, scheme,
 *   count, newest, numbered, signatureBits 16) | u32 ids length | ids (UTF-8 JSON array)
 *   | padding to 8 | u32 sizes[n] | i32 canonical[n] | u8 flags[n] | u8 leadCounts[n]
 *   | u8 numberCounts[n] | padding to 8 | f64 times[n] | u16 sigs[n × numHashes] | padding to 8
 *   | u32 leads[n × MAX_LEAD] | u32 numbers[n × NUMBERS] | u32 CRC32 of everything before it
 * Every array starts at a multiple of its element size, so a reader takes views of the file's
 * bytes instead of copies, and a writer hands the store's arrays to the file as they are.
 */
export function layout(n: number, k: number, start: number) {
  // Arithmetic, not `& ~7`: a file of a few million documents is past 2 GiB, where bit operations
  // (32-bit) wrap.
  const pad8 = (x: number) => Math.ceil(x / 8) * 8;
  const sizesAt = pad8(start);
  const canonAt = sizesAt + 4 * n;
  const flagsAt = canonAt + 4 * n;
  const leadCountsAt = flagsAt + n;
  const countsAt = leadCountsAt + n;
  const timesAt = pad8(countsAt + n);
  const sigsAt = timesAt + 8 * n;
  const leadsAt = pad8(sigsAt + 2 * n * k);
  const numbersAt = leadsAt + 4 * n * MAX_LEAD;
  const crcAt = numbersAt + 4 * n * NUMBERS;
  return { sizesAt, canonAt, flagsAt, leadCountsAt, countsAt, timesAt, sigsAt, leadsAt, numbersAt, crcAt };
}

/**
 * The index file as a list of byte pieces, in order, the CRC32 last: views of the snapshot's
 * arrays wherever the machine is little-endian, so a save copies nothing it does not have to.
 */
export function encodePieces(s: Snapshot): Uint8Array[] {
  const enc = new TextEncoder();
  const n = s.count;
  const header = enc.encode(JSON.stringify({ options: s.options, scheme: s.scheme, count: n, newest: s.newest, numbered: s.numbered, signatureBits: 16 }));
  const ids = s.ids;
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
  const section = (pick: (p: SnapshotPart) => Uint32Array | Int32Array | Uint16Array | Uint8Array | Float64Array) => {
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
  pieces.push(new Uint8Array(at.leadsAt - (at.sigsAt + 2 * n * s.options.numHashes)));
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

/** The per-document sections of an index file, in file order. */
export const SECTIONS = ["sizes", "canonical", "flags", "leadCounts", "numberCounts", "times", "sigs", "leads", "numbers"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * An index being read: its header and ids, and `fill`, which copies the documents [from, from +
 * count) of a section into `into` (their bytes, little-endian). A reader calls fill section by
 * section, documents in order (the file's order, so a file is read front to back once), then
 * `finish`, which checks the CRC32 of everything read.
 */
export interface LoadPlan {
  readonly options: ResolvedOptions;
  readonly scheme: Scheme | null;
  readonly newest: number | null;
  readonly numbered: number;
  readonly count: number;
  /** The ids section, a JSON array of `count` strings (read with store/ids.ts eachId once the checksum holds). */
  readonly ids: Uint8Array;
  fill(section: Section, from: number, count: number, into: Uint8Array): void;
  finish(): void;
}

const corrupt = (why: string) => dedupeError("INDEX_CORRUPT", undefined, why);

interface Head {
  header: { options: ResolvedOptions; scheme: Scheme | null; count: number; newest: number | null; numbered: number; signatureBits: number };
  ids: Uint8Array;
  at: ReturnType<typeof layout>;
  /** Bytes before the first section: the header, the ids and their padding. */
  start: number;
  per: Record<Section, number>;
  offsets: Record<Section, number>;
}

/** Check the magic and version in the first 12 bytes; the length of the header. */
function checkStart(first: Uint8Array, total = first.length): number {
  if (total < 20) throw corrupt(`${total} bytes is too short to be an index`);
  const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt("it does not start with the news-dedupe magic bytes");
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) fail("INDEX_VERSION", undefined, String(version), String(FORMAT_VERSION));
  return view.getUint32(8, true);
}

/** Parse the header and ids (`read(from, length)` gives bytes of the file). */
function readHead(read: (from: number, length: number) => Uint8Array, total: number): Head {
  const headerLength = checkStart(read(0, Math.min(total, 16)), total);
  if (16 + headerLength > total) throw corrupt("its header runs past its end");
  const lengthBytes = read(12 + headerLength, 4);
  const idsLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0, true);
  if (16 + headerLength + idsLength > total) throw corrupt("its ids run past its end");
  const dec = new TextDecoder("utf-8", { fatal: true });
  let header: Head["header"];
  // The ids stay bytes here: a string per id is what an in-memory index avoids (store/ids.ts).
  const ids = read(16 + headerLength, idsLength);
  try {
    header = JSON.parse(dec.decode(read(12, headerLength)));
  } catch (error) {
    throw corrupt(`unreadable header (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
  }
  const n = header?.count;
  const k = header?.options?.numHashes;
  if (!Number.isInteger(n) || !Number.isInteger(k) || header.signatureBits !== 16) throw corrupt("its header is not an index header");
  const at = layout(n, k, 16 + headerLength + idsLength);
  if (at.crcAt !== total - 4) throw corrupt("its sections do not add up to its length (truncated or altered)");
  const per: Record<Section, number> = { sizes: 4, canonical: 4, flags: 1, leadCounts: 1, numberCounts: 1, times: 8, sigs: 2 * k, leads: 4 * MAX_LEAD, numbers: 4 * NUMBERS };
  const offsets: Record<Section, number> = { sizes: at.sizesAt, canonical: at.canonAt, flags: at.flagsAt, leadCounts: at.leadCountsAt, numberCounts: at.countsAt, times: at.timesAt, sigs: at.sigsAt, leads: at.leadsAt, numbers: at.numbersAt };
  return { header, ids, at, start: at.sizesAt, per, offsets };
}

function planOf(head: Head, fill: LoadPlan["fill"], finish: () => void): LoadPlan {
  const { header, ids } = head;
  return { options: header.options, scheme: header.scheme, newest: header.newest ?? null, numbered: header.numbered ?? header.count, count: header.count, ids, fill, finish };
}

/** Read index bytes (index.save()'s): checked whole first (magic, version, CRC32, sizes), then copied section by section. */
export function decodeIndex(bytes: Uint8Array): LoadPlan {
  checkStart(bytes);
  const crcAt = bytes.length - 4;
  if (crc32(bytes.subarray(0, crcAt)) !== new DataView(bytes.buffer, bytes.byteOffset + crcAt, 4).getUint32(0, true)) {
    throw corrupt("checksum mismatch (truncated or altered)");
  }
  const head = readHead((from, length) => bytes.subarray(from, from + length), bytes.length);
  return planOf(
    head,
    (section, from, count, into) => {
      const at = head.offsets[section] + from * head.per[section];
      into.set(bytes.subarray(at, at + count * head.per[section]));
    },
    () => undefined,
  );
}

/**
 * Read an index file front to back, straight into the caller's arrays: no copy of the whole file
 * is ever held (a ten-million-document file is larger than one Buffer may be). The CRC32 is
 * computed over the bytes as they are read and checked by finish().
 */
export function openIndexFile(path: string): LoadPlan & { close(): void } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw error;
  }
  try {
    const total = fstatSync(fd).size;
    const readAt = (from: number, length: number, into: Uint8Array = new Uint8Array(length)): Uint8Array => {
      for (let done = 0; done < length; ) {
        const got = readSync(fd, into, done, length - done, from + done);
        if (got === 0) throw corrupt("it ended while being read");
        done += got;
      }
      return into;
    };
    if (total < 20) throw corrupt(`${total} bytes is too short to be an index`);
    const head = readHead((from, length) => readAt(from, length), total);
    let crc = crc32(readAt(0, head.start));
    let position = head.start;
    const advance = (to: number) => {
      // Padding between sections: read for the checksum.
      if (to > position) crc = crc32(readAt(position, to - position), crc);
      if (to !== position && to < position) throw new Error("news-dedupe internal error: index sections read out of order; this is a bug");
      position = to;
    };
    return {
      ...planOf(
        head,
        (section, from, count, into) => {
          const length = count * head.per[section];
          advance(head.offsets[section] + from * head.per[section]);
          readAt(position, length, into.subarray(0, length));
          crc = crc32(into.subarray(0, length), crc);
          position += length;
        },
        () => {
          advance(head.at.crcAt);
          const tail = readAt(head.at.crcAt, 4);
          const stored = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
          if (crc !== stored) throw corrupt("checksum mismatch (truncated or altered)");
        },
      ),
      close: () => closeSync(fd),
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The bytes of a typed array, little-endian: a view where the machine is, a copy where it is not. */
function bytesOf(values: Uint32Array | Int32Array | Uint16Array | Uint8Array | Float64Array): Uint8Array {
  if (littleEndian || values instanceof Uint8Array) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  if (values instanceof Float64Array) values.forEach((v, i) => view.setFloat64(8 * i, v, true));
  else if (values instanceof Uint16Array) values.forEach((v, i) => view.setUint16(2 * i, v, true));
  else values.forEach((v, i) => view.setUint32(4 * i, v >>> 0, true));
  return out;
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
