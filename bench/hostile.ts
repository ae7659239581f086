// Hostile scale (issue 13): floods of identical and near-identical copies, huge clusters and pages
// under --diff, identical adds to an index. Each case runs in a child process (the built CLI, or
// dist/ through `node -e`) under /usr/bin/time -v: wall time and peak RSS, median of `runs`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pressSentences } from "./brown.ts";

export interface Measured {
  seconds: number;
  rssMiB: number;
  outBytes: number;
  stdout: string;
}

/** Run `args` (node's) under /usr/bin/time -v; stdout to `out` when given. */
export function timed(args: string[], out?: string): Measured {
  const cmd = ["/usr/bin/time", "-v", process.execPath, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const r = spawnSync("bash", ["-c", out ? `${cmd} > '${out}'` : cmd], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!wall || !rss || r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr.split("\n").slice(0, 3).join(" ")}`);
  return {
    seconds: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    rssMiB: Number(rss[1]) / 1024,
    outBytes: out ? statSync(out).size : 0,
    stdout: r.stdout,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A seeded PRNG (mulberry32), so every run builds the same corpora. */
function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` paragraphs of Brown press prose, each of 3–6 sentences, in a seeded order. */
function paragraphs(n: number, seed: number): string[] {
  const sentences = pressSentences().map((s) => s.text);
  const r = rand(seed);
  return Array.from({ length: n }, () => Array.from({ length: 3 + Math.floor(r() * 4) }, () => sentences[Math.floor(r() * sentences.length)]!).join(" "));
}

/** A copy of `story` as a site runs it: its own header and footer lines, sometimes its last paragraph cut. */
function copyOf(story: readonly string[], i: number, r: () => number): string {
  const body = r() < 0.3 ? story.slice(0, -1) : story;
  return [`Site ${i % 97} · ${(i * 7919) % 100000} readers`, ...body, `Share on site ${i % 89} · Related stories`].join("\n\n");
}

const jsonl = (docs: Array<{ id: string; text: string }>) => docs.map((d) => JSON.stringify(d)).join("\n") + "\n";

interface Case {
  name: string;
  target: string;
  run: () => Measured;
  /** A check of the output, besides the time: e.g. the clusters found. */
  check?: (m: Measured) => string;
  ok: (m: { seconds: number; rssMiB: number; outBytes: number }) => boolean;
}

export async function runHostileBench(quick: boolean): Promise<string> {
  const runs = quick ? 1 : 3;
  const scale = quick ? 0.1 : 1;
  const dir = mkdtempSync(join(tmpdir(), "nd-hostile-"));
  const bin = join(import.meta.dirname, "../bin/news-dedupe.js");
  const dist = join(import.meta.dirname, "../dist/index.js");
  const cli = (...args: string[]) => [bin, "--no-progress", ...args];
  const lib = (file: string) => ["-e", `import(${JSON.stringify(dist)}).then(({ dedupe }) => { const docs = require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8").trim().split("\\n").map((l) => JSON.parse(l)); const r = dedupe(docs); console.log(JSON.stringify(r.stats)); })`];
  try {
    const n = (x: number) => Math.max(10, Math.round(x * scale));
    const story = paragraphs(12, 1);
    // 1. 20,000 documents of one short sentence
    const identical = join(dir, "identical.jsonl");
    writeFileSync(identical, jsonl(Array.from({ length: n(20_000) }, (_, i) => ({ id: `d${i}`, text: "Please enable cookies to continue reading this article." }))));
    // 2. one story with 10,000 copies among 20,000 documents
    const r = rand(7);
    const others = paragraphs(n(10_000) * 4, 2);
    const flood = join(dir, "flood.jsonl");
    writeFileSync(
      flood,
      jsonl([
        ...Array.from({ length: n(10_000) }, (_, i) => ({ id: `copy${i}`, text: copyOf(story, i, r) })),
        ...Array.from({ length: n(10_000) }, (_, i) => ({ id: `other${i}`, text: others.slice(4 * i, 4 * i + 4).join("\n\n") })),
      ]),
    );
    // 3. --diff on a 5,000-copy cluster
    const cluster = join(dir, "cluster.jsonl");
    writeFileSync(cluster, jsonl(Array.from({ length: n(5_000) }, (_, i) => ({ id: `c${i}`, text: copyOf(story, i, r) }))));
    // 4. two ticker-like pages of 20,000 lines, one a copy of the other with a tenth of its rows changed
    const rows = Array.from({ length: n(20_000) }, (_, i) => `| ${["DAX", "FTSE", "CAC", "Nikkei", "KLCI"][i % 5]} ${i} | ${(1000 + ((i * 7919) % 9000)) / 10} | ${((i * 31) % 200) / 100 - 1}% |`);
    const tickers = join(dir, "tickers.jsonl");
    writeFileSync(
      tickers,
      jsonl([
        { id: "page-a", text: rows.join("\n") },
        { id: "page-b", text: rows.map((row, i) => (i % 10 === 3 ? row.replace("|", "| *") : row)).join("\n") },
      ]),
    );
    // 6. a 50 MB pair: 25 MB of prose each, the second a copy with a tenth of its paragraphs changed
    const big = paragraphs(Math.round(43_000 * scale), 3);
    const pair = join(dir, "pair.jsonl");
    writeFileSync(
      pair,
      jsonl([
        { id: "big-a", text: big.join("\n\n") },
        { id: "big-b", text: big.map((p, i) => (i % 10 === 5 ? p.replace(/ the /, " a ") : p)).join("\n\n") },
      ]),
    );
    const pairBytes = statSync(pair).size;
    const maxDoc = String(64 * 1024 * 1024);

    const cases: Case[] = [
      { name: `${n(20_000).toLocaleString("en-US")} identical documents, CLI`, target: "≤ 3 s, ≤ 300 MB", run: () => timed(cli(identical, "-f", "json"), join(dir, "o1")), ok: (m) => m.seconds <= 3 && m.rssMiB <= 300 },
      { name: `${n(20_000).toLocaleString("en-US")} identical documents, dedupe()`, target: "≤ 3 s, ≤ 300 MB", run: () => timed(lib(identical)), check: (m) => m.stdout.trim(), ok: (m) => m.seconds <= 3 && m.rssMiB <= 300 },
      { name: `one story, ${n(10_000).toLocaleString("en-US")} copies among ${n(20_000).toLocaleString("en-US")} documents, CLI`, target: "≤ 5 s, ≤ 600 MB", run: () => timed(cli(flood, "-f", "json"), join(dir, "o2")), ok: (m) => m.seconds <= 5 && m.rssMiB <= 600 },
      { name: `one story, ${n(10_000).toLocaleString("en-US")} copies among ${n(20_000).toLocaleString("en-US")} documents, dedupe()`, target: "≤ 5 s, ≤ 600 MB", run: () => timed(lib(flood)), check: (m) => m.stdout.trim(), ok: (m) => m.seconds <= 5 && m.rssMiB <= 600 },
      { name: `--diff on a ${n(5_000).toLocaleString("en-US")}-copy cluster`, target: "≤ 10 s, ≤ 1 GB, JSON ≤ 50 MB", run: () => timed(cli(cluster, "--diff", "-f", "json"), join(dir, "o3")), ok: (m) => m.seconds <= 10 && m.rssMiB <= 1024 && m.outBytes <= 50e6 },
      { name: `--diff on two ${n(20_000).toLocaleString("en-US")}-line ticker pages`, target: "≤ 10 s", run: () => timed(cli(tickers, "--diff", "-f", "json"), join(dir, "o4")), ok: (m) => m.seconds <= 10 },
      { name: `--diff on a ${(pairBytes / 1e6).toFixed(0)} MB pair`, target: "≤ 20 s, ≤ 1 GB", run: () => timed(cli(pair, "--max-doc-bytes", maxDoc, "--diff", "-f", "json"), join(dir, "o6")), ok: (m) => m.seconds <= 20 && m.rssMiB <= 1024 },
    ];
    const lines = [
      "Each case runs in a child process under `/usr/bin/time -v` (wall time and peak RSS, median of " + runs + "); CLI cases run the built `bin/news-dedupe.js`, `dedupe()` cases `dist/` through `node -e`. Corpora: bench/hostile.ts, seeded, from Brown press prose.",
      "",
      "| case | wall s | peak RSS MiB | output | target | |",
      "|---|---|---|---|---|---|",
    ];
    for (const c of cases) {
      const measured = Array.from({ length: runs }, () => c.run());
      const m = { seconds: median(measured.map((x) => x.seconds)), rssMiB: median(measured.map((x) => x.rssMiB)), outBytes: median(measured.map((x) => x.outBytes)) };
      const out = m.outBytes ? `${(m.outBytes / 1e6).toFixed(1)} MB` : c.check ? c.check(measured[0]!) : "";
      lines.push(`| ${c.name} | ${m.seconds.toFixed(2)} | ${m.rssMiB.toFixed(0)} | ${out} | ${c.target} | ${quick ? "(quick: smaller)" : c.ok(m) ? "met" : "**missed**"} |`);
    }
    lines.push("", indexLine(dist, n(20_000), runs, quick));
    return lines.join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 20,000 identical adds to the in-memory index: adds per second, median of `runs`. */
function indexLine(dist: string, n: number, runs: number, quick: boolean): string {
  const script = `import(${JSON.stringify(dist)}).then(({ createIndex }) => { const index = createIndex(); const text = "Please enable cookies to continue reading this article."; const t = performance.now(); for (let i = 0; i < ${n}; i++) index.add({ id: "d" + i, text }); console.log(${n} / ((performance.now() - t) / 1000)); })`;
  const rates = Array.from({ length: runs }, () => Number(spawnSync(process.execPath, ["-e", script], { encoding: "utf8" }).stdout.trim()));
  const rate = median(rates);
  return `In-memory index, ${n.toLocaleString("en-US")} identical adds: ${Math.round(rate).toLocaleString("en-US")} adds/s (median of ${runs}; target ≥ 5,000/s: ${quick ? "quick run" : rate >= 5000 ? "met" : "**missed**"}). Redis: see the Redis store section.`;
}

