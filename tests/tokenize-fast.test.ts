import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { quotedRanges } from "../src/story.js";
import { hashToken, tokenHashes, tokenHashesWithFlags } from "../src/tokenize.js";
import { naturalTokens } from "./helpers/natural.js";

const viaNatural = (text: string) => naturalTokens(text).map(hashToken);

// tokenHashes reads an all-ASCII text from a byte copy and any other text with charCodeAt.
describe("tokenizer on ASCII text (the byte-copy path)", () => {
  it("yields natural's words on arbitrary ASCII, controls and NUL included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 200 }), (s) => {
        expect([...tokenHashes(s)]).toEqual(viaNatural(s));
      }),
      { numRuns: 500 },
    );
  });

  it("gives a word the same hash whichever path reads it", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ab Z9.,'-\n"), maxLength: 80 }), (s) => {
        // The trailing é sends the same words down the charCodeAt path.
        expect([...tokenHashes(s)]).toEqual([...tokenHashes(`${s} é`)].slice(0, -1));
      }),
      { numRuns: 500 },
    );
  });

  it("hashes every word of a text longer than its buffers", () => {
    const words = Array.from({ length: 30000 }, (_, i) => `w${i % 977}`);
    const text = words.join(" ");
    expect([...tokenHashes(text)]).toEqual(words.map(hashToken));
    expect([...tokenHashes("short text")]).toEqual(["short", "text"].map(hashToken));
  });

  it("hashes every word of texts with a word every other character, whatever size its buffer had", async () => {
    // The most words a text of its length can hold: the buffer has to fit them all. A fresh copy
    // of the module for each text, so each meets the buffer at its first size, or grows it once.
    for (const words of [1, 2, 3, 2047, 2048, 2049, 4095, 4096, 4097, 9000, 9001]) {
      for (const text of ["a ".repeat(words).trimEnd(), " b".repeat(words), "c  ".repeat(words)]) {
        vi.resetModules();
        const fresh = await import("../src/tokenize.js");
        expect([...fresh.tokenHashes(text)]).toEqual(viaNatural(text));
      }
    }
  });
});

// Fingerprinting reads each word's flags (holds a digit, stands inside quotation marks) in the
// tokenizer's own pass on ASCII text and by a second scan on any other: both must agree.
describe("tokenizer with word flags", () => {
  const flagsOf = (text: string, ranges: Array<[number, number]>) => {
    const out = new Uint32Array((text.length >> 1) + 2);
    const flags = new Uint8Array(out.length);
    const n = tokenHashesWithFlags(text, out, 0, flags, { digit: 2, quoted: 1, ranges });
    return { hashes: [...out.subarray(0, n)], flags: [...flags.subarray(0, n)] };
  };
  const expected = (text: string, ranges: Array<[number, number]>) => {
    const words = [...text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)];
    return {
      hashes: words.map((m) => hashToken(m[0])),
      flags: words.map((m) => (/\p{N}/u.test(m[0]) ? 2 : 0) | (ranges.some(([a, b]) => m.index >= a && m.index < b) ? 1 : 0)),
    };
  };
  const text = fc.string({ unit: fc.constantFrom(..."ab Z9.,'\"-\n٣é"), maxLength: 80 });
  it("flags digits and quoted words alike on ASCII and non-ASCII text", () => {
    fc.assert(
      fc.property(text, (s) => {
        const ranges = quotedRanges(s);
        expect(flagsOf(s, ranges)).toEqual(expected(s, ranges));
        // The same words read through the non-ASCII path.
        const wide = `${s} é`;
        const wideRanges = quotedRanges(wide);
        expect(flagsOf(wide, wideRanges)).toEqual(expected(wide, wideRanges));
      }),
      { numRuns: 500 },
    );
  });
});
