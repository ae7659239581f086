// Run the issue-16 sections alone (bench/run.ts runs them inside the full bench, which rewrites
// bench/RESULTS.md): node --expose-gc --import tsx bench/scale-run.mts [documents] [days] [perDay]
import { indexAtScale, windowReplay } from "./scale.ts";
const [docs = 1_000_000, days = 40, perDay = 25_000] = process.argv.slice(2).map(Number);
console.log(JSON.stringify(await indexAtScale(docs, 2000)));
for (const d of windowReplay(days, perDay, 30)) console.log(JSON.stringify(d));
