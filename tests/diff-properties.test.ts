import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_CANDIDATES } from "../src/diff/align.js";
import { normalizeText } from "../src/normalize.js";
import { diff, type Cluster } from "../src/index.js";
import { seed } from "./helpers/seeds.js";

// Paragraphs of the AFP pair and of 004: long and short lines, exact and near repeats.
const pool = [...seed("003").split("\n"), ...seed("004").split("\n")].filter((l) => l.trim().length > 0);

/** A paragraph taken from the pool, maybe with one word changed, as a copy would edit it. */
const paragraph = fc.record({ pick: fc.nat(pool.length - 1), edit: fc.option(fc.nat(40), { nil: undefined }) }).map(({ pick, edit }) => {
  const words = pool[pick]!.split(" ");
  if (edit !== undefined) words[edit % words.length] = "changed";
  return words.join(" ");
});
const member = fc.array(paragraph, { minLength: 1, maxLength: 14 });
const clusterOf = fc.array(member, { minLength: 1, maxLength: 5 }).map((members) => {
  const docs = members.map((paras, i) => ({ id: `m${i}`, text: paras.join(i % 2 === 0 ? "\n" : "\n\n") }));
  const cluster: Cluster = { canonical: "m0", members: docs.map((d) => ({ id: d.id, jaccard: 1, containment: 1 })) };
  return { docs, cluster };
});

describe("diff invariants", () => {
  it("classifies every paragraph once, with counterparts that say the same thing", () => {
    fc.assert(
      fc.property(clusterOf, ({ docs, cluster }) => {
        const report = diff(cluster, docs);
        const byId = new Map(report.members.map((m) => [m.id, m]));
        for (const m of report.members) {
          const text = docs.find((d) => d.id === m.id)!.text;
          for (const p of m.paragraphs) {
            expect(text.slice(p.start, p.end)).toBe(p.text);
            const other = p.counterpart && byId.get(p.counterpart.id)!.paragraphs[p.counterpart.index]!;
            switch (p.class) {
              case "unique":
                expect(p.counterpart).toBeUndefined();
                break;
              case "shared":
                expect(p.counterpart!.id).not.toBe(m.id);
                expect(normalizeText(other!.text)).toBe(normalizeText(p.text));
                // the other member may hold it only as a near repeat of another paragraph
                expect(["shared", "repeated"]).toContain(other!.class);
                break;
              case "edited":
                expect(p.counterpart!.id).not.toBe(m.id);
                expect(p.similarity).toBeGreaterThanOrEqual(0.6);
                expect(p.similarity).toBeLessThan(1);
                break;
              case "repeated":
                expect(p.counterpart!.id).toBe(m.id);
                expect(p.counterpart!.index).not.toBe(p.index);
                expect(other!.class).not.toBe("repeated");
                break;
              default:
                throw new Error(`unexpected class ${p.class}`);
            }
          }
        }
        const repeated = report.members.reduce((n, m) => n + m.summary.repeated, 0);
        expect(report.stats.levenshteinCalls).toBeLessThanOrEqual(MAX_CANDIDATES * report.stats.distinctTexts + repeated);
      }),
      { numRuns: 150 },
    );
  });

  it("does not depend on the order of the documents given", () => {
    fc.assert(
      fc.property(clusterOf, ({ docs, cluster }) => {
        expect(diff(cluster, [...docs].reverse())).toEqual(diff(cluster, docs));
      }),
      { numRuns: 50 },
    );
  });
});
