import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createIndex, DedupeError, memoryStore, openIndex, type AsyncDedupeIndex, type DedupeOptions, type IndexDoc, type Match, type Store } from "../src/index.js";
import { redisStore } from "../src/redis.js";
import { prefix, sharedRedis } from "./helpers/redis.js";
import { seeds } from "./helpers/seeds.js";
import { random, syndicatedStories } from "./helpers/stories.js";

const redis = await sharedRedis();
afterAll(() => redis?.stop());

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

const stores: Array<[string, (name: string) => Store]> = [
  ["memory (one by one underneath)", () => memoryStore()],
  ...(redis ? [["redis", (name: string) => redisStore({ url: redis.url, prefix: prefix(name) })] as [string, (name: string) => Store]] : []),
];

/** Split `docs` into batches of random sizes (1 to `most`), the same for a given seed. */
function batches<T>(docs: readonly T[], seed: number, most: number): T[][] {
  const rnd = random(seed);
  const out: T[][] = [];
  for (let i = 0; i < docs.length; ) {
    const n = 1 + Math.floor(rnd() * most);
    out.push(docs.slice(i, i + n));
    i += n;
  }
  return out;
}

async function addInBatches(index: AsyncDedupeIndex, docs: readonly IndexDoc[], seed: number, most: number): Promise<Array<Match | null>> {
  const answers: Array<Match | null> = [];
  for (const batch of batches(docs, seed, most)) answers.push(...(await index.addMany(batch)));
  return answers;
}

describe.each(stores)("addMany on %s", (name, store) => {
  const open: AsyncDedupeIndex[] = [];
  const make = async (label: string, options: DedupeOptions = {}) => {
    const index = await openIndex(store(`${name}-${label}`), options);
    open.push(index);
    return index;
  };
  afterAll(async () => {
    await Promise.all(open.map((i) => i.close()));
  });

  it("gives add()'s answers one after the other, copies inside one batch included (300 syndicated copies)", async () => {
    const docs = syndicatedStories(80, 5).flatMap((s) => s.copies);
    const rnd = random(9);
    for (let i = docs.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [docs[i], docs[j]] = [docs[j]!, docs[i]!];
    }
    const memory = createIndex();
    const expected = docs.map((d) => memory.add(d));
    const index = await make("equal");
    expect(await addInBatches(index, docs, 1, 64)).toEqual(expected);
    expect(expected.filter((m) => m !== null).length).toBeGreaterThan(docs.length / 2);
    for (const d of docs) expect(await index.canonicalOf(d.id)).toBe(memory.canonicalOf(d.id));
    expect(await index.size()).toBe(memory.size);
  });

  it("matches every copy in one batch to the first of them, as one by one", async () => {
    const story = seeds()[2]!.text;
    const copies = Array.from({ length: 12 }, (_, i) => ({ id: `site-${i}`, text: i % 3 === 0 ? story : `Site ${i}\n\n${story}` }));
    const index = await make("one-batch");
    const answers = await index.addMany(copies);
    expect(answers[0]).toBeNull();
    expect(answers.slice(1).map((a) => a?.canonical)).toEqual(copies.slice(1).map(() => "site-0"));
  });

  it("gives add()'s answers for any documents, batches and times, with or without a window (property)", async () => {
    const word = fc.constantFrom("nato", "rutte", "kyiv", "peace", "talks", "odesa", "drone", "said", "the", "of", "port", "grain");
    const text = fc.array(word, { minLength: 0, maxLength: 30 }).map((w) => w.join(" "));
    const doc = fc.record({ text, copyOf: fc.option(fc.nat(20), { nil: undefined }), dt: fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined }) });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { maxLength: 24 }), fc.constantFrom(null, 2 * DAY), fc.integer({ min: 1, max: 8 }), async (list, window, most) => {
        const options = { numHashes: 32, window };
        let clock = T0;
        const docs: IndexDoc[] = list.map((d, i) => {
          if (d.dt !== undefined) clock += d.dt * DAY;
          const source = d.copyOf !== undefined && d.copyOf < i ? list[d.copyOf]!.text : d.text;
          return { id: `d${i}`, text: source, ...(d.dt === undefined ? {} : { time: clock }) };
        });
        const memory = createIndex(options);
        const expected = docs.map((d) => memory.add(d));
        const index = await make(`prop${run++}`, options);
        expect(await addInBatches(index, docs, run, most)).toEqual(expected);
        expect(await index.size()).toBe(memory.size);
        for (const d of docs as Array<{ id: string }>) expect(await index.has(d.id)).toBe(memory.has(d.id));
      }),
      { numRuns: 30 },
    );
  });

  it("checks every document before writing any: a bad one fails the call and nothing is added", async () => {
    const index = await make("bad");
    const error = await index.addMany([{ id: "a", text: "one two three four" }, { id: "", text: "x" } as never]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DedupeError);
    expect((error as DedupeError).code).toBe("INVALID_ID");
    await expect(index.addMany([{ id: "b", text: "some words" }, { id: "b", text: "other words" }])).rejects.toThrow('document "b" has the same id as document #0 of this addMany() call');
    expect(await index.size()).toBe(0);
  });

  it("refuses an id already in the index, naming it, after adding the others", async () => {
    const index = await make("dup");
    await index.add({ id: "a", text: "an article about grain at the port" });
    await expect(index.addMany([{ id: "b", text: "another article" }, { id: "a", text: "a third one" }, { id: "c", text: "and a fourth" }])).rejects.toThrow(
      'document "a" has the same id as document #0 in the index',
    );
    expect([await index.has("b"), await index.has("c"), await index.size()]).toEqual([true, true, 3]);
  });
});

