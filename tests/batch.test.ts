// The one batch driver: dedupe() is createBatch + add + finish, whatever runs the per-document work.
import { describe, expect, it } from "vitest";
import { prepare, type Fingerprint, type Fingerprinter, type FingerprintSetup, type Prepared } from "../src/dedupe.js";
import { compareIds } from "../src/input.js";
import { link, Linker } from "../src/link.js";
import { resolveOptions } from "../src/options-check.js";
import { createBatch, dedupe, DedupeError, diff, type DedupeOptions } from "../src/index.js";
import { seeds } from "./helpers/seeds.js";
import { syndicatedStories } from "./helpers/stories.js";

/** A fingerprinter that answers later, as worker threads do: prepare() on each text, results on finish. */
function deferred(setup: FingerprintSetup): Fingerprinter {
  const texts: string[] = [];
  const skip = setup.skip ? new Set(setup.skip) : undefined;
  return {
    add: async (text) => void texts.push(text),
    finish: async (): Promise<Prepared[]> => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return texts.map((t) => prepare(t, setup, skip));
    },
    abort: async () => undefined,
  };
}

const corpus = [...seeds(), ...syndicatedStories(40, 3).flatMap((s) => s.copies)];
const cases: Array<[string, DedupeOptions]> = [
  ["defaults", {}],
  ["boilerplate auto", { boilerplate: "auto" }],
  ["a boilerplate list", { boilerplate: ["Advertisement", "Related Links"] }],
  ["given LSH bands", { lsh: { bands: 16, rows: 2 } }],
  ["a small size limit", { maxDocBytes: 3000 }],
];

describe("createBatch", () => {
  it.each(cases)("gives dedupe()'s result, synchronously and through a deferred fingerprinter (%s)", async (_, options) => {
    const want = dedupe(corpus, options);
    const sync = createBatch(options);
    for (const d of corpus) sync.add(d);
    expect(sync.finish()).toEqual(want);
    const later = createBatch(options, { fingerprinter: deferred });
    for (const d of corpus) await later.add(d);
    expect(await later.finish()).toEqual(want);
  });

  it("diffs a cluster from the units it kept exactly as diff() does from the texts", () => {
    const batch = createBatch({ boilerplate: "auto" }, { keep: "units" });
    for (const d of corpus) batch.add(d);
    const result = batch.finish();
    const multi = result.clusters.filter((c) => c.members.length > 1);
    expect(multi.length).toBeGreaterThan(10);
    for (const c of multi) expect(batch.diff(c, { boilerplate: result.boilerplate })).toEqual(diff(c, corpus, { boilerplate: result.boilerplate }));
  });

  it("gives a document's text, and its text once when it holds it several times", () => {
    const batch = createBatch({}, { keep: "texts" });
    const story = "First paragraph of the story, long enough to count.\n\nSecond paragraph, as long as the first one is.";
    batch.add({ id: "once", text: story });
    batch.add({ id: "twice", text: `${story}\n\n${story}\n` });
    batch.finish();
    expect(batch.text("twice")).toBe(`${story}\n\n${story}\n`);
    expect(batch.textOnce("twice")).toBe(`${story}\n`);
    expect(batch.textOnce("once")).toBe(story);
  });

  it("refuses a duplicate id at add(), naming the first position, and says where an id was added", () => {
    const batch = createBatch();
    batch.add({ id: "a", text: "x" });
    batch.add({ id: "b", text: "y" });
    expect(batch.positionOf("b")).toBe(1);
    expect(batch.positionOf("c")).toBeUndefined();
    expect(() => batch.add({ id: "b", text: "z" })).toThrow('document "b" has the same id as document #1');
  });
});

describe("Linker", () => {
  it("links documents one at a time, as a batch receives them, to what link() gives on the whole batch", () => {
    // Over 1,024 documents, so every per-document array and table grows while linking.
    const docs = syndicatedStories(400, 5)
      .flatMap((s) => s.copies)
      .sort((a, b) => compareIds(a.id, b.id));
    expect(docs.length).toBeGreaterThan(1024);
    const opts = resolveOptions({});
    const setup: FingerprintSetup = { options: opts, keepUnits: false, skip: null };
    const prints = docs.map((d) => prepare(d.text, setup).print);
    const ids = docs.map((d) => d.id);
    const whole = link(ids, prints, opts);
    expect(whole.edges.length).toBeGreaterThan(300);
    const growing: Fingerprint[] = [];
    const linker = new Linker(growing, opts);
    prints.forEach((p, j) => {
      growing.push(p);
      linker.add(j);
    });
    expect(linker.finish(ids)).toEqual(whole);
  });

  it("refuses to finish before every document was linked", () => {
    const opts = resolveOptions({});
    const prints = ["One story told here in full.", "Another story told here."].map((t) => prepare(t, { options: opts, keepUnits: false, skip: null }).print);
    const linker = new Linker(prints, opts);
    linker.add(0);
    expect(() => linker.finish(["a", "b"])).toThrow("2 documents but 1 linked");
  });
});

describe("DedupeError for an option", () => {
  it.each([
    [{ jaccard: 2 }, "jaccard", "must be between 0.01 and 1, got 2"],
    [{ lsh: { bands: 0, rows: 1 } }, "lsh.bands", "must be between 1 and 128, got 0"],
    [{ shingles: 3 }, "shingles", "is not a known option"],
  ])("names the option and the problem as data (%j)", (options, option, problem) => {
    try {
      dedupe([], options as DedupeOptions);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DedupeError);
      expect({ code: (e as DedupeError).code, option: (e as DedupeError).option, problem: (e as DedupeError).problem }).toEqual({ code: "INVALID_OPTION", option, problem });
    }
  });
});
