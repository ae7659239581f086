import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../src/fingerprint.js";
import { units } from "../src/normalize.js";
import { resolveOptions } from "../src/options-check.js";
import { RecentWords } from "../src/recent.js";

const words = (...xs: number[]) => Uint32Array.from(xs);
const flagsOf = (...xs: number[]) => Uint8Array.from(xs);

describe("RecentWords", () => {
  const remembered = (memo: RecentWords<string>, t: Uint32Array, f: Uint8Array) => memo.get(RecentWords.key(t, t.length), t, f, t.length);
  // Offered twice: a sequence is kept the second time its key comes.
  const remember = (memo: RecentWords<string>, t: Uint32Array, f: Uint8Array, value: string) => {
    for (let k = 0; k < 2; k++) memo.set(RecentWords.key(t, t.length), t, f, t.length, value);
  };

  it.each([
    ["the same words and flags", words(1, 2, 3), flagsOf(0, 1, 0), "seen"],
    ["a word changed", words(1, 2, 4), flagsOf(0, 1, 0), undefined],
    ["a flag changed", words(1, 2, 3), flagsOf(0, 0, 0), undefined],
    ["a word fewer", words(1, 2), flagsOf(0, 1), undefined],
  ])("answers for %s: %s", (_, t, f, expected) => {
    const memo = new RecentWords<string>(64);
    remember(memo, words(1, 2, 3), flagsOf(0, 1, 0), "seen");
    expect(remembered(memo, t, f)).toBe(expected);
  });

  it("confirms a hit word by word: another sequence under the same key is a miss", () => {
    const memo = new RecentWords<string>(64);
    const a = words(5, 6, 7);
    const key = RecentWords.key(a, 3);
    memo.set(key, a, flagsOf(0, 0, 0), 3, "a");
    memo.set(key, a, flagsOf(0, 0, 0), 3, "a");
    expect(memo.get(key, a, flagsOf(0, 0, 0), 3)).toBe("a");
    expect(memo.get(key, words(5, 6, 8), flagsOf(0, 0, 0), 3)).toBeUndefined();
  });

  it("keeps a sequence the second time it is offered, so text seen once costs no copy", () => {
    const memo = new RecentWords<string>(64);
    const t = words(9, 8, 7);
    const f = flagsOf(0, 0, 0);
    const key = RecentWords.key(t, 3);
    memo.set(key, t, f, 3, "first");
    expect(memo.get(key, t, f, 3)).toBeUndefined();
    memo.set(key, t, f, 3, "second");
    expect(memo.get(key, t, f, 3)).toBe("second");
  });

  it("forgets entries and offered keys on clear()", () => {
    const memo = new RecentWords<string>(64);
    const t = words(4, 5, 6);
    const f = flagsOf(0, 0, 0);
    remember(memo, t, f, "kept");
    memo.clear();
    expect(remembered(memo, t, f)).toBeUndefined();
    memo.set(RecentWords.key(t, 3), t, f, 3, "again");
    expect(remembered(memo, t, f)).toBeUndefined();
  });

  it("forgets what is two generations old, so it holds at most twice its capacity", () => {
    const memo = new RecentWords<string>(4);
    const seq = (k: number) => words(k, k + 100, k + 200, k + 300);
    const none = flagsOf(0, 0, 0, 0);
    for (let k = 0; k < 3; k++) remember(memo, seq(k), none, `s${k}`);
    expect(remembered(memo, seq(0), none)).toBeUndefined();
    expect(remembered(memo, seq(1), none)).toBe("s1");
    expect(remembered(memo, seq(2), none)).toBe("s2");
  });

  it("keeps nothing longer than a generation", () => {
    const memo = new RecentWords<string>(2);
    remember(memo, words(1, 2, 3), flagsOf(0, 0, 0), "long");
    expect(remembered(memo, words(1, 2, 3), flagsOf(0, 0, 0))).toBeUndefined();
  });
});

describe("fingerprints of copies found in the memo", () => {
  const opts = resolveOptions({});
  const vocabulary = ["the", "council", "voted", "on", "budget", "of", "12", "million", "\u201cwe", "agree\u201d", "said", "mayor", "and", "a", "new", "road", "3.5%", "in", "2025"];
  const sentence = fc.array(fc.constantFrom(...vocabulary), { minLength: 4, maxLength: 14 }).map((ws) => ws.join(" ") + ".");
  const story = fc.array(fc.array(sentence, { minLength: 1, maxLength: 4 }).map((ss) => ss.join(" ")), { minLength: 1, maxLength: 6 });
  // A trace makes fingerprint() compute every window afresh, never from the memo.
  const fresh = (text: string) => {
    const { repeats, shingles, signature, lead, leadSignature, numbers, opening, once } = fingerprint(units(text), opts, undefined, text, {});
    return { repeats, shingles, signature, lead, leadSignature, numbers, opening, once };
  };

  it("equal the fingerprints computed afresh, under any site's header and footer", () => {
    fc.assert(
      fc.property(story, fc.integer({ min: 0, max: 999 }), (paragraphs, site) => {
        // Three copies: the memo keeps a narrative the second time and answers from the third.
        for (const header of [`Site ${site} \u00b7 readers`, `Home | News ${site + 1}`, `Menu ${site + 2}`]) {
          const text = [header, ...paragraphs, `Share on site ${site}`].join("\n\n");
          expect(fingerprint(units(text), opts, undefined, text)).toEqual(fresh(text));
        }
      }),
      { numRuns: 300 },
    );
  });
});