describe.skipIf(!redis)("the window on Redis", () => {
  const [, , afp1, afp2] = seeds();
  const url = redis?.url ?? "";
  const story = (seed: number) => Array.from({ length: 60 }, (_, i) => `w${((seed * 7919 + i * 104729) % 5000).toString(36)}`).join(" ") + ".";

  it("reports a copy of an evicted document as new and a copy inside the window as a copy, forgetting its entries", async () => {
    const name = prefix("window");
    const index = await openIndex(redisStore({ url, prefix: name }), { window: "30d" });
    expect(await index.add({ ...afp1!, time: T0 })).toBeNull();
    expect((await index.add({ id: "003-day-29", text: afp2!.text, time: T0 + 29 * DAY }))?.canonical).toBe("002");
    expect(await index.add({ id: "other", text: story(9), time: T0 + 31 * DAY })).toBeNull();
    expect(await index.has("002")).toBe(false);
    expect((await index.add({ id: "003-day-31", text: afp2!.text, time: T0 + 31 * DAY }))?.canonical).toBe("003-day-29");
    await index.add({ id: "later", text: story(10), time: T0 + 62 * DAY });
    expect(await index.add({ id: "003-day-62", text: afp2!.text, time: T0 + 62 * DAY })).toBeNull();
    expect(await index.size()).toBe(2);
    // Every band and content-key entry left belongs to a live document: 2 documents, 2 × 44 entries at most.
    expect(await index.evict(T0 + 100 * DAY)).toBe(2);
    expect(await index.size()).toBe(0);
    await index.close();
  });

  it("forgets with evict(before), returns the count, takes the ids again, and forgets documents without a time first", async () => {
    const index = await openIndex(redisStore({ url, prefix: prefix("evict") }));
    await index.add({ id: "undated", text: story(0) });
    await index.addMany([
      { id: "a", text: story(1), time: "2026-11-01" },
      { id: "b", text: story(2), time: "2026-11-02" },
      { id: "c", text: story(3), time: "2026-11-03" },
    ]);
    expect(await index.evict("2026-11-03")).toBe(3);
    expect([await index.has("undated"), await index.has("a"), await index.has("b"), await index.has("c"), await index.size()]).toEqual([false, false, false, true, 1]);
    expect(await index.evict(new Date("2026-11-03"))).toBe(0);
    expect(await index.add({ id: "a", text: story(1), time: "2026-11-04" })).toBeNull();
    expect((await index.add({ id: "a2", text: story(1), time: "2026-11-04" }))?.canonical).toBe("a");
    await index.close();
  });

  it("holds what the in-memory index holds under a window, through thousands of adds in batches and out-of-order times", async () => {
    const options = { window: 3 * DAY };
    const memory = createIndex(options);
    const index = await openIndex(redisStore({ url, prefix: prefix("window-long") }), options);
    const rnd = random(77);
    const docs: IndexDoc[] = [];
    let clock = T0;
    for (let i = 0; i < 2000; i++) {
      clock += Math.floor((rnd() - 0.2) * 3_600_000);
      const s = Math.floor(rnd() * 400);
      docs.push({ id: `d${i}`, text: `${story(s)} ${rnd() < 0.5 ? "" : `edition ${i}`}`, time: clock });
    }
    const expected = docs.map((d) => memory.add(d));
    expect(await addInBatches(index, docs, 3, 200)).toEqual(expected);
    expect(await index.size()).toBe(memory.size);
    expect(await index.evict(clock + 1)).toBe(memory.evict(clock + 1));
    expect(await index.size()).toBe(0);
    await index.close();
  });
});

const WORKER = join(import.meta.dirname, "helpers/redis-worker.mjs");

describe.skipIf(!redis)("addMany from several processes at once", () => {
  it("gives each of 150 stories exactly one canonical when 4 processes add batches of their copies at once", async () => {
    const stories = syndicatedStories(150, 31);
    const docs = stories.flatMap((s) => s.copies);
    const name = prefix("batch-concurrency");
    const url = redis!.url;
    const workers: ChildProcess[] = [0, 1, 2, 3].map(() => fork(WORKER, { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    const next = (w: ChildProcess) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        w.once("message", (m) => resolve(m as Record<string, unknown>));
        w.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
      });
    const ready = workers.map(next);
    // Copies of one story side by side, dealt round-robin: the four batches in flight hold copies of the same stories.
    workers.forEach((w, i) => w.send({ url, prefix: name, docs: docs.filter((_, j) => j % 4 === i), batch: 16 }));
    await Promise.all(ready);
    const finished = workers.map(next);
    workers.forEach((w) => w.send("go"));
    const answers = (await Promise.all(finished)).flatMap((m) => m.results as Array<{ id: string; match: Match | null }>);

    expect(answers.map((a) => a.id).sort()).toEqual(docs.map((d) => d.id).sort());
    const index = await openIndex(redisStore({ url, prefix: name }));
    expect(await index.size()).toBe(docs.length);
    const answerOf = new Map(answers.map((a) => [a.id, a.match]));
    const problems: string[] = [];
    for (const { story, copies } of stories) {
      const canonicals = new Set<string>();
      for (const c of copies) {
        const stored = await index.canonicalOf(c.id);
        canonicals.add(stored ?? "missing");
        if ((answerOf.get(c.id)?.canonical ?? c.id) !== stored) problems.push(`${c.id}: addMany said ${answerOf.get(c.id)?.canonical}, index says ${stored}`);
      }
      const [only] = canonicals;
      if (canonicals.size !== 1) problems.push(`story ${story} has ${canonicals.size} canonicals: ${[...canonicals].join(", ")}`);
      else if (answerOf.get(only!) !== null) problems.push(`story ${story}'s canonical ${only} was itself reported a duplicate`);
    }
    expect(problems).toEqual([]);
    await index.close();
  });
});
