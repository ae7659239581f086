// Main: argv → read → fingerprint → cluster → report (stdout) and corpus (--out); exit code 0, 1 or 2.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { boilerplateLines, units } from "../boilerplate.js";
import { boilerplateOf, clusterFingerprints } from "../dedupe.js";
import { diff } from "../diff/classify.js";
import { DedupeError, fail } from "../errors.js";
import { DEFAULTS, resolveOptions, type DedupeOptions, type ResolvedOptions } from "../options.js";
import { toHuman, toJson, toJsonl, toRows, type ReportInput, type Run } from "../report.js";
import type { DiffReport } from "../types.js";
import { createProgress, PROGRESS_DELAY_MS } from "./progress.js";
import { readInputs, type ReadOptions } from "./read.js";
import { AUTO_MIN_BYTES, FingerprintQueue, type QueueOptions } from "./workers.js";
import { checkOutDir, removePartialFiles, writeCorpus, type Kept } from "./write.js";

/** The library's limit (options.ts), checked here while reading so an oversize file is never held whole. */
const DEFAULT_MAX_DOC_BYTES = DEFAULTS.maxDocBytes;

const FLAGS = {
  format: { type: "string", short: "f", default: "human" },
  out: { type: "string", short: "o" },
  force: { type: "boolean", default: false },
  "id-field": { type: "string", default: "id" },
  "text-field": { type: "string", default: "text" },
  "max-doc-bytes": { type: "string", default: String(DEFAULT_MAX_DOC_BYTES) },
  "on-error": { type: "string", default: "skip" },
  "fail-on-duplicates": { type: "boolean", default: false },
  diff: { type: "boolean", short: "d", default: false },
  "no-progress": { type: "boolean", default: false },
  jaccard: { type: "string" },
  containment: { type: "string" },
  "shingle-size": { type: "string" },
  "num-hashes": { type: "string" },
  seed: { type: "string" },
  boilerplate: { type: "string", default: "off" },
  threads: { type: "string", default: "auto" },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "v", default: false },
} as const;

/** Library option → flag, for turning the library's option errors into flag errors. */
type NumericOption = Exclude<keyof ResolvedOptions, "boilerplate" | "maxDocBytes">;
const OPTION_FLAGS: Record<NumericOption, string> = {
  jaccard: "--jaccard",
  containment: "--containment",
  shingleSize: "--shingle-size",
  numHashes: "--num-hashes",
  seed: "--seed",
};

const HELP = `Usage: news-dedupe [options] <path...>

Find the copies of news articles among files, directories and JSONL exports: clusters of
copies, each with a canonical copy, and optionally a deduplicated corpus.

Inputs
  <path>                  a directory, walked recursively: each .txt or .md file is one
                          article whose id is its path relative to the directory; .jsonl and
                          .json files hold records. A file named here is read whatever its
                          extension. "-" reads JSON Lines from stdin.
  --id-field <name>       record field holding the id (default: id)
  --text-field <name>     record field holding the text (default: text)
  --max-doc-bytes <n>     skip documents (files, JSONL lines) over n bytes, without reading them
                          whole (default: ${DEFAULT_MAX_DOC_BYTES}, 16 MiB)
  --on-error <mode>       skip: warn on stderr and go on (default); fail: stop at the first bad input

Output (stdout carries the report and nothing else)
  -f, --format <format>   human (default), json (one document), jsonl (one line per input)
  -d, --diff              show what each copy adds or edits, per cluster (human: rendered
                          under the cluster; json: a "diffs" array of diff reports)
  -o, --out <dir>         also write the deduplicated corpus: one file per kept document
                          (the canonical copies and the singletons) and mapping.jsonl
  --force                 with --out: write into an input directory and over existing files
  --fail-on-duplicates    exit with status 1 when duplicates were found (for CI)
  --no-progress           no progress bar (shown only on a terminal, after ${PROGRESS_DELAY_MS / 1000} seconds)

Matching
  --jaccard <x>           minimum Jaccard similarity of a copy (default: ${DEFAULTS.jaccard})
  --containment <x>       minimum containment of a copy (default: ${DEFAULTS.containment})
  --shingle-size <n>      words per shingle (default: ${DEFAULTS.shingleSize})
  --num-hashes <n>        MinHash values per signature (default: ${DEFAULTS.numHashes})
  --seed <n>              seed of the hash functions (default: ${DEFAULTS.seed})
  --boilerplate <mode>    off (default): compare everything; auto: find the lines that recur
                          across unrelated documents (site chrome) and leave them out

Other
  --threads <n|auto>      worker threads computing fingerprints; auto (default) uses every core
                          once ${AUTO_MIN_BYTES / 1024 / 1024} MiB of text has been read; 1 stays on one thread
  -h, --help              show this help
  -v, --version           show the version

Examples
  news-dedupe test-data/seeds
  news-dedupe --diff test-data/seeds
  news-dedupe articles/ --out deduped/ --boilerplate auto
  news-dedupe --format jsonl export.jsonl > clusters.jsonl
  zcat export.jsonl.gz | news-dedupe --text-field body --format json -
  news-dedupe --fail-on-duplicates --containment 0.8 incoming/

Exit status: 0 success; 1 duplicates found (with --fail-on-duplicates); 2 usage error,
unreadable input, refused --out, or a bad input with --on-error fail; 3 internal error (a bug);
130 interrupted by SIGINT, 143 by SIGTERM (no half-written file is left under its final name).
`;

