// --report FILE: the CLI writes the library's HTML page (report-html.ts) beside any --format,
// refuses a bad path before reading, and leaves no half-written file.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reportData } from "./helpers/report.js";
import { BIN, cli, hasStack, ROOT, SEED_FILES, SEEDS, syntheticCorpus, tempDir, tree } from "./helpers/cli.js";

const [, , S002, S003] = SEED_FILES as [string, string, string, string, string];

/** The JSON a report embeds. */
function dataOf(file: string) {
  return reportData<{
    title: string;
    thresholds: { containment: number; lead: number } | null;
    limits: { diffClusters: number };
    clusters: Array<{ m: Array<[string, number, number]>; d?: number }>;
    diffs: unknown[];
  }>(readFileSync(file, "utf8"));
}

describe("--report", () => {
  const dir = tempDir();

  it.each(["human", "json", "jsonl"])("writes the page with --format %s and leaves the report on stdout as it was", (format) => {
    const file = join(dir, `seeds-${format}.html`);
    const r = cli(["-f", format, SEEDS, "--report", file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const without = cli(["-f", format, SEEDS]).stdout;
    if (format === "human") expect(r.stdout).toBe(`${without}\nWrote the HTML report to ${file}\n`);
    else expect(r.stdout).toBe(without);
    const data = dataOf(file);
    expect(data.clusters.map((c) => c.m.map((m) => m[0]))).toEqual([[SEED_FILES[0]], [SEED_FILES[1]], [S003, S002], [SEED_FILES[4]]]);
    expect(data.clusters.every((c) => c.d !== undefined)).toBe(true);
    expect(data.title).toBe(`news-dedupe report: ${SEEDS}`);
    if (format === "json") {
      const many = cli(["-f", "json", ...SEED_FILES.map((f) => join(SEEDS, f)), "--report", join(dir, "many.html")]);
      expect(many.status).toBe(0);
      expect(dataOf(join(dir, "many.html")).title).toBe(`news-dedupe report: ${join(SEEDS, SEED_FILES[0]!)}, ${join(SEEDS, SEED_FILES[1]!)} and 3 more`);
    }
  });

  it("shows the matching options of the run and every skipped input with its reason", () => {
    const input = tree(join(dir, "mixed"), {
      "a.txt": readFileSync(join(SEEDS, S002), "utf8"),
      "b.txt": readFileSync(join(SEEDS, S003), "utf8"),
      "binary.txt": "some\0binary",
      "records.jsonl": '{"id":"r1","text":"a record with a few words"}\n{oops\n',
    });
    const file = join(dir, "mixed.html");
    const r = cli(["--containment", "0.7", input, "--report", file]);
    expect(r.status).toBe(0);
    const data = dataOf(file);
    expect(data.thresholds).toEqual({ containment: 0.7, lead: 0.6 });
    const html = readFileSync(file, "utf8");
    expect(html).toContain(`<td>${input}/binary.txt</td><td>binary file (it contains NUL bytes)</td><td>INPUT_BINARY</td>`);
    expect(html).toContain(`<td>${input}/records.jsonl:2</td><td>malformed JSON (Expected property name or &#39;}&#39; in JSON at position 1)</td>`);
    expect(html).toMatch(/<dt>Documents read<\/dt><dd>3<small>of 5 inputs<\/small>/);
  });

  it("shows paragraphs for the --report-diff-clusters largest clusters only", () => {
    const file = join(dir, "one.html");
    expect(cli([SEEDS, "--report", file, "--report-diff-clusters", "1"]).status).toBe(0);
    const data = dataOf(file);
    expect(data.limits.diffClusters).toBe(1);
    expect(data.clusters.map((c) => c.d)).toEqual([undefined, undefined, 0, undefined]);
  });

  it("writes the same page with or without --diff, and with one thread or two", () => {
    const corpus = join(dir, "corpus.jsonl");
    writeFileSync(corpus, syntheticCorpus(600));
    const page = (name: string, args: string[]) => {
      const file = join(dir, name);
      expect(cli([...args, corpus, "--report", file]).status).toBe(0);
      return readFileSync(file, "utf8");
    };
    const plain = page("plain.html", ["--threads", "1"]);
    expect(dataOf(join(dir, "plain.html")).diffs.length).toBeGreaterThan(100);
    expect(page("diff.html", ["--threads", "1", "--diff", "-f", "json"])).toBe(plain);
    expect(page("two.html", ["--threads", "2"])).toBe(plain);
  });

  it("overwrites an existing report only with --force, and leaves no temporary file", () => {
    const sub = join(dir, "again");
    mkdirSync(sub);
    const file = join(sub, "report.html");
    expect(cli([SEEDS, "--report", file]).status).toBe(0);
    const r = cli([SEEDS, "--report", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: report file ${file} already exists; use --force to overwrite\n`);
    writeFileSync(file, "old");
    expect(cli([SEEDS, "--report", file, "--force"]).status).toBe(0);
    expect(readFileSync(file, "utf8")).toMatch(/^<!doctype html>/);
    expect(readdirSync(sub)).toEqual(["report.html"]);
  });

  it("creates the report's missing directories, as --out does", () => {
    const file = join(dir, "new", "deeper", "report.html");
    expect(cli([SEEDS, "--report", file]).status).toBe(0);
    expect(existsSync(file)).toBe(true);
  });
});

describe("--report checked before any input is read", () => {
  const dir = tempDir();
  tree(dir, { "exists.html": "x", "file.txt": "x" });
  mkdirSync(join(dir, "folder"));
  it.each([
    ["an existing file", ["--report", join(dir, "exists.html")], `report file ${join(dir, "exists.html")} already exists; use --force to overwrite`],
    ["a directory", ["--report", join(dir, "folder")], `cannot write ${join(dir, "folder")} (it is a directory; give a file name such as report.html)`],
    ["a path under a file", ["--report", join(dir, "file.txt", "r.html")], `cannot write ${join(dir, "file.txt", "r.html")} (${join(dir, "file.txt")} is not a directory)`],
    ["stdout as the report's file", ["--report", "-"], "--report needs a file name: stdout carries the --format report"],
    ["--report-diff-clusters without --report", ["--report-diff-clusters", "5"], "--report-diff-clusters needs --report <file.html>"],
    ["a bad --report-diff-clusters", ["--report", join(dir, "r.html"), "--report-diff-clusters", "1.5"], "--report-diff-clusters must be an integer from 0 to 1000000, got 1.5"],
  ])("refuses %s at once, in one line with status 2", async (_, args, message) => {
    // stdin stays open and empty: a refusal that waited for the input would never come.
    const child = spawn(process.execPath, [BIN, ...args, "-"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(timer);
    const r = { status, stderr };
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: ${message}\n`);
    expect(hasStack(r.stderr)).toBe(false);
  });
});
