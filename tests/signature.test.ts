import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { estimateJaccard, importSignature, signature } from "../src/signature.js";
import { exactScore } from "../src/verify.js";

const K = 128;

/** Two random sets with a chosen overlap, as sorted distinct Uint32Arrays. */
const setPair = fc
  .record({ shared: fc.integer({ min: 0, max: 400 }), onlyA: fc.integer({ min: 0, max: 400 }), onlyB: fc.integer({ min: 0, max: 400 }), seed: fc.integer({ min: 1, max: 2 ** 31 }) })
  .filter((p) => p.shared + p.onlyA > 0 && p.shared + p.onlyB > 0)
  .map(({ shared, onlyA, onlyB, seed }) => {
    const values = new Set<number>();
    let x = seed;
    while (values.size < shared + onlyA + onlyB) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      values.add(x);
    }
    const all = [...values];
    const a = Uint32Array.from(all.slice(0, shared + onlyA)).sort();
    const b = Uint32Array.from([...all.slice(0, shared), ...all.slice(shared + onlyA)]).sort();
    return { a, b };
  });

describe("MinHash signature", () => {
  it("estimates Jaccard within 4.5 binomial standard errors of the exact value", () => {
    fc.assert(
      fc.property(setPair, ({ a, b }) => {
        const exact = exactScore(a, b).jaccard;
        const estimate = estimateJaccard(signature(a, K, 7), signature(b, K, 7));
        // Var = J(1-J)/n for n independent agreements; +1/k covers J near 0 or 1. One-permutation
        // hashing has at most |A ∪ B| independent bins: when the union is smaller than k, densified
        // positions copy a few filled bins and agree or disagree together, so n = min(k, |A ∪ B|).
        const union = new Set([...a, ...b]).size;
        const n = Math.min(K, union);
        const bound = 4.5 * Math.sqrt((exact * (1 - exact)) / n) + 1 / K;
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic and depends on the seed", () => {
    const set = Uint32Array.from([5, 9, 1000, 77777]);
    expect(signature(set, K, 1)).toEqual(signature(set, K, 1));
    expect(signature(set, K, 1)).not.toEqual(signature(set, K, 2));
  });

  it("gives identical sets identical signatures, even sets far smaller than k", () => {
    const a = Uint32Array.from([42]);
    expect(estimateJaccard(signature(a, K, 1), signature(a.slice(), K, 1))).toBe(1);
  });

  it("accepts the npm minhash package's hashvalues, folding values above 2^32", () => {
    const require = createRequire(import.meta.url);
    const { Minhash } = require("minhash") as { Minhash: new () => { update(s: string): void; hashvalues: number[] } };
    const m = new Minhash();
    for (const w of ["nato", "chief", "mark", "rutte"]) m.update(w);
    const imported = importSignature(m.hashvalues, "x");
    expect(imported.length).toBe(128);
    expect([...imported]).toEqual(m.hashvalues.map((v) => v % 2 ** 32));
    expect(() => importSignature([1, -2], "doc-9")).toThrow('document "doc-9" has an unusable signature: value #1 is -2, not a non-negative integer');
  });
});
