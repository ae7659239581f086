// Write: clustered documents → --out DIR: one file per kept document and mapping.jsonl for every input.
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { constants } from "node:fs";
import { access, lstat, realpath, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fail } from "../errors.js";
import type { Row } from "../report.js";

/** A document the corpus keeps: the canonical of its cluster (singletons included), its text once. */
export interface Kept {
  readonly id: string;
  readonly text: string;
}

export interface WriteOptions {
  /** Write into an input directory and over existing files. */
  readonly force: boolean;
  /** The paths named on the command line. */
  readonly inputs: readonly string[];
}

export const MAPPING = "mapping.jsonl";

/**
 * Write the corpus. Every check runs before the first byte is written, so a refusal leaves
 * the directory as it was. Every file is first written under a temporary name; only once all
 * are written are they renamed into place, mapping.jsonl last. An interrupted run therefore
 * leaves no half-written file under a real name (the temporary files are removed by
 * removePartialFiles() on SIGINT), and a mapping.jsonl present means the corpus is complete.
 * `rows` are the `--format jsonl` rows; in mapping.jsonl a kept row also names its file.
 */
export async function writeCorpus(dir: string, kept: readonly Kept[], rows: readonly Row[], options: WriteOptions): Promise<void> {
  await checkOutDir(dir, options.inputs, options.force);
  const names = fileNames(kept.map((k) => k.id));
  const targets = [...names, MAPPING];
  if (!options.force) {
    const existing = (await Promise.all(targets.map(async (t) => ((await exists(join(dir, t))) ? t : null)))).filter((t) => t !== null);
    if (existing.length > 0) fail("OUT_EXISTS", undefined, String(existing.length), join(dir, existing[0]!));
  }

  const fileOf = new Map(kept.map((k, i) => [k.id, names[i]!]));
  const written: Array<[string, string]> = [];
  const made = new Set<string>();
  // Synchronous: async file calls each cost a thread-pool round trip, which for many small files
  // costs more than the writing. The loop yields to the event loop between files now and then,
  // so a SIGINT is still handled at once.
  const writeTemp = (path: string, text: string) => {
    const temp = `${path}.tmp-${process.pid}`;
    try {
      if (!made.has(dirname(path))) makeDirs(dirname(path));
      made.add(dirname(path));
      partial.add(temp);
      watcher?.("made", temp);
      writeFileSync(temp, text);
      written.push([temp, path]);
    } catch (e) {
      fail("OUT_WRITE", undefined, path, e instanceof Error ? e.message : String(e));
    }
  };
  try {
    for (let i = 0; i < kept.length; i++) {
      const k = kept[i]!;
      writeTemp(join(dir, names[i]!), k.text);
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(setImmediate);
    }
    const mapping = rows.map((r) => {
      const file = r.status === "kept" ? fileOf.get(r.id) : undefined;
      return JSON.stringify(file === undefined ? r : { ...r, file }) + "\n";
    });
    writeTemp(join(dir, MAPPING), mapping.join(""));
    for (const [temp, path] of written) {
      try {
        renameSync(temp, path);
      } catch (e) {
        fail("OUT_WRITE", undefined, path, e instanceof Error ? e.message : String(e));
      }
      partial.delete(temp);
      watcher?.("gone", temp);
    }
  } finally {
    await Promise.all([...partial].map((temp) => rm(temp, { force: true })));
    for (const temp of partial) watcher?.("gone", temp);
    partial.clear();
  }
}

/** Temporary files written and not yet renamed into place. */
const partial = new Set<string>();
/** Told of every temporary file as it is made and as it is renamed or removed (see job.ts). */
let watcher: ((event: "made" | "gone", path: string) => void) | null = null;

/** Tell `listener` of each temporary file the corpus writer makes and retires. */
export function watchPartialFiles(listener: (event: "made" | "gone", path: string) => void): void {
  watcher = listener;
}
const YIELD_EVERY = 64;

/** Remove the temporary files of a corpus being written; for a signal handler, so synchronous. Returns how many there were. */
export function removePartialFiles(): number {
  const n = partial.size;
  for (const temp of partial) rmSync(temp, { force: true });
  partial.clear();
  return n;
}

/**
 * Refuse, before any input is read, an output directory that cannot be one: an existing path
 * that is not a directory, or a directory (or, for a new one, its nearest existing ancestor)
 * this process cannot write into. Without `force`, refuse too one that is, or is inside, an
 * input directory (the corpus would mix with its own input and be read back by the next run;
 * symbolic links are resolved first) and one holding a mapping.jsonl.
 */
