// The pictures of the HTML report in the README and docs/report.md: docs/images/report-summary.png
// (the summary and the charts) and docs/images/report-cluster.png (the AFP cluster, 003 and 002
// side by side, 002's evidence open) from the built CLI's report on test-data/seeds, and
// docs/images/report-charts-10k.png (the charts) from its report on the bench corpus of 10,000
// documents (bench/corpus.ts, seed 1), in headless Chromium.
//
//   npm run build && node --import tsx scripts/screenshots.ts
//
// Needs Debian's chromium (or $NEWS_DEDUPE_CHROMIUM) and fonts-dejavu-core, as the tests do. The
// same Chromium and fonts give the same pictures.
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCorpus } from "../bench/corpus.ts";
import { findChromium, launchChromium } from "../tests/helpers/browser.ts";

const root = join(import.meta.dirname, "..");
const images = join(root, "docs/images");
const width = 1200;

const chromium = findChromium();
if (!chromium) throw new Error("no Chromium: apt-get install chromium (or set NEWS_DEDUPE_CHROMIUM)");
const dir = mkdtempSync(join(tmpdir(), "nd-screenshots-"));
try {
  const report = (input: string, out: string) => {
    const run = spawnSync(process.execPath, ["bin/news-dedupe.js", input, "--report", out, "--no-progress"], { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`news-dedupe failed: ${run.stderr}`);
  };
  const file = join(dir, "report.html");
  report("test-data/seeds", file);
  const corpus = join(dir, "corpus-10000.jsonl");
  const fd = openSync(corpus, "w");
  generateCorpus({ size: 10_000, seed: 1 }, (d) => writeSync(fd, JSON.stringify({ id: d.id, text: d.text }) + "\n"));
  closeSync(fd);
  const large = join(dir, "report-10k.html");
  report(corpus, large);
  mkdirSync(images, { recursive: true });
  const { browser, close } = await launchChromium(chromium);
  try {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });

    await page.goto(`file://${file}`);
    await page.waitForSelector("html[data-ready]");
    // From the top of the page to the end of the charts.
    const chartsEnd = (await page.evaluate(`(() => { const r = document.getElementById("charts").getBoundingClientRect(); return r.bottom + window.scrollY; })()`)) as number;
    await page.screenshot({ path: join(images, "report-summary.png"), clip: { x: 0, y: 0, width, height: Math.ceil(chartsEnd + 8) } });

    // The AFP cluster: the members table, the legend and the first paragraphs of 003 and 002.
    await page.goto(`file://${file}#cluster=2`);
    await page.waitForSelector("html[data-ready]");
    // With 002's evidence open: why it matched.
    await page.evaluate(`document.activeElement.blur(); document.querySelector("#m1 details.evidence").open = true`);
    await page.screenshot({ path: join(images, "report-cluster.png"), clip: { x: 0, y: 0, width, height: 1450 } });

    // The charts of 10,000 documents: where the copies' scores sit against the thresholds.
    await page.goto(`file://${large}`);
    await page.waitForSelector("html[data-ready]");
    await (await page.$("#charts"))!.screenshot({ path: join(images, "report-charts-10k.png") });
    console.log(`wrote docs/images/report-summary.png, report-cluster.png and report-charts-10k.png (${await browser.version()})`);
  } finally {
    await close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
