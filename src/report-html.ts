// Report (HTML): a DedupeResult, its documents and diffs → one self-contained HTML page for the
// people who act on a run: a summary, histograms, a table of clusters and each cluster's copies
// paragraph by paragraph. Pure string building: the CLI writes the file (--report).
//
// The summary and the charts are static HTML; the table and the cluster views are drawn by the
// page's script (report-page.ts) from JSON embedded in the page, so a run of 100,000 documents
// is one JSON document and a page of rows, not thousands of pre-rendered sections. The page's
// size is bounded: paragraphs are embedded for the `diffClusters` largest clusters only.
import type { Explanation } from "./explain.js";
import { createHash } from "node:crypto";
import { diff } from "./diff/classify.js";
import { wordRuns } from "./diff/render.js";
import { describe, fail } from "./errors.js";
import { toDocs } from "./input.js";
import { resolveReportOptions, type ReportOptions, type ResolvedOptions, type ResolvedReportOptions } from "./options.js";
import { PAGE_SCRIPT, PAGE_STYLE } from "./report-page.js";
import type { Cluster, DedupeResult, DiffDocs, DiffReport, MemberEvidence, ParagraphClass } from "./types.js";

/**
 * Characters of a canonical's text kept for every cluster: what the table shows of it, a headline
 * and the start of a lead, to recognise the story and to filter by. They are the part of the page
 * that grows with the number of clusters, so no more than the table shows.
 */
const SNIPPET_CHARS = 120;
/** Skipped inputs and boilerplate lines listed in the summary; a run skipping more is broken as a whole, and the rest are counted. */
const LIST_LIMIT = 1000;
/** Bins of the similarity histograms: steps of 0.05, fine enough to see a mode against a threshold. */
const SIMILARITY_BINS = 20;

const CLASS_CODE: Record<ParagraphClass, number> = { shared: 0, edited: 1, unique: 2, repeated: 3, boilerplate: 4 };
const RUN_CODE = { same: 0, ins: 1, del: 2 } as const;

/**
 * The data embedded in the page (and documented in docs/report.md). Compact: a member is
 * [id, jaccard, containment, flags?], a paragraph [text, class, member, index, similarity, holders, words].
 */
interface PageData {
  v: 1;
  title: string;
  /** The containment a copy needs, and the lead share with which half of it does (options.ts). */
  thresholds: { containment: number; lead: number } | null;
  limits: { diffClusters: number; diffMembers: number };
  /** In the result's order: index i is `cluster: i` of --format jsonl. */
  clusters: PageCluster[];
  diffs: PageDiff[];
}

type PageMember = [id: string, jaccard: number, containment: number, flags?: { r?: number; e?: 1; g?: 1 }];

interface PageCluster {
  m: PageMember[];
  /** The start of the canonical's text, white space collapsed. */
  s: string;
  /** Index into `diffs` for a cluster shown paragraph by paragraph. */
  d?: number;
}

interface PageDiff {
  /** The distinct paragraph texts of the cluster: each once, however many members hold it. */
  t: string[];
  /** In cluster order; `p` only for the first `diffMembers` members. */
  m: Array<{ s: number[]; p?: unknown[][]; ev?: MemberEvidence }>;
}

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

function encodeMember(m: Cluster["members"][number]): PageMember {
  const flags = { ...(m.repeats ? { r: m.repeats } : {}), ...(m.empty ? { e: 1 as const } : {}), ...(m.digest ? { g: 1 as const } : {}) };
  return Object.keys(flags).length > 0 ? [m.id, m.jaccard, m.containment, flags] : [m.id, m.jaccard, m.containment];
}

