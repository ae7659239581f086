// Args: argv → checked flags and the library's options, with every usage error named by its flag.
import { parseArgs } from "node:util";
import { DedupeError, dedupeError } from "../errors.js";
import { resolveOptions } from "../options-check.js";
import { DEFAULTS, REPORT_DEFAULTS, type DedupeOptions, type ResolvedOptions } from "../options.js";
import { PROGRESS_DELAY_MS } from "./progress.js";
import { AUTO_MIN_HTML_BYTES } from "./extract.js";
import { AUTO_MIN_BYTES } from "./workers.js";

/** The library's limit (options.ts), checked here while reading so an oversize file is never held whole. */
const DEFAULT_MAX_DOC_BYTES = DEFAULTS.maxDocBytes;

export const FLAGS = {
  format: { type: "string", short: "f", default: "human" },
  out: { type: "string", short: "o" },
  force: { type: "boolean", default: false },
  "id-field": { type: "string", default: "id" },
  "text-field": { type: "string", default: "text" },
  "html-field": { type: "string" },
  "max-doc-bytes": { type: "string", default: String(DEFAULT_MAX_DOC_BYTES) },
  "on-error": { type: "string", default: "skip" },
  "fail-on-duplicates": { type: "boolean", default: false },
  diff: { type: "boolean", short: "d", default: false },
  report: { type: "string" },
  "report-diff-clusters": { type: "string" },
  "no-progress": { type: "boolean", default: false },
  jaccard: { type: "string" },
  containment: { type: "string" },
  "min-shared": { type: "string" },
  lead: { type: "string" },
  "shingle-size": { type: "string" },
  "num-hashes": { type: "string" },
  seed: { type: "string" },
  boilerplate: { type: "string", default: "off" },
  without: { type: "string" },
  threads: { type: "string", default: "auto" },
  index: { type: "string" },
  update: { type: "boolean", default: false },
  window: { type: "string" },
  "time-field": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "v", default: false },
} as const;

/** Library option → flag, for turning the library's option errors into flag errors. */
type NumericOption = Exclude<keyof ResolvedOptions, "boilerplate" | "maxDocBytes" | "lsh" | "rules">;
const OPTION_FLAGS: Record<NumericOption | "maxDocBytes" | "boilerplate", string> = {
  maxDocBytes: "--max-doc-bytes",
  boilerplate: "--boilerplate",
  minShared: "--min-shared",
  lead: "--lead",
  jaccard: "--jaccard",
  containment: "--containment",
  shingleSize: "--shingle-size",
  numHashes: "--num-hashes",
  seed: "--seed",
  window: "--window",
};

/** The rules as the CLI names them (kebab case), and the library option each one is. */
const RULES = { "story-text": "storyText", quotes: "quotes", numbers: "numbers", lead: "lead", families: "families" } as const;
const RULE_FLAGS = Object.keys(RULES);

