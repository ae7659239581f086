import { createRequire } from "node:module";
import fc from "fast-check";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { createIndex, DedupeError, memoryStore, openIndex, type AsyncDedupeIndex, type DedupeOptions, type Store } from "../src/index.js";
import { redisStore } from "../src/redis.js";
import { prefix, sharedRedis } from "./helpers/redis.js";
import { seeds } from "./helpers/seeds.js";
import { random, syndicatedStories } from "./helpers/stories.js";

const redis = await sharedRedis();
afterAll(() => redis?.stop());

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof DedupeError ? e.code : `not a DedupeError: ${String(e)}`;
  }
  return undefined;
}

const stores: Array<[string, (name: string) => Store]> = [
  ["memory", () => memoryStore()],
  ...(redis ? [["redis", (name: string) => redisStore({ url: redis.url, prefix: prefix(name) })] as [string, (name: string) => Store]] : []),
];

const require = createRequire(import.meta.url);
const { Minhash } = require("minhash") as { Minhash: new () => { update(s: string): void; hashvalues: number[] } };

// The same behaviour from every store: what the in-memory index does, the shared one does.
describe.each(stores)("index store contract: %s", (_name, store) => {
  const open: Array<AsyncDedupeIndex> = [];
  const make = async (name: string, options: DedupeOptions = {}) => {
    const index = await openIndex(store(name), options);
    open.push(index);
    return index;
  };
  afterAll(async () => {
    await Promise.all(open.map((i) => i.close()));
  });

  it("recognises the second AFP Odesa copy as a duplicate of the first seen", async () => {
    const index = await make("afp");
    const answers = [];
    for (const s of seeds()) answers.push([s.id, (await index.add(s))?.canonical ?? null]);
    expect(answers).toEqual([["000", null], ["001", null], ["002", null], ["003", "002"], ["004", null]]);
    expect(await index.canonicalOf("003")).toBe("002");
    expect(await index.canonicalOf("002")).toBe("002");
    expect(await index.canonicalOf("nope")).toBeUndefined();
    expect(await index.size()).toBe(5);
  });

  it("answers query() without remembering the document", async () => {
    const index = await make("query");
    const [, , afp1, afp2] = seeds();
    await index.add(afp1!);
    const match = (await index.query(afp2!))!;
    expect(match.canonical).toBe("002");
    expect(match.containment).toBeGreaterThan(0.6);
    expect(await index.has("003")).toBe(false);
    expect(await index.size()).toBe(1);
  });

  it("answers a query for a document it holds with that document's canonical", async () => {
    const index = await make("query-held");
    const [, , afp1, afp2] = seeds();
    await index.add(afp1!);
    const copy = await index.add(afp2!);
    expect(await index.query(afp1!)).toEqual({ canonical: "002", jaccard: 1, containment: 1 });
    expect(await index.query(afp2!)).toEqual(copy);
  });

  it("refuses an id it has already seen, naming it", async () => {
    const index = await make("dup");
    await index.add({ id: "a", text: "some words" });
    await expect(index.add({ id: "a", text: "other words" })).rejects.toThrow('document "a" has the same id as document #0 in the index');
    expect(await index.size()).toBe(1);
  });

  it("numbers plain-string documents by their position, as dedupe() does", async () => {
    const index = await make("strings");
    const [, , afp1, afp2] = seeds();
    expect(await index.add(afp1!.text)).toBeNull();
    expect((await index.add(afp2!.text))?.canonical).toBe("0");
    expect(await index.canonicalOf(1)).toBe("0");
  });

  it("keeps a document without words, matching nothing", async () => {
    const index = await make("empty");
    expect(await index.add({ id: "e", text: "" })).toBeNull();
    expect(await index.add({ id: "f", text: "   " })).toBeNull();
    expect(await index.canonicalOf("f")).toBe("f");
    expect(await index.size()).toBe(2);
  });

  it("refuses to mix minhash signatures with its own, and bad signatures", async () => {
    const index = await make("scheme");
    const m = new Minhash();
    "one two three four five six".split(" ").forEach((w) => m.update(w));
    await index.add({ id: "a", hashvalues: m.hashvalues });
    await expect(index.add({ id: "b", text: "one two three four five six" })).rejects.toThrow(
      'document "b" cannot be added: it carries a news-dedupe signature and the index holds minhash signatures',
    );
    expect(await code(index.add({ id: "c", hashvalues: [1, 2, 3] }))).toBe("INVALID_SIGNATURE");
    expect(await code(index.add({ id: "", text: "x" } as never))).toBe("INVALID_ID");
  });

  it("gives the in-memory index's answers on the same input order (200 syndicated stories)", async () => {
    const index = await make("equal");
    const memory = createIndex();
    const docs = syndicatedStories(200, 11).flatMap((s) => s.copies);
    const rnd = random(3);
    for (let i = docs.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [docs[i], docs[j]] = [docs[j]!, docs[i]!];
    }
    let duplicates = 0;
    for (const doc of docs) {
      const expected = memory.add(doc);
      if (expected) duplicates++;
      expect(await index.add(doc)).toEqual(expected);
    }
    expect(duplicates).toBeGreaterThan(docs.length - 200 - 10);
    for (const doc of docs.slice(0, 50)) expect(await index.canonicalOf(doc.id)).toBe(memory.canonicalOf(doc.id));
    expect(await index.size()).toBe(memory.size);
  });

  it("gives the in-memory index's answers for any sequence of adds and queries (property)", async () => {
    const word = fc.constantFrom("nato", "rutte", "kyiv", "peace", "talks", "odesa", "drone", "said", "the", "of");
    const text = fc.array(word, { minLength: 0, maxLength: 40 }).map((w) => w.join(" "));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 12 }), fc.array(text, { maxLength: 4 }), async (added, asked) => {
        const index = await make(`prop${run++}`, { numHashes: 32 });
        const memory = createIndex({ numHashes: 32 });
        for (let i = 0; i < added.length; i++) expect(await index.add({ id: `d${i}`, text: added[i]! })).toEqual(memory.add({ id: `d${i}`, text: added[i]! }));
        for (const t of asked) expect(await index.query(t)).toEqual(memory.query(t));
        for (let i = 0; i < added.length; i++) expect(await index.query({ id: `d${i}`, text: added[i]! })).toEqual(memory.query({ id: `d${i}`, text: added[i]! }));
        await index.close();
      }),
      { numRuns: 25 },
    );
  });

  it("takes 500 identical adds as exact duplicates of the first, keeping each one's record", async () => {
    const index = await make("identical");
    const text = "The same cookie wall, saved by the crawler for every page of the site.";
    expect(await index.add({ id: "page0", text })).toBeNull();
    for (let i = 1; i < 500; i++) expect(await index.add({ id: `page${i}`, text })).toEqual({ canonical: "page0", jaccard: 1, containment: 1 });
    expect(await index.size()).toBe(500);
    expect(await index.canonicalOf("page499")).toBe("page0");
    expect(await index.query({ id: "q", text })).toEqual({ canonical: "page0", jaccard: 1, containment: 1 });
  });

  it("refuses every call after close()", async () => {
    const index = await make("closed");
    await index.add({ id: "a", text: "some words here" });
    await index.close();
    await index.close();
    await expect(index.add({ id: "b", text: "more words" })).rejects.toThrow(/index store failed: .*closed/);
    expect(await code(index.query("anything"))).toBe("INDEX_STORE");
    expect(await code(index.has("a"))).toBe("INDEX_STORE");
  });
});

