import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIndex, DedupeError, dedupe, loadIndex, memoryStore, openIndex, type DedupeIndex, type IndexDoc } from "../src/index.js";
import { seeds } from "./helpers/seeds.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

function error(f: () => unknown): DedupeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DedupeError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

/** A story of `words` words drawn from its own seed: unrelated stories share almost no shingles. */
function story(seed: number, words = 60): string {
  let x = seed * 2654435761 + 1;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (Math.imul(x ^ (x >>> 15), 2246822507) + i) >>> 0;
    out.push(`w${(x % 5000).toString(36)}`);
  }
  return out.join(" ") + ".";
}

/** A random signature of 128 values, and a copy with `changed` of them replaced. */
function signature(seed: number, changed = 0, salt = 0): number[] {
  const out: number[] = [];
  let x = seed + 1;
  for (let i = 0; i < 128; i++) {
    x = (Math.imul(x ^ (x >>> 13), 1274126177) + i) >>> 0;
    out.push(i < changed ? (x ^ (salt * 7919 + 1)) >>> 0 : x);
  }
  return out;
}

describe("window option", () => {
  it.each([
    ["30d", 30 * DAY],
    ["12h", 12 * 3_600_000],
    ["90m", 90 * 60_000],
    ["45s", 45_000],
    ["500ms", 500],
    ["2w", 14 * DAY],
    [86_400_000, DAY],
    [null, null],
  ])("resolves %j to %j milliseconds", (given, ms) => {
    expect(createIndex({ window: given }).options.window).toBe(ms);
  });

  it.each([["30 days"], ["-1d"], ["d"], [0], [-5], [Number.NaN], [{}]])("refuses the window %j with a one-line message", (given) => {
    const e = error(() => createIndex({ window: given as never }));
    expect(e.code).toBe("INVALID_OPTION");
    expect(e.message).toMatch(/^option window must be a duration such as "30d", "12h", "90m" or a number of milliseconds, got /);
    expect(e.message).not.toContain("\n");
  });

  it("is refused by a batch, which sees its whole corpus at once", () => {
    expect(error(() => dedupe(["a b c"], { window: "1d" })).message).toContain("option window is an option of an index");
  });

  it("is kept by a saved index", () => {
    const index = createIndex({ window: "30d" });
    index.add({ id: "a", text: story(1), time: T0 });
    const loaded = loadIndex(index.save());
    expect(loaded.options.window).toBe(30 * DAY);
    loaded.add({ id: "b", text: story(2), time: T0 + 31 * DAY });
    expect(loaded.has("a")).toBe(false);
  });
});

describe("document times", () => {
  it.each([
    ["milliseconds", T0 + 5, T0 + 5],
    ["an ISO date", "2026-11-01", T0],
    ["an ISO date-time with Z", "2026-11-01T06:00:00Z", T0 + 6 * 3_600_000],
    ["an ISO date-time with an offset", "2026-11-01T08:00:00+02:00", T0 + 6 * 3_600_000],
    ["an ISO date-time without an offset, read as UTC", "2026-11-01T06:00:00", T0 + 6 * 3_600_000],
    ["a Date", new Date(T0 + 7), T0 + 7],
  ])("accepts %s", (_, time, ms) => {
    // The window tells the time apart: a document 1 ms older than the window is forgotten.
    const index = createIndex({ window: 1000 });
    index.add({ id: "old", text: story(1), time: ms - 1001 });
    index.add({ id: "new", text: story(2), time });
    expect(index.has("old")).toBe(false);
    index.add({ id: "edge", text: story(3), time: ms - 1000 });
    expect(index.has("edge")).toBe(true);
  });

  it.each([
    ["yesterday", '"yesterday", not an ISO-8601 date'],
    ["2026-13-45", '"2026-13-45", not an ISO-8601 date'],
    [Number.NaN, "NaN"],
    [Infinity, "Infinity"],
    [new Date("nope"), "an invalid Date"],
    [{ at: 1 }, "a object"],
    [[1], "a array"],
  ])("refuses the time %j naming the document", (time, what) => {
    const e = error(() => createIndex().add({ id: "doc-7", text: story(1), time } as IndexDoc));
    expect(e.code).toBe("INVALID_TIME");
    expect(e.docId).toBe("doc-7");
    expect(e.message).toBe(`document "doc-7" has a time that is ${what} (expected milliseconds since 1970, an ISO-8601 date such as "2026-11-30T07:25:00Z", or a Date)`);
  });

  it("refuses an evict() bound that is not a time", () => {
    const e = error(() => createIndex().evict("soon"));
    expect(e.message).toBe('option before of evict() must be milliseconds since 1970, an ISO-8601 date or a Date, got "soon"');
  });
});