export const HELP = `Usage: news-dedupe [options] <path...>
       news-dedupe explain [options] <A> <B>

Find the copies of news articles among files, directories and JSONL exports: clusters of
copies, each with a canonical copy, and optionally a deduplicated corpus. "explain" shows why
two documents are or are not copies: each one's story text and chrome, the passages they share,
overlap inside quotations, sentences differing by their numbers, the scores and the deciding
rule (A and B are files, or a record of a JSONL/JSON file as file.jsonl#id; --format human or json).

Inputs
  <path>                  a directory, walked recursively: each .txt or .md file is one
                          article whose id is its path relative to the directory; each .html
                          or .htm file a page whose article text is extracted; .jsonl and .json
                          files hold records; .warc and .warc.gz archives hold pages, one
                          document per HTML response, its id the WARC-Target-URI. A file named
                          here is read whatever its extension. "-" reads JSON Lines from stdin.
  --id-field <name>       record field holding the id (default: id)
  --text-field <name>     record field holding the text (default: text)
  --html-field <name>     record field holding a page's HTML, read instead of the text field:
                          its article text is extracted (a "url" field, if any, is its address)
  --max-doc-bytes <n>     skip documents (files, JSONL lines) over n bytes, without reading them
                          whole (default: ${DEFAULT_MAX_DOC_BYTES}, 16 MiB)
  --on-error <mode>       skip: warn on stderr and go on (default); fail: stop at the first bad input

Output (stdout carries the report and nothing else)
  -f, --format <format>   human (default), json (one document), jsonl (one line per input)
  -d, --diff              show what each copy adds or edits, per cluster (human: rendered
                          under the cluster; json: a "diffs" array of diff reports)
  -o, --out <dir>         also write the deduplicated corpus: one file per kept document
                          (the canonical copies and the singletons) and mapping.jsonl
  --report <file.html>    also write an HTML report to read in a browser: the summary, the
                          clusters, each copy's paragraphs and why it matched (any --format)
  --report-diff-clusters <n>
                          clusters shown paragraph by paragraph in the report: the n largest
                          (default: ${REPORT_DEFAULTS.diffClusters}); the others are summarised
  --force                 with --out: write into an input directory and over existing files;
                          with --report: over an existing file
  --fail-on-duplicates    exit with status 1 when duplicates were found (for CI)
  --no-progress           no progress bar (shown only on a terminal, after ${PROGRESS_DELAY_MS / 1000} seconds)

Matching
  --containment <x>       minimum share of the shorter narrative the other holds (default: ${DEFAULTS.containment})
  --min-shared <n>        minimum narrative shingles a copy shares (default: ${DEFAULTS.minShared})
  --lead <x>              minimum share of the shorter lead a same-lead copy shares (default: ${DEFAULTS.lead})
  --jaccard <x>           the Jaccard similarity LSH is designed around (default: ${DEFAULTS.jaccard})
  --shingle-size <n>      words per shingle (default: ${DEFAULTS.shingleSize})
  --num-hashes <n>        MinHash values per signature (default: ${DEFAULTS.numHashes})
  --seed <n>              seed of the hash functions (default: ${DEFAULTS.seed})
  --boilerplate <mode>    off (default): compare everything; auto: find the lines that recur
                          across unrelated documents (site chrome) and leave them out
  --without <rules>       turn rules of the evidence model off, comma-separated: ${RULE_FLAGS.join(", ")}
                          (e.g. --without quotes for transcripts; see docs/evidence.md)

Against an index (docs/index-at-scale.md)
  --index <file|url>      match each article against an index kept between runs instead of
                          clustering the inputs: a file (seen.ndx) or a Redis prefix
                          (redis://host:port/prefix); one line per article, a copy of an
                          earlier one (its id) or new
  --update                add the new articles to the index (a file is saved atomically; a
                          missing file is created with the matching flags given)
  --window <duration>     when creating an index: forget articles older than this, relative to
                          the newest time seen ("30d", "12h", "90m")
  --time-field <name>     record field holding an article's time (ms since 1970 or ISO-8601)

Other
  --threads <n|auto>      worker threads computing fingerprints, and extracting articles from
                          pages; auto (default) uses every core once ${AUTO_MIN_BYTES / 1024 / 1024} MiB of text (or
                          ${AUTO_MIN_HTML_BYTES / 1024 / 1024} MiB of HTML) has been read; 1 stays on one thread
  -h, --help              show this help
  -v, --version           show the version

Examples
  news-dedupe test-data/seeds
  news-dedupe --diff test-data/seeds
  news-dedupe articles/ --out deduped/ --boilerplate auto
  news-dedupe articles/ --report report.html
  news-dedupe --format jsonl export.jsonl > clusters.jsonl
  news-dedupe crawl.warc.gz
  news-dedupe --html-field html --id-field url pages.jsonl
  zcat export.jsonl.gz | news-dedupe --text-field body --format json -
  news-dedupe --fail-on-duplicates --containment 0.8 incoming/
  news-dedupe --index seen.ndx --update today/
  news-dedupe --index redis://127.0.0.1:6379/news --update --time-field published shard-07.jsonl
  news-dedupe explain test-data/seeds/002_15595de7b2b82864.txt test-data/seeds/003_f9f8a215f32f7d64.txt

Exit status: 0 success; 1 duplicates found (with --fail-on-duplicates); 2 usage error,
unreadable input, refused --out or --report, or a bad input with --on-error fail; 3 internal
error (a bug); 130 interrupted by SIGINT, 143 by SIGTERM (no half-written file is left under
its final name).
`;