export interface Io {
  readonly stdin: AsyncIterable<Buffer | string>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Run the CLI on `argv` (without node and the script) and return the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof DedupeError) {
      io.stderr.write(`news-dedupe: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`news-dedupe: internal error (please report it): ${e instanceof Error ? e.stack : String(e)}\n`);
    return 3;
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parse(argv);
  const { values } = args;
  if (values.help) return print(io, HELP);
  if (values.version) return print(io, `${version()}\n`);

  const paths = args.positionals;
  if (paths.length === 0) throw usage("no input paths given (see --help)");
  if (paths.filter((p) => p === "-").length > 1) throw usage('"-" (stdin) can be given only once');
  const format = oneOf("--format", values.format, ["human", "json", "jsonl"]);
  if (values.diff && format === "jsonl") throw usage("--diff needs --format human or json (a jsonl row is one document, not a cluster)");
  const onError = oneOf("--on-error", values["on-error"], ["skip", "fail"]);
  const boilerplate = oneOf("--boilerplate", values.boilerplate, ["off", "auto"]);
  const threads = values.threads === "auto" ? "auto" : integer("--threads", values.threads, 1, 64);
  const opts = options(values, boilerplate);
  const readOptions: ReadOptions = {
    idField: nonEmpty("--id-field", values["id-field"]),
    textField: nonEmpty("--text-field", values["text-field"]),
    maxDocBytes: opts.maxDocBytes,
    stdin: io.stdin,
  };
  const inputPaths = paths.filter((p) => p !== "-");
  // Refused before the work, not after it.
  if (values.out !== undefined && !values.force) await checkOutDir(values.out, inputPaths);

  const progress = createProgress(io.stderr, { enabled: !values["no-progress"] && io.stderr.isTTY === true, delayMs: PROGRESS_DELAY_MS });
  let read = 0;
  const queueOptions: QueueOptions = { threads, onProgress: (done: number) => progress.update(read, done) };
  // Boilerplate is a property of the corpus: found only once every text is read, and needed by
  // every fingerprint. Without it, texts are fingerprinted as they are read.
  const deferred = opts.boilerplate !== "off";
  let queue = deferred ? null : new FingerprintQueue(opts, queueOptions);
  const inputs: ReportInput[] = [];
  const ids: Array<{ id: string }> = [];
  // Texts are kept only when needed after fingerprinting (corpus, diffs, boilerplate);
  // otherwise a text is dropped once fingerprinted.
  const keepTexts = values.out !== undefined || values.diff || deferred;
  const texts: string[] = [];
  const ignored: string[] = [];
  try {
    for await (const item of readInputs(paths, readOptions)) {
      if (item.kind === "ignored") {
        ignored.push(item.source);
      } else if (item.kind === "skip") {
        if (onError === "fail") throw new DedupeError(item.error.code, `${item.source}: ${item.error.message}`);
        progress.log(`news-dedupe: ${item.source}: ${item.error.message}; skipped`);
        inputs.push({ id: item.id, source: item.source, skipped: { code: item.error.code, reason: item.error.message } });
      } else {
        inputs.push({ id: item.id, source: item.source });
        ids.push({ id: item.id });
        if (keepTexts) texts.push(item.text);
        read++;
        if (queue) await queue.add(item.text);
      }
    }
    if (ignored.length > 0) {
      progress.log(`news-dedupe: ignored ${ignored.length} file(s) that are not .txt, .md, .jsonl or .json, the first ${ignored[0]}`);
    }
    if (inputs.length === 0) progress.log(`news-dedupe: no documents found in ${paths.join(", ")}`);
    let templateLines: string[] | undefined;
    if (queue === null) {
      progress.phase("boilerplate");
      const unitsOf = texts.map((t) => units(t));
      const skipHashes = boilerplateOf(
        ids.map((d, i) => ({ id: d.id, text: texts[i]! })),
        opts,
        unitsOf,
      );
      templateLines = boilerplateLines(unitsOf, skipHashes);
      queue = new FingerprintQueue(opts, { ...queueOptions, boilerplate: skipHashes });
      progress.phase("fingerprinting");
      for (const text of texts) await queue.add(text);
    }
    const prints = await queue.finish();
    progress.phase("clustering");
    const result = clusterFingerprints(ids, prints, opts);
    if (templateLines) result.boilerplate = templateLines;
    // Built only when texts were kept: for a million ids the map takes about 100 MB.
    const position = keepTexts ? new Map(ids.map((d, i) => [d.id, i])) : new Map<string, number>();
    const textOf = (id: string) => texts[position.get(id)!]!;

    let diffs: DiffReport[] | undefined;
    if (values.diff) {
      progress.phase("diffing");
      const diffOptions = result.boilerplate ? { boilerplate: result.boilerplate } : {};
      diffs = result.clusters
        .filter((c) => c.members.length > 1)
        .map((c) => diff(c, c.members.map((m) => ({ id: m.id, text: textOf(m.id) })), diffOptions));
    }
    const report: Run = { result, inputs, ...(diffs ? { diffs } : {}) };

    if (values.out !== undefined) {
      progress.phase("writing");
      const kept: Kept[] = result.clusters.map((c) => ({ id: c.canonical, text: textOf(c.canonical), repeats: c.members[0]?.repeats ?? 1 }));
      await writeCorpus(values.out, kept, toRows(report), { force: values.force, inputs: inputPaths });
    }
    progress.stop();

    const written = values.out === undefined ? undefined : { dir: values.out, files: result.clusters.length };
    if (format === "jsonl") for (const chunk of toJsonl(report)) await write(io.stdout, chunk);
    else await write(io.stdout, format === "json" ? toJson(report) : toHuman(report, { written }));
    return values["fail-on-duplicates"] && result.stats.duplicates > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await queue?.abort();
  }
}

type Values = ReturnType<typeof parse>["values"];

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs explains in its first sentence; the rest is advice about "--" we do not need.
    const message = e instanceof Error ? e.message.split(". ")[0]! : String(e);
    throw usage(`${message} (see --help)`);
  }
}

/** The matching options, checked by the library and reported under their flag names. */
function options(values: Values, boilerplate: "off" | "auto"): ResolvedOptions {
  const given: DedupeOptions = {
    boilerplate,
    maxDocBytes: integer("--max-doc-bytes", values["max-doc-bytes"], 1, Number.MAX_SAFE_INTEGER),
  };
  for (const [name, flag] of Object.entries(OPTION_FLAGS) as Array<[NumericOption, string]>) {
    const raw = values[flag.slice(2) as keyof Values];
    if (typeof raw === "string") given[name] = number(flag, raw);
  }
  try {
    return resolveOptions(given);
  } catch (e) {
    if (e instanceof DedupeError && e.code === "INVALID_OPTION") {
      throw usage(e.message.replace(/^option (\w+)/, (_, name: NumericOption) => OPTION_FLAGS[name] ?? name));
    }
    throw e;
  }
}

function number(flag: string, raw: string): number {
  const n = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw usage(`${flag} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}

function integer(flag: string, raw: string | undefined, min: number, max: number): number {
  const n = number(flag, raw ?? "");
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`${flag} must be an integer from ${min} to ${max}, got ${raw}`);
  return n;
}

function oneOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T {
  if (allowed.includes(raw as T)) return raw as T;
  throw usage(`${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}`);
}

function nonEmpty(flag: string, raw: string | undefined): string {
  if (raw === undefined || raw === "") throw usage(`${flag} must not be empty`);
  return raw;
}

function usage(why: string): DedupeError {
  return fail("CLI_USAGE", undefined, why);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

async function print(io: Io, text: string): Promise<number> {
  await write(io.stdout, text);
  return 0;
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

/** The entry point of bin/news-dedupe.js: the only place that exits the process. */
export async function cli(): Promise<void> {
  // A reader that stops early (news-dedupe … | head) is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 2));
  // Interrupted: no half-written file may stay behind (files reach their real names only once
  // all are written, see writeCorpus). Exit as a shell expects of a signalled program, 128 + n.
  for (const [signal, n] of [["SIGINT", 2], ["SIGTERM", 15]] as const) {
    process.once(signal, () => {
      const removed = removePartialFiles();
      process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}news-dedupe: interrupted${removed > 0 ? `; removed ${removed} unfinished output file(s)` : ""}\n`);
      process.exit(128 + n);
    });
  }
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  process.exit(code);
}
