import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fmix32, mix } from "../src/hash.js";
import { shingleHashes } from "../src/shingle.js";

// The definition: one window at a time, then sorted and de-duplicated.
function reference(tokens: Uint32Array, size: number, seed: number): number[] {
  const n = tokens.length;
  if (n === 0) return [];
  const width = Math.min(size, n);
  const start = fmix32(seed ^ Math.imul(width, 0x9e3779b1));
  const out: number[] = [];
  for (let i = 0; i + width <= n; i++) {
    let h = start;
    for (let j = 0; j < width; j++) h = mix(h, tokens[i + j]!);
    out.push(fmix32(h ^ width));
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

describe("shingleHashes, four windows at a time", () => {
  it("equals one window at a time for every count of windows and width", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat({ max: 0xffffffff }),
        (words, size, seed) => {
          const tokens = Uint32Array.from(words);
          expect([...shingleHashes(tokens, size, seed)]).toEqual(reference(tokens, size, seed));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("equals it on repeated words (duplicate windows) and long texts", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 50, maxLength: 3000 }), fc.integer({ min: 1, max: 6 }), (words, size) => {
        const tokens = Uint32Array.from(words);
        expect([...shingleHashes(tokens, size, 1)]).toEqual(reference(tokens, size, 1));
      }),
      { numRuns: 100 },
    );
  });
});
