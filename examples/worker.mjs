// A crawler worker: adds the articles it fetched to the index that every worker shares.
//   REDIS_URL=redis://127.0.0.1:6379 node examples/worker.mjs <worker-name> <article.txt>...
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { DedupeError, openIndex } from "news-dedupe";
import { redisStore } from "news-dedupe/redis";

const [worker, ...files] = process.argv.slice(2);
const index = await openIndex(
  redisStore({
    url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    prefix: "news-example",
    ttlSeconds: 7 * 24 * 3600, // a week of news, then it expires by itself
  }),
);
try {
  for (const file of files) {
    const id = basename(file, ".txt");
    try {
      const match = await index.add({ id, text: await readFile(file, "utf8") });
      console.log(`${worker}: ${id} ${match ? `is a copy of ${match.canonical} (containment ${match.containment})` : "is new"}`);
    } catch (error) {
      // A feed delivering the same article twice: the index knows the id already.
      if (error instanceof DedupeError && error.code === "DUPLICATE_ID") console.log(`${worker}: ${id} was added before`);
      else throw error;
    }
  }
  const size = await index.size();
  console.log(`${worker}: the shared index holds ${size} article${size === 1 ? "" : "s"}`);
} finally {
  await index.close();
}
