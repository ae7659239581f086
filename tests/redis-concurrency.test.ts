import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openIndex, type Match } from "../src/index.js";
import { redisStore } from "../src/redis.js";
import { prefix, sharedRedis } from "./helpers/redis.js";
import { seed } from "./helpers/seeds.js";
import { syndicatedStories } from "./helpers/stories.js";

const redis = await sharedRedis();
afterAll(() => redis?.stop());

const WORKER = join(import.meta.dirname, "helpers/redis-worker.mjs");

/** Run the worker script in `shares.length` processes, started together; their answers, in one list. */
async function runWorkers(url: string, name: string, shares: Array<Array<{ id: string; text: string }>>) {
  const workers: ChildProcess[] = shares.map(() => fork(WORKER, { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  const next = (w: ChildProcess) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      w.once("message", (m) => resolve(m as Record<string, unknown>));
      w.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    });
  const ready = workers.map(next);
  workers.forEach((w, i) => w.send({ url, prefix: name, docs: shares[i] }));
  await Promise.all(ready);
  const finished = workers.map(next);
  workers.forEach((w) => w.send("go"));
  return (await Promise.all(finished)).flatMap((m) => m.results as Array<{ id: string; match: Match | null }>);
}

describe.skipIf(!redis)("shared Redis index under concurrent workers", () => {
  it("gives each of 200 stories exactly one canonical when 4 processes add their copies at once", async () => {
    const stories = syndicatedStories(200, 29);
    // Copies of one story sit side by side and are dealt round-robin: at any moment the four
    // workers are adding copies of the same story.
    const docs = stories.flatMap((s) => s.copies);
    const shares = [0, 1, 2, 3].map((w) => docs.filter((_, i) => i % 4 === w));
    const name = prefix("concurrency");
    const url = redis!.url;

    const answers = await runWorkers(url, name, shares);

    // Every document is accounted for: answered once, in the index, with a canonical.
    expect(answers.map((a) => a.id).sort()).toEqual(docs.map((d) => d.id).sort());
    const index = await openIndex(redisStore({ url, prefix: name }));
    expect(await index.size()).toBe(docs.length);
    const answerOf = new Map(answers.map((a) => [a.id, a.match]));

    const problems: string[] = [];
    for (const { story, copies } of stories) {
      const canonicals = new Set<string>();
      for (const c of copies) {
        const stored = await index.canonicalOf(c.id);
        if (stored === undefined) problems.push(`${c.id} is missing`);
        else canonicals.add(stored);
        // What add() answered is what the index remembers.
        if ((answerOf.get(c.id)?.canonical ?? c.id) !== stored) problems.push(`${c.id}: add said ${answerOf.get(c.id)?.canonical}, index says ${stored}`);
      }
      const [only] = canonicals;
      if (canonicals.size !== 1) problems.push(`story ${story} has ${canonicals.size} canonicals: ${[...canonicals].join(", ")}`);
      else if (!copies.some((c) => c.id === only)) problems.push(`story ${story}'s canonical ${only} is not one of its copies`);
      else if (answerOf.get(only!) !== null) problems.push(`story ${story}'s canonical ${only} was itself reported a duplicate`);
    }
    expect(problems).toEqual([]);
    await index.close();
  });

  it("elects one canonical when 4 processes add 24 copies of one breaking story at once", async () => {
    const story = seed("002");
    const copies = Array.from({ length: 24 }, (_, i) => ({ id: `site-${i}`, text: `Site ${i} | Breaking news\n\n${story}\n\nMore from site ${i}` }));
    const name = prefix("hot-story");
    const answers = await runWorkers(redis!.url, name, [0, 1, 2, 3].map((w) => copies.filter((_, i) => i % 4 === w)));
    const firsts = answers.filter((a) => a.match === null).map((a) => a.id);
    expect(firsts).toHaveLength(1);
    expect(new Set(answers.map((a) => a.match?.canonical ?? a.id))).toEqual(new Set(firsts));
    const index = await openIndex(redisStore({ url: redis!.url, prefix: name }));
    expect(await index.size()).toBe(24);
    for (const c of copies) expect(await index.canonicalOf(c.id)).toBe(firsts[0]);
    await index.close();
  });
});
