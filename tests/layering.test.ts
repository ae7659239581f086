import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../src");

// The pipeline order: a stage may import only the foundations and the stages before it.
// options-check: the checks and merges of options.ts's options, which every stage may call.
const FOUNDATION = ["hash", "options", "options-check", "errors", "types"];
const ORDER = [
  "input", "html", "normalize", "repeats", "boilerplate", "tokenize", "stopwords", "story", "shingle", "numbers", "signature", "recent", "fingerprint",
  "candidates", "band-tables", "verify", "link", "cluster", "result", "diff/align", "diff/classify", "diff/render",
  "store/store", "match", "persist", "store/ids", "store/chunks", "store/frozen", "store/load", "store/memory", "store/memory-async", "dedupe", "incremental", "store-batch", "store-index", "explain", "report",
  // The HTML report builds on the diff stages and the report rows; its page (style, script) is plain
  // text, held in report-assets/ and joined by report-page.
  "report-assets/style", "report-assets/script-table", "report-assets/script-cluster", "report-assets/script-route",
  "report-page", "report-text", "report-charts", "report-data", "report-markup", "report-html",
];
// The edges: the command line drives the batch and the index and never reaches into a stage;
// a server store implements the storage primitives and knows nothing of matching.
const EDGES: Array<[prefix: string, allowed: string[]]> = [
  // html: the readers turn pages and WARC records into documents with the library's own fromHtml();
  // report-html: --report writes the library's page, as --format writes report's rows.
  // store/redis: --index redis://… opens the shared index (imported only when asked for).
  ["cli/", ["dedupe", "incremental", "store-index", "explain", "report", "report-html", "input", "html", "persist", "store/redis"]],
  ["store/redis", ["store/store"]],
];

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gms)].map((m) => m[1]!);
  return found.map((spec) => relative(SRC, join(file, "..", spec)).replace(/\.js$/, ""));
}

const moduleName = (file: string) => relative(SRC, file).replace(/\.ts$/, "");

describe("module layering", () => {
  it("lets each stage import only foundations and earlier stages", () => {
    const problems: string[] = [];
    for (const file of sources()) {
      const name = moduleName(file);
      const rank = ORDER.indexOf(name);
      if (rank < 0) continue; // the public entries (index, redis) may import anything; edges are checked below
      for (const dep of imports(file)) {
        if (FOUNDATION.includes(dep)) continue;
        const depRank = ORDER.indexOf(dep);
        if (depRank < 0 || depRank >= rank) problems.push(`${name} imports ${dep}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps the CLI on the drivers and a server store on the storage primitives", () => {
    const problems: string[] = [];
    for (const file of sources()) {
      const name = moduleName(file);
      const edge = EDGES.find(([prefix]) => name.startsWith(prefix));
      if (!edge) continue;
      for (const dep of imports(file)) {
        if (FOUNDATION.includes(dep) || dep.startsWith(edge[0]) || edge[1].includes(dep)) continue;
        problems.push(`${name} imports ${dep}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("places every source file: a stage in ORDER, an edge, or a public entry", () => {
    const placed = (name: string) => FOUNDATION.includes(name) || ORDER.includes(name) || EDGES.some(([p]) => name.startsWith(p)) || ["index", "redis"].includes(name);
    expect(sources().map(moduleName).filter((n) => !placed(n))).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map(sources().map((f) => [moduleName(f), imports(f)]));
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "visiting") {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
        return;
      }
      state.set(node, "visiting");
      for (const dep of graph.get(node) ?? []) visit(dep, [...path, node]);
      state.set(node, "done");
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("never imports the top-level natural package (slow, prints to stdout)", () => {
    for (const file of sources()) expect(readFileSync(file, "utf8")).not.toMatch(/from\s+"natural"|require\("natural"\)/);
  });
});