function encodeDiff(d: DiffReport, cluster: Cluster, opts: ResolvedReportOptions): PageDiff {
  const t: string[] = [];
  const textIndex = new Map<string, number>();
  const intern = (text: string) => {
    let n = textIndex.get(text);
    if (n === undefined) textIndex.set(text, (n = t.push(text) - 1));
    return n;
  };
  const memberIndex = new Map(d.members.map((m, k) => [m.id, k]));
  const m = d.members.map((md, k) => {
    const s = md.summary;
    const sums = [s.shared, s.edited, s.unique, s.repeated, s.boilerplate, s.uniqueChars];
    if (k >= opts.diffMembers) return { s: sums };
    const p = md.paragraphs.map((par) => {
      const row: unknown[] = [intern(par.text), CLASS_CODE[par.class]];
      if (!par.counterpart) return row;
      const other = memberIndex.get(par.counterpart.id)!;
      row.push(other, par.counterpart.index, par.similarity ?? 1);
      if (par.class === "shared") row.push(par.group === undefined ? 2 : d.groups[par.group]!.length);
      else if (par.class === "edited") {
        const runs = wordRuns(d.members[other]!.paragraphs[par.counterpart.index]!.text, par.text);
        if (runs) row.push(0, runs.map((r) => [RUN_CODE[r.kind], r.text]));
      }
      return row;
    });
    const ev = k > 0 && opts.evidence ? cleanEvidence(opts.evidence(cluster.members[k]!, cluster)) : undefined;
    return ev ? { s: sums, p, ev } : { s: sums, p };
  });
  return { t, m };
}

