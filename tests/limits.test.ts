import { describe, expect, it } from "vitest";
import { createIndex, dedupe, DedupeError } from "../src/index.js";
import { seed } from "./helpers/seeds.js";

describe("maxDocBytes: oversize documents are skipped with a reason, never lost", () => {
  it("skips a document over the limit and still clusters the AFP Odesa copies", () => {
    const huge = "word ".repeat(50_000); // 250,000 bytes
    const r = dedupe(
      [
        { id: "002", text: seed("002") },
        { id: "huge", text: huge },
        { id: "003", text: seed("003") },
      ],
      { maxDocBytes: 100_000 },
    );
    expect(r.clusters.map((c) => c.members.map((m) => m.id))).toEqual([["003", "002"]]);
    expect(r.skipped).toEqual([
      { id: "huge", code: "DOC_TOO_LARGE", reason: 'document "huge" is 250000 bytes, over the limit of 100000 bytes' },
    ]);
    expect(r.stats).toEqual({ documents: 3, clusters: 1, duplicates: 1 });
  });

  it("counts UTF-8 bytes, not characters", () => {
    const cyrillic = "Київ ".repeat(1000); // 5,000 characters, 9,000 bytes
    expect(dedupe([{ id: "k", text: cyrillic }], { maxDocBytes: 8_999 }).skipped?.[0]?.reason).toContain("9000 bytes");
    expect(dedupe([{ id: "k", text: cyrillic }], { maxDocBytes: 9_000 }).skipped).toBeUndefined();
  });

  it("has no skipped field when nothing is skipped, so the seeds' JSON is unchanged", () => {
    expect("skipped" in dedupe([seed("000"), seed("001")])).toBe(false);
  });

  it("refuses a limit that is not a positive integer", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => dedupe([], { maxDocBytes: bad })).toThrow(DedupeError);
    }
    expect(() => dedupe([], { maxDocBytes: 0 })).toThrow("option maxDocBytes must be between 1 and");
  });

  it("makes the index refuse an oversize document, naming it, and remember nothing", () => {
    const index = createIndex({ maxDocBytes: 1000 });
    expect(() => index.add({ id: "long", text: "x ".repeat(600) })).toThrow('document "long" is 1200 bytes, over the limit of 1000 bytes');
    expect(index.has("long")).toBe(false);
    expect(index.size).toBe(0);
  });
});

describe("the boilerplate option of an index", () => {
  // Template lines written as sentences, so that story text alone would keep them.
  const template = ["Subscribe to our daily newsletter for the latest news from the region and from the rest of the world.", "This article was produced by our newsroom and may not be republished in any form without our permission."];
  const story = "Officials said the bridge over the river would reopen next week after repairs to its deck. Engineers found cracks in two of its supports in March, and traffic has since crossed on a ferry that runs every twenty minutes during the day.";

  it("leaves a given list of lines out of every document, as dedupe() does", () => {
    const plain = createIndex();
    const skipping = createIndex({ boilerplate: template });
    const a = { id: "a", text: [template[0], story, template[1]].join("\n\n") };
    const b = { id: "b", text: story };
    plain.add(a);
    skipping.add(a);
    const withChrome = plain.query(b)!;
    const without = skipping.query(b)!;
    expect(withChrome.canonical).toBe("a");
    expect(without).toEqual({ canonical: "a", jaccard: expect.any(Number), containment: expect.any(Number) });
    expect(without.jaccard).toBe(1);
    expect(withChrome.jaccard).toBeLessThan(1);
  });

  it('refuses "auto", which needs a whole corpus', () => {
    expect(() => createIndex({ boilerplate: "auto" })).toThrow('option boilerplate of an index must be "off" or a list of lines');
  });
});
