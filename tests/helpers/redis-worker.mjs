// One crawler worker of the concurrency tests: its own process and connection, adding its share of the copies
// one by one, or with addMany in batches of `batch`.
import { openIndex } from "../../dist/index.js";
import { redisStore } from "../../dist/redis.js";

process.once("message", async ({ url, prefix, docs, batch }) => {
  const index = await openIndex(redisStore({ url, prefix }));
  process.send({ ready: true });
  await new Promise((resolve) => process.once("message", resolve)); // "go": all workers start together
  const results = [];
  if (batch) {
    for (let i = 0; i < docs.length; i += batch) {
      const share = docs.slice(i, i + batch);
      const matches = await index.addMany(share);
      share.forEach((doc, j) => results.push({ id: doc.id, match: matches[j] }));
    }
  } else for (const doc of docs) results.push({ id: doc.id, match: await index.add(doc) });
  await index.close();
  process.send({ results }, () => process.exit(0));
});
