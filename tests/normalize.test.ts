import { describe, expect, it } from "vitest";
import { dedupe } from "../src/index.js";
import { normalizeText, units } from "../src/normalize.js";

describe("normalizeText", () => {
  it.each([
    ["curly quotes", "\u201cPeace\u201d isn\u2019t \u2018easy\u2019", '"peace" isn\'t \'easy\''],
    ["dashes", "Kyiv \u2014 Odesa \u2013 2025", "kyiv - odesa - 2025"],
    ["NBSP and runs of space", "a\u00a0\u00a0b \t c\n", "a b c"],
    ["compatibility forms (NFKC)", "\ufb01nal \uff21\uff22", "final ab"],
    ["combining marks compose", "cafe\u0301", "caf\u00e9"],
    ["zero-width and bidi marks vanish", "Ky\u200biv\u200f\ufeff", "kyiv"],
    ["lone surrogate becomes U+FFFD", "a\ud800b", "a\ufffdb"],
  ])("%s", (_, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe("units", () => {
  const show = (text: string) => units(text).map((p) => `${p.start}-${p.end}:${p.text}`);

  it("splits on blank lines when the text has them, keeping offsets into the original", () => {
    const text = "Title\n\nLine one\nline two\n\n\nLast";
    expect(show(text)).toEqual(["0-5:title", "7-24:line one line two", "27-31:last"]);
    const p = units(text)[1]!;
    expect(text.slice(p.start, p.end)).toBe("Line one\nline two");
  });

  it("takes one paragraph per line when there are no blank lines", () => {
    expect(show("One\nTwo\r\nThree\rFour")).toEqual(["0-3:one", "4-7:two", "9-14:three", "15-19:four"]);
  });

  it("drops units that normalize to nothing", () => {
    expect(show("A\n\u200b\u200b\nB")).toEqual(["0-1:a", "5-6:b"]);
  });
});

describe("invisible characters inside words", () => {
  const story =
    "The harbour authority said on Tuesday that the new container terminal would open next spring, " +
    "doubling the port's capacity and bringing some two thousand jobs to the region.";
  // Each inserted inside words, every third word: a copy a reader cannot tell from the original.
  it.each([
    ["U+061C Arabic letter mark", "\u061c"],
    ["U+180E Mongolian vowel separator", "\u180e"],
    ["U+034F combining grapheme joiner", "\u034f"],
    ["U+FE0F variation selector-16", "\ufe0f"],
    ["U+3164 Hangul filler", "\u3164"],
    ["U+E0041 tag Latin capital A", "\udb40\udc41"],
    ["U+0640 Arabic tatweel", "\u0640"],
    ["U+00AD soft hyphen", "\u00ad"],
    ["U+200D zero width joiner", "\u200d"],
  ])("normalizes away %s: the copy is an exact duplicate", (_, ch) => {
    const copy = story
      .split(" ")
      .map((w, i) => (i % 3 === 0 && w.length > 3 ? w.slice(0, 2) + ch + w.slice(2) : w))
      .join(" ");
    expect(copy).not.toBe(story);
    expect(normalizeText(copy)).toBe(normalizeText(story));
    const r = dedupe([
      { id: "a", text: story },
      { id: "b", text: copy },
    ]);
    expect(r.clusters.map((c) => c.members.map((m) => [m.id, m.jaccard]))).toEqual([
      [
        ["a", 1],
        ["b", 1],
      ],
    ]);
  });
});
