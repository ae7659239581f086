// Crawl input (issue 17): HTML → article extraction side by side — Readability on linkedom (what
// fromHtml() runs), Readability on jsdom, and a streaming htmlparser2 path with no DOM — for speed
// (pages per CPU second on one core, median of 3) and extraction quality (word precision and
// recall against the article each generated page carries; clusters of test-data/crawl's pages);
// then the CLI on a generated WARC of 1 GiB in a temp dir: wall time and peak RSS.
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Parser } from "htmlparser2";
import { JSDOM, VirtualConsole } from "jsdom";
import { dedupe } from "../src/dedupe.ts";
import { articleOf, fromHtml, type Doc } from "../src/html.ts";
import { PAGES } from "../test-data/crawl/build.ts";
import { pressSentences } from "./brown.ts";

/** A seeded PRNG (mulberry32), so every run builds the same pages. */
function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

export interface GeneratedPage {
  readonly html: string;
  /** The article's paragraphs: what an extractor should return. */
  readonly article: readonly string[];
}

/** `n` paragraphs of Brown press prose, 2–6 sentences each. */
function prose(r: () => number, n: number): string[] {
  const sentences = pressSentences();
  return Array.from({ length: n }, () => Array.from({ length: 2 + Math.floor(r() * 5) }, () => sentences[Math.floor(r() * sentences.length)]!.text).join(" "));
}

/** Minified-looking script: what analytics, ad and framework bundles inline into real pages. */
function script(r: () => number, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const v = Math.floor(r() * 1e6).toString(36);
    const part = `function _${v}(e,t){var n=e&&e.${v}||{};for(var i=0;i<t.length;i++){if(t[i]<"${v}")n[t[i]]=(n[t[i]]||0)+1}return n}window.__${v}=_${v}(window,["a","b","<div class='x'>"]);`;
    parts.push(part);
    size += part.length;
  }
  return parts.join("");
}

function css(r: () => number, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const v = Math.floor(r() * 1e6).toString(36);
    const part = `.c-${v}{display:flex;margin:0 ${Math.floor(r() * 20)}px;color:#${v.slice(0, 3).padEnd(3, "0")}}.c-${v}:hover>a{text-decoration:underline}`;
    parts.push(part);
    size += part.length;
  }
  return parts.join("");
}

const SECTIONS = ["World", "Politics", "Business", "Tech", "Science", "Health", "Sport", "Culture", "Opinion", "Video", "Podcasts", "Local"];

/**
 * A news page of about `target` bytes on one of three templates: cookie banner, a mega-menu,
 * inline styles and scripts, JSON-LD, an SVG sprite, a figure with its caption, the article,
 * related-links lists, a comments teaser and a footer; the scripts and styles take up the size a
 * real page's bundles do.
 */
