// The issue-16 sections in a process of their own, so that its resident memory is the index's:
//   node --expose-gc --import tsx bench/scale-run.mts [documents] [adds] [days] [perDay]
// prints one JSON line for the index at scale, then one per day of the window replay
// (bench/run.ts runs it through scaleInChild() in bench/scale.ts).
import { indexAtScale, windowReplay } from "./scale.ts";
const [docs = 1_000_000, adds = 2000, days = 40, perDay = 25_000] = process.argv.slice(2).map(Number);
console.log(JSON.stringify(await indexAtScale(docs, adds)));
globalThis.gc?.();
for (const d of windowReplay(days, perDay, 30)) console.log(JSON.stringify(d));
