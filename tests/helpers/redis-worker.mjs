// One crawler worker of the concurrency test: its own process and connection, adding its share of the copies.
import { openIndex } from "../../dist/index.js";
import { redisStore } from "../../dist/redis.js";

process.once("message", async ({ url, prefix, docs }) => {
  const index = await openIndex(redisStore({ url, prefix }));
  process.send({ ready: true });
  await new Promise((resolve) => process.once("message", resolve)); // "go": all workers start together
  const results = [];
  for (const doc of docs) results.push({ id: doc.id, match: await index.add(doc) });
  await index.close();
  process.send({ results }, () => process.exit(0));
});
