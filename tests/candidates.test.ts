import { describe, expect, it } from "vitest";
import { BandTables } from "../src/band-tables.js";
import { bandKeys, lshParams as paramsOf } from "../src/candidates.js";
import { resolveOptions } from "../src/options-check.js";
import { DEFAULTS, INDEX_DEFAULTS } from "../src/options.js";

/** The index's optimiser (even weights) at threshold t with k hashes. */
const lshParams = (t: number, k: number) => paramsOf(resolveOptions({ jaccard: t, numHashes: k }, INDEX_DEFAULTS));

describe("LSH candidates", () => {
  /** The weighted error area by a plain Riemann sum: an independent check of the Simpson integration. */
  function errorArea(t: number, bands: number, rows: number): number {
    const steps = 4000;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < steps; i++) {
      const s = (i + 0.5) / steps;
      const p = 1 - Math.pow(1 - Math.pow(s, rows), bands);
      if (s < t) fp += p / steps;
      else fn += (1 - p) / steps;
    }
    return 0.5 * fp + 0.5 * fn;
  }

  it.each([
    [0.2, 128, { bands: 28, rows: 2 }],
    [0.5, 128, { bands: 25, rows: 5 }],
    [0.8, 128, { bands: 9, rows: 13 }],
  ])("threshold %d with %d hashes gives %j, the least error of all (bands, rows)", (t, k, expected) => {
    const p = lshParams(t, k);
    expect(p).toEqual(expected);
    const chosen = errorArea(t, p.bands, p.rows);
    for (let b = 1; b <= k; b++) {
      for (let r = 1; b * r <= k; r++) expect(chosen).toBeLessThanOrEqual(errorArea(t, b, r) + 1e-4);
    }
  });

  it("gives dedupe() more bands than the index at 0.2: 44 of 2 rows find 83% of pairs right at the threshold, 28 find 68%", () => {
    const candidate = (s: number, p: { bands: number; rows: number }) => 1 - Math.pow(1 - Math.pow(s, p.rows), p.bands);
    expect(paramsOf(DEFAULTS)).toEqual({ bands: 44, rows: 2 });
    expect(candidate(0.2, paramsOf(DEFAULTS))).toBeCloseTo(0.834, 3);
    expect(candidate(0.2, lshParams(0.2, 128))).toBeCloseTo(0.681, 3);
  });

  it("takes bands and rows given outright, and refuses a banding that needs more hashes than there are", () => {
    expect(paramsOf(resolveOptions({ lsh: { bands: 16, rows: 8 } }))).toEqual({ bands: 16, rows: 8 });
    expect(() => resolveOptions({ lsh: { bands: 20, rows: 8 } })).toThrow("option lsh needs bands × rows ≤ numHashes (128), got 20 × 8");
    expect(() => resolveOptions({ lsh: { bands: 20 } })).toThrow("option lsh needs both bands and rows, or neither");
    expect(paramsOf(resolveOptions({ lsh: { weights: { falsePositive: 0.5, falseNegative: 0.5 } } }))).toEqual({ bands: 28, rows: 2 });
  });

  it("puts the S-curve's steepest point near the threshold", () => {
    for (const t of [0.2, 0.3, 0.5, 0.7]) {
      const { bands, rows } = lshParams(t, 128);
      const mid = Math.pow(1 / bands, 1 / rows);
      expect(Math.abs(mid - t)).toBeLessThan(0.12);
    }
  });

  it("answers an unseen band with no candidates instead of throwing", () => {
    const params = { bands: 4, rows: 2 };
    const tables = new BandTables(params.bands);
    tables.add(bandKeys(Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), params));
    expect(tables.query(bandKeys(Uint32Array.from([9, 9, 9, 9, 9, 9, 9, 9]), params))).toEqual([]);
    expect(tables.query(bandKeys(Uint32Array.from([1, 2, 0, 0, 0, 0, 0, 0]), params))).toEqual([0]);
  });

  it("lists each pair sharing a band once", () => {
    const params = { bands: 2, rows: 1 };
    const tables = new BandTables(params.bands);
    tables.add(bandKeys(Uint32Array.from([1, 2]), params));
    tables.add(bandKeys(Uint32Array.from([1, 2]), params));
    tables.add(bandKeys(Uint32Array.from([3, 2]), params));
    expect([...tables.pairs()]).toEqual([[0, 1], [0, 2], [1, 2]]);
  });

  it("finds the same buckets after its tables grow past their first capacity", () => {
    const tables = new BandTables(3, 4);
    for (let i = 0; i < 1000; i++) tables.add(Uint32Array.from([i, i % 10, 7]));
    expect(tables.query(Uint32Array.from([500, 99, 99]))).toEqual([500]);
    expect(tables.query(Uint32Array.from([99999, 3, 99])).length).toBe(100);
    expect(tables.query(Uint32Array.from([99999, 99, 7])).length).toBe(1000);
  });
});
