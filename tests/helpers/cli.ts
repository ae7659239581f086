// Helpers for the CLI tests: spawn the built CLI (bin/news-dedupe.js → dist/), make temp trees.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";

export const ROOT = join(import.meta.dirname, "../..");
export const BIN = join(ROOT, "bin/news-dedupe.js");
export const SEEDS = "test-data/seeds";
export const SEED_FILES = [
  "000_af2b7980db6a60f6.txt",
  "001_b148b795286accaa.txt",
  "002_15595de7b2b82864.txt",
  "003_f9f8a215f32f7d64.txt",
  "004_165a98ffcd64dbf1.txt",
];

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the built CLI to completion, from the repository root unless `cwd` is given. */
export function cli(args: readonly string[], options: { input?: string | Buffer; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? "",
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    // A hang fails the test instead of blocking the whole run (spawnSync ignores the test timeout).
    timeout: 30_000,
    killSignal: "SIGKILL",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking the test's event loop (for tests that act while it runs). */
export function cliAsync(args: readonly string[], options: { cwd?: string; nodeArgs?: string[] } = {}) {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, done };
}

/** A user error never shows a stack trace: no "    at f (file:line)" frames. */
export function hasStack(stderr: string): boolean {
  return /^\s+at .+:\d+/m.test(stderr) || /internal error/.test(stderr);
}

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = "nd-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Write `files` (relative path → content) under `dir`, creating directories. */
export function tree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function parseJsonl(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A deterministic corpus of `n` JSONL records built from the seed paragraphs: about a third are edited copies of earlier records. */
export function syntheticCorpus(n: number, seed = 1): string {
  const paras = SEED_FILES.flatMap((f) =>
    readFileSync(join(ROOT, SEEDS, f), "utf8")
      .split(/\n+/)
      .map((p) => p.trim())
      .filter((p) => p.split(" ").length >= 8),
  );
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const texts: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    let text: string;
    if (i > 0 && random() < 0.35) {
      text = `${pick(texts)}\n\n${pick(paras)}`;
    } else {
      const words = Array.from({ length: 4 + Math.floor(random() * 5) }, () => pick(paras))
        .join("\n\n")
        .split(" ");
      // Shuffle a few words so that documents built from the same paragraphs still differ.
      for (let k = 0; k < 12; k++) words[Math.floor(random() * words.length)] = `w${Math.floor(random() * 1e6)}`;
      text = words.join(" ");
    }
    texts.push(text);
    lines.push(JSON.stringify({ id: `doc-${i}`, text }));
  }
  return lines.join("\n") + "\n";
}
