import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprintText as fingerprint } from "../src/fingerprint.js";
import { DEFAULTS } from "../src/options.js";
import { estimateJaccard, signature } from "../src/signature.js";
import { exactScore, minAgreement, sameOpening, SignatureBytes } from "../src/verify.js";
import { seed } from "./helpers/seeds.js";

/** Positions where two full signatures agree. */
const agreements = (a: Uint32Array, b: Uint32Array) => Math.round(estimateJaccard(a, b) * a.length);

/** P(Binomial(k, p) < m), summed term by term in log space (an independent reference). */
function lowerTail(k: number, p: number, m: number): number {
  let sum = 0;
  for (let i = 0; i < m; i++) {
    let logC = 0;
    for (let j = 0; j < i; j++) logC += Math.log(k - j) - Math.log(j + 1);
    sum += Math.exp(logC + i * Math.log(p) + (k - i) * Math.log1p(-p));
  }
  return sum;
}

describe("signature prefilter before exact verification", () => {
  it("rejects only below the largest agreement count with a binomial tail under 1e-4", () => {
    for (const [k, t] of [[128, 0.2], [128, 0.5], [64, 0.3], [256, 0.2]] as const) {
      const m = minAgreement(k, t);
      expect(lowerTail(k, t, m)).toBeLessThanOrEqual(1e-4);
      expect(lowerTail(k, t, m + 1)).toBeGreaterThan(1e-4);
    }
    expect(minAgreement(128, 0.2)).toBe(10);
    expect(minAgreement(128, 1)).toBe(128);
  });

  it("keeps the AFP Odesa copies (exact Jaccard 0.41)", () => {
    const a = fingerprint(seed("002"), DEFAULTS).signature!;
    const b = fingerprint(seed("003"), DEFAULTS).signature!;
    expect(agreements(a, b)).toBeGreaterThanOrEqual(minAgreement(128, DEFAULTS.jaccard));
  });

  it("keeps every random pair whose exact Jaccard is at least 0.3 (property)", () => {
    const pair = fc.record({ shared: fc.integer({ min: 30, max: 600 }), extra: fc.integer({ min: 0, max: 600 }), seed: fc.integer({ min: 1, max: 2 ** 31 }) }).map(({ shared, extra, seed }) => {
      const values = new Set<number>();
      let x = seed;
      while (values.size < shared + 2 * extra) values.add((x = (Math.imul(x, 1103515245) + 12345) >>> 0));
      const all = [...values];
      const a = Uint32Array.from(all.slice(0, shared + extra)).sort();
      const b = Uint32Array.from([...all.slice(0, shared), ...all.slice(shared + extra)]).sort();
      return { a, b };
    });
    fc.assert(
      fc.property(pair.filter(({ a, b }) => exactScore(a, b).jaccard >= 0.3), ({ a, b }) => {
        expect(agreements(signature(a, 128, 1), signature(b, 128, 1))).toBeGreaterThanOrEqual(minAgreement(128, 0.2));
      }),
      { numRuns: 300 },
    );
  });
});

describe("exact scores", () => {
  it("count the shared shingles of two sorted sets as a Set intersection does (property)", () => {
    const sortedSet = fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 300 }).map((xs) => Uint32Array.from(xs).sort());
    // Small values as well, so that the two sets often share members and end on the same one.
    const smallSet = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 40 }).map((xs) => Uint32Array.from(xs).sort());
    const anySet = fc.oneof(sortedSet, smallSet);
    fc.assert(
      fc.property(anySet, anySet, (a, b) => {
        const inA = new Set(a);
        const shared = [...b].filter((x) => inA.has(x)).length;
        const s = exactScore(a, b);
        expect(s.shared).toBe(shared);
        const union = a.length + b.length - shared;
        expect(s.jaccard).toBe(union === 0 ? 0 : shared / union);
        expect(s.containment).toBe(Math.min(a.length, b.length) === 0 ? 0 : shared / Math.min(a.length, b.length));
      }),
      { numRuns: 500 },
    );
  });
});