describe("eviction", () => {
  const [, , afp1, afp2] = seeds();

  it("reports a copy of an evicted document as new, and a copy inside the window as a copy", () => {
    const index = createIndex({ window: "30d" });
    expect(index.add({ ...afp1!, time: T0 })).toBeNull();
    expect(index.add({ id: "003-day-29", text: afp2!.text, time: T0 + 29 * DAY })?.canonical).toBe("002");
    // Day 31: the original is out of the window; its copy of day 29 is not, and stands for the story.
    expect(index.add({ id: "other", text: story(9), time: T0 + 31 * DAY })).toBeNull();
    expect(index.has("002")).toBe(false);
    expect(index.canonicalOf("003-day-29")).toBe("003-day-29");
    expect(index.add({ id: "003-day-31", text: afp2!.text, time: T0 + 31 * DAY })?.canonical).toBe("003-day-29");
    // Day 62: every copy is gone; the story is new again.
    index.add({ id: "later", text: story(10), time: T0 + 62 * DAY });
    expect(index.add({ id: "003-day-62", text: afp2!.text, time: T0 + 62 * DAY })).toBeNull();
  });

  it("forgets explicitly with evict(before), returns the count, and takes the ids again", () => {
    const index = createIndex();
    index.add({ id: "a", text: story(1), time: "2026-11-01" });
    index.add({ id: "b", text: story(2), time: "2026-11-02" });
    index.add({ id: "c", text: story(3), time: "2026-11-03" });
    expect(index.evict("2026-11-03")).toBe(2);
    expect([index.has("a"), index.has("b"), index.has("c"), index.size]).toEqual([false, false, true, 1]);
    expect(index.evict(new Date("2026-11-03"))).toBe(0);
    expect(index.add({ id: "a", text: story(1), time: "2026-11-04" })).toBeNull();
    expect(index.add({ id: "a2", text: story(1), time: "2026-11-04" })?.canonical).toBe("a");
  });

  it("gives a document without a time the newest time seen, and before any time, the oldest", () => {
    const index = createIndex({ window: "1d" });
    index.add({ id: "undated-first", text: story(1) });
    index.add({ id: "dated", text: story(2), time: T0 });
    expect(index.has("undated-first")).toBe(false);
    index.add({ id: "undated", text: story(3) });
    index.add({ id: "next-day", text: story(4), time: T0 + DAY });
    expect(index.has("undated")).toBe(true);
    index.add({ id: "day-after", text: story(5), time: T0 + DAY + 1 });
    expect(index.has("undated")).toBe(false);
  });

  it("keeps near-twins findable after their canonical leaves a windowed index", () => {
    const index = createIndex({ window: "10d" });
    const text = story(7, 200);
    index.add({ id: "orig", text, time: T0 });
    expect(index.add({ id: "twin", text: text + " Updated.", time: T0 + 5 * DAY })?.canonical).toBe("orig");
    index.add({ id: "x", text: story(8), time: T0 + 11 * DAY });
    expect(index.has("orig")).toBe(false);
    expect(index.add({ id: "again", text: "Reprint. " + text, time: T0 + 11 * DAY })?.canonical).toBe("twin");
  });

  it("answers a late document already outside the window, and does not keep it", async () => {
    for (const index of [createIndex({ window: "10d" }), await openIndex(memoryStore(), { window: "10d" })]) {
      await index.add({ id: "a", text: story(1), time: T0 + 20 * DAY });
      expect((await index.add({ id: "late", text: story(1), time: T0 }))?.canonical).toBe("a");
      expect(await index.has("late")).toBe(false);
      expect(await index.add({ id: "late-inside", text: story(2), time: T0 + 15 * DAY })).toBeNull();
      expect(await index.has("late-inside")).toBe(true);
    }
  });

  it("evicts on the asynchronous index too", async () => {
    const index = await openIndex(memoryStore(), { window: "30d" });
    await index.add({ ...afp1!, time: T0 });
    await index.add({ id: "x", text: story(3), time: T0 + 31 * DAY });
    expect(await index.has("002")).toBe(false);
    expect(await index.add({ ...afp2!, time: T0 + 31 * DAY })).toBeNull();
    expect(await index.evict(T0 + 40 * DAY)).toBe(2);
    expect(await index.size()).toBe(0);
  });
});

/** The reference: which documents a windowed index holds, by brute force. */
class Reference {
  live = new Map<string, { time: number; story: number }>();
  newest = -Infinity;
  constructor(private readonly window: number | null) {}
  /** Add; whether a document of the same story was live when it came (after the window moved). */
  add(id: string, story: number, time: number | undefined): boolean {
    if (time !== undefined && time > this.newest) {
      this.newest = time;
      if (this.window !== null) this.evict(time - this.window);
    }
    const same = [...this.live.values()].some((d) => d.story === story);
    const at = time ?? this.newest;
    // A late document already outside the window is answered but not kept.
    if (this.window === null || at >= this.newest - this.window) this.live.set(id, { time: at, story });
    return same;
  }
  evict(before: number): number {
    let n = 0;
    for (const [id, d] of this.live) if (d.time < before && this.live.delete(id)) n++;
    return n;
  }
}

