// The HTML report (issue 18) at scale: the CLI with and without --report on the bench corpus (the
// cost of the report), the page's size, and in headless Chromium the time to first render, to open
// the largest cluster and to filter the table. Skipped, with a line, when Chromium is absent.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findChromium, launchChromium } from "../tests/helpers/browser.ts";
import { reportData } from "../tests/helpers/report.ts";
import { generateCorpus } from "./corpus.ts";
import { median, timed } from "./hostile.ts";
import { hasGnuTime } from "./speed.ts";

interface PageTimes {
  firstRender: number;
  openLargest: number;
  filter: number;
}

const RUNS = 3;
/** The target: a report of 100,000 documents opens in under 3 s. */
const TARGET_MS = 3000;

// In-page measurements, as strings: functions handed to page.evaluate would carry the names tsx
// gives them, which the page does not define.
const FIRST_RENDER = `performance.getEntriesByName("news-dedupe:rendered")[0].startTime`;
/** Open the largest cluster (the table's first row, sorted by size) and wait for the frame after it is drawn. */
const OPEN_LARGEST = `new Promise((done) => {
  const i = document.querySelector("#cluster-table tbody tr").getAttribute("data-cluster");
  const t = performance.now();
  addEventListener("hashchange", () => requestAnimationFrame(() => setTimeout(() => done(performance.now() - t), 0)), { once: true });
  location.hash = "cluster=" + i;
})`;
/** Type a word into the filter and wait for the filtered rows (the page waits 120 ms for more keys first). */
const FILTER = `new Promise((done) => {
  const table = document.getElementById("cluster-table");
  const box = document.getElementById("filter");
  const t = performance.now();
  new MutationObserver((_, observer) => {
    if (!table.hasAttribute("aria-busy")) { observer.disconnect(); done(performance.now() - t); }
  }).observe(table, { attributes: true });
  box.value = "president";
  box.dispatchEvent(new Event("input"));
})`;

export async function runReportBench(quick: boolean): Promise<string> {
  const chromium = findChromium();
  if (!chromium) return "Skipped: no Chromium (Debian's `chromium` package, at /usr/bin/chromium, or $NEWS_DEDUPE_CHROMIUM).";
  if (!hasGnuTime()) return "Skipped: /usr/bin/time (GNU time) is not installed.";
  const sizes = quick ? [1000, 10_000] : [10_000, 100_000];
  const root = mkdtempSync(join(tmpdir(), "news-dedupe-bench-report-"));
  const { browser, close } = await launchChromium(chromium);
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    for (const size of sizes) {
      const corpus = join(root, `corpus-${size}.jsonl`);
      const fd = openSync(corpus, "w");
      generateCorpus({ size, seed: 1 }, (d) => writeSync(fd, JSON.stringify({ id: d.id, text: d.text }) + "\n"));
      closeSync(fd);
      const html = join(root, `report-${size}.html`);
      const base = ["bin/news-dedupe.js", corpus, "--format", "jsonl", "--no-progress"];
      // Side by side, alternating, so both see the same load on the shared machine.
      const plain: number[] = [];
      const withReport: number[] = [];
      const rss = { plain: 0, report: 0 };
      for (let r = 0; r < RUNS; r++) {
        const a = timed(base, "/dev/null");
        const b = timed([...base, "--report", html, "--force"], "/dev/null");
        plain.push(a.seconds);
        withReport.push(b.seconds);
        rss.plain = Math.max(rss.plain, a.rssMiB);
        rss.report = Math.max(rss.report, b.rssMiB);
      }
      const times: PageTimes[] = [];
      for (let r = 0; r < RUNS; r++) {
        const page = await browser.newPage();
        await page.setViewport({ width: 1280, height: 900 });
        await page.goto(`file://${html}`);
        await page.waitForSelector("html[data-ready]", { timeout: 120_000 });
        const firstRender = (await page.evaluate(FIRST_RENDER)) as number;
        const filter = (await page.evaluate(FILTER)) as number;
        await page.evaluate(`document.getElementById("filter").value = ""; document.getElementById("filter").dispatchEvent(new Event("input"))`);
        await page.waitForSelector("#cluster-table:not([aria-busy])");
        const openLargest = (await page.evaluate(OPEN_LARGEST)) as number;
        times.push({ firstRender, openLargest, filter });
        await page.close();
      }
      const data = reportData<{ clusters: unknown[]; diffs: unknown[] }>(readFileSync(html, "utf8"));
      const clusters = data.clusters.length;
      const shown = data.diffs.length;
      const mib = statSync(html).size / 1024 / 1024;
      const render = median(times.map((t) => t.firstRender));
      const ms = (x: number) => Math.round(x).toLocaleString("en-US");
      rows.push(
        `| ${size.toLocaleString("en-US")} | ${clusters.toLocaleString("en-US")} | ${shown} | ${mib.toFixed(1)} | ${median(plain).toFixed(2)} / ${median(withReport).toFixed(2)} | ${rss.plain.toFixed(0)} / ${rss.report.toFixed(0)} | ${ms(render)} (${times.map((t) => ms(t.firstRender)).join(", ")}) | ${ms(median(times.map((t) => t.openLargest)))} | ${ms(median(times.map((t) => t.filter)))} |`,
      );
      if (size >= 100_000) notes.push(`- ${size.toLocaleString("en-US")} documents: first render ${ms(render)} ms (target under ${ms(TARGET_MS)} ms): ${render < TARGET_MS ? "met" : "**missed**"}.`);
      console.error(`  report ${size}: ${mib.toFixed(1)} MiB, first render ${ms(render)} ms`);
      rmSync(corpus, { force: true });
    }
  } finally {
    await close();
    rmSync(root, { recursive: true, force: true });
  }
  return [
    `\`node bin/news-dedupe.js corpus.jsonl --format jsonl --no-progress\` without and with \`--report report.html\` (default \`--report-diff-clusters\` 200), on the bench corpus (seed 1) as one JSONL file, under /usr/bin/time -v: median wall time of ${RUNS} runs of each, alternating; peak RSS the largest. Then the page in headless Chromium (Debian's package, puppeteer-core; 1280×900, a new tab per run, the file from the page cache), median of ${RUNS}: first render is the page's own mark after the frame that shows the summary, the charts and the table's first 100 rows (from navigation start: reading the file, parsing the HTML and the JSON, drawing); opening the largest cluster is from the address change to the frame after its copies are drawn; the filter from typing "president" to the filtered rows (it includes the page's 120 ms wait for more keys).`,
    "",
    "| documents | clusters | shown in full | report MiB | CLI s, without / with --report | peak RSS MiB, without / with | first render ms (runs) | open largest cluster ms | filter ms |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    ...notes,
  ].join("\n");
}
