import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintText as fingerprint } from "../src/fingerprint.js";
import { DEFAULTS } from "../src/options.js";
import { FORMAT_VERSION } from "../src/persist.js";
import { seeds } from "./helpers/seeds.js";

const GOLDEN = join(import.meta.dirname, "golden/signatures.json");

// A fixed set of texts: the seeds and a few that exercise Unicode paths of the tokenizer.
const texts: Record<string, string> = {
  ...Object.fromEntries(seeds().map((s) => [s.id, s.text])),
  unicode: "Київ і Odesa — \u201cnaïve café\u201d 東京 𝒳𝒴𝒵 ﬁnal e\u0301 \u200bzero width",
  short: "Three words only",
  crlf: "Line one\r\nline two\r\n\r\nParagraph two\rold mac line",
};

/**
 * Signatures, leads and number samples are saved in index files. If a change alters them, an old index silently stops
 * matching new documents; this test makes such a change loud. When the change is intended,
 * bump FORMAT_VERSION in src/persist.ts and regenerate: UPDATE_GOLDEN=1 npx vitest run tests/golden.test.ts
 */
describe("golden signatures", () => {
  const current = Object.fromEntries(
    Object.entries(texts).map(([name, text]) => {
      const f = fingerprint(text, DEFAULTS);
      return [name, { shingles: f.shingles.length, repeats: f.repeats, signature: f.signature ? [...f.signature] : null, lead: [...f.lead], numbers: [...f.numbers] }];
    }),
  );

  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(GOLDEN, JSON.stringify({ formatVersion: FORMAT_VERSION, options: DEFAULTS, texts: current }, null, 1) + "\n");
  }
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as { formatVersion: number; texts: typeof current };

  it("match the frozen signatures of the index format version", () => {
    expect(golden.formatVersion).toBe(FORMAT_VERSION);
    expect(current).toEqual(golden.texts);
  });
});
