import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashToken, tokenHashes } from "../src/tokenize.js";
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
});