export async function checkOutDir(dir: string, inputs: readonly string[], force: boolean): Promise<void> {
  const found = await nearestExisting(resolve(dir));
  if (found.path === resolve(dir) && !found.isDirectory) fail("OUT_WRITE", undefined, dir, "it exists and is not a directory");
  if (found.path !== resolve(dir) && !found.isDirectory) fail("OUT_WRITE", undefined, dir, `${found.path} is not a directory`);
  try {
    await access(found.path, constants.W_OK | constants.X_OK);
  } catch {
    fail("OUT_WRITE", undefined, dir, `permission denied${found.path === resolve(dir) ? "" : ` to create it in ${found.path}`}`);
  }
  if (force) return;
  const out = await realish(dir);
  for (const input of inputs) {
    if (!(await isDirectory(input))) continue;
    const rel = relative(await realish(input), out);
    if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) fail("OUT_IS_INPUT", undefined, dir, input);
  }
  // The one file name known before reading: a previous run's corpus is refused before the work.
  if (await exists(join(dir, MAPPING))) fail("OUT_EXISTS", undefined, "1", join(dir, MAPPING));
}

/**
 * Refuse, before any input is read, a --report path that cannot be written: a directory, a path
 * under a file, a directory this process cannot write into, or (without `force`) an existing file.
 */
export async function checkReportFile(path: string, force: boolean): Promise<void> {
  const abs = resolve(path);
  const found = await nearestExisting(abs);
  if (found.path === abs) {
    if (found.isDirectory) fail("OUT_WRITE", undefined, path, "it is a directory; give a file name such as report.html");
    if (!force) fail("REPORT_EXISTS", undefined, path);
  } else if (!found.isDirectory) fail("OUT_WRITE", undefined, path, `${found.path} is not a directory`);
  const dir = found.path === abs ? dirname(abs) : found.path;
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch {
    fail("OUT_WRITE", undefined, path, `permission denied to write in ${dir}`);
  }
}

/**
 * Write the HTML report as the corpus is written: under a temporary name first, renamed into place
 * once whole, so an interrupted run leaves no half-written report (removePartialFiles()). Checked
 * again first: a file may have appeared while the run went on.
 */
export async function writeReport(path: string, html: string, force: boolean): Promise<void> {
  await checkReportFile(path, force);
  const temp = `${path}.tmp-${process.pid}`;
  try {
    makeDirs(dirname(resolve(path)));
    partial.add(temp);
    watcher?.("made", temp);
    writeFileSync(temp, html);
    renameSync(temp, path);
    partial.delete(temp);
    watcher?.("gone", temp);
  } catch (e) {
    fail("OUT_WRITE", undefined, path, e instanceof Error ? e.message : String(e));
  } finally {
    if (partial.delete(temp)) {
      await rm(temp, { force: true });
      watcher?.("gone", temp);
    }
  }
}

/**
 * A file name per id, relative to the output directory. An id read from a directory is already
 * a relative path and is kept as it is; any other id is made safe (no "..", no characters that
 * some file systems refuse) and given ".txt". Names are unique without regard to case, so the
 * corpus survives a copy to a case-insensitive file system; a clash gets "~2", "~3" before the
 * extension.
 */
export function fileNames(ids: readonly string[]): string[] {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const free = (name: string) => {
    const key = name.toLowerCase();
    if (files.has(key) || dirs.has(key)) return false;
    const parts = key.split("/");
    for (let i = 1; i < parts.length; i++) if (files.has(parts.slice(0, i).join("/"))) return false;
    return true;
  };
  return ids.map((id) => {
    let base = safeName(id);
    // A file in the way of a directory: fall back to a flat name.
    if (!free(base) && !free(withSuffix(base, 2))) base = base.replaceAll("/", "_");
    let name = base;
    for (let n = 2; !free(name); n++) name = withSuffix(base, n);
    const key = name.toLowerCase();
    files.add(key);
    const parts = key.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    return name;
  });
}

// Control characters and the characters Windows refuses in file names.
const UNSAFE = /[\u0000-\u001f\u007f<>:"\\|?*]/g;
const MAX_SEGMENT = 200;

function safeName(id: string): string {
  // A lone surrogate is written as U+FFFD by the file system: make that visible to the clash check.
  const segments = id
    .toWellFormed()
    .split("/")
    .filter((s) => s !== "" && s !== "." && s !== "..")
    .map((s) => cutBytes(s.replace(UNSAFE, "_"), MAX_SEGMENT));
  const name = segments.length === 0 ? "document" : segments.join("/");
  return /\.(txt|md)$/i.test(name) ? name : `${name}.txt`;
}

/** The longest prefix of `s` of at most `max` UTF-8 bytes, never half a surrogate pair (file names are limited in bytes). */
function cutBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    end += ch.length;
  }
  return s.slice(0, end);
}

function withSuffix(name: string, n: number): string {
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}~${n}${name.slice(dot)}`;
}

/**
 * mkdir -p. Not mkdirSync's `recursive`, which loops forever where a directory exists but
 * refuses children with ENOENT (under /proc, on Node 20).
 */
function makeDirs(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statSync(dir).isDirectory()) return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw e;
    makeDirs(dirname(dir));
    mkdirSync(dir);
  }
}

/** The path itself or its nearest existing ancestor, and whether that is a directory. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  try {
    return { path, isDirectory: (await stat(path)).isDirectory() };
  } catch {
    const parent = dirname(path);
    return parent === path ? { path, isDirectory: false } : nearestExisting(parent);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realish(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(await realish(parent), relative(parent, abs));
  }
}
