// Report (HTML): a DedupeResult, its documents and diffs → one self-contained HTML page for the
// people who act on a run: a summary, histograms, a table of clusters and each cluster's copies
// paragraph by paragraph. Pure string building: the CLI writes the file (--report).
//
// The summary and the charts are static HTML; the table and the cluster views are drawn by the
// page's script (report-page.ts) from JSON embedded in the page, so a run of 100,000 documents
// is one JSON document and a page of rows, not thousands of pre-rendered sections. The page's
// size is bounded: paragraphs are embedded for the `diffClusters` largest clusters only.
//
// The parts: report-data.ts (the embedded data), report-markup.ts (the page's HTML), report-charts.ts,
// report-text.ts (escaping), report-page.ts (the page's style sheet and script).
import type { Explanation } from "./explain.js";
import { diff } from "./diff/classify.js";
import { describe, fail } from "./errors.js";
import { toDocs } from "./input.js";
import { resolveReportOptions } from "./options-check.js";
import type { ReportOptions } from "./options.js";
import { encodeDiff, encodeMember, snippet, type PageCluster, type PageData, type PageDiff } from "./report-data.js";
import { page } from "./report-markup.js";
import type { DedupeResult, DiffDocs, DiffReport, MemberEvidence } from "./types.js";

/**
 * One self-contained HTML page reporting a run, for people: the summary (documents, clusters,
 * duplicates, skipped inputs with their reasons, the options used), histograms of the copies'
 * similarities and of the cluster sizes, a table of every cluster (sortable, filterable by id or
 * text) and, for each cluster, its canonical and copies paragraph by paragraph, coloured by class
 * (shared, edited with the changed words marked, unique, repeated, boilerplate), with what each
 * copy adds and why it matched. No network, no external file: it works opened from disk or
 * from a mail attachment. Everything from the documents is written as text, never as markup.
 *
 * `docs` are the documents (the array given to dedupe(), or a Map from id to text); `diffs` are
 * diff reports already computed (a batch's `diff()`), used where they fit; the others are
 * computed here. Paragraphs are embedded for the `options.diffClusters` largest clusters (default
 * 200), the others summarised. Deterministic: the same arguments give the same page.
 *
 * @example
 * import { writeFileSync } from "node:fs";
 * import { createBatch, dedupe, report, reportedClusters } from "news-dedupe";
 * writeFileSync("report.html", report(dedupe(docs), docs));
 * // With the run's options in the summary, and the diffs of a batch that kept each document's units:
 * const batch = createBatch({ containment: 0.7 }, { keep: "units" });
 * for (const doc of docs) batch.add(doc);
 * const result = batch.finish();
 * const diffs = reportedClusters(result).map((i) => batch.diff(result.clusters[i]!));
 * writeFileSync("report.html", report(result, docs, diffs, { dedupeOptions: batch.options }));
 */
export function report(result: DedupeResult, docs: DiffDocs, diffs?: readonly DiffReport[], options?: ReportOptions): string {
  checkResult(result);
  const opts = resolveReportOptions(options);
  const texts = textsOf(docs);
  const given = givenDiffs(result, diffs);
  const boilerplate = result.boilerplate ? { boilerplate: result.boilerplate } : {};

  const pageDiffs: PageDiff[] = [];
  const embedded = new Map<number, number>();
  for (const i of reportedClusters(result, opts.diffClusters)) {
    const cluster = result.clusters[i]!;
    let d = given.get(cluster.canonical);
    if (!d) {
      for (const m of cluster.members) textOf(texts, m.id);
      d = diff(cluster, texts, boilerplate);
    }
    embedded.set(i, pageDiffs.push(encodeDiff(d, cluster, opts)) - 1);
  }
  const clusters = result.clusters.map((c, i): PageCluster => {
    const d = embedded.get(i);
    return { m: c.members.map(encodeMember), s: snippet(textOf(texts, c.canonical)), ...(d === undefined ? {} : { d }) };
  });
  const run = opts.dedupeOptions;
  const data: PageData = {
    v: 1,
    title: opts.title,
    thresholds: run ? { containment: run.containment, lead: run.lead } : null,
    limits: { diffClusters: opts.diffClusters, diffMembers: opts.diffMembers },
    clusters,
    diffs: pageDiffs,
  };
  return page(result, data, opts, embedded.size);
}

