// Profile: run the CLI under `node --cpu-prof` and sum self time per source file (one file per
// pipeline stage) and per function, over the main thread and every worker thread.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename } from "node:path";

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Seconds of CPU samples per place: a src/ file (a stage), "node internals", "GC", "idle". */
  byFile: Array<{ place: string; seconds: number; share: number }>;
  /** The functions with the most self time. */
  topFunctions: Array<{ fn: string; seconds: number; share: number }>;
  threads: number;
  totalSeconds: number;
}

function place(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "GC";
  if (fn === "(idle)") return "idle (waiting)";
  if (fn === "(program)") return "V8 (program)";
  const m = /\/dist\/(.+)\.js$/.exec(url);
  if (m) return `src/${m[1]}.ts`;
  if (url.startsWith("node:")) return "node internals";
  if (url.includes("node_modules")) return `npm: ${url.split("node_modules/")[1]!.split("/")[0]}`;
  return url ? basename(url) : "native / builtins";
}

/** Run `node --cpu-prof bin/news-dedupe.js <args>` (output discarded) and summarize the profiles. */
export function profileCli(args: readonly string[]): ProfileSummary {
  const dir = mkdtempSync(`${tmpdir()}/nd-prof-`);
  const run = spawnSync("node", ["--cpu-prof", `--cpu-prof-dir=${dir}`, "bin/news-dedupe.js", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`profiled CLI run failed: ${run.stderr}`);
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const byPlace = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(`${dir}/${f}`, "utf8")) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
    p.samples.forEach((id, i) => {
      const frame = nodes.get(id)!;
      const us = p.timeDeltas[i] ?? 0;
      const where = place(frame.url, frame.functionName);
      byPlace.set(where, (byPlace.get(where) ?? 0) + us);
      if (where.startsWith("src/") || where === "node internals" || where === "native / builtins") {
        const fn = `${frame.functionName || "(anonymous)"} (${where}:${frame.lineNumber + 1})`;
        byFn.set(fn, (byFn.get(fn) ?? 0) + us);
      }
      total += us;
    });
  }
  rmSync(dir, { recursive: true, force: true });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    byFile: sorted(byPlace).map(([place, us]) => ({ place, seconds: us / 1e6, share: us / total })),
    topFunctions: sorted(byFn)
      .slice(0, 12)
      .map(([fn, us]) => ({ fn, seconds: us / 1e6, share: us / total })),
    threads: files.length,
    totalSeconds: total / 1e6,
  };
}