describe("openIndex(store, options)", () => {
  it("refuses a store that is not one, and unknown index options, by rejecting", async () => {
    await expect(openIndex({} as Store)).rejects.toThrow("option store must be a store such as memoryStore() or redisStore({ url })");
    for (const store of stores.map(([, make]) => make("bad-options"))) {
      await expect(openIndex(store, { shingles: 3 } as DedupeOptions)).rejects.toThrow("option shingles is not a known option");
    }
  });

  it("is not createIndex(), which is synchronous and in memory: a store given there is refused with the way to open it", () => {
    expect(() => createIndex({ store: memoryStore() } as DedupeOptions)).toThrow("option store is not an option of createIndex(): open a store with openIndex(store, options)");
  });
});

describe.skipIf(!redis)("redis store: one index, many handles", () => {
  const url = redis?.url ?? "";

  it("shares what one handle adds with another opened on the same prefix", async () => {
    const name = prefix("two-handles");
    const [a, b] = await Promise.all([openIndex(redisStore({ url, prefix: name })), openIndex(redisStore({ url, prefix: name }))]);
    const [, , afp1, afp2] = seeds();
    expect(await a.add(afp1!)).toBeNull();
    expect((await b.add(afp2!))?.canonical).toBe("002");
    expect(await a.canonicalOf("003")).toBe("002");
    expect(await a.size()).toBe(2);
    await Promise.all([a.close(), b.close()]);
  });

  it("keeps the options an index was created with, and refuses different ones", async () => {
    const name = prefix("options");
    const first = await openIndex(redisStore({ url, prefix: name }), { numHashes: 64, seed: 5 });
    const adopted = await openIndex(redisStore({ url, prefix: name }));
    expect(adopted.options).toEqual(first.options);
    await expect(openIndex(redisStore({ url, prefix: name }), { numHashes: 128 })).rejects.toThrow(
      `index store failed: the index "${name}" on ${url} was created with numHashes 64, seed 5, not numHashes 128, seed 1: open it with its options (or none)`,
    );
    await Promise.all([first.close(), adopted.close()]);
  });

  it("keeps indexes under prefixes that extend each other apart (\"ov\" and \"ov:d\")", async () => {
    const base = prefix("ov");
    const [outer, inner] = await Promise.all([openIndex(redisStore({ url, prefix: base })), openIndex(redisStore({ url, prefix: `${base}:d` }))]);
    // The inner prefix's keys would be documents of the outer one if prefixes were not delimited.
    await inner.add({ id: "meta", text: "an article whose id is a key name" });
    await outer.add({ id: "meta", text: "another article" });
    await outer.add({ id: "x", text: "and a third" });
    expect([await outer.size(), await inner.size()]).toEqual([2, 1]);
    await Promise.all([outer.close(), inner.close()]);
  });

  it("keeps its keys under its prefix", async () => {
    const name = prefix("keys");
    const index = await openIndex(redisStore({ url, prefix: name }));
    for (const s of seeds()) await index.add(s);
    await index.close();
    const client = await createClient({ url }).on("error", () => undefined).connect();
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `{${name}}:*`, COUNT: 1000 })) keys.push(...batch);
    await client.close();
    const kinds = new Set(keys.map((k) => k.slice(name.length + 3).split(":")[0]));
    expect([...kinds].sort()).toEqual(["b", "d", "i", "log", "meta", "t0", "x"]);
    expect(keys.filter((k) => k.startsWith(`{${name}}:d:`)).sort()).toEqual(seeds().map((s) => `{${name}}:d:${s.id}`));
  });
});
