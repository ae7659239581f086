// The signature stage of this checkout against another one (a worktree of main), in one process,
// interleaved: `node --import tsx bench/side-by-side.ts ../main [runs] [seconds] [lang]`. Articles per
// CPU second of fingerprintText() on the English bench articles (bench/speed.ts), or with a
// language code the originals of bench/multilingual.ts's corpus; medians of the runs.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { fingerprintText, forgetNarratives } from "../src/fingerprint.ts";
import { multilingualCorpus, type Lang } from "./multilingual.ts";
import { articles, median } from "./speed.ts";

const other = process.argv[2];
if (!other) throw new Error("usage: bench/side-by-side.ts <other checkout> [runs] [seconds]");
const runs = Number(process.argv[3] ?? 9);
const seconds = Number(process.argv[4] ?? 1);
const base = (await import(pathToFileURL(resolve(other, "src/fingerprint.ts")).href)) as { fingerprintText: typeof fingerprintText; forgetNarratives?: () => void };
// The articles go round and round: each side's memo of recent narratives (where it has one) is
// emptied before each call, so that every call fingerprints rather than looks up.
const oursOnce = (t: string) => (forgetNarratives(), fingerprintText(t, opts));
const theirsOnce = (t: string) => (base.forgetNarratives?.(), base.fingerprintText(t, opts));
const opts = { shingleSize: 5, numHashes: 128, seed: 1 };
const lang = process.argv[5] as Lang | undefined;
const docs = lang ? multilingualCorpus(lang, 1000).docs.filter((d) => d.ops === 1).map((d) => d.text) : articles(1000);

function rate(fn: (t: string) => unknown): number {
  for (const t of docs.slice(0, 200)) fn(t);
  let done = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) for (let k = 0; k < 16; k++) fn(docs[done++ % docs.length]!);
  const c = process.cpuUsage(c0);
  return (done * 1e6) / (c.user + c.system);
}

const ours: number[] = [];
const theirs: number[] = [];
for (let r = 0; r < runs; r++) {
  // Alternate which goes first, so a slow moment of the shared machine falls on both sides.
  if (r % 2 === 0) theirs.push(rate(theirsOnce)), ours.push(rate(oursOnce));
  else ours.push(rate(oursOnce)), theirs.push(rate(theirsOnce));
}
const m = median(ours);
const b = median(theirs);
console.log(`${lang ?? "en"}: other (${other}): ${Math.round(b)} articles/CPU s; this checkout: ${Math.round(m)} articles/CPU s; ratio ${(m / b).toFixed(3)} (medians of ${runs} interleaved runs of ${seconds} s)`);
// Each run's pair was measured back to back: the median of their ratios cancels most of the
// shared machine's slow and fast moments.
console.log(`  median of the per-run ratios: ${median(ours.map((x, i) => x / theirs[i]!)).toFixed(3)}`);
console.log(`  other runs: ${theirs.map(Math.round).join(" ")}`);
console.log(`  this runs:  ${ours.map(Math.round).join(" ")}`);
