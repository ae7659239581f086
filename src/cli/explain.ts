// Explain: `news-dedupe explain A B` → why two documents are or are not copies (explain.ts), as
// text or JSON. A and B are files (an HTML page is read as its article), or one record of a
// JSONL/JSON file or a WARC archive named as path#id.
import { access } from "node:fs/promises";
import { DedupeError } from "../errors.js";
import { explain, renderExplanation } from "../explain.js";
import type { ResolvedOptions } from "../options.js";
import { nonEmpty, oneOf, usage, type Values } from "./args.js";
import { readInputs, type InputDoc, type ReadOptions } from "./read/walk.js";

/** Explain the two documents named by `paths`; the text goes to `write`. */
export async function runExplain(paths: readonly string[], values: Values, opts: ResolvedOptions, stdin: ReadOptions["stdin"]): Promise<string> {
  if (paths.length !== 2) throw usage(`explain takes two documents, got ${paths.length} (news-dedupe explain <A> <B>, a record of a JSONL file as file.jsonl#id)`);
  const format = oneOf("--format", values.format, ["human", "json"]);
  for (const flag of ["diff", "out", "fail-on-duplicates"] as const) {
    if (values[flag] !== undefined && values[flag] !== false) throw usage(`--${flag} does not apply to explain`);
  }
  if (opts.boilerplate === "auto") throw usage("--boilerplate auto needs a corpus; explain compares two documents");
  const read: ReadOptions = {
    idField: nonEmpty("--id-field", values["id-field"]),
    textField: nonEmpty("--text-field", values["text-field"]),
    maxDocBytes: opts.maxDocBytes,
    htmlField: values["html-field"] === undefined ? null : nonEmpty("--html-field", values["html-field"]),
    stdin,
  };
  const a = await document(paths[0]!, read);
  const b = await document(paths[1]!, read);
  const x = explain({ id: a.id, text: a.text }, { id: b.id, text: b.text }, opts);
  if (format === "json") {
    const { options, ...rest } = x;
    return `${JSON.stringify({ ...rest, options: { ...options } }, null, 2)}\n`;
  }
  return renderExplanation(x, [a.text, b.text]);
}

/** The one document a path names: a text file, a file holding one record, or path#id for a record of a JSONL/JSON file. */
async function document(arg: string, read: ReadOptions): Promise<InputDoc> {
  if (arg === "-") throw usage("explain reads files, not stdin");
  let path = arg;
  let id: string | undefined;
  const hash = arg.lastIndexOf("#");
  if (hash > 0 && !(await exists(arg))) {
    path = arg.slice(0, hash);
    id = arg.slice(hash + 1);
  }
  const docs: InputDoc[] = [];
  for await (const item of readInputs([path], read)) {
    if (item.kind === "skip") {
      // A bad record elsewhere in the file does not matter when another is named.
      if (id === undefined || item.id === id) throw new DedupeError(item.error.code, `${item.source}: ${item.error.message}`);
      continue;
    }
    if (item.kind === "ignored" || (id !== undefined && item.id !== id)) continue;
    if (item.kind === "doc") docs.push(item);
    else {
      // A page: its article, as a run reads it (the extractor loads only when a page is met).
      const { fromHtml } = await import("../html.js");
      docs.push({ kind: "doc", id: item.id, text: fromHtml(item.html, item.url === undefined ? {} : { url: item.url }).text, source: item.source });
    }
  }
  if (docs.length === 1) return docs[0]!;
  if (id !== undefined) throw usage(docs.length === 0 ? `${path} holds no record with id ${JSON.stringify(id)}` : `${path} holds ${docs.length} records with id ${JSON.stringify(id)}`);
  throw usage(docs.length === 0 ? `${path} holds no document` : `${path} holds ${docs.length} documents: name one as ${path}#<id>`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
