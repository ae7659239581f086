import { describe, expect, it } from "vitest";
import { cluster } from "../src/cluster.js";
import { dedupe } from "../src/index.js";
import { random } from "./helpers/stories.js";

/** Words w0..w(n-1) from a fixed vocabulary, so overlapping ranges give overlapping shingles. */
const words = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}x`).join(" ");
const members = (r: ReturnType<typeof dedupe>) => r.clusters.map((c) => c.members.map((m) => m.id).join("+"));

/** A story of `n` sentences from its own vocabulary: stories never share a 5-word run. */
function story(tag: string, n: number, seed: number): string {
  const next = random(seed);
  return Array.from({ length: n }, () => Array.from({ length: 12 }, () => `${tag}${Math.floor(next() * 400)}`).join(" ") + ".").join(" ");
}

describe("clustering", () => {
  it("does not chain a series of partial overlaps into one cluster", () => {
    // Each article shares 65% of its words with the next: A~B, B~C, C~D, D~E verify. The canonical
    // is B; C joins B directly, D through C because it shares a quarter of its text with B, but E
    // shares nothing with B: union-find over the verified pairs would make one cluster of all five.
    const docs = [0, 1, 2, 3, 4].map((i) => ({ id: "ABCDE"[i]!, text: words(i * 35, i * 35 + 100) }));
    const r = dedupe(docs);
    expect(members(r)).toEqual(["B+A+C+D", "E"]);
    const d = r.clusters[0]!.members.find((m) => m.id === "D")!;
    expect(d.containment).toBeGreaterThan(0.1);
    expect(d.containment).toBeLessThan(0.6);
  });

  it("joins a write-through through the version it shares its text with, when it shares some of it with the canonical too", () => {
    // v1 is the first take; v2 rewrites its lead and keeps v1's sentences lower down; lead-only
    // copies of v2 hold v2's new lead and its first sentence kept from v1.
    const first = story("a", 6, 1);
    const later = story("b", 4, 2);
    const v1 = first;
    const v2 = `${later} ${first}`;
    const lead = `${later} ${first.split(". ")[0]}.`;
    const r = dedupe([
      { id: "v1", text: v1 },
      { id: "v2", text: v2 },
      { id: "lead1", text: lead },
      { id: "lead2", text: `Listen to this article. ${lead}` },
    ]);
    expect(members(r)).toEqual(["v2+lead1+lead2+v1"]);
  });

  it("picks as canonical the copy sharing the most content, then the larger, then the smaller id", () => {
    const set = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
    const score = (shared: number) => ({ jaccard: 0.5, containment: 0.9, shared });
    const nodes = [
      { id: "x", shingles: set(100) },
      { id: "y", shingles: set(300) },
      { id: "z", shingles: set(300) },
    ];
    const rep = Int32Array.from([0, 1, 2]);
    const canonicalOf = (edges: Parameters<typeof cluster>[2]) => nodes[cluster(nodes, rep, edges).groups[0]!.canonical]!.id;
    expect(canonicalOf([{ a: 0, b: 1, score: score(90) }, { a: 1, b: 2, score: score(90) }, { a: 0, b: 2, score: score(90) }])).toBe("y");
    expect(canonicalOf([{ a: 0, b: 1, score: score(90) }, { a: 0, b: 2, score: score(95) }])).toBe("x");
    // Exact duplicates count: a canonical held by three documents outweighs one held once.
    const dupRep = Int32Array.from([0, 1, 2, 0, 0]);
    const withDups = [...nodes, { id: "x2", shingles: set(100) }, { id: "x3", shingles: set(100) }];
    const groups = cluster(withDups, dupRep, [{ a: 0, b: 1, score: score(90) }]).groups;
    expect(withDups[groups.find((g) => g.members.length > 0)!.canonical]!.id).toBe("x");
  });

  it.each([4, 10])("keeps a digest of %i unrelated stories out of their clusters, and never their canonical", (n) => {
    const stories = Array.from({ length: n }, (_, i) => story(`s${i}x`, 8, i + 1));
    const docs = stories.flatMap((s, i) => [
      { id: `story${i}-a`, text: s },
      // A copy with a closing line of its own: the larger, so the canonical.
      { id: `story${i}-b`, text: `${s}\n\nThis report was filed by our correspondent with help from the regional desk and the wire service.` },
    ]);
    docs.push({ id: "digest", text: stories.join("\n\n") });
    const r = dedupe(docs);
    expect(members(r)).toEqual([
      "digest",
      ...stories.map((_, i) => `story${i}-b+story${i}-a`).sort(),
    ].sort());
    // Each story lies whole inside the digest (containment 1): the pairs LSH brings up verify as
    // copies (a tenth of the digest still does, through its lead or a band), so it is found to be
    // a digest and links none of them.
    expect(r.clusters.find((c) => c.canonical === "digest")!.members[0]!.digest).toBe(true);
  });

  it("keeps a page with two stories that each have copies elsewhere apart from both (it is a digest of two)", () => {
    const [s1, s2] = [story("p", 8, 11), story("q", 8, 12)];
    const r = dedupe([
      { id: "one", text: s1 },
      { id: "two", text: s2 },
      { id: "both", text: `${s1}\n\n${s2}` },
    ]);
    expect(members(r)).toEqual(["both", "one", "two"]);
  });

  it("clusters exact duplicates by hash: 2,000 copies of one sentence are one cluster, the smallest id canonical", () => {
    const docs = Array.from({ length: 2000 }, (_, i) => ({ id: `d${String(i).padStart(4, "0")}`, text: "The same short sentence, saved by every crawler." }));
    const r = dedupe(docs);
    expect(r.stats).toEqual({ documents: 2000, clusters: 1, duplicates: 1999 });
    expect(r.clusters[0]!.canonical).toBe("d0000");
    expect(r.clusters[0]!.members.every((m) => m.jaccard === 1 && m.containment === 1)).toBe(true);
  });
});
