// Report: a DedupeResult and the inputs it came from → JSON, JSONL rows or a human-readable report.
// Pure string building: the CLI does the I/O.
import { renderDiff } from "./diff/render.js";
import { bug } from "./errors.js";
import type { DedupeResult, DiffReport } from "./types.js";

/** One input of a run, in input order: a document that was clustered, or one that was skipped. */
export interface ReportInput {
  /** Null when the input had no readable id (a malformed JSON line, an unreadable directory). */
  readonly id: string | null;
  /** Where it came from: "seeds/a.txt", "export.jsonl:12", "export.json[3]". */
  readonly source: string;
  /** Present when the input was not clustered. */
  readonly skipped?: { readonly code: string; readonly reason: string };
  /** What a page or a WARC record says about the document (HTML and WARC inputs only). */
  readonly meta?: DocMeta;
}

/**
 * A page's metadata, carried into its row after the other fields, each only when known, so rows
 * of plain-text inputs are unchanged.
 */
export interface DocMeta {
  /** The page's headline. */
  readonly title?: string;
  /** Its canonical URL (or where it was fetched from). */
  readonly url?: string;
  /** When it is dated: a WARC record's WARC-Date, else the page's publication time. */
  readonly time?: string;
  /** For a WARC record: the page's own publication time, when it gives one. */
  readonly published?: string;
  /** For a WARC record: its WARC-Record-ID. */
  readonly recordId?: string;
  /** False when no article was found and the page's visible text was compared instead. */
  readonly extracted?: false;
}

export interface Run {
  readonly result: DedupeResult;
  /** Every input, clustered or skipped, in the order read. */
  readonly inputs: readonly ReportInput[];
  /** With --diff: one report per cluster with copies, in the order of the result's clusters. */
  readonly diffs?: readonly DiffReport[];
}

/** One line of `--format jsonl` and of mapping.jsonl. */
export type Row =
  | {
      id: string;
      source: string;
      status: "kept" | "duplicate";
      /** Index of the cluster in the JSON report's `clusters`. */
      cluster: number;
      canonical: string;
      isCanonical: boolean;
      jaccard: number;
      containment: number;
      repeats: number;
      empty?: true;
    } & DocMeta
  | ({ id: string | null; source: string; status: "skipped"; code: string; reason: string } & DocMeta);

/** The JSON report: the library's result plus the skipped inputs, and the diff reports with --diff. */
export function toJson(run: Run): string {
  const skipped = run.inputs.flatMap((i) => (i.skipped ? [{ id: i.id, source: i.source, ...i.skipped, ...i.meta }] : []));
  // As in the library's result, stats.documents counts every input, the skipped ones too.
  const stats = { ...run.result.stats, documents: run.result.stats.documents + skipped.length };
  return JSON.stringify({ ...run.result, stats, skipped, ...(run.diffs ? { diffs: run.diffs } : {}) }) + "\n";
}

/** One row per input, in input order; every input appears once. */
export function toRows(run: Run): Row[] {
  const byId = new Map<string, Omit<Extract<Row, { status: "kept" | "duplicate" }>, "id" | "source">>();
  run.result.clusters.forEach((c, cluster) => {
    for (const m of c.members) {
      const isCanonical = m.id === c.canonical;
      byId.set(m.id, {
        status: isCanonical ? "kept" : "duplicate",
        cluster,
        canonical: c.canonical,
        isCanonical,
        jaccard: m.jaccard,
        containment: m.containment,
        repeats: m.repeats ?? 1,
        ...(m.empty ? { empty: m.empty } : {}),
      });
    }
  });
  return run.inputs.map((input): Row => {
    if (input.skipped) return { id: input.id, source: input.source, status: "skipped", ...input.skipped, ...input.meta };
    const found = input.id === null ? undefined : byId.get(input.id);
    if (!found) throw bug(`input ${input.source} is in no cluster`);
    return { id: input.id!, source: input.source, ...found, ...input.meta };
  });
}

/** The `--format jsonl` lines, a few thousand per string, so a large run is never one huge string. */
export function* toJsonl(run: Run, linesPerChunk = 4096): Generator<string> {
  const rows = toRows(run);
  for (let i = 0; i < rows.length; i += linesPerChunk) {
    yield rows
      .slice(i, i + linesPerChunk)
      .map((r) => JSON.stringify(r) + "\n")
      .join("");
  }
}

