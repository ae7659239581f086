// Real news pages: ../shared/realdev (labelled excerpts, kept outside the project) scored the way its
// score.py scores a clustering, for the batch and for the index adding documents in file-name order.
// `node --import tsx bench/realdev.ts [-v]` prints the scores, per-story recall and every wrong pair;
// `--seeds N [--options JSON]` the spread over hash seeds 1..N (with those options), `--ablation`
// each rule alone and taken out.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createIndex, dedupe, type DedupeOptions } from "../src/index.ts";

export const REALDEV = join(import.meta.dirname, "../../shared/realdev");

export interface Label {
  id: string;
  story: string | null;
  kind: "copy" | "rewrite" | "independent" | "singleton" | "other-language";
}

export interface RealSet {
  docs: Array<{ id: string; text: string }>;
  labels: Map<string, Label>;
}

/** The labelled set in `dir` (docs/*.txt and labels.jsonl), or null when it is not there. */
export function loadRealSet(dir = REALDEV): RealSet | null {
  if (!existsSync(join(dir, "labels.jsonl")) || !existsSync(join(dir, "docs"))) return null;
  const labels = new Map<string, Label>();
  for (const line of readFileSync(join(dir, "labels.jsonl"), "utf8").split("\n")) {
    if (line.trim()) {
      const r = JSON.parse(line) as Label;
      labels.set(r.id, r);
    }
  }
  const docs = readdirSync(join(dir, "docs"))
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => ({ id: f.slice(0, -4), text: readFileSync(join(dir, "docs", f), "utf8") }));
  return { docs, labels };
}

export interface RealScore {
  precision: number;
  recall: number;
  f1: number;
  fp: Array<[string, string]>;
  fn: Array<[string, string]>;
  rewriteRecall: number;
}

/** score.py's rules: copy pairs of one story are positives, pairs with a rewrite are neutral, other languages ignored. */
export function scoreClusters(groups: ReadonlyArray<readonly string[]>, labels: ReadonlyMap<string, Label>): RealScore {
  const cluster = new Map<string, number>();
  groups.forEach((g, k) => g.forEach((id) => cluster.set(id, k)));
  let next = groups.length;
  for (const id of labels.keys()) if (!cluster.has(id)) cluster.set(id, next++);
  const ids = [...labels.keys()].filter((id) => labels.get(id)!.kind !== "other-language").sort();
  let tp = 0;
  let rwAll = 0;
  let rwTp = 0;
  const fp: Array<[string, string]> = [];
  const fn: Array<[string, string]> = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = labels.get(ids[i]!)!;
      const b = labels.get(ids[j]!)!;
      const sameStory = a.story !== null && a.story === b.story;
      const together = cluster.get(a.id) === cluster.get(b.id);
      const kinds = new Set([a.kind, b.kind]);
      if (sameStory && kinds.size === 1 && kinds.has("copy")) {
        if (together) tp++;
        else fn.push([a.id, b.id]);
      } else if (sameStory && kinds.has("rewrite") && [...kinds].every((k) => k === "copy" || k === "rewrite")) {
        rwAll++;
        if (together) rwTp++;
      } else if (together) fp.push([a.id, b.id]);
    }
  }
  const precision = tp + fp.length === 0 ? 1 : tp / (tp + fp.length);
  const recall = tp + fn.length === 0 ? 1 : tp / (tp + fn.length);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, fp, fn, rewriteRecall: rwAll ? rwTp / rwAll : NaN };
}

/** Clusters of the batch (dedupe) and of the index adding the documents in file-name order. */
export function realdevRuns(set: RealSet, options: DedupeOptions = {}): { batch: string[][]; index: string[][] } {
  const batch = dedupe(set.docs, options).clusters.map((c) => c.members.map((m) => m.id));
  const index = createIndex(options);
  const byCanonical = new Map<string, string[]>();
  for (const d of set.docs) {
    const canonical = index.add(d)?.canonical ?? d.id;
    (byCanonical.get(canonical) ?? byCanonical.set(canonical, []).get(canonical)!).push(d.id);
  }
  return { batch, index: [...byCanonical.values()] };
}

export function scoreLine(name: string, s: RealScore): string {
  return `${name}: P=${s.precision.toFixed(3)} R=${s.recall.toFixed(3)} F1=${s.f1.toFixed(3)} FP=${s.fp.length} FN=${s.fn.length} rewrite-recall=${s.rewriteRecall.toFixed(2)}`;
}

/**
 * The same runs under `seeds` hash seeds (1..seeds): which copies a signature finds, and an
 * index's estimates, depend on the seed, and a held-out set is scored under seed 1 as if it were
 * another draw. Per kind: F1 over the seeds, false merges summed, and the copy pairs missed under
 * most seeds (at a threshold, not by luck).
 */
export interface SeedSpread {
  kind: "batch" | "index";
  f1: number[];
  falseMerges: Array<{ seed: number; pair: [string, string] }>;
  /** Copy pairs missed, with the number of seeds that missed them, most often first. */
  missed: Array<{ pair: string; seeds: number }>;
}

