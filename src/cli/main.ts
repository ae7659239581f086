// Main: argv → read → batch (fingerprints on worker threads) → report (stdout) and corpus (--out);
// exit code 0, 1 or 2. It runs on a worker thread of process.ts, which owns the process.
import { readFileSync } from "node:fs";
import { createBatch, type AsyncBatch } from "../dedupe.js";
import { DedupeError, dedupeError } from "../errors.js";
import { REPORT_DEFAULTS } from "../options.js";
import { toHuman, toJson, toJsonl, toRows, type ReportInput, type Run } from "../report.js";
import { explainer, type Explanation } from "../explain.js";
import { explanationEvidence, report as htmlReport, reportedClusters } from "../report-html.js";
import type { Cluster, DedupeResult, DiffReport, DocInput, Member } from "../types.js";
import { givenOptions, HELP, nonEmpty, oneOf, options, parse, usage, integer } from "./args.js";
import { runExplain } from "./explain.js";
import { Extractor } from "./extract.js";
import { createProgress, PROGRESS_DELAY_MS } from "./progress.js";
import { readInputs, type ReadOptions } from "./read/walk.js";
import { ignoredWarning, inOrder, type Ready } from "./ready.js";
import { runIndex } from "./index-run.js";
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

  if (args.positionals[0] === "explain") {
    const boilerplate = oneOf("--boilerplate", values.boilerplate, ["off", "auto"]);
    return print(io, await runExplain(args.positionals.slice(1), values, options(values, boilerplate), io.stdin));
  }
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
  if (values.index === undefined) {
    for (const flag of ["update", "window", "time-field"] as const) if (values[flag]) throw usage(`--${flag} needs --index <file|url>`);
  } else {
    for (const flag of ["out", "report", "diff"] as const) if (values[flag]) throw usage(`--${flag} cannot be used with --index (it reports each article against the index)`);
    if (boilerplate === "auto") throw usage("--boilerplate auto cannot be used with --index (it needs a whole corpus)");
  }
  const readOptions: ReadOptions = {
    idField: nonEmpty("--id-field", values["id-field"]),
    timeField: values["time-field"] === undefined ? null : nonEmpty("--time-field", values["time-field"]),
    textField: nonEmpty("--text-field", values["text-field"]),
    htmlField: values["html-field"] === undefined ? null : nonEmpty("--html-field", values["html-field"]),
    maxDocBytes: opts.maxDocBytes,
    stdin: io.stdin,
    onRecord: (bytes, total) => {
      records++;
      progress.bytes(records, bytes, total);
    },
  };
  if (values.index !== undefined) {
    const run = await runIndex(paths, { ...readOptions, onRecord: undefined }, {
      target: nonEmpty("--index", values.index),
      update: values.update,
      format,
      onError,
      threads,
      given: givenOptions(values),
      noProgress: values["no-progress"],
    }, io);
    await write(io.stdout, run.text);
    return values["fail-on-duplicates"] && run.rows.some((r) => r.status === "copy") ? 1 : 0;
  }
  const inputPaths = paths.filter((p) => p !== "-");
  // Refused before the work, not after it.
  if (values.out !== undefined) await checkOutDir(values.out, inputPaths, values.force);
  if (values.report === "-") throw usage("--report needs a file name: stdout carries the --format report");
  if (values.report !== undefined) await checkReportFile(nonEmpty("--report", values.report), values.force);

  const progress = createProgress(io.stderr, { enabled: !values["no-progress"] && io.stderr.isTTY === true, delayMs: PROGRESS_DELAY_MS });
  let read = 0;
  let records = 0;
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
  /** The source of each document given to the batch, by its position there (with its WARC-Record-ID, if any). */
  const sources: string[] = [];
  const ignored: string[] = [];
  // Pages are extracted on worker threads; their documents join the batch in input order.
  const extractor = new Extractor({ threads });
  const accept = async (item: Ready) => {
    // The batch holds the ids: a document whose id was seen is skipped, naming the first.
    const first = item.id === null ? undefined : batch.positionOf(item.id);
    const meta = item.meta && Object.keys(item.meta).length > 0 ? { meta: item.meta } : {};
    if (item.kind === "skip" || first !== undefined) {
      const error = item.kind === "skip" ? item.error : dedupeError("INPUT_DUPLICATE_ID", undefined, JSON.stringify(item.id), sources[first!]!);
      if (onError === "fail") throw new DedupeError(error.code, `${item.source}: ${error.message}`);
      progress.log(`news-dedupe: ${item.source}: ${error.message}; skipped`);
      inputs.push({ id: item.id, source: item.source, skipped: { code: error.code, reason: error.message }, ...meta });
      return;
    }
    if (item.meta?.extracted === false) progress.log(`news-dedupe: ${item.source}: no article found; its visible text is compared`);
    inputs.push({ id: item.id, source: item.source, ...meta });
    sources.push(item.meta?.recordId ? `${item.source} ${item.meta.recordId}` : item.source);
    read++;
    await batch.add({ id: item.id, text: item.text });
  };
  try {
    for await (const item of inOrder(readInputs(paths, readOptions), extractor, (source) => ignored.push(source))) await accept(item);
    await extractor.close();
    const warning = ignoredWarning(ignored);
    if (warning) progress.log(warning);
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
    // Handled: a page still being extracted when the run stopped must not reject unobserved.
    await extractor.close();
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
  // Each copy shown in full carries explain()'s evidence against its canonical: the same fingerprints
  // and rule as the run (with corpus boilerplate, the lines the run found).
  const explainOptions = { ...batch.options, boilerplate: result.boilerplate ?? batch.options.boilerplate };
  // The report asks cluster by cluster: the canonical is fingerprinted once for all its copies.
  let against: { cluster: Cluster; explain: (b: DocInput) => Explanation } | undefined;
  const evidence = (member: Member, cluster: Cluster) => {
    const canonical = texts.get(cluster.canonical);
    const text = texts.get(member.id);
    if (canonical === undefined || text === undefined) return undefined;
    if (against?.cluster !== cluster) against = { cluster, explain: explainer({ id: cluster.canonical, text: canonical }, explainOptions) };
    return explanationEvidence(against.explain({ id: member.id, text }), text);
  };
  return htmlReport(result, texts, diffs, {
    dedupeOptions: batch.options,
    evidence,
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