type Op = { kind: "add"; story: number; changed: number; dt: number; timed: boolean } | { kind: "evict"; back: number } | { kind: "reload" };

const ops = fc.array(
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ kind: fc.constant("add" as const), story: fc.integer({ min: 0, max: 30 }), changed: fc.constantFrom(0, 0, 6, 20), dt: fc.integer({ min: -3, max: 4 }), timed: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("evict" as const), back: fc.integer({ min: 0, max: 20 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("reload" as const) }) },
  ),
  { maxLength: 400 },
);

/** Run ops on an index and the reference; check after each that both hold the same ids and that every match is live and of the same story. */
function replay(list: Op[], window: number | null, checkEvery = 1): void {
  let step = 0;
  let index: DedupeIndex = createIndex({ window });
  const ref = new Reference(window);
  const storyOf = new Map<string, number>();
  let clock = 0;
  let n = 0;
  for (const op of list) {
    if (op.kind === "reload") {
      index = loadIndex(index.save());
    } else if (op.kind === "evict") {
      const before = clock - op.back;
      expect(index.evict(before)).toBe(ref.evict(before));
    } else {
      clock += op.dt;
      const id = `d${n++}`;
      const time = op.timed ? clock : undefined;
      const match = index.add({ id, hashvalues: signature(op.story, op.changed, n), size: 300, ...(time === undefined ? {} : { time }) });
      const sameStory = ref.add(id, op.story, time);
      storyOf.set(id, op.story);
      if (match) {
        expect(index.has(match.canonical)).toBe(true);
        expect(storyOf.get(match.canonical)).toBe(op.story);
      } else {
        // 20 of 128 values changed is still a Jaccard estimate near 0.85: a copy the bands find.
        expect(sameStory).toBe(false);
      }
    }
    expect(index.size).toBe(ref.live.size);
    if (++step % checkEvery === 0) for (const id of storyOf.keys()) expect(index.has(id)).toBe(ref.live.has(id));
  }
  for (const id of storyOf.keys()) expect(index.has(id)).toBe(ref.live.has(id));
}

describe("window against a brute-force reference (property)", () => {
  it("holds exactly the documents inside the window and matches only live documents of the same story", () => {
    fc.assert(
      fc.property(ops, fc.constantFrom(null, 5, 12, 40), (list, window) => replay(list, window)),
      { numRuns: 60 },
    );
  });

  it("does so across chunks: thousands of documents, eviction from sealed chunks and out-of-order times", () => {
    const list: Op[] = [];
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 12_000; i++) {
      const r = next();
      if (r < 0.002) list.push({ kind: "evict", back: Math.floor(next() * 600) });
      else if (r < 0.0025) list.push({ kind: "reload" });
      else list.push({ kind: "add", story: Math.floor(next() * 3000), changed: [0, 6, 20][Math.floor(next() * 3)]!, dt: Math.floor(next() * 5) - 1, timed: next() < 0.95 });
    }
    replay(list, 2000, 500);
  });
});

describe("index files of a windowed index", () => {
  it("round-trip through saveIndexFile/loadIndexFile across chunks, after evictions, with the same answers", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { loadIndexFile, saveIndexFile } = await import("../src/index.js");
    const dir = mkdtempSync(join(tmpdir(), "nd-window-"));
    try {
      const index = createIndex({ window: 3000 });
      // 10,000 documents, a third of them copies, times rising with some disorder: chunks fill,
      // seal and empty; the window holds about 3,000 of them at the end.
      for (let i = 0; i < 10_000; i++) {
        const story = i % 3 === 0 && i > 0 ? i - 1 - (i % 700) : i;
        index.add({ id: `d${i}`, hashvalues: signature(Math.max(0, story), i % 3 === 0 ? 10 : 0, i), size: 300, time: i + ((i * 7919) % 11) });
      }
      const path = join(dir, "w.ndx");
      await saveIndexFile(index, path);
      const loaded = await loadIndexFile(path);
      expect(loaded.size).toBe(index.size);
      expect(loaded.options.window).toBe(3000);
      for (let i = 0; i < 10_000; i += 37) {
        expect(loaded.has(`d${i}`)).toBe(index.has(`d${i}`));
        expect(loaded.canonicalOf(`d${i}`)).toBe(index.canonicalOf(`d${i}`));
      }
      for (let s = 6000; s < 10_000; s += 97) {
        const probe = { id: `q${s}`, hashvalues: signature(s, 10, 99), size: 300 };
        expect(loaded.query(probe)).toEqual(index.query(probe));
      }
      // Both go on the same way: the window moves, the same documents leave.
      const more = { id: "late", hashvalues: signature(424242), size: 300, time: 20_000 };
      expect(loaded.add(more)).toEqual(index.add(more));
      expect(loaded.size).toBe(index.size);
      expect(loaded.size).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