export function newsPage(seed: number, target: number, article?: readonly string[]): GeneratedPage {
  const r = rand(seed);
  const paras = article ?? prose(r, 6 + Math.floor(r() * 14));
  const headline = prose(r, 1)[0]!.split(" ").slice(0, 10).join(" ");
  const template = seed % 3;
  const menu = SECTIONS.map((s) => `<li class="menu__item"><a href="/${s.toLowerCase()}">${s}</a><ul class="menu__sub">${Array.from({ length: 8 }, (_, i) => `<li><a href="/${s.toLowerCase()}/${i}">${s} topic ${i + 1}</a></li>`).join("")}</ul></li>`).join("");
  const related = (title: string) => `<aside class="related"><h3>${title}</h3><ul>${prose(r, 6).map((t, i) => `<li><a href="/story/${seed}-${i}">${esc(t.split(" ").slice(0, 9).join(" "))}</a></li>`).join("")}</ul></aside>`;
  const sprite = `<svg style="display:none">${Array.from({ length: 12 }, (_, i) => `<symbol id="i${i}" viewBox="0 0 24 24"><path d="M${i} 2l${i % 5} 3h7v${i}H3z"/></symbol>`).join("")}</svg>`;
  const body = paras.map((p) => `<p>${esc(p)}</p>`);
  // An inline ad or a read-more box inside the article, as sites do.
  body.splice(Math.min(3, body.length), 0, `<div class="ad ad--inread" data-slot="inread"><span>Advertisement</span></div>`);
  const figure = `<figure><img src="/img/${seed}.jpg" alt=""><figcaption>${esc(prose(r, 1)[0]!.slice(0, 120))} (Photo: Staff)</figcaption></figure>`;
  const head = `<head><meta charset="utf-8"><title>${esc(headline)} | Site ${template}</title><meta property="og:title" content="${esc(headline)}"><meta property="article:published_time" content="2025-0${1 + (seed % 9)}-1${seed % 10}T08:00:00Z"><link rel="canonical" href="https://site${template}.example/story/${seed}"><style>${css(r, 0)}</style><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":${JSON.stringify(headline)},"datePublished":"2025-01-01"}</script>`;
  const chromeTop = `<div class="cookie-consent" role="dialog"><p>We and our 812 partners store and access information on your device to personalise ads and content. By clicking "Accept" you consent.</p><button>Accept</button><button>Manage options</button></div><header class="site-header">${sprite}<a class="logo" href="/">Site ${template}</a><nav class="menu"><ul>${menu}</ul></nav></header>`;
  const chromeBottom = `${related("Most read")}${related("More from this section")}<section class="comments"><h3>Comments</h3><p>Join the conversation: 143 comments</p></section><footer class="site-footer"><ul>${SECTIONS.map((s) => `<li><a href="/${s}">${s}</a></li>`).join("")}</ul><p>© 2025 Site ${template} Media Group</p></footer>`;
  const main =
    template === 0
      ? `<main><article><h1>${esc(headline)}</h1><p class="byline">By Staff Reporter</p>${figure}<div class="article-body">${body.join("")}</div></article>${related("Related")}</main>`
      : template === 1
        ? `<div id="page"><div class="col-main"><h1 class="headline">${esc(headline)}</h1>${figure}<div id="story">${body.join("\n")}</div><div class="share">Share this article</div></div><div class="col-side">${related("Trending")}</div></div>`
        : `<table><tr><td class="left">${related("Sections")}</td><td class="center"><h1>${esc(headline)}</h1>${body.join("<br>")}</td></tr></table>`;
  const fixed = `<!DOCTYPE html><html lang="en">${head}</head><body>${chromeTop}${main}${chromeBottom}</body></html>`;
  // Scripts and styles fill the page to its size: half inline bundles, a third CSS.
  const room = Math.max(0, target - fixed.length);
  const html = fixed
    .replace(`<style></style>`, `<style>${css(r, Math.floor(room / 3))}</style>`)
    .replace(`</body>`, `<script>${script(r, room - Math.floor(room / 3))}</script></body>`);
  return { html, article: paras };
}

// ---- the extractors ------------------------------------------------------------------------------

const quiet = new VirtualConsole();

export const EXTRACTORS = {
  "Readability on linkedom (fromHtml)": (html: string) => fromHtml(html).text,
  "Readability on jsdom": (html: string) => articleOf(() => new JSDOM(html, { virtualConsole: quiet }).window.document as unknown as Doc).text,
  "streaming htmlparser2, no DOM": streamingText,
} as const;

/** Chrome a page names in class or id: the streaming path drops these elements with their content. */
const CHROME = /(^|[\s_-])(nav|menu|header|footer|cookie|consent|related|share|social|ad|ads|promo|newsletter|sidebar|side|comments?|trending|most|banner)([\s_-]|$)/i;
const SKIP_TAGS = new Set(["script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form", "button", "figure", "iframe"]);
const BLOCKS = new Set(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "tr", "section", "article", "main", "blockquote", "br", "table", "ul", "ol"]);

/**
 * The no-DOM path: one pass of htmlparser2's tokenizer, dropping hidden and chrome elements
 * (by tag, or by a class or id naming chrome), keeping blocks of prose (≥ 12 words, ending a
 * sentence). What a hand-written boilerplate stripper does, without Readability's scoring.
 */