describe("the prefilter's one byte per signature value", () => {
  it("never counts fewer agreements than the full signatures, and counts equal bytes exactly (property)", () => {
    const sigPair = fc.integer({ min: 1, max: 19 }).chain((k) =>
      fc.tuple(
        fc.constant(k),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 3 })), { minLength: k, maxLength: k }),
      ),
    );
    fc.assert(
      fc.property(sigPair, ([k, values]) => {
        // About half the positions equal, and some differing only in bits a byte might ignore.
        const a = Uint32Array.from(values, ([x]) => x);
        const b = Uint32Array.from(values, ([x, y, how]) => (how === 0 ? y : how === 1 ? (x ^ 0x100) >>> 0 : x));
        const bytes = new SignatureBytes(3, k);
        bytes.set(0, new Uint32Array(k).fill(7));
        bytes.set(1, a);
        bytes.set(2, b);
        const byteOf = (v: number) => Math.imul(v, 0x9e3779b1) >>> 24;
        const equalBytes = [...a].filter((x, i) => byteOf(x) === byteOf(b[i]!)).length;
        expect(bytes.agreements(1, 2)).toBe(equalBytes);
        expect(bytes.agreements(2, 1)).toBe(equalBytes);
        expect(bytes.agreements(1, 2)).toBeGreaterThanOrEqual(agreements(a, b));
        expect(bytes.agreements(1, 1)).toBe(k);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the same opening (the lead rule's check on where shared text starts)", () => {
  const story = [
    "The harbour board approved a plan on Monday to deepen the main channel so that larger container ships can dock.",
    "Work is due to start in the spring and will take about two years to finish.",
    "The cost will be shared between the port and the regional government.",
    "The board expects the number of ships calling at the port to double within a decade, and it has already spoken to two shipping lines about weekly services to the far east.",
    "Local firms that supply the port with fuel, food and repairs welcomed the news, and the chamber of commerce said the plan would create several hundred jobs.",
    "Fishermen worried that the dredging would disturb the spawning grounds near the river mouth.",
    "A spokesman said the board would publish a study of the effects before any work began.",
  ];
  const own = "Our reporter spoke to dock workers about what the plan means for their jobs and their pay.";
  const fp = (text: string) => fingerprint(text, DEFAULTS);
  const filler = Array.from({ length: 90 }, (_, i) => `w${i}x`).join(" ") + ".";

  // [what the other page is, the same opening, its text]
  it.each([
    ["the story's lead, then its own text", true, `${story[0]} ${own}`],
    // As s28 of realdev has it: the deck echoes one passage of the lead, and the story's first
    // passage is another (the page edited its lead between them).
    ["a deck echoing the lead, then the lead as the page edited it", true, `A plan to deepen the main channel so that larger container ships can dock has been approved.\n\nThe harbour board approved a plan on Monday, its chairman said, to deepen the main channel so that larger container ships can dock. ${own}`],
    ["a sentence from deep in the story, then the story's lead", false, `${story[6]} ${story[0]} ${own}`],
    ["a paragraph both hold past their openings", true, `${filler} ${story[5]}`],
  ] as const)("%s: the same opening %s", (_what, same, text) => {
    // The story's opening (its first 64 shingles) ends in its fourth sentence.
    const a = fp(story.join(" "));
    const b = fp(text);
    expect(sameOpening(a, b)).toBe(same);
    expect(sameOpening(b, a)).toBe(same);
  });

  it("never refuses a page that kept a story's first sentences, with or without a dateline and text of its own (property)", () => {
    // Sentences of distinct made-up words, so that only what the page took from the story is shared.
    const sentence = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}x`).join(" ") + ".";
    const page = fc.record({
      lengths: fc.array(fc.integer({ min: 6, max: 40 }), { minLength: 2, maxLength: 12 }),
      kept: fc.integer({ min: 1, max: 12 }),
      dateline: fc.integer({ min: 0, max: 6 }),
      own: fc.array(fc.integer({ min: 6, max: 40 }), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(page, ({ lengths, kept, dateline, own }) => {
        const story = lengths.map((n, i) => sentence(`s${i}w`, n));
        const copy = [...(dateline > 0 ? [sentence("d", dateline)] : []), ...story.slice(0, kept), ...own.map((n, i) => sentence(`o${i}w`, n))];
        const [a, b] = [fp(story.join(" ")), fp(copy.join(" "))];
        expect(sameOpening(a, b)).toBe(true);
        expect(sameOpening(b, a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
