import { describe, expect, it } from "vitest";
import { FrozenBuckets } from "../src/store/frozen.js";
import { prng } from "../src/hash.js";

/** Random keys for n documents in `bands` bands, a key in ten drawn again from a few (buckets of many). */
function sample(n: number, bands: number, seed: number) {
  const next = prng(seed);
  const shared = Array.from({ length: 7 }, () => next());
  const keys = Array.from({ length: bands }, () => {
    const k = new Uint32Array(n);
    for (let i = 0; i < n; i++) k[i] = next() % 10 === 0 ? shared[next() % shared.length]! : next();
    return k;
  });
  const bandsOf = new Uint8Array(n);
  for (let i = 0; i < n; i++) bandsOf[i] = next() % (bands + 1);
  return { keys, bandsOf, copy: keys.map((k) => k.slice()) };
}

describe("frozen band buckets", () => {
  // 600,000 documents take the 16-bit key path (a group's top bits hold the rest of the key).
  it.each([1, 10, 5_000, 600_000])("finds exactly the documents of a bucket, newest first, for %i documents", (n) => {
    const bands = 3;
    const { keys, bandsOf, copy } = sample(n, bands, n);
    const frozen = FrozenBuckets.build(keys, bandsOf, n);
    const probes = [0, 1, n >> 1, n - 1].filter((i) => i >= 0 && i < n);
    for (let b = 0; b < bands; b++) {
      const asked = [...probes.map((i) => copy[b]![i]!), copy[b]![0]! ^ 1, 0xffffffff];
      for (const key of asked) {
        const expected: number[] = [];
        for (let i = n - 1; i >= 0; i--) if (bandsOf[i]! > b && copy[b]![i] === key) expected.push(i);
        const got: number[] = [];
        frozen.each(b, key, (d) => (got.push(d), true));
        expect(got).toEqual(expected);
      }
    }
  });

  it("stops when the visitor says so", () => {
    const n = 100;
    const keys = [new Uint32Array(n).fill(42)];
    const frozen = FrozenBuckets.build(keys, new Uint8Array(n).fill(1), n);
    const got: number[] = [];
    frozen.each(0, 42, (d) => (got.push(d), got.length < 3));
    expect(got).toEqual([99, 98, 97]);
  });
});
