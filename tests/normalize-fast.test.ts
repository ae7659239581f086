import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashString } from "../src/hash.js";
import { normalizeText, units } from "../src/normalize.js";

// The definition normalizeText must keep to: every pass, in this order, on every text. The
// library skips the passes a scan shows cannot change a text; this is what it must equal.
const reference = (text: string) =>
  text
    .toWellFormed()
    .replace(/[\p{Cf}\u0000\u034f\u0640\u115f\u1160\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/gu, "")
    .normalize("NFKC")
    .replace(/[\p{Cf}\u0000\u034f\u0640\u115f\u1160\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/gu, "")
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, "-")
    .replace(/[\u0130\u0131]/g, "i")
    .replace(/[\u0649\u06cc]/g, "\u064a")
    .replace(/\u06a9/g, "\u0643")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();

// Characters near the edges of the shortcuts: ASCII that the passes do change (NUL, backtick,
// control white space, capitals), NBSP and other spaces NFKC rewrites, quotes and dashes with and
// without compatibility forms (U+2033, U+FE58), invisibles, combining marks, Hangul jamo that
// compose, final sigma, dotted I and dotless i, Persian yeh and keheh, Kelvin sign, ligatures, lone and paired surrogates.
const tricky = [..."aZ09 .'\"-`\u0000\t\n\r\u000b\u000c\u001f\u007f\u00a0\u00b4\u00b5\u00c9\u00e9\u00df\u0130\u03a3\u03c3\u212a\ufb01\u2018\u2019\u201c\u201d\u2013\u2014\u2033\u2212\ufe58\uff0d\u00ad\u200b\u200d\u202e\ufeff\u2028\u3000\u0301\u0316\u1100\u1161\u11a8\uac00\u3131\ud800\udc00\u061c\u180e\u034f\ufe0f\u3164\u0640\udb40\udc41\u0131\u0649\u06a9\u06cc\u0307"];

describe("normalizeText shortcuts give the full normalization", () => {
  it("on arbitrary UTF-16, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (s) => {
        expect(normalizeText(s)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  });

  it("on strings of the characters where a shortcut could go wrong", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tricky), { maxLength: 40 }), (chars) => {
        const s = chars.join("");
        expect(normalizeText(s)).toBe(reference(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("on ASCII text, where runs of spaces are the only thing to find", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(..."Ab1. ", " ", "\t", "`", "\u0000"), { maxLength: 40 }), (chars) => {
        const s = chars.join("");
        expect(normalizeText(s)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  });

  it("for every BMP code unit, alone and between words and spaces", () => {
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `A${ch}b`, ` ${ch}${ch} Σ`, `x ${ch}  `, `${ch}  ${ch}.`]) if (normalizeText(s) !== reference(s)) wrong.push(s);
    }
    expect(wrong.map((s) => s.codePointAt(1)?.toString(16))).toEqual([]);
  });

  it("for every character Unicode decomposes, written decomposed (NFKC composes it again)", () => {
    const wrong: number[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const nfd = ch.normalize("NFD");
      if (nfd === ch) continue;
      for (const s of [nfd, `Word ${nfd}s`]) if (normalizeText(s) !== reference(s)) wrong.push(cp);
    }
    expect(wrong).toEqual([]);
  });
});

describe("normalizeText work", () => {
  afterEach(() => vi.restoreAllMocks());

  it("runs no NFKC on plain ASCII prose, and does when a combining mark needs it", () => {
    const prose = "The jury said Friday an investigation of Atlanta's recent primary election produced \"no evidence\".";
    const accented = `${prose} cafe\u0301`;
    const expected = [reference(prose), reference(accented)];
    normalizeText(accented); // meet these characters once: the first sight of a character may take an NFKC call
    const nfkc = vi.spyOn(String.prototype, "normalize");
    expect(normalizeText(prose)).toBe(expected[0]);
    expect(nfkc).not.toHaveBeenCalled();
    expect(normalizeText(accented)).toBe(expected[1]);
    expect(nfkc).toHaveBeenCalledTimes(1);
  });
});

// units() as first written: every line break found by testing every character, every unit
// through the eight passes and hashString, and a block split into lines (blockLines as it was
// first written) when its lines are not wrapped prose.
function referenceUnits(text: string) {
  const all: Array<{ start: number; end: number; blank: boolean }> = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13) continue;
    all.push({ start, end: i, blank: /^[ \t\u00a0\ufeff\u200b\f\v]*$/.test(text.slice(start, i)) });
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    start = i + 1;
  }
  const out: Array<{ text: string; start: number; end: number; hash: number; para: number }> = [];
  let para = 0;
  const push = (s: number, e: number) => {
    const norm = reference(text.slice(s, e));
    if (norm.length > 0) out.push({ text: norm, start: s, end: e, hash: hashString(norm), para });
  };
  if (!all.some((l, i) => l.blank && i > 0 && i < all.length - 1)) {
    for (const l of all) if (!l.blank) push(l.start, l.end), para++;
    return out;
  }
  const block = (bs: number, be: number) => {
    const lines: Array<[number, number]> = [];
    let start = bs;
    for (let i = bs; i <= be; i++) {
      const c = i < be ? text.charCodeAt(i) : 10;
      if (c !== 10 && c !== 13) continue;
      let s = start;
      let e = i;
      while (s < e && /\s/.test(text[s]!)) s++;
      while (e > s && /\s/.test(text[e - 1]!)) e--;
      if (e > s) lines.push([s, e]);
      start = i + 1;
    }
    const soft = lines.slice(1).filter(([s]) => text[s] !== text[s]!.toUpperCase()).length;
    if (lines.length < 2 || soft * 2 >= lines.length - 1) push(bs, be);
    else for (const [s, e] of lines) push(s, e);
    para++;
  };
  let bs = -1;
  let be = -1;
  for (const l of all) {
    if (l.blank) {
      if (bs >= 0) block(bs, be);
      bs = -1;
    } else {
      if (bs < 0) bs = l.start;
      be = l.end;
    }
  }
  if (bs >= 0) block(bs, be);
  return out;
}

describe("units shortcuts give the full normalization", () => {
  // All-ASCII texts take a byte-copy path; in a text with a non-ASCII character anywhere, its ASCII
  // paragraphs take a byte copy of their own and the others normalizeText.
  const pieces = ["Word", "two words", "UPPER case", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "`", "\u0000", "x.", "\u000b", "\u00e9", "\u201c"];

  it("on texts of lines, blank lines and spaces, ASCII or not", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(units(text)).toEqual(referenceUnits(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("on arbitrary ASCII and arbitrary UTF-16", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary-ascii", maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 })), (text) => {
        expect(units(text)).toEqual(referenceUnits(text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("normalizeText on long texts", () => {
  it("maps quotes, dashes and invisibles in texts longer than a paragraph as in short ones", () => {
    const piece = "\u201cWe\u2019re here\u201d \u2014 Kyiv\u200b, 2025\u2013 `ok` ";
    for (const repeat of [1, 2000, 3000]) {
      const text = piece.repeat(repeat); // 33 characters: 2,000 copies and more are over 65,536
      expect(normalizeText(text)).toBe(reference(text));
    }
  });
});