export interface HumanOptions {
  /** Set when a corpus was written with --out: the directory and the number of documents in it. */
  readonly written?: { readonly dir: string; readonly files: number };
  /** Set when an HTML report was written with --report: its path. */
  readonly report?: string | undefined;
  /** Most ids listed for singletons and skipped inputs before "and N more". */
  readonly listLimit?: number;
}

/**
 * The human report: counts, then each cluster with copies (canonical first, then the copies with
 * their Jaccard similarity and containment against it), then the singletons and the skipped
 * inputs in short. Clusters come in the result's order (by canonical id), so the report is stable.
 * With diffs, each cluster with copies is followed by its rendered diff (renderDiff), indented.
 */
export function toHuman(run: Run, options: HumanOptions = {}): string {
  const limit = options.listLimit ?? 20;
  const { clusters, stats } = run.result;
  const skipped = run.inputs.filter((i) => i.skipped);
  const multi = clusters.filter((c) => c.members.length > 1);
  const singletons = clusters.filter((c) => c.members.length === 1);
  const diffOf = new Map((run.diffs ?? []).map((d) => [d.canonical, d]));
  const out: string[] = [];

  out.push(`${plural(stats.documents, "document")} read${skipped.length > 0 ? `, ${skipped.length} skipped` : ""}`);
  out.push(
    `${plural(stats.clusters, "cluster")}: ${multi.length} with copies (${plural(stats.duplicates, "duplicate")}), ` +
      `${plural(singletons.length, "singleton")}`,
  );

  for (const c of multi) {
    out.push("", `Cluster of ${c.members.length} documents`);
    const width = Math.max(...c.members.map((m) => m.id.length));
    for (const m of c.members) {
      const mark = m.id === c.canonical ? "*" : " ";
      const scores = m.id === c.canonical ? "canonical" : `jaccard ${m.jaccard.toFixed(3)}  containment ${m.containment.toFixed(3)}`;
      const repeats = m.repeats ? `  holds its text ${m.repeats} times` : "";
      out.push(`  ${mark} ${m.id.padEnd(width)}  ${scores}${repeats}`.trimEnd());
    }
    const d = diffOf.get(c.canonical);
    if (d) out.push("", ...renderDiff(d).trimEnd().split("\n").map((line) => (line === "" ? "" : `    ${line}`)));
  }

  if (singletons.length > 0) {
    out.push("", `Singletons: ${list(singletons.map((c) => c.canonical), limit)}`);
    const repeated = singletons.flatMap((c) => (c.members[0]?.repeats ? [`${c.canonical} (${c.members[0].repeats} times)`] : []));
    if (repeated.length > 0) out.push(`Holding their text several times: ${list(repeated, limit)}`);
  }

  if (run.result.boilerplate !== undefined) {
    const lines = run.result.boilerplate;
    out.push("", `Boilerplate left out of the comparison: ${lines.length === 0 ? "none found" : `${plural(lines.length, "line")}`}`);
    for (const line of lines.slice(0, limit)) out.push(`  ${line}`);
    if (lines.length > limit) out.push(`  and ${lines.length - limit} more`);
  }

  if (skipped.length > 0) {
    out.push("", `Skipped:`);
    for (const s of skipped.slice(0, limit)) out.push(`  ${s.source}: ${s.skipped!.reason}`);
    if (skipped.length > limit) out.push(`  and ${skipped.length - limit} more`);
    const byCode = new Map<string, number>();
    for (const s of skipped) byCode.set(s.skipped!.code, (byCode.get(s.skipped!.code) ?? 0) + 1);
    out.push(`Skipped by reason: ${[...byCode].map(([code, n]) => `${code} ${n}`).join(", ")}`);
  }

  if (options.written) {
    out.push("", `Wrote ${plural(options.written.files, "document")} and mapping.jsonl to ${options.written.dir}`);
  }
  if (options.report !== undefined) {
    if (!options.written) out.push("");
    out.push(`Wrote the HTML report to ${options.report}`);
  }
  return out.join("\n") + "\n";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function list(items: readonly string[], limit: number): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
