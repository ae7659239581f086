import fc from "fast-check";
import { FAMILY_OVERLAP } from "../src/cluster.js";
import { describe, expect, it } from "vitest";
import { dedupe } from "../src/index.js";
import { units } from "../src/normalize.js";
import { seeds } from "./helpers/seeds.js";

// Corpora built from the seeds' real units: each document picks a story (a seed), keeps a
// run of its units and may wrap it in chrome, so generated corpora hold real copies.
const stories = seeds().map((s) => units(s.text).map((p) => s.text.slice(p.start, p.end)));
const chrome = ["Related Links", "Subscribe Free To Our Daily Newsletters |", "Text size:", "K.Sutter--VB"];

const docArb = fc.record({
  story: fc.integer({ min: 0, max: stories.length - 1 }),
  from: fc.nat(10),
  length: fc.integer({ min: 0, max: 30 }),
  top: fc.subarray(chrome),
  bottom: fc.subarray(chrome),
});

const corpusArb = fc.array(docArb, { maxLength: 14 }).map((docs) =>
  docs.map((d, i) => {
    const paras = stories[d.story]!;
    const body = paras.slice(Math.min(d.from, paras.length - 1), d.from + d.length);
    return { id: `doc-${i}`, text: [...d.top, ...body, ...d.bottom].join("\n\n") };
  }),
);

describe("dedupe invariants (property tests)", () => {
  it("puts every id in exactly one cluster or in skipped", () => {
    fc.assert(
      fc.property(corpusArb, fc.integer({ min: 1, max: 20_000 }), (docs, maxDocBytes) => {
        const r = dedupe(docs, { maxDocBytes });
        const ids = [...r.clusters.flatMap((c) => c.members.map((m) => m.id)), ...(r.skipped ?? []).map((s) => s.id)];
        expect(ids.sort()).toEqual(docs.map((d) => d.id).sort());
        for (const c of r.clusters) expect(c.members[0]!.id).toBe(c.canonical);
        expect(r.stats.documents).toBe(docs.length);
      }),
      { numRuns: 80 },
    );
  });

  it("is deterministic: the same input gives byte-identical JSON", () => {
    fc.assert(
      fc.property(corpusArb, (docs) => {
        expect(JSON.stringify(dedupe(docs))).toBe(JSON.stringify(dedupe(structuredClone(docs))));
      }),
      { numRuns: 30 },
    );
  });

  it("does not depend on input order", () => {
    fc.assert(
      fc.property(
        corpusArb.chain((docs) => fc.tuple(fc.constant(docs), fc.shuffledSubarray(docs, { minLength: docs.length }))),
        ([docs, shuffled]) => {
          expect(JSON.stringify(dedupe(shuffled))).toBe(JSON.stringify(dedupe(docs)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("round-trips its result through JSON", () => {
    fc.assert(
      fc.property(corpusArb, (docs) => {
        const r = dedupe(docs);
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps every member close to its canonical: verified against it, or through a member while sharing a tenth with it", () => {
    fc.assert(
      fc.property(corpusArb, (docs) => {
        for (const c of dedupe(docs).clusters) {
          for (const m of c.members.slice(1)) {
            const direct = m.containment >= 0.6 && m.jaccard >= 0.2;
            expect(direct || m.containment >= FAMILY_OVERLAP).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
