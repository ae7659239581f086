import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeText } from "../src/normalize.js";
import { hashToken, tokenHashes } from "../src/tokenize.js";
import { naturalTokens } from "./helpers/natural.js";

function allTestData(dir = join(import.meta.dirname, "../test-data")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allTestData(join(dir, e.name)) : [readFileSync(join(dir, e.name), "utf8")],
  );
}

const viaNatural = (text: string) => naturalTokens(text).map(hashToken);

describe("tokenizer", () => {
  it("yields the same words as natural's RegexpTokenizer on all of test-data", () => {
    const texts = allTestData();
    expect(texts.length).toBeGreaterThanOrEqual(5);
    for (const raw of texts) {
      for (const text of [raw, normalizeText(raw)]) expect([...tokenHashes(text)]).toEqual(viaNatural(text));
    }
  });

  it("keeps accented and non-Latin words whole, unlike natural's default ASCII tokenizer", () => {
    const text = normalizeText("Café naïve Київ 東京 ﬁnal 𝒳y");
    expect(naturalTokens(text)).toEqual(["café", "naïve", "київ", "東京", "final", "xy"]);
    expect([...tokenHashes(text)]).toEqual(viaNatural(text));
  });

  it("agrees with natural on arbitrary Unicode, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        expect([...tokenHashes(s)]).toEqual(viaNatural(s));
      }),
      { numRuns: 200 },
    );
  });
});
