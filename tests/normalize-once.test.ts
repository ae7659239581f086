// A text is normalized once per run: fingerprints, corpus boilerplate, diffs and the text once
// all read the units computed by the one call of units() per document.
import { describe, expect, it, vi } from "vitest";

const calls = vi.hoisted(() => ({ units: 0, normalizeText: 0 }));
vi.mock("../src/normalize.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/normalize.js")>();
  return {
    ...real,
    units: (text: string) => {
      calls.units++;
      return real.units(text);
    },
  };
});

const { createBatch, diff } = await import("../src/index.js");
const { seeds } = await import("./helpers/seeds.js");
const { syndicatedStories } = await import("./helpers/stories.js");

describe("one normalization per document", () => {
  it("computes each document's units once, with boilerplate auto, diffs of every cluster and the text once", () => {
    const corpus = [...seeds(), ...syndicatedStories(30, 5).flatMap((s) => s.copies)];
    calls.units = 0;
    const batch = createBatch({ boilerplate: "auto" }, { keep: "units" });
    for (const d of corpus) batch.add(d);
    const result = batch.finish();
    const multi = result.clusters.filter((c) => c.members.length > 1);
    for (const c of multi) batch.diff(c, { boilerplate: result.boilerplate });
    for (const c of result.clusters) batch.textOnce(c.canonical);
    expect(multi.length).toBeGreaterThan(5);
    expect(calls.units).toBe(corpus.length);
    // The count sees calls made inside the library: diff() from texts normalizes its members again.
    diff(multi[0]!, corpus);
    expect(calls.units).toBe(corpus.length + multi[0]!.members.length);
  });
});
