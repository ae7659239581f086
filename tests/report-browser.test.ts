// The HTML report in a real browser: headless Chromium (Debian's package) driven by puppeteer-core.
// Runs when Chromium is installed, and is skipped otherwise, except in CI (CI set), where a
// missing Chromium fails it: .ci/run installs it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupe, report, type DocObject } from "../src/index.js";
import { findChromium, launchChromium } from "./helpers/browser.js";
import { seeds } from "./helpers/seeds.js";
import { cli, SEED_FILES, SEEDS, tempDir } from "./helpers/cli.js";

const [S000, , S002, S003, S004] = SEED_FILES as [string, string, string, string, string];
const CHROMIUM = findChromium();
const CI = Boolean(process.env.CI);

describe.skipIf(!CHROMIUM && !CI)("the HTML report in headless Chromium", () => {
  const dir = tempDir("nd-report-");
  const seedsReport = join(dir, "seeds.html");
  let browser: Browser;
  let close = async () => {};

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error("no Chromium at $NEWS_DEDUPE_CHROMIUM or /usr/bin/chromium: CI must run .ci/run, which installs Debian's chromium");
    const r = cli([SEEDS, "--report", seedsReport]);
    if (r.status !== 0) throw new Error(r.stderr);
    ({ browser, close } = await launchChromium(CHROMIUM));
  });
  afterAll(() => close());

  /** A new tab on `file`, with everything it requests and every dialog it opens recorded. */
  async function open(file: string, hash = "", viewport = { width: 1280, height: 900 }) {
    const page = await browser.newPage();
    await page.setViewport(viewport);
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on("request", (req) => requests.push(req.url()));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`file://${file}${hash}`);
    await page.waitForSelector("html[data-ready]");
    return { page, requests, dialogs, errors };
  }

  /** Wait until cluster `i` is drawn: the address changes at once, the view on the hashchange event after it. */
  const showing = (page: Page, i: number) => page.waitForFunction((want) => document.getElementById("cluster-h")?.textContent?.startsWith(want), {}, `Cluster ${i}:`);
  const rows = (page: Page) => page.$$eval("#cluster-table tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent)));

  it("shows the seeds' 4 clusters, 002 and 003 together with 003 canonical, loading nothing", async () => {
    const { page, requests, errors } = await open(seedsReport);
    const table = await rows(page);
    expect(table).toHaveLength(4);
    expect(table[0]!.slice(0, 3)).toEqual(["2", S003, "2"]);
    expect(table.slice(1).map((r) => r[2])).toEqual(["1", "1", "1"]);
    expect(await page.$eval("#table-status", (e) => e.textContent)).toBe("Showing 1–4 of 4 clusters.");
    await page.click(`#cluster-table a[href="#cluster=2"]`);
    await showing(page, 2);
    const members = await page.$$eval("#cluster-view .members-table tbody th", (ths) => ths.map((t) => t.textContent));
    expect(members).toEqual([S003, S002]);
    expect(requests).toEqual([`file://${seedsReport}`]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows in the AFP cluster 002's ticker rows as unique, the AFP paragraphs as shared and 003's dateline as added", async () => {
    const { page } = await open(seedsReport, "#cluster=2");
    const para = (member: number, index: number) =>
      page.$eval(`#p${member}-${index}`, (li) => ({ cls: li.className, text: li.querySelector(".txt")!.textContent, bg: getComputedStyle(li).backgroundColor }));
    for (let k = 2; k <= 17; k++) expect((await para(1, k)).cls).toBe("c-unique");
    expect((await para(1, 2)).text).toBe("RBGPF 0.22% 63.59 $");
    expect((await para(1, 38)).text).toBe("K.Sutter--VB");
    for (let k = 23; k <= 37; k++) expect((await para(1, k)).cls).toBe("c-shared");
    for (let k = 3; k <= 17; k++) expect((await para(0, k)).cls).toBe("c-shared");
    expect((await para(0, 3)).text).toBe((await para(1, 23)).text);
    // Coloured by class: a shared and a unique paragraph do not look alike.
    expect((await para(1, 2)).bg).not.toBe((await para(1, 23)).bg);
    const lead = await page.$eval("#p0-2", (li) => ({ cls: li.className, ins: Array.from(li.querySelectorAll("ins"), (e) => e.textContent), ref: li.querySelector(".ref")!.textContent }));
    expect(lead).toEqual({ cls: "c-edited", ins: ["Odesa, Ukraine (AFP) April 15, 2025 -"], ref: `edits ${S002} ¶21, similarity 0.848` });
    const adds = await page.$eval("#m1 .adds", (p) => p.textContent);
    expect(adds).toContain("It adds 21 unique paragraphs (492 characters)");
    const why = await page.$eval("#m1 .evidence", (d) => d.textContent);
    expect(why).toContain("Why it matched: 15 paragraphs shared with the canonical, 1 edited");
    expect(why).toContain("Its containment against the canonical passes the threshold: 1.000 ≥ 0.4 (Jaccard 0.577).");
    await page.close();
  });

  it("finds a cluster by a word of its text in the filter box", async () => {
    const { page } = await open(seedsReport);
    const filter = async (text: string) => {
      await page.$eval("#filter", (e) => ((e as HTMLInputElement).value = ""));
      await page.type("#filter", text);
      // The table is busy from the first key until the filtered rows are drawn.
      expect(await page.$eval("#cluster-table", (t) => t.getAttribute("aria-busy"))).toBe("true");
      await page.waitForSelector("#cluster-table:not([aria-busy])");
      return (await rows(page)).map((r) => r[1]);
    };
    // Only 002 holds "Volkswacht", far down its text: the AFP cluster.
    expect(await filter("Volkswacht")).toEqual([S003]);
    // Every word must match, in any case: the NATO TV transcript (004) and not the others.
    expect(await filter("mandatory CREDIT")).toEqual([S004]);
    expect(await filter("zzzq")).toEqual([]);
    await page.close();
  });

  it("moves to the next and previous cluster with j/k (n/p), back to the table with Escape", async () => {
    const { page } = await open(seedsReport, "#cluster=2");
    const where = () => page.evaluate(() => location.hash);
    const heading = () => page.$eval("#cluster-h", (h) => h.textContent);
    await page.keyboard.press("j");
    await showing(page, 0);
    expect(await where()).toBe("#cluster=0");
    expect(await heading()).toBe(`Cluster 0: ${S000} (a singleton)`);
    await page.keyboard.press("n");
    await showing(page, 1);
    await page.keyboard.press("k");
    await showing(page, 0);
    await page.keyboard.press("p");
    await showing(page, 2);
    expect(await where()).toBe("#cluster=2");
    expect(await page.evaluate(() => document.activeElement!.id)).toBe("cluster-h");
    await page.keyboard.press("k"); // the first in the table's order: nowhere to go
    expect(await where()).toBe("#cluster=2");
    await page.keyboard.press("Escape");
    // Back on the table, on the row of the cluster just left.
    await page.waitForFunction(() => document.getElementById("cluster-view")!.hidden && document.activeElement!.getAttribute("href") === "#cluster=2");
    expect(await where()).toBe("");
    // In the table, j moves down the rows and Enter opens one.
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await showing(page, 0);
    await page.close();
  });

  it("sorts the table by size, mean similarity and canonical id", async () => {
    const { page } = await open(seedsReport);
    const ids = async () => (await rows(page)).map((r) => r[1]);
    await page.click('th[data-sort="id"] button');
    expect(await ids()).toEqual([S000, SEED_FILES[1], S003, S004]);
    await page.click('th[data-sort="id"] button');
    expect(await ids()).toEqual([S004, S003, SEED_FILES[1], S000]);
    await page.click('th[data-sort="j"] button');
    expect((await ids())[0]).toBe(S003);
    expect(await page.$eval('th[data-sort="j"]', (th) => th.getAttribute("aria-sort"))).toBe("descending");
    await page.close();
  });

  it("shows what the evidence hook returns under the copy it explains, as text", async () => {
    const docs = seeds();
    const file = join(dir, "evidence.html");
    writeFileSync(
      file,
      report(dedupe(docs), docs, undefined, {
        evidence: (member, cluster) => ({ summary: `${member.id} against ${cluster.canonical}`, scores: [["shared shingles", 412], ["verdict", "<b>copy</b>"]], passages: ["<i>NATO chief</i>"] }),
      }),
    );
    const { page } = await open(file, "#cluster=2");
    await page.click("#m1 details.evidence summary");
    const explain = await page.$eval("#m1 .explain", (e) => ({
      text: e.querySelector("p")!.textContent,
      scores: Array.from(e.querySelectorAll("dt, dd"), (x) => x.textContent),
      passages: Array.from(e.querySelectorAll("blockquote"), (x) => x.textContent),
      markup: e.querySelectorAll("b, i").length,
    }));
    expect(explain).toEqual({ text: "Explanation: 002 against 003", scores: ["shared shingles", "412", "verdict", "<b>copy</b>"], passages: ["<i>NATO chief</i>"], markup: 0 });
    expect(await page.$("#m0 .explain")).toBeNull();
    await page.close();
  });

  describe("a document holding markup", () => {
    const hostile: DocObject[] = [
      { id: "<b>id</b>", text: "Before <script>alert(1)</script> after.\n\nA second paragraph: </script><script>alert(2)</script>\n\n<!-- <script>alert(3)</script> -->" },
      { id: "img", text: `An image <img src=x onerror="alert(4)"> and a <a href="javascript:alert(5)">link</a>.` },
    ];
    const file = join(dir, "hostile.html");
    beforeAll(() => {
      writeFileSync(file, report(dedupe(hostile), hostile));
      // The same page without its Content-Security-Policy: the escaping alone must hold.
      writeFileSync(join(dir, "no-csp.html"), readFileSync(file, "utf8").replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ""));
    });

    it.each([
      ["with its Content-Security-Policy", "hostile.html"],
      ["without it (the escaping alone)", "no-csp.html"],
    ])("runs nothing and shows the literal text, %s", async (_, name) => {
      const { page, dialogs, errors } = await open(join(dir, name));
      expect((await rows(page)).map((r) => r[1])).toEqual(["<b>id</b>", "img"]);
      await page.click('#cluster-table a[href="#cluster=0"]');
      await showing(page, 0);
      const texts = await page.$$eval("#cluster-view .txt", (spans) => spans.map((s) => s.textContent));
      expect(texts).toEqual(["Before <script>alert(1)</script> after.", "A second paragraph: </script><script>alert(2)</script>", "<!-- <script>alert(3)</script> -->"]);
      await page.evaluate(() => (location.hash = "cluster=1"));
      await showing(page, 1);
      expect(await page.$eval("#p0-0 .txt", (s) => s.textContent)).toBe(hostile[1]!.text);
      const blocks = (readFileSync(join(dir, name), "utf8").match(/<script /g) ?? []).length;
      expect(await page.evaluate(() => [document.scripts.length, document.images.length, document.querySelectorAll("#cluster-view a[href^=javascript]").length])).toEqual([blocks + 1, 0, 0]);
      expect(await page.$eval("#cluster-h", (h) => h.textContent)).toBe("Cluster 1: img (a singleton)");
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe("accessibility", () => {
    it("has landmarks, one h1, named charts and a heading for every section", async () => {
      const { page } = await open(seedsReport);
      const facts = await page.evaluate(() => ({
        landmarks: Array.from(document.querySelectorAll("header, main, footer, nav"), (e) => e.tagName.toLowerCase()),
        h1: document.querySelectorAll("h1").length,
        sections: Array.from(document.querySelectorAll("section[aria-labelledby]"), (s) => document.getElementById(s.getAttribute("aria-labelledby")!)?.textContent ?? null),
        charts: Array.from(document.querySelectorAll("svg"), (svg) => [svg.getAttribute("role"), svg.querySelector("title")?.textContent, (svg.querySelector("desc")?.textContent ?? "").length > 20]),
      }));
      expect(facts.landmarks).toEqual(["header", "main", "nav", "footer"]);
      expect(facts.h1).toBe(1);
      expect(facts.sections).toEqual(["Summary", "Similarities and sizes", "Clusters", null]); // the cluster view is named when shown
      expect(facts.charts).toEqual([
        ["img", "Jaccard similarity of each copy against its canonical", true],
        ["img", "Containment of each copy against its canonical", true],
        ["img", "Cluster sizes (documents per cluster)", true],
      ]);
      await page.close();
    });

    it("keeps text at a contrast of 4.5:1 or more against its background, in every paragraph class", async () => {
      const { page } = await open(seedsReport, "#cluster=2");
      // A paragraph of each class is in the AFP cluster but boilerplate: add one to check its colours too.
      await page.evaluate(() => {
        const li = document.createElement("li");
        li.className = "c-boilerplate";
        li.textContent = "Text size:";
        document.querySelector("ol.paras")!.appendChild(li);
      });
      const pairs = await page.evaluate(() => {
        const solid = (e: Element | null): string => {
          for (; e; e = e.parentElement) {
            const bg = getComputedStyle(e).backgroundColor;
            if (bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") return bg;
          }
          return "rgb(255, 255, 255)";
        };
        const sel = ["h1", ".lede", ".facts dt", "td.snip", "#cluster-view a", ".tag", ".ref", ".txt", "ins", "del", ".badge", ".legend li", "button.btn", "kbd", "figcaption", "footer"];
        for (const cls of ["shared", "edited", "unique", "repeated", "boilerplate"]) sel.push(`li.c-${cls}`, `li.c-${cls} .tag`, `li.c-${cls} .ref`);
        return sel.flatMap((s) => Array.from(document.querySelectorAll(s)).slice(0, 3).map((e) => [s, getComputedStyle(e).color, solid(e)]));
      });
      const lum = (rgb: string) => {
        const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((v) => {
          const c = Number(v) / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        }) as [number, number, number];
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (a: string, b: string) => {
        const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
        return (hi + 0.05) / (lo + 0.05);
      };
      expect(pairs.length).toBeGreaterThan(30);
      const low = pairs.filter(([, fg, bg]) => ratio(fg!, bg!) < 4.5).map(([s, fg, bg]) => `${s}: ${fg} on ${bg} (${ratio(fg!, bg!).toFixed(2)})`);
      expect(low).toEqual([]);
      await page.close();
    });

    it("is readable on a phone: nothing wider than the screen, copies stacked", async () => {
      const phone = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
      for (const hash of ["", "#cluster=2"]) {
        const { page } = await open(seedsReport, hash, phone);
        const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
        if (hash) expect(await page.$eval("#members", (m) => getComputedStyle(m).display)).toBe("block");
        await page.close();
      }
    });
  });
});
