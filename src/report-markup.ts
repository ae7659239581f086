// Report page markup: the HTML around the data (the summary, the charts, the table's frame, the
// keys), with the page's own style sheet and script and the CSP that admits only them.
import { createHash } from "node:crypto";
import type { ResolvedOptions, ResolvedReportOptions } from "./options.js";
import { sizeChart, similarityChart } from "./report-charts.js";
import type { PageData } from "./report-data.js";
import { PAGE_SCRIPT, PAGE_STYLE } from "./report-page.js";
import { dataBlocks, escapeHtml, fmt, jsonForScript, plural } from "./report-text.js";
import type { DedupeResult } from "./types.js";

/** Skipped inputs and boilerplate lines listed in the summary; a run skipping more is broken as a whole, and the rest are counted. */
const LIST_LIMIT = 1000;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
// The page allows its own script and style and nothing else: no request leaves it, and markup that
// escaped the escaping would run no script.
const CSP = `default-src 'none'; script-src ${sha256(PAGE_SCRIPT)}; style-src ${sha256(PAGE_STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;

/** The page: the summary, the charts and the options used as HTML, the data blocks, the style sheet and the script. */
export function page(result: DedupeResult, data: PageData, opts: ResolvedReportOptions, embedded: number): string {
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