function streamingText(html: string): string {
  const out: string[] = [];
  let skipDepth = 0;
  const stack: boolean[] = [];
  let current = "";
  const flush = () => {
    const t = current.replace(/\s+/g, " ").trim();
    current = "";
    if (t.split(" ").length >= 12 && /[.!?"”']$/.test(t)) out.push(t);
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const skip = SKIP_TAGS.has(name) || CHROME.test(`${attrs.class ?? ""} ${attrs.id ?? ""}`);
        stack.push(skip);
        if (skip) skipDepth++;
        if (BLOCKS.has(name)) flush();
      },
      ontext(text) {
        if (skipDepth === 0) current += text;
      },
      onclosetag(name) {
        if (stack.pop()) skipDepth--;
        if (BLOCKS.has(name)) flush();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return out.join("\n\n");
}

// ---- quality -------------------------------------------------------------------------------------

function words(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** Word precision and recall (multisets) of an extraction against the article. */
function wordScores(got: string, want: string): { precision: number; recall: number } {
  const g = words(got);
  const w = words(want);
  let common = 0;
  let gn = 0;
  let wn = 0;
  for (const [k, n] of g) {
    gn += n;
    common += Math.min(n, w.get(k) ?? 0);
  }
  for (const n of w.values()) wn += n;
  return { precision: gn === 0 ? 0 : common / gn, recall: wn === 0 ? 1 : common / wn };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const f3 = (x: number) => x.toFixed(3);

function cpuSeconds(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

// ---- the 1 GiB WARC ------------------------------------------------------------------------------

/**
 * Writes a WARC of `bytes` (uncompressed) of news pages, gzip per record as CC-NEWS ships it:
 * stories of Brown prose, each published by 1–4 sites (templates and page sizes differ), 50–150 KB
 * pages, a request record before each response. Returns the page count and file size.
 */
export async function writeBigWarc(path: string, bytes: number): Promise<{ pages: number; stories: number; fileBytes: number; rawBytes: number }> {
  const out = createWriteStream(path);
  const write = (buf: Buffer) => (out.write(buf) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve())));
  const r = rand(17);
  let raw = 0;
  let pages = 0;
  let story = 0;
  while (raw < bytes) {
    story++;
    const article = prose(r, 6 + Math.floor(r() * 14));
    const copies = 1 + Math.floor(r() * 4);
    for (let c = 0; c < copies && raw < bytes; c++) {
      const size = 50_000 + Math.floor(r() * 100_000);
      const { html } = newsPage(story * 7 + c, size, c === 0 ? article : article.slice(0, article.length - (c % 2)));
      const url = `https://site${c}.example/${story}/${c}`;
      const date = new Date(Date.UTC(2025, 0, 1) + pages * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      const req = `GET /${story}/${c} HTTP/1.1\r\nHost: site${c}.example\r\n\r\n`;
      const payload = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(html)}\r\n\r\n${html}`);
      for (const [type, block] of [["request", Buffer.from(req)], ["response", payload]] as const) {
        const head = `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: ${url}\r\nWARC-Date: ${date}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-${String(pages * 2 + (type === "request" ? 0 : 1)).padStart(12, "0")}>\r\nContent-Type: application/http; msgtype=${type}\r\nContent-Length: ${block.length}\r\n\r\n`;
        const record = Buffer.concat([Buffer.from(head), block, Buffer.from("\r\n\r\n")]);
        raw += record.length;
        await write(gzipSync(record, { level: 1 }));
      }
      pages++;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { pages, stories: story, fileBytes: statSync(path).size, rawBytes: raw };
}

function timedCli(args: string[]): { seconds: number; cpuSeconds: number; rssMiB: number; status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("/usr/bin/time", ["-v", process.execPath, "bin/news-dedupe.js", ...args], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const cpu = (name: string) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
  return {
    seconds: wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN,
    cpuSeconds: cpu("User") + cpu("System"),
    rssMiB: rss ? Number(rss[1]) / 1024 : NaN,
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

// ---- the section -----------------------------------------------------------------------------------

export interface CrawlBench {
  readonly markdown: string;
  readonly pagesPerSecond: number;
  readonly ratioJsdom: number;
  readonly warc?: { seconds: number; cpuSeconds: number; rssMiB: number; pages: number; stories: number; fileBytes: number; rawBytes: number; docs: number; duplicates: number; status: number | null };
}

export async function runCrawlBench(quick: boolean): Promise<CrawlBench> {
  const md: string[] = [];
  const table = (head: string[], rows: Array<Array<string | number>>) => md.push(`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`), "");
  const count = quick ? 60 : 200;
  const pages = Array.from({ length: count }, (_, i) => newsPage(1000 + i, 50_000 + ((i * 7919) % 100_000)));
  const sizes = pages.map((p) => Buffer.byteLength(p.html));
  md.push(
    `${count} generated news pages (bench/crawl.ts \`newsPage\`: three templates with cookie banner, mega-menu, inline scripts and styles, JSON-LD, SVG sprite, figure, related lists, comments teaser, footer; Brown press prose as the article), ${int(Math.min(...sizes) / 1024)}–${int(Math.max(...sizes) / 1024)} KiB, median ${int(median(sizes) / 1024)} KiB. Each extractor in this process on one core: pages per CPU second, the median of 3 runs interleaved; quality: word precision and recall of its text against the page's article, averaged over the pages.`,
    "",
  );
  // Warm-up: JIT and the DOM libraries' lazy setup, outside the timings.
  for (const fn of Object.values(EXTRACTORS)) for (const p of pages.slice(0, 5)) fn(p.html);
  const names = Object.keys(EXTRACTORS) as Array<keyof typeof EXTRACTORS>;
  const runs = new Map(names.map((n) => [n, [] as number[]]));
  // jsdom is several times slower: it runs on a share of the pages, its rate per page the same measure.
  const share = (n: string) => (n.includes("jsdom") ? pages.slice(0, Math.ceil(count / 4)) : pages);
  for (let run = 0; run < 3; run++) {
    for (const n of names) {
      const set = share(n);
      const fn = EXTRACTORS[n];
      runs.get(n)!.push(set.length / cpuSeconds(() => set.forEach((p) => fn(p.html))));
    }
  }
  const rate = new Map(names.map((n) => [n, median(runs.get(n)!)]));
  const quality = new Map(
    names.map((n) => {
      const scores = pages.map((p) => wordScores(EXTRACTORS[n](p.html), p.article.join("\n")));
      return [n, { precision: scores.reduce((a, s) => a + s.precision, 0) / scores.length, recall: scores.reduce((a, s) => a + s.recall, 0) / scores.length }];
    }),
  );
  // The test pages (real seed stories on three made-up templates, written before any extractor
  // was tuned): word scores against the article each carries, and whether the texts cluster as the seeds do.
  const real = PAGES.map((p) => ({ id: p.file, html: p.html, article: p.article.join("\n") }));
  const want = JSON.stringify([["liberty-rutte-peace-talks.html"], ["spacewar-rutte-odesa.html", "vb-rutte-odesa.html"], ["spacewar-rutte-transcript.html"], ["vb-rutte-not-strong-enough.html"]]);
  const clusters = (n: keyof typeof EXTRACTORS) => JSON.stringify(dedupe(real.map((p) => ({ id: p.id, text: EXTRACTORS[n](p.html) || "-" }))).clusters.map((c) => c.members.map((m) => m.id).sort()));
  const realScores = (n: keyof typeof EXTRACTORS) => {
    const s = real.map((p) => wordScores(EXTRACTORS[n](p.html), p.article));
    return { precision: s.reduce((a, x) => a + x.precision, 0) / s.length, recall: s.reduce((a, x) => a + x.recall, 0) / s.length };
  };
  const ours = rate.get(names[0]!)!;
  const jsdom = rate.get(names[1]!)!;
  table(
    ["extractor", "pages/s (one core)", "× jsdom", "generated pages: word precision", "recall", "test-data/crawl pages: word precision", "recall", "their clusters as the seeds'"],
    names.map((n) => {
      const q = quality.get(n)!;
      const r = realScores(n);
      return [n, int(rate.get(n)!), `${(rate.get(n)! / jsdom).toFixed(1)}×`, f3(q.precision), f3(q.recall), f3(r.precision), f3(r.recall), clusters(n) === want ? "yes" : `no: ${clusters(n)}`];
    }),
  );
  md.push(`Runs (pages/s): ${names.map((n) => `${n} ${runs.get(n)!.map(int).join(", ")}`).join("; ")}.`, "");
  md.push(
    `- Extraction ≥ 100 pages/s/core on 50–150 KB pages: ${ours >= 100 ? "met" : "**missed**"} (${int(ours)}/s).`,
    `- ≥ 3× Readability on jsdom, side by side: ${ours / jsdom >= 3 ? "met" : "**missed**"} (${(ours / jsdom).toFixed(1)}×).`,
    "",
  );

  let warc: CrawlBench["warc"];
  if (spawnSync("/usr/bin/time", ["--version"]).status !== 0) {
    md.push("The 1 GiB WARC run is skipped: /usr/bin/time (GNU time) is not installed (`apt-get install -y time`).", "");
  } else {
    const root = mkdtempSync(join(tmpdir(), "news-dedupe-crawl-"));
    try {
      const target = quick ? 64 * 1024 * 1024 : 1024 * 1024 * 1024;
      const path = join(root, "big.warc.gz");
      const built = await writeBigWarc(path, target);
      // Full mode: the median of 3 runs by wall time, peak RSS the largest of them.
      const runs = Array.from({ length: quick ? 1 : 3 }, () => timedCli([path, "--format", "jsonl", "--no-progress"])).sort((a, b) => a.seconds - b.seconds);
      const cli = { ...runs[runs.length >> 1]!, rssMiB: Math.max(...runs.map((x) => x.rssMiB)) };
      const rows = cli.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { status: string });
      const docs = rows.filter((x) => x.status !== "skipped").length;
      warc = { ...built, seconds: cli.seconds, cpuSeconds: cli.cpuSeconds, rssMiB: cli.rssMiB, docs, duplicates: rows.filter((x) => x.status === "duplicate").length, status: cli.status };
      md.push(
        `The CLI on a generated WARC (\`/usr/bin/time -v node bin/news-dedupe.js big.warc.gz --format jsonl --no-progress\`, threads auto): ${int(built.pages)} pages of 50–150 KB (stories published by 1–4 sites), ${int(built.rawBytes / 1024 / 1024)} MiB of records, gzip per record (${int(built.fileBytes / 1024 / 1024)} MiB on disk), generated into a temp dir and deleted after. ${runs.length > 1 ? `Median of ${runs.length} runs by wall time (${runs.map((x) => x.seconds.toFixed(1)).join(", ")} s); peak RSS the largest (${runs.map((x) => int(x.rssMiB)).join(", ")} MiB).` : "One run."}`,
        "",
      );
      table(
        ["WARC (uncompressed)", "pages", "documents clustered", "duplicates found (copies made)", "wall s", "CPU s", "pages/s", "peak RSS MiB", "exit"],
        [[`${int(built.rawBytes / 1024 / 1024)} MiB`, int(built.pages), int(warc.docs), `${int(warc.duplicates)} (${int(built.pages - built.stories)})`, cli.seconds.toFixed(1), cli.cpuSeconds.toFixed(1), int(built.pages / cli.seconds), int(cli.rssMiB), String(cli.status)]],
      );
      if (!quick) md.push(`- Peak RSS ≤ 1 GiB on the 1 GiB WARC: ${cli.rssMiB <= 1024 ? "met" : "**missed**"} (${int(cli.rssMiB)} MiB).`, "");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return { markdown: md.join("\n"), pagesPerSecond: ours, ratioJsdom: ours / jsdom, ...(warc ? { warc } : {}) };
}

// Run alone: `node --import tsx bench/crawl.ts [--quick]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runCrawlBench(process.argv.includes("--quick"));
  console.log(r.markdown);
}
