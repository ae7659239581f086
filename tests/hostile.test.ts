import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIndex, dedupe } from "../src/index.js";
import { fingerprintText as fingerprint } from "../src/fingerprint.js";
import { normalizeText, units } from "../src/normalize.js";
import { DEFAULTS } from "../src/options.js";
import { tokenHashes } from "../src/tokenize.js";

const MB = 1 << 20;

const hostile: Record<string, string> = {
  "NUL bytes": "a\u0000b\u0000\u0000c ".repeat(50),
  "lone surrogates": "\ud800 word \udfff other \ud83d",
  "BOM and zero-width joiners": "\ufeffword\u200dword \u200c\u2060 x",
  "RTL marks": "\u202eevil\u202c \u200fשלום עולם\u200e",
  "combining marks only": "\u0301\u0302\u0303 ".repeat(100),
  "astral plane": "𝕳𝖊𝖑𝖑𝖔 😀😀 𠜎𠜱𠝹",
  "CRLF and CR": "one\r\ntwo\r\rthree\n\r\nfour\r",
  "only separators": "!!! ??? ... --- \n\n\n \t",
};

describe("hostile text", () => {
  it.each(Object.entries(hostile))("handles %s without throwing", (_, text) => {
    const r = dedupe([{ id: "x", text }, { id: "y", text }]);
    expect(r.clusters.flatMap((c) => c.members.map((m) => m.id)).sort()).toEqual(["x", "y"]);
    expect(() => createIndex().add({ id: "z", text })).not.toThrow();
  });

  it("never throws on arbitrary UTF-16, and every id is accounted for", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 300 }), { maxLength: 8 }), (texts) => {
        const r = dedupe(texts);
        expect(r.clusters.flatMap((c) => c.members).length).toBe(texts.length);
      }),
      { numRuns: 200 },
    );
  });

  it("treats identical pastes of hostile text as copies", () => {
    const text = "𝕳𝖊𝖑𝖑𝖔 wörld \u202eright to left\u202c ".repeat(20);
    expect(dedupe([text, text]).clusters.length).toBe(1);
  });
});

/** The fastest of a few timings: the least disturbed by whatever else the machine runs. */
function fastest(f: () => void, runs = 2): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

describe("linear time on pathological input", () => {
  // Classic ReDoS shapes and degenerate texts. The bound is generous (prose runs at ~20 ms per MB
  // here, the worst shape below at ~500 ms per MB on a loaded machine); a quadratic step on 4 MB
  // would take minutes, a backtracking regex hours.
  const shapes: Record<string, (bytes: number) => string> = {
    "one word without a space": (n) => "a".repeat(n),
    "one repeated word": (n) => "news ".repeat(n / 5),
    "spaces then a letter": (n) => " ".repeat(n) + "x",
    "tabs and newlines": (n) => "\t\n \r".repeat(n / 4) + "!",
    "quotes and dashes": (n) => "\u201c\u2014\u2019a".repeat(n / 4),
    "one line per word": (n) => "word\n".repeat(n / 5),
    "blank-line units": (n) => "para\n\n".repeat(n / 6),
  };

  it.each(Object.entries(shapes))("%s: 4 MB in under 3 s per MB", (_, make) => {
    const text = make(4 * MB);
    fingerprint(make(MB / 8), DEFAULTS); // warm-up
    expect(fastest(() => fingerprint(text, DEFAULTS)) / 4).toBeLessThan(3000);
  });

  it("normalizes and tokenizes a 1 MB single word into one token", () => {
    const text = "x".repeat(MB);
    expect(tokenHashes(normalizeText(text)).length).toBe(1);
    expect(units(text).length).toBe(1);
  });
});
