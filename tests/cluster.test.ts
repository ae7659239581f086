import { describe, expect, it } from "vitest";
import { cluster } from "../src/cluster.js";
import { dedupe } from "../src/index.js";

/** Words w0..w(n-1) from a fixed vocabulary, so overlapping ranges give overlapping shingles. */
const words = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}x`).join(" ");

describe("clustering", () => {
  it("does not chain a series of partial overlaps into one cluster", () => {
    // Each article shares 70% of its words with the next: A~B, B~C, C~D, D~E verify; A shares
    // nothing with D or E. Union-find over the verified pairs would make one cluster of all five.
    const docs = [0, 1, 2, 3, 4].map((i) => ({ id: "ABCDE"[i]!, text: words(i * 30, i * 30 + 100) }));
    const r = dedupe(docs);
    expect(r.clusters.map((c) => c.members.map((m) => m.id).join("+"))).toEqual(["B+A+C", "D+E"]);
    for (const c of r.clusters) {
      // every member is verified against its canonical directly, never through another member
      for (const m of c.members) expect(m.containment).toBeGreaterThanOrEqual(0.6);
    }
  });

  it("picks as canonical the copy sharing the most content, then the larger, then the smaller id", () => {
    const score = (shared: number) => ({ jaccard: 0.5, containment: 0.9, shared });
    const nodes = [
      { id: "x", size: 100 },
      { id: "y", size: 300 },
      { id: "z", size: 300 },
    ];
    expect(cluster(nodes, [{ a: 0, b: 1, score: score(90) }, { a: 1, b: 2, score: score(90) }, { a: 0, b: 2, score: score(90) }])[0]!.canonical).toBe(1);
    expect(cluster(nodes, [{ a: 0, b: 1, score: score(90) }, { a: 0, b: 2, score: score(95) }])[0]!.canonical).toBe(0);
  });
});
