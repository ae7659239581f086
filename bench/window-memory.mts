// Memory of an index with a window over a long run: the process RSS against the bytes of its
// typed arrays (process.memoryUsage().arrayBuffers), every 5 days, after a full GC.
//   node --expose-gc --import tsx bench/window-memory.mts [days] [perDay] [window days]
import { createIndex } from "../src/index.ts";
import { storySignature } from "./scale.ts";
const DAY = 86_400_000;
const [days = 60, perDay = 50_000, window = 10] = process.argv.slice(2).map(Number);
const index = createIndex({ window: `${window}d` });
let story = 0;
for (let day = 0; day < days; day++) {
  for (let i = 0; i < perDay; i++, story++) {
    index.add({ id: `d${day}-${i}`, hashvalues: storySignature(story, 0), size: 400, time: day * DAY + Math.floor((i * DAY) / perDay) });
  }
  if (day % 5 === 4) {
    globalThis.gc?.();
    const m = process.memoryUsage();
    console.log(JSON.stringify({ day: day + 1, documents: index.size, rssMiB: Math.round(m.rss / 2 ** 20), arrayBuffersMiB: Math.round(m.arrayBuffers / 2 ** 20), heapMiB: Math.round(m.heapUsed / 2 ** 20) }));
  }
}
