import { describe, expect, it } from "vitest";
import { dedupe, DedupeError } from "../src/index.js";
import { seeds } from "./helpers/seeds.js";

const summary = (r: ReturnType<typeof dedupe>) =>
  r.clusters.map((c) => c.members.map((m) => (m.id === c.canonical ? `*${m.id}` : m.id)).join("+")).join(" | ");

describe("dedupe on the seed articles (test-data/README.md)", () => {
  const result = dedupe(seeds());

  it("clusters the AFP Odesa copies 002 and 003, with 003 canonical", () => {
    const afp = result.clusters.find((c) => c.members.some((m) => m.id === "002"))!;
    expect(afp.members.map((m) => m.id).sort()).toEqual(["002", "003"]);
    expect(afp.canonical).toBe("003");
    const copy = afp.members.find((m) => m.id === "002")!;
    // Scores over the narrative: all of 002's story text outside quotations is in 003.
    expect(copy.containment).toBe(1);
    expect(copy.jaccard).toBeCloseTo(0.577, 2);
  });

  it("keeps the two independent Rutte reports 000 and 001 apart", () => {
    expect(summary(result)).toBe("*000 | *001 | *003+002 | *004");
  });

  it("reports the NATO TV transcript 004 as holding its text 3 times", () => {
    const c = result.clusters.find((c) => c.canonical === "004")!;
    expect(c.members).toEqual([{ id: "004", jaccard: 1, containment: 1, repeats: 3 }]);
  });

  it("puts every document in exactly one cluster", () => {
    const ids = result.clusters.flatMap((c) => c.members.map((m) => m.id)).sort();
    expect(ids).toEqual(["000", "001", "002", "003", "004"]);
    expect(result.stats).toEqual({ documents: 5, clusters: 4, duplicates: 1 });
  });
});

describe("dedupe input handling", () => {
  it("accepts plain strings, numbering them by position", () => {
    const text = seeds()[2]!.text;
    const r = dedupe(["unrelated words here", text, text]);
    expect(summary(r)).toBe("*0 | *1+2");
  });

  it("makes an empty or whitespace-only text a singleton marked empty", () => {
    const r = dedupe([{ id: "a", text: "" }, { id: "b", text: " \n\t " }, { id: "c", text: "" }]);
    expect(r.clusters).toEqual([
      { canonical: "a", members: [{ id: "a", jaccard: 1, containment: 1, empty: true }] },
      { canonical: "b", members: [{ id: "b", jaccard: 1, containment: 1, empty: true }] },
      { canonical: "c", members: [{ id: "c", jaccard: 1, containment: 1, empty: true }] },
    ]);
  });

  it.each([
    [[{ id: "a", text: 42 }], "INVALID_TEXT", 'document "a" has a text that is a number (expected a string)'],
    [[{ text: "x" }], "MISSING_ID", "document #0 has no id (expected a non-empty string or a finite number)"],
    [["x", { id: "", text: "y" }], "INVALID_ID", "document #1 has an id that is an empty string (expected a non-empty string or a finite number)"],
    [[{ id: "a", text: "x" }, { id: "a", text: "y" }], "DUPLICATE_ID", 'document "a" has the same id as document #0'],
    [[null], "INVALID_DOC", "document #0 is null, not a string or an { id, text } object"],
  ])("rejects %j with %s", (docs, code, message) => {
    let error: unknown;
    try {
      dedupe(docs as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DedupeError);
    expect((error as DedupeError).code).toBe(code);
    expect((error as DedupeError).message).toBe(message);
  });

  it("rejects unknown and out-of-range options, naming them", () => {
    expect(() => dedupe([], { shingles: 3 } as never)).toThrow("option shingles is not a known option");
    expect(() => dedupe([], { jaccard: 2 })).toThrow("option jaccard must be between 0.01 and 1, got 2");
    expect(() => dedupe([], { numHashes: 12.5 })).toThrow("option numHashes must be an integer, got 12.5");
  });

  it("does not write into the caller's options", () => {
    const options = Object.freeze({ shingleSize: 4 });
    expect(() => dedupe(seeds(), options)).not.toThrow();
  });
});
