// Walk: command-line paths → documents, streamed in a stable order (directories depth-first, names in
// code-unit order, hidden entries skipped); every problem names its file and line.
import { type Dirent, type Stats } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { extname, join, normalize, relative, sep } from "node:path";
import { dedupeError, fail } from "../../errors.js";
import { HTML_EXTENSIONS, isWarc, readFileItems, readRegularFile, textItem } from "./files.js";
import { htmlItem } from "./html.js";
import { errno, skip, slashes, unreadable, type InputItem, type ReadOptions } from "./items.js";
import { recordLines } from "./records.js";

export type { InputDoc, InputHtml, InputItem, ReadOptions, Skipped, Ignored } from "./items.js";

const TEXT_EXTENSIONS = new Set([".txt", ".md"]);
const RECORD_EXTENSIONS = new Set([".jsonl", ".json"]);
const STDIN = "<stdin>";

/**
 * Every document under `paths`, in argument order; directories are walked depth-first in
 * code-unit order of names, skipping hidden entries. A path that does not exist throws
 * (a usage error: nothing has been read yet); anything wrong inside an input is yielded as
 * a Skipped item so the caller decides whether to go on. Ids are not checked for uniqueness
 * here: the batch holds the ids (see cli/main.ts).
 */
export async function* readInputs(paths: readonly string[], options: ReadOptions): AsyncGenerator<InputItem> {
  const kinds = await Promise.all(paths.map(kindOf));
  for (let i = 0; i < paths.length; i++) yield* readPath(paths[i]!, kinds[i]!, options);
}

type Kind = "stdin" | "dir" | "file";

async function kindOf(path: string): Promise<Kind> {
  if (path === "-") return "stdin";
  try {
    return (await stat(path)).isDirectory() ? "dir" : "file";
  } catch (e) {
    if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") fail("INPUT_NOT_FOUND", undefined, path);
    fail("CLI_USAGE", undefined, `${path}: ${unreadable(e).message}`);
  }
}

function readPath(path: string, kind: Kind, options: ReadOptions): AsyncGenerator<InputItem> {
  if (kind === "stdin") return recordLines(options.stdin, STDIN, options);
  if (kind === "dir") return walk(path, path, options, new Map());
  // A file named on the command line is read whatever its extension: the user asked for it.
  return readFileItems(path, slashes(normalize(path)), path, options);
}

async function* walk(root: string, dir: string, options: ReadOptions, visited: Map<string, string>): AsyncGenerator<InputItem> {
  let entries: Dirent[];
  try {
    // Links are followed, so a directory reached twice (a link back up the tree, or a second
    // link to one directory) is read once and named in a warning.
    const real = await realpath(dir);
    const first = visited.get(real);
    if (first !== undefined) {
      const parent = await realpath(join(dir, "..")).catch(() => "");
      const loop = parent === real || parent.startsWith(real + sep);
      yield skip(dir, null, loop ? dedupeError("INPUT_LINK_LOOP", undefined, first) : dedupeError("INPUT_SEEN_DIR", undefined, first));
      return;
    }
    visited.set(real, dir);
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  } catch (e) {
    yield skip(dir, null, unreadable(e));
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // The listing says what most entries are; anything else (a link to follow, a FIFO, a type
    // the file system did not give) gets a stat. A stat per file through fs/promises is a
    // thread-pool round trip per file, on the main thread's time.
    let info: Dirent | Stats = entry;
    if (!entry.isFile() && !entry.isDirectory()) {
      try {
        info = await stat(path);
      } catch (e) {
        yield skip(path, null, unreadable(e));
        continue;
      }
    }
    if (info.isDirectory()) {
      yield* walk(root, path, options, visited);
      continue;
    }
    const ext = extname(entry.name).toLowerCase();
    const html = HTML_EXTENSIONS.has(ext);
    if (!TEXT_EXTENSIONS.has(ext) && !RECORD_EXTENSIONS.has(ext) && !html && !isWarc(entry.name)) {
      yield { kind: "ignored", source: path };
      continue;
    }
    const id = slashes(relative(root, path));
    // A FIFO would block the run until something writes to it; a device may never end.
    if (!info.isFile()) yield skip(path, id, dedupeError("INPUT_NOT_FILE", undefined, fileType(info)));
    else if (TEXT_EXTENSIONS.has(ext)) yield textItem(readRegularFile(path, options.maxDocBytes), id, path, options.maxDocBytes);
    else if (html) yield htmlItem(readRegularFile(path, options.maxDocBytes), id, path, options.maxDocBytes);
    else yield* readFileItems(path, id, path, options);
  }
}

function fileType(info: Dirent | Stats): string {
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  return "not a regular file";
}

