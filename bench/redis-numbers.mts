// Redis memory per document, with number samples: the synthetic corpus (bench/corpus.ts, whose
// articles carry figures; the firehose of bench/redis.ts has no digits, so no number samples)
// added to an empty index on a server of its own, one tree at a time:
//   NEWS_DEDUPE_REDIS_URL=redis://127.0.0.1:PORT node --import tsx bench/redis-numbers.mts <tree> [documents]
// prints used_memory added per document and the records' mean length (STRLEN of {P}:d:*).
import { createClient } from "redis";
const root = process.argv[2]!;
const count = Number(process.argv[3] ?? 20000);
const url = process.env.NEWS_DEDUPE_REDIS_URL!;
const { openIndex } = await import(`${root}/src/index.ts`);
const { redisStore } = await import(`${root}/src/redis.ts`);
const { corpus } = await import(`${root}/bench/corpus.ts`);
const { docs } = corpus({ size: count, seed: 1 });
const client = await createClient({ url }).connect();
const used = async () => Number(/used_memory:(\d+)/.exec(await client.info("memory"))![1]);
const prefix = `nd-bench-numbers:${Date.now().toString(36)}`;
const before = await used();
const index = await openIndex(redisStore({ url, prefix }));
for (let i = 0; i < docs.length; i += 256) await index.addMany(docs.slice(i, i + 256).map((d: { id: string; text: string }) => ({ id: d.id, text: d.text })));
await index.close();
const after = await used();
let records = 0;
let bytes = 0;
for await (const keys of client.scanIterator({ MATCH: `{${prefix}}:d:*`, COUNT: 1000 })) {
  for (const key of [keys].flat()) {
    bytes += await client.strLen(key);
    records++;
  }
}
console.log(JSON.stringify({ tree: root, documents: count, usedPerDoc: Math.round((after - before) / count), records, recordBytes: +(bytes / records).toFixed(1) }));
await client.close();
