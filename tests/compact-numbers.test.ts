// An index keeps each number-sample pair as one u32 (match.ts compactNumbers): the same verdicts
// as the full pairs, and a template twin still told from a copy on every store and after a file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createIndex, loadIndex, loadIndexFile, memoryStore, openIndex, saveIndexFile, type DedupeOptions, type Store } from "../src/index.js";
import { compactAgreement, compactNumbers } from "../src/match.js";
import { redisStore } from "../src/redis.js";
import { numberAgreement } from "../src/verify.js";
import { prefix, sharedRedis } from "./helpers/redis.js";

const dir = mkdtempSync(join(tmpdir(), "nd-numbers-"));
const redis = await sharedRedis();
const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(open.map((i) => i.close()));
  rmSync(dir, { recursive: true, force: true });
  await redis?.stop();
});

/** [masked, raw] pairs sorted by masked, as numbers.ts numberPairs makes them. */
const pairs = (entries: ReadonlyArray<readonly [number, number]>) => Uint32Array.from([...entries].sort((a, b) => a[0] - b[0]).flat());

describe("compact number samples", () => {
  it.each([
    ["keeps the masked hash's low 24 bits over the raw hash's low 8", [[0x12345678, 0xabcdef01]], [0x34567801]],
    ["sorts by the kept bits, not by the full masked hash", [[0x01000002, 7], [0x02000001, 9]], [0x00000109, 0x00000207]],
    ["an empty sample stays empty", [], []],
  ] as const)("%s", (_what, sample, packed) => {
    expect([...compactNumbers(pairs(sample))]).toEqual(packed);
  });

  it.each([
    ["the same numbers around the same words agree", [[1, 100]], [[1, 100]], { conflicts: 0, agree: 1 }],
    ["other numbers around the same words conflict", [[1, 100]], [[1, 101]], { conflicts: 1, agree: 0 }],
    ["other words are not compared", [[1, 100]], [[2, 100]], { conflicts: 0, agree: 0 }],
    // What the 8 raw bits lose: numbers whose hashes share their low byte look the same (1 in 256).
    ["raw hashes equal in their low 8 bits agree", [[1, 0x100]], [[1, 0x200]], { conflicts: 0, agree: 1 }],
    // What the 24 masked bits lose: windows equal in their low 24 bits look like the same words.
    ["masked hashes equal in their low 24 bits are the same words", [[0x01000005, 3]], [[0x02000005, 4]], { conflicts: 1, agree: 0 }],
  ] as const)("%s", (_what, a, b, want) => {
    expect(compactAgreement(compactNumbers(pairs(a)), compactNumbers(pairs(b)))).toEqual(want);
  });

  it("counts what numberAgreement counts on the full pairs, when no two hashes meet by chance in the kept bits (property)", () => {
    // Masked hashes distinct in their low 24 bits; raw hashes distinct in their low 8: nothing
    // collides, so the compact samples must give exactly the full pairs' verdict.
    const masked = fc.uniqueArray(fc.integer({ min: 0, max: 0xffffff }), { minLength: 0, maxLength: 24 });
    // A window's full masked hash: its low 24 bits and high bits of its own (the same in both samples).
    const full = (key: number) => (key + (Math.imul(key, 0x9e3779b1) >>> 24) * 0x1000000) >>> 0;
    const sample = (pool: number[]) =>
      fc.subarray(pool, { maxLength: Math.min(16, pool.length) }).chain((keys) =>
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: keys.length, maxLength: keys.length }).map((raws) => keys.map((k, i) => [full(k), 0x5eed00 + raws[i]!] as const)),
      );
    fc.assert(
      fc.property(
        masked.chain((pool) => fc.tuple(sample(pool), sample(pool))),
        ([a, b]) => {
          expect(compactAgreement(compactNumbers(pairs(a)), compactNumbers(pairs(b)))).toEqual(numberAgreement(pairs(a), pairs(b)));
        },
      ),
    );
  });
});

/** An agency's routine market close, one formula with `day`'s figures (written for this test). */
function marketClose(id: string, day: number, preface = ""): { id: string; text: string } {
  const formula = [
    "Shares on the Northport exchange closed {} points higher at {} on the day, as traders weighed fresh figures on harbour freight and the outlook for regional lenders.",
    "The broad index of the city's largest listed companies gained {} percent over the session, its strongest finish since the spring, while the smaller companies index added {} percent.",
    "Turnover came to {} million shares, against a daily average of {} million over the past month, according to figures published by the exchange after the closing bell.",
    "Among the biggest movers, the ferry operator Gullwing rose {} percent after it reported a rise in summer bookings, and the shipbuilder Keelworks fell {} percent on a delayed contract.",
    "Advancing stocks outnumbered decliners by {} to {}, and the currency traded at {} to the dollar in late dealing, little changed from the previous close.",
    "Analysts at the harbour bank said the market would watch the central bank's minutes, due next week, for any sign of a change in the lending rate, now at {} percent.",
    "Government bond yields edged up, with the ten year note ending at {} percent, while the price of a barrel of crude used by the fishing fleet slipped to {} dollars.",
    "Trading resumes at nine in the morning, when the exchange will publish the quarterly list of companies joining and leaving its main index.",
  ];
  let slot = 0;
  const figure = () => {
    slot++;
    return `${((day * 7919 + slot * 104729) % 900) + 10}.${(day * 31 + slot * 17) % 10}`;
  };
  return { id, text: preface + formula.map((s) => s.replace(/\{\}/g, figure)).join(" ") };
}

const monday = marketClose("monday", 1);
const tuesday = marketClose("tuesday", 2);
const repost = marketClose("repost", 1, "Reposted from the wire. ");

describe("an index's number evidence", () => {
  type Query = (doc: { id: string; text: string }) => Promise<string | null>;
  /** An index holding monday, as each way of keeping one gives it back. */
  const ways: Array<[string, (options: DedupeOptions) => Promise<Query>]> = [
    ["in memory", async (o) => {
      const index = createIndex(o);
      index.add(monday);
      return async (d) => index.query(d)?.canonical ?? null;
    }],
    ["saved and loaded", async (o) => {
      const index = createIndex(o);
      index.add(monday);
      const loaded = loadIndex(index.save());
      return async (d) => loaded.query(d)?.canonical ?? null;
    }],
    ["through a file", async (o) => {
      const index = createIndex(o);
      index.add(monday);
      const path = join(dir, `${Object.keys(o).length}.ndx`);
      await saveIndexFile(index, path);
      const loaded = await loadIndexFile(path);
      return async (d) => loaded.query(d)?.canonical ?? null;
    }],
    ...(["memory store", "redis store"] as const)
      .filter((name) => name === "memory store" || redis)
      .map((name): [string, (options: DedupeOptions) => Promise<Query>] => [name, async (o) => {
        const store: Store = name === "memory store" ? memoryStore() : redisStore({ url: redis!.url, prefix: prefix("numbers") });
        const index = await openIndex(store, o);
        open.push(index);
        await index.add(monday);
        return async (d) => (await index.query(d))?.canonical ?? null;
      }]),
  ];

  it.each(ways)("%s: tells the next day's item from a repost, and joins them without the numbers rule", async (_way, holding) => {
    const kept = await holding({});
    expect(await kept(tuesday)).toBeNull();
    expect(await kept(repost)).toBe("monday");
    const blind = await holding({ rules: { numbers: false } });
    expect(await blind(tuesday)).toBe("monday");
  });
});
