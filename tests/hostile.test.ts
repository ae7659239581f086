import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIndex, dedupe } from "../src/index.js";
import { fingerprint } from "../src/fingerprint.js";
import { normalizeText, paragraphs } from "../src/normalize.js";
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

/** Median of a few timings of f: the shape of growth, not an absolute speed, is asserted. */
function median(f: () => void, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

describe("linear time on pathological input", () => {
  // Classic ReDoS shapes and degenerate texts; a super-linear step shows as ratio ≈ 16 for 4× input.
  const shapes: Record<string, (bytes: number) => string> = {
    "one word without a space": (n) => "a".repeat(n),
    "one repeated word": (n) => "news ".repeat(n / 5),
    "spaces then a letter": (n) => " ".repeat(n) + "x",
    "tabs and newlines": (n) => "\t\n \r".repeat(n / 4) + "!",
    "quotes and dashes": (n) => "\u201c\u2014\u2019a".repeat(n / 4),
    "one line per word": (n) => "word\n".repeat(n / 5),
    "blank-line paragraphs": (n) => "para\n\n".repeat(n / 6),
  };

  it.each(Object.entries(shapes))("%s: 4× the input costs well under 16× the time", (_, make) => {
    const small = make(MB / 2);
    const large = make(2 * MB);
    const run = (text: string) => () => fingerprint(text, DEFAULTS);
    run(small)(); // warm-up
    const ratio = median(run(large)) / Math.max(median(run(small)), 1);
    expect(ratio).toBeLessThan(10);
  });

  it("normalizes and tokenizes a 1 MB single word into one token", () => {
    const text = "x".repeat(MB);
    expect(tokenHashes(normalizeText(text)).length).toBe(1);
    expect(paragraphs(text).length).toBe(1);
  });
});