/** The evidence as the page reads it: strings and numbers only, whatever the hook returned. */
function cleanEvidence(ev: MemberEvidence | undefined): MemberEvidence | undefined {
  if (typeof ev !== "object" || ev === null) return undefined;
  const out: { summary?: string; scores?: Array<[string, number | string]>; passages?: string[] } = {};
  if (ev.summary !== undefined) out.summary = String(ev.summary);
  if (Array.isArray(ev.scores)) {
    out.scores = ev.scores.filter(Array.isArray).map(([name, value]) => [String(name), typeof value === "number" ? value : String(value)]);
  }
  if (Array.isArray(ev.passages)) out.passages = ev.passages.map(String);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The start of a text, white space collapsed, at most SNIPPET_CHARS characters (never half a surrogate pair). */
function snippet(text: string): string {
  // Only the start is read: a long text costs no more than a short one.
  let take = SNIPPET_CHARS * 3;
  let flat = text.slice(0, take).replace(/\s+/g, " ").trim();
  while (Array.from(flat).length <= SNIPPET_CHARS && take < text.length) {
    take *= 4;
    flat = text.slice(0, take).replace(/\s+/g, " ").trim();
  }
  const chars: string[] = [];
  for (const ch of flat) if (chars.push(ch) > SNIPPET_CHARS) break;
  return chars.length <= SNIPPET_CHARS ? chars.join("") : chars.slice(0, SNIPPET_CHARS - 1).join("") + "…";
}

// ---- the page ------------------------------------------------------------------------------------

/** Text for HTML text and attribute values: the five characters that mean markup, and lone surrogates made U+FFFD. */
export function escapeHtml(text: string): string {
  return text.toWellFormed().replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a <script type="application/json"> block: "<", ">" and "&" escaped, so "</script>"
 * or "<!--" in a document cannot end or change the block; U+2028 and U+2029 as escapes too.
 */
export function jsonForScript(value: unknown): string {
  // Five replaceAll passes of one character each: a plain string search, with no callback per match
  // as a regular expression's replacer makes (docs/performance.md).
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/** Characters of JSON per <script> block of data (see dataBlocks). */
const BLOCK_CHARS = 64 * 1024;

/**
 * The data as consecutive <script type="application/json" class="report-data"> blocks of about
 * 64 KB, which the page joins before parsing. Chromium appends each chunk of a script element's
 * text as it arrives, copying what it holds so far, so one block costs its HTML parser time that
 * grows faster than its size; blocks of a bounded size keep it linear (docs/performance.md). A
 * block never ends between the two halves of a surrogate pair (the file is UTF-8: a lone half
 * would be written as U+FFFD).
 */
export function dataBlocks(json: string): string {
  const blocks: string[] = [];
  for (let start = 0; start < json.length; ) {
    let end = Math.min(json.length, start + BLOCK_CHARS);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end++;
    blocks.push(`<script type="application/json" class="report-data">${json.slice(start, end)}</script>`);
    start = end;
  }
  return blocks.join("\n");
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
// The page allows its own script and style and nothing else: no request leaves it, and markup that
// escaped the escaping would run no script.
const CSP = `default-src 'none'; script-src ${sha256(PAGE_SCRIPT)}; style-src ${sha256(PAGE_STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;

const fmt = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, word: string, many = `${word}s`) => `${fmt(n)} ${n === 1 ? word : many}`;

function page(result: DedupeResult, data: PageData, opts: ResolvedReportOptions, embedded: number): string {
  const e = escapeHtml;
  const multi = result.clusters.filter((c) => c.members.length > 1).length;
  const singletons = result.clusters.length - multi;
  const skipped = [
    ...(result.skipped ?? []).map((s) => ({ id: s.id as string | null, source: s.id, code: s.code, reason: s.reason })),
    ...opts.skipped,
  ];
  // As in the CLI's JSON report, documents counts every input, the skipped ones too.
  const documents = result.stats.documents + opts.skipped.length;
  const read = documents - skipped.length;
  const lede =
    `${plural(read, "document")} read${skipped.length > 0 ? `, ${fmt(skipped.length)} skipped` : ""}: ` +
    `${plural(result.clusters.length, "cluster")} (${fmt(multi)} with copies), ${plural(result.stats.duplicates, "duplicate")}`;

  const fact = (term: string, value: string, note: string) => `<div><dt>${e(term)}</dt><dd>${e(value)}<small>${e(note)}</small></dd></div>`;
  const summary = [
    `<dl class="facts">`,
    fact("Documents read", fmt(read), skipped.length > 0 ? `of ${fmt(documents)} inputs` : "every input"),
    fact("Clusters with copies", fmt(multi), `and ${plural(singletons, "singleton")}`),
    fact("Duplicates", fmt(result.stats.duplicates), "copies that are not a canonical"),
    fact("Skipped", fmt(skipped.length), skipped.length > 0 ? "listed below, with the reason" : "no input left out"),
    `</dl>`,
    skippedList(skipped),
    boilerplateList(result.boilerplate),
    optionsTable(opts, result.clusters.length, embedded),
  ].join("\n");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="news-dedupe">
<title>${e(opts.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<a class="skip" href="#clusters">Skip to the clusters</a>
<header class="top">
<h1>${e(opts.title)}</h1>
<p class="lede">${e(lede)}</p>
</header>
<main id="main">
<div id="overview">
<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
${summary}
</section>
<section id="charts" aria-labelledby="charts-h">
<h2 id="charts-h">Similarities and sizes</h2>
<div class="charts">
${similarityChart(result, "jaccard", "Jaccard similarity", undefined)}
${similarityChart(result, "containment", "Containment", data.thresholds?.containment)}
${sizeChart(result)}
</div>
</section>
<section id="clusters" aria-labelledby="clusters-h">
<h2 id="clusters-h">Clusters</h2>
<div class="controls">
<label for="filter">Filter by id or text</label>
<input id="filter" type="search" autocomplete="off" spellcheck="false" aria-describedby="filter-help">
<label><input type="checkbox" id="copies-only"> Only clusters with copies</label>
</div>
<p id="filter-help" class="lede">Every word must appear in a member's id or in the cluster's text (all of it for the ${plural(opts.diffClusters, "largest cluster")}, the start of the canonical for the others). Open a cluster with its link; <kbd>j</kbd> and <kbd>k</kbd> move between rows.</p>
<p id="table-status" role="status" aria-live="polite"></p>
<div class="table-wrap">
<table id="cluster-table">
<caption class="sr-only">Clusters: sort with the column buttons; each canonical id opens its cluster</caption>
<thead><tr><th scope="col" class="num">#</th><th scope="col" data-sort="id"><button type="button">Canonical</button></th><th scope="col" class="num" data-sort="size"><button type="button">Size</button></th><th scope="col" class="num" data-sort="j"><button type="button">Mean Jaccard</button></th><th scope="col" class="num" data-sort="c"><button type="button">Mean containment</button></th><th scope="col" class="snip">Begins</th></tr></thead>
<tbody></tbody>
</table>
</div>
<nav id="pager" class="pager" aria-label="Pages of the cluster table"></nav>
<noscript><p>The cluster table and the cluster views are drawn by the page's script: allow scripts for this file to see them. The summary and the charts above are complete without it.</p></noscript>
</section>
</div>
<section id="cluster-view" aria-labelledby="cluster-h" hidden></section>
</main>
<footer>
<h2 class="sr-only">Keys</h2>
<p>Keys: in a cluster, <kbd>j</kbd> or <kbd>n</kbd> the next cluster, <kbd>k</kbd> or <kbd>p</kbd> the previous one (in the table's order), <kbd>Esc</kbd> back to the table; in the table, <kbd>j</kbd> and <kbd>k</kbd> move between rows, <kbd>/</kbd> the filter. Scores are against the canonical copy: Jaccard similarity and containment of their narratives (the 5-word shingles of their story text, outside quotations). Made by news-dedupe; this file loads nothing.</p>
</footer>
${dataBlocks(jsonForScript(data))}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function skippedList(skipped: ReadonlyArray<{ id: string | null; source: string; code: string; reason: string }>): string {
  if (skipped.length === 0) return "";
  const e = escapeHtml;
  const rows = skipped
    .slice(0, LIST_LIMIT)
    .map((s) => `<tr><td>${e(s.source)}</td><td>${e(s.reason)}</td><td>${e(s.code)}</td></tr>`)
    .join("\n");
  const more = skipped.length > LIST_LIMIT ? `<p>and ${plural(skipped.length - LIST_LIMIT, "more input")} (every one is in <code>--format jsonl</code>)</p>` : "";
  return `<details class="skipped" open><summary>${plural(skipped.length, "skipped input")}, with the reason</summary>
<div class="table-wrap"><table><thead><tr><th scope="col">Input</th><th scope="col">Reason</th><th scope="col">Code</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>${more}</details>`;
}

function boilerplateList(lines: readonly string[] | undefined): string {
  if (lines === undefined) return "";
  if (lines.length === 0) return `<p>Boilerplate: none found.</p>`;
  const items = lines.slice(0, LIST_LIMIT).map((l) => `<li>${escapeHtml(l)}</li>`).join("");
  const more = lines.length > LIST_LIMIT ? `<p>and ${plural(lines.length - LIST_LIMIT, "more line")}</p>` : "";
  return `<details class="boilerplate-lines"><summary>${plural(lines.length, "boilerplate line")} left out of the comparison</summary><ul>${items}</ul>${more}</details>`;
}

function optionsTable(opts: ResolvedReportOptions, clusters: number, embedded: number): string {
  const o: ResolvedOptions | null = opts.dedupeOptions;
  const rows: Array<[string, string]> = o
    ? [
        ["containment", `${o.containment}: the least containment of a copy (half of it with the same lead)`],
        ["minShared", `${o.minShared} narrative shingles shared at least`],
        ["lead", `${o.lead}: the share of the shorter lead a same-lead copy holds`],
        ["jaccard", `${o.jaccard}: the similarity the LSH tables are designed around`],
        ["rules", Object.entries(o.rules).filter(([, on]) => !on).map(([rule]) => rule).join(", ").replace(/^(.+)$/, "all but $1") || "all on"],
        ["shingleSize", `${o.shingleSize} words`],
        ["numHashes", String(o.numHashes)],
        ["seed", String(o.seed)],
        ["boilerplate", typeof o.boilerplate === "string" ? o.boilerplate : `a list of ${plural(o.boilerplate.length, "line")}`],
        ["maxDocBytes", fmt(o.maxDocBytes)],
        ["lsh", o.lsh.bands !== undefined ? `${o.lsh.bands} bands × ${o.lsh.rows} rows` : `weights ${o.lsh.weights.falsePositive} / ${o.lsh.weights.falseNegative}`],
      ]
    : [["matching", "not recorded (report() was not given dedupeOptions)"]];
  const items = rows.map(([k, v]) => `<div><dt><code>${escapeHtml(k)}</code></dt><dd>${escapeHtml(v)}</dd></div>`).join("\n");
  const bound =
    `Paragraphs are shown for ${plural(embedded, "cluster")} of ${fmt(clusters)}: the ${fmt(opts.diffClusters)} largest at most ` +
    `(diffClusters; --report-diff-clusters), and in each the first ${plural(opts.diffMembers, "member")} (diffMembers). ` +
    `Every other cluster is listed with its members, their scores and the start of its canonical copy.`;
  return `<h3 id="options-h">Options used</h3>
<dl class="options" aria-labelledby="options-h">
${items}
</dl>
<p class="lede bound">${escapeHtml(bound)}</p>`;
}

// ---- charts (inline SVG, each with a text alternative and its data as a table) ---------------------

interface Bar {
  label: string;
  count: number;
}

const W = 360;
const H = 200;
const PAD = { left: 40, right: 10, top: 18, bottom: 36 };

function similarityChart(result: DedupeResult, key: "jaccard" | "containment", name: string, threshold: number | undefined): string {
  const counts = new Array<number>(SIMILARITY_BINS).fill(0);
  let copies = 0;
  for (const c of result.clusters) {
    for (const m of c.members) {
      if (m.id === c.canonical) continue;
      copies++;
      counts[Math.min(SIMILARITY_BINS - 1, Math.floor(m[key] * SIMILARITY_BINS))]!++;
    }
  }
  const id = `chart-${key}`;
  const title = `${name} of each copy against its canonical`;
  if (copies === 0) return figure(id, title, `No copies: no ${name.toLowerCase()} to chart.`, "", []);
  const bars = counts.map((count, b) => ({ label: `${(b / SIMILARITY_BINS).toFixed(2)}–${((b + 1) / SIMILARITY_BINS).toFixed(2)}`, count }));
  const peak = bars.reduce((best, bar) => (bar.count > best.count ? bar : best));
  const desc =
    `Histogram of ${plural(copies, "copy", "copies")} in steps of 0.05; the most, ${fmt(peak.count)}, between ${peak.label.replace("–", " and ")}.` +
    (threshold === undefined ? "" : ` The threshold, ${threshold}, is the dashed line; ${below(copies - countAtLeast(result, key, threshold))}.`);
  const x = (v: number) => PAD.left + v * (W - PAD.left - PAD.right);
  const marks = threshold === undefined ? "" : `<line x1="${x(threshold)}" x2="${x(threshold)}" y1="${PAD.top - 6}" y2="${H - PAD.bottom}" stroke="#b00020" stroke-width="2" stroke-dasharray="5 3"/><text x="${x(threshold) + 3}" y="${PAD.top - 8}" font-size="11" fill="#b00020">threshold ${threshold}</text>`;
  const axis = [0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => `<text x="${x(v)}" y="${H - PAD.bottom + 14}" font-size="11" text-anchor="middle" fill="#1b1b1b">${v}</text>`).join("");
  const svg = histogram(bars, false) + axis + marks + `<text x="${(W + PAD.left) / 2}" y="${H - 4}" font-size="11" text-anchor="middle" fill="#4d4d4d">${escapeHtml(name)}</text>`;
  return figure(id, title, desc, svg, bars);
}

function below(n: number): string {
  if (n === 0) return "no copy falls below it";
  return `${plural(n, "copy", "copies")} ${n === 1 ? "falls" : "fall"} below it (joined through another copy)`;
}

function countAtLeast(result: DedupeResult, key: "jaccard" | "containment", threshold: number): number {
  let n = 0;
  for (const c of result.clusters) for (const m of c.members) if (m.id !== c.canonical && m[key] >= threshold) n++;
  return n;
}

function sizeChart(result: DedupeResult): string {
  const bins = new Map<number, number>();
  // Sizes 1–4 each, then powers of two: a flood of copies is one bar, not a thousand empty ones.
  const binOf = (size: number) => (size <= 4 ? size : 2 ** Math.ceil(Math.log2(size)));
  let largest = 1;
  for (const c of result.clusters) {
    const b = binOf(c.members.length);
    bins.set(b, (bins.get(b) ?? 0) + 1);
    largest = Math.max(largest, b);
  }
  const bars: Bar[] = [];
  for (let b = 1; b <= largest; b = b < 4 ? b + 1 : b * 2) bars.push({ label: b <= 4 ? String(b) : `${b / 2 + 1}–${b}`, count: bins.get(b) ?? 0 });
  const title = "Cluster sizes (documents per cluster)";
  if (result.clusters.length === 0) return figure("chart-sizes", title, "No clusters: nothing to chart.", "", []);
  const desc = `Histogram of ${plural(result.clusters.length, "cluster")} by size, on a logarithmic scale: ${bars
    .filter((b) => b.count > 0)
    .map((b) => `${fmt(b.count)} of size ${b.label}`)
    .join(", ")}.`;
  const svg = histogram(bars, true) + `<text x="${(W + PAD.left) / 2}" y="${H - 4}" font-size="11" text-anchor="middle" fill="#4d4d4d">documents per cluster (log scale of counts)</text>`;
  return figure("chart-sizes", title, desc, svg, bars);
}

/** The bars of a histogram, labelled under each (when few) and with their count above. */
function histogram(bars: readonly Bar[], log: boolean): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const scale = (n: number) => (log ? Math.log10(n + 1) / Math.log10(max + 1) : n / max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / bars.length;
  const out: string[] = [
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#1b1b1b"/>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" font-size="11" text-anchor="end" fill="#1b1b1b">${fmt(max)}</text>`,
    `<text x="${PAD.left - 4}" y="${H - PAD.bottom}" font-size="11" text-anchor="end" fill="#1b1b1b">0</text>`,
  ];
  bars.forEach((b, k) => {
    const h = b.count === 0 ? 0 : Math.max(1, scale(b.count) * plotH);
    const x = PAD.left + k * step + 1;
    out.push(`<rect x="${x.toFixed(1)}" y="${(H - PAD.bottom - h).toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#2f5d9b"><title>${escapeHtml(`${b.label}: ${fmt(b.count)}`)}</title></rect>`);
    if (b.count > 0 && bars.length <= 12) out.push(`<text x="${(x + step / 2 - 1).toFixed(1)}" y="${(H - PAD.bottom - h - 3).toFixed(1)}" font-size="10" text-anchor="middle" fill="#1b1b1b">${fmt(b.count)}</text>`);
    if (bars.length <= 12) out.push(`<text x="${(x + step / 2 - 1).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle" fill="#1b1b1b">${escapeHtml(b.label)}</text>`);
  });
  return out.join("");
}

function figure(id: string, title: string, desc: string, svg: string, bars: readonly Bar[]): string {
  const e = escapeHtml;
  const table = bars.length === 0 ? "" : `<details><summary>The data</summary><table><thead><tr><th scope="col">Bin</th><th scope="col" class="num">Count</th></tr></thead><tbody>${bars
    .map((b) => `<tr><td>${e(b.label)}</td><td class="num">${fmt(b.count)}</td></tr>`)
    .join("")}</tbody></table></details>`;
  const picture = svg === "" ? "" : `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">${e(title)}</title><desc id="${id}-d">${e(desc)}</desc>${svg}</svg>`;
  return `<figure id="${id}" aria-labelledby="${id}-c">${picture}<figcaption id="${id}-c"><strong>${e(title)}.</strong> ${e(desc)}</figcaption>${table}</figure>`;
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