export function seedSpread(set: RealSet, seeds = 20, options: DedupeOptions = {}): SeedSpread[] {
  const out: SeedSpread[] = [
    { kind: "batch", f1: [], falseMerges: [], missed: [] },
    { kind: "index", f1: [], falseMerges: [], missed: [] },
  ];
  const missed = [new Map<string, number>(), new Map<string, number>()];
  for (let seed = 1; seed <= seeds; seed++) {
    const runs = realdevRuns(set, { ...options, seed });
    [runs.batch, runs.index].forEach((groups, k) => {
      const s = scoreClusters(groups, set.labels);
      out[k]!.f1.push(s.f1);
      for (const pair of s.fp) out[k]!.falseMerges.push({ seed, pair });
      for (const [a, b] of s.fn) missed[k]!.set(`${a}~${b}`, (missed[k]!.get(`${a}~${b}`) ?? 0) + 1);
    });
  }
  out.forEach((o, k) => (o.missed = [...missed[k]!].map(([pair, n]) => ({ pair, seeds: n })).sort((x, y) => y.seeds - x.seeds || (x.pair < y.pair ? -1 : 1))));
  return out;
}

/** seedSpread() as a Markdown table and a line per kind of the pairs missed most often. */
export function seedSpreadTable(set: RealSet, seeds = 20, options: DedupeOptions = {}): string[] {
  const spread = seedSpread(set, seeds, options);
  const rows = ["| | F1 seed 1 | median | mean | min | max | false merges, all seeds |", "|---|---|---|---|---|---|---|"];
  for (const s of spread) {
    const sorted = [...s.f1].sort((a, b) => a - b);
    const mean = s.f1.reduce((t, v) => t + v, 0) / s.f1.length;
    const cells = [s.f1[0]!, sorted[Math.floor(sorted.length / 2)]!, mean, sorted[0]!, sorted[sorted.length - 1]!].map((v) => v.toFixed(3));
    rows.push(`| ${s.kind} | ${cells.join(" | ")} | ${s.falseMerges.length} |`);
  }
  rows.push("");
  for (const s of spread) {
    const often = s.missed.filter((m) => m.seeds * 2 > seeds);
    const sometimes = s.missed.length - often.length;
    rows.push(`- ${s.kind}: missed under most seeds: ${often.map((m) => `${m.pair} (${m.seeds})`).join(", ") || "none"}; ${sometimes} more pairs missed under fewer.`);
  }
  return rows;
}

const RULES = ["storyText", "quotes", "numbers", "lead", "families"] as const;

/**
 * Each rule of the evidence model measured alone (only it on) and taken out of the whole (all
 * but it on), batch and index, as a Markdown table.
 */
export function ablation(set: RealSet): string[] {
  const rows: Array<[string, Record<string, boolean>]> = [
    ["no rule", Object.fromEntries(RULES.map((r) => [r, false]))],
    ...RULES.map((rule): [string, Record<string, boolean>] => [`${rule} alone`, Object.fromEntries(RULES.map((r) => [r, r === rule]))]),
    ...RULES.map((rule): [string, Record<string, boolean>] => [`all but ${rule}`, Object.fromEntries(RULES.map((r) => [r, r !== rule]))]),
    ["all rules (default)", {}],
  ];
  const out = ["| rules | batch P | R | F1 | false merges | index P | R | F1 | false merges |", "|---|---|---|---|---|---|---|---|---|"];
  for (const [name, rules] of rows) {
    const runs = realdevRuns(set, { rules });
    const b = scoreClusters(runs.batch, set.labels);
    const x = scoreClusters(runs.index, set.labels);
    const cells = (s: RealScore) => [s.precision, s.recall, s.f1].map((v) => v.toFixed(3)).concat(String(s.fp.length));
    out.push(`| ${name} | ${[...cells(b), ...cells(x)].join(" | ")} |`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const set = loadRealSet();
  if (!set) {
    console.log(`no labelled set at ${REALDEV}`);
    process.exit(0);
  }
  const verbose = process.argv.includes("-v");
  if (process.argv.includes("--ablation")) {
    for (const line of ablation(set)) console.log(line);
    process.exit(0);
  }
  const seedsAt = process.argv.indexOf("--seeds");
  if (seedsAt >= 0) {
    const n = Number(process.argv[seedsAt + 1] ?? 20);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--seeds wants a whole number of seeds, got ${process.argv[seedsAt + 1]}`);
    const optionsAt = process.argv.indexOf("--options");
    const options = optionsAt >= 0 ? (JSON.parse(process.argv[optionsAt + 1] ?? "{}") as DedupeOptions) : {};
    for (const line of seedSpreadTable(set, n, options)) console.log(line);
    process.exit(0);
  }
  const runs = realdevRuns(set);
  for (const [name, groups] of Object.entries(runs)) {
    const s = scoreClusters(groups, set.labels);
    console.log(scoreLine(name, s));
    if (!verbose) continue;
    for (const [a, b] of s.fp) console.log(`  FP ${a} ${b}`);
    const missed = new Map<string, number>();
    for (const [a] of s.fn) missed.set(set.labels.get(a)!.story!, (missed.get(set.labels.get(a)!.story!) ?? 0) + 1);
    console.log(`  FN by story: ${[...missed].map(([k, v]) => `${k}:${v}`).join(" ")}`);
  }
}