export type Values = ReturnType<typeof parse>["values"];

export function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs explains in its first sentence; the rest is advice about "--" we do not need.
    const message = e instanceof Error ? e.message.split(". ")[0]! : String(e);
    throw usage(`${message} (see --help)`);
  }
}

/** The matching options, checked by the library and reported under their flag names. */
export function options(values: Values, boilerplate: "off" | "auto"): ResolvedOptions {
  const given: DedupeOptions = {
    boilerplate,
    maxDocBytes: integer("--max-doc-bytes", values["max-doc-bytes"], 1, Number.MAX_SAFE_INTEGER),
  };
  for (const name of ["jaccard", "containment", "minShared", "lead", "shingleSize", "numHashes", "seed"] as const) {
    const flag = OPTION_FLAGS[name];
    const raw = values[flag.slice(2) as keyof Values];
    if (typeof raw === "string") given[name] = number(flag, raw);
  }
  if (values.without !== undefined) given.rules = rulesOff(values.without);
  if (values.window !== undefined) given.window = /^\d+$/.test(values.window.trim()) ? Number(values.window) : values.window;
  try {
    return resolveOptions(given);
  } catch (e) {
    if (e instanceof DedupeError && e.code === "INVALID_OPTION") {
      // The library names the option; the user typed a flag.
      throw usage(`${OPTION_FLAGS[e.option as keyof typeof OPTION_FLAGS] ?? `option ${e.option}`} ${e.problem}`);
    }
    throw e;
  }
}

/** The matching options given as flags, and only those (an existing index keeps its own for the rest). */
export function givenOptions(values: Values): DedupeOptions {
  const all = options(values, "off");
  const given: DedupeOptions = {};
  for (const name of ["jaccard", "containment", "minShared", "lead", "shingleSize", "numHashes", "seed", "window"] as const) {
    const flag = OPTION_FLAGS[name];
    if (values[flag.slice(2) as keyof Values] !== undefined) (given as Record<string, unknown>)[name] = all[name];
  }
  if (values.without !== undefined) given.rules = all.rules;
  if (values["max-doc-bytes"] !== String(DEFAULT_MAX_DOC_BYTES)) given.maxDocBytes = all.maxDocBytes;
  return given;
}

function rulesOff(raw: string): NonNullable<DedupeOptions["rules"]> {
  const off: Record<string, boolean> = {};
  for (const name of raw.split(",").map((r) => r.trim())) {
    const rule = RULES[name as keyof typeof RULES];
    if (!rule) throw usage(`--without takes rules among ${RULE_FLAGS.join(", ")}, got ${JSON.stringify(name)}`);
    off[rule] = false;
  }
  return off;
}

function number(flag: string, raw: string): number {
  const n = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw usage(`${flag} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}

export function integer(flag: string, raw: string | undefined, min: number, max: number): number {
  const n = number(flag, raw ?? "");
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`${flag} must be an integer from ${min} to ${max}, got ${raw}`);
  return n;
}

export function oneOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T {
  if (allowed.includes(raw as T)) return raw as T;
  throw usage(`${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}`);
}

export function nonEmpty(flag: string, raw: string | undefined): string {
  if (raw === undefined || raw === "") throw usage(`${flag} must not be empty`);
  return raw;
}

export function usage(why: string): DedupeError {
  return dedupeError("CLI_USAGE", undefined, why);
}