/**
 * The clusters report() shows paragraph by paragraph: the `limit` largest (by size, then in the
 * result's order, which is by canonical id), as indexes into `result.clusters`, in that order.
 * A caller holding a batch diffs these (batch.diff()) and passes the reports to report().
 */
export function reportedClusters(result: DedupeResult, limit: number = resolveReportOptions().diffClusters): number[] {
  const sizes = result.clusters.map((c) => c.members.length);
  return sizes
    .map((_, i) => i)
    .sort((a, b) => sizes[b]! - sizes[a]! || a - b)
    .slice(0, limit);
}

function checkResult(result: unknown): asserts result is DedupeResult {
  const r = result as DedupeResult | null;
  if (typeof r !== "object" || r === null || !Array.isArray(r.clusters) || typeof r.stats !== "object" || r.stats === null) {
    fail("INVALID_REPORT_INPUT", undefined, `a dedupe() result ({ clusters, stats }), got ${describe(result)}`);
  }
}

function textsOf(docs: DiffDocs): ReadonlyMap<string, string> {
  if (docs instanceof Map) return docs;
  if (Array.isArray(docs)) return new Map(toDocs(docs).map((d) => [d.id, d.text]));
  fail("INVALID_REPORT_INPUT", undefined, `the documents as the array given to dedupe() or a Map from id to text, got ${describe(docs)}`);
}

function textOf(texts: ReadonlyMap<string, unknown>, id: string): string {
  const text = texts.get(id);
  if (text === undefined) fail("REPORT_MISSING_TEXT", id);
  if (typeof text !== "string") fail("INVALID_TEXT", id, describe(text));
  return text;
}

/** The given diffs by canonical, each checked against its cluster. */
function givenDiffs(result: DedupeResult, diffs: readonly DiffReport[] | undefined): Map<string, DiffReport> {
  const out = new Map<string, DiffReport>();
  if (diffs === undefined) return out;
  if (!Array.isArray(diffs)) fail("INVALID_REPORT_INPUT", undefined, `diffs as an array of diff() reports, got ${describe(diffs)}`);
  const byCanonical = new Map(result.clusters.map((c) => [c.canonical, c]));
  for (const d of diffs as readonly DiffReport[]) {
    const cluster = byCanonical.get(d?.canonical);
    if (!cluster) fail("REPORT_UNKNOWN_DIFF", typeof d?.canonical === "string" ? d.canonical : undefined, "is the canonical of no cluster of the result");
    const ids = d.members?.map((m) => m.id) ?? [];
    if (ids.length !== cluster.members.length || cluster.members.some((m, i) => m.id !== ids[i])) {
      fail("REPORT_UNKNOWN_DIFF", d.canonical, "does not list the cluster's members in its order");
    }
    out.set(d.canonical, d);
  }
  return out;
}

/** Passages of a member shown under its explanation, and the characters of each. */
const EVIDENCE_PASSAGES = 3;
const EVIDENCE_CHARS = 300;

/**
 * The evidence the page shows under a copy, from explain(canonical, member): the decision's rule,
 * the scores, and the member's narrative passages the canonical holds (then quoted ones, which do
 * not count). `memberText` is the member's text, which the passages' offsets point into.
 */
export function explanationEvidence(x: Explanation, memberText: string): MemberEvidence {
  const member = x.documents[1];
  const cut = (p: { start: number; end: number }) => {
    const t = memberText.slice(p.start, p.end).replace(/\s+/g, " ").trim();
    return t.length > EVIDENCE_CHARS ? `${t.slice(0, EVIDENCE_CHARS - 1)}…` : t;
  };
  const passages = [...member.shared].sort((a, b) => b.shared - a.shared || a.start - b.start).slice(0, EVIDENCE_PASSAGES).map(cut);
  for (const q of member.quoteOnly.slice(0, Math.max(0, EVIDENCE_PASSAGES - passages.length))) passages.push(`(inside quotations, not counted) ${cut(q)}`);
  return {
    summary: `${x.copy ? "a copy of the canonical" : "not a copy of the canonical on its own"}: ${x.rule}`,
    scores: [
      ["containment", x.scores.containment],
      ["Jaccard", x.scores.jaccard],
      ["narrative shingles shared", Math.round(x.scores.shared)],
      ["lead", x.scores.lead],
      ["number conflicts / agreements", `${x.scores.numberConflicts} / ${x.scores.numberAgreements}`],
      ["story words / chrome words", `${member.storyWords} / ${member.chromeWords}`],
    ],
    passages,
  };
}
