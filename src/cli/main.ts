// Main: argv → read → batch (fingerprints on worker threads) → report (stdout) and corpus (--out);
// exit code 0, 1 or 2. It runs on a worker thread of process.ts, which owns the process.
import { readFileSync } from "node:fs";
import { createBatch, type AsyncBatch } from "../dedupe.js";
import { DedupeError, dedupeError } from "../errors.js";
import { REPORT_DEFAULTS } from "../options.js";
import { toHuman, toJson, toJsonl, toRows, type ReportInput, type Run } from "../report.js";
import { report as htmlReport, reportedClusters } from "../report-html.js";
import type { DedupeResult, DiffReport } from "../types.js";
import { HELP, nonEmpty, oneOf, options, parse, usage, integer } from "./args.js";
import { createProgress, PROGRESS_DELAY_MS } from "./progress.js";
import { readInputs, type ReadOptions } from "./read/walk.js";
import { workerFingerprinter } from "./workers.js";
import { checkOutDir, checkReportFile, writeCorpus, writeReport, type Kept } from "./write.js";

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
  if (values["report-diff-clusters"] !== undefined && values.report === undefined) throw usage("--report-diff-clusters needs --report <file.html>");
  const reportDiffClusters = integer("--report-diff-clusters", values["report-diff-clusters"] ?? String(REPORT_DEFAULTS.diffClusters), 0, 1_000_000);
  const opts = options(values, boilerplate);
  const readOptions: ReadOptions = {
    idField: nonEmpty("--id-field", values["id-field"]),
    textField: nonEmpty("--text-field", values["text-field"]),
    maxDocBytes: opts.maxDocBytes,
    stdin: io.stdin,
  };
  const inputPaths = paths.filter((p) => p !== "-");
  // Refused before the work, not after it.
  if (values.out !== undefined) await checkOutDir(values.out, inputPaths, values.force);
  if (values.report === "-") throw usage("--report needs a file name: stdout carries the --format report");
  if (values.report !== undefined) await checkReportFile(nonEmpty("--report", values.report), values.force);

  const progress = createProgress(io.stderr, { enabled: !values["no-progress"] && io.stderr.isTTY === true, delayMs: PROGRESS_DELAY_MS });
  let read = 0;
  // Texts are kept only when needed after clustering: the corpus (--out), the report's pages
  // (--report), and diffs (--diff, with units: every cluster with copies is diffed). The report
  // diffs at most --report-diff-clusters clusters, from their texts: keeping every document's units
  // for them would cost more than normalizing those few clusters again (docs/report.md).
  const keep = values.diff ? "units" : values.out !== undefined || values.report !== undefined ? "texts" : "none";
  const batch: AsyncBatch = createBatch(opts, {
    keep,
    fingerprinter: workerFingerprinter({ threads, onProgress: (done) => progress.update(read, done) }),
  });
  const inputs: ReportInput[] = [];
  /** The source of each document given to the batch, by its position there. */
  const sources: string[] = [];
  const ignored: string[] = [];
  try {
    for await (const item of readInputs(paths, readOptions)) {
      if (item.kind === "ignored") {
        ignored.push(item.source);
        continue;
      }
      // The batch holds the ids: a document whose id was seen is skipped, naming the first.
      const first = item.id === null ? undefined : batch.positionOf(item.id);
      const error = item.kind === "skip" ? item.error : first === undefined ? null : dedupeError("INPUT_DUPLICATE_ID", undefined, JSON.stringify(item.id), sources[first]!);
      if (error) {
        if (onError === "fail") throw new DedupeError(error.code, `${item.source}: ${error.message}`);
        progress.log(`news-dedupe: ${item.source}: ${error.message}; skipped`);
        inputs.push({ id: item.id, source: item.source, skipped: { code: error.code, reason: error.message } });
      } else if (item.kind === "doc") {
        inputs.push({ id: item.id, source: item.source });
        sources.push(item.source);
        read++;
        await batch.add({ id: item.id, text: item.text });
      }
    }
    if (ignored.length > 0) {
      progress.log(`news-dedupe: ignored ${ignored.length} file(s) that are not .txt, .md, .jsonl or .json, the first ${ignored[0]}`);
    }
    if (inputs.length === 0) progress.log(`news-dedupe: no documents found in ${paths.join(", ")}`);
    progress.phase(opts.boilerplate === "off" ? "clustering" : "boilerplate");
    const result = await batch.finish();

    let diffs: DiffReport[] | undefined;
    if (values.diff) {
      progress.phase("diffing");
      const diffOptions = result.boilerplate ? { boilerplate: result.boilerplate } : {};
      diffs = result.clusters.filter((c) => c.members.length > 1).map((c) => batch.diff(c, diffOptions));
    }
    const report: Run = { result, inputs, ...(diffs ? { diffs } : {}) };

    if (values.out !== undefined) {
      progress.phase("writing");
      const kept: Kept[] = result.clusters.map((c) => ({ id: c.canonical, text: batch.textOnce(c.canonical) }));
      await writeCorpus(values.out, kept, toRows(report), { force: values.force, inputs: inputPaths });
    }
    if (values.report !== undefined) {
      progress.phase("report");
      await writeReport(values.report, pageOf(batch, result, inputs, diffs, { paths, diffClusters: reportDiffClusters }), values.force);
    }
    progress.stop();

    const written = values.out === undefined ? undefined : { dir: values.out, files: result.clusters.length };
    if (format === "jsonl") for (const chunk of toJsonl(report)) await write(io.stdout, chunk);
    else await write(io.stdout, format === "json" ? toJson(report) : toHuman(report, { written, report: values.report }));
    return values["fail-on-duplicates"] && result.stats.duplicates > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await batch.abort();
  }
}

/**
 * The HTML report. The clusters it shows paragraph by paragraph are diffed by report() from their
 * texts (or taken from --diff's reports); every other cluster needs only its canonical's text.
 */
function pageOf(
  batch: AsyncBatch,
  result: DedupeResult,
  inputs: readonly ReportInput[],
  diffs: readonly DiffReport[] | undefined,
  how: { paths: readonly string[]; diffClusters: number },
): string {
  const texts = new Map(result.clusters.map((c) => [c.canonical, batch.text(c.canonical)]));
  for (const i of reportedClusters(result, how.diffClusters)) for (const m of result.clusters[i]!.members) texts.set(m.id, batch.text(m.id));
  const skipped = inputs.flatMap((i) => (i.skipped ? [{ id: i.id, source: i.source, ...i.skipped }] : []));
  return htmlReport(result, texts, diffs, {
    dedupeOptions: batch.options,
    skipped,
    diffClusters: how.diffClusters,
    title: `news-dedupe report: ${named(how.paths.map((p) => (p === "-" ? "stdin" : p)))}`,
  });
}

/** The inputs for the page's title: a shell glob can name thousands. */
function named(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(", ") : `${paths.slice(0, 2).join(", ")} and ${paths.length - 2} more`;
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
