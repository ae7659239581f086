import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { units } from "../src/normalize.js";
import { endsSentence, quotedRanges, storyText } from "../src/story.js";
import { tokenHashes } from "../src/tokenize.js";

/** The quoted stretches of a text, after normalization (curly, angle and low quotes become plain). */
const quoted = (text: string) => {
  const t = units(text)[0]!.text;
  return quotedRanges(t).map(([a, b]) => t.slice(a, b));
};

describe("quotation marks", () => {
  it.each([
    ['He said "we will rebuild" and left.', ['"we will rebuild"']],
    ["He said \u201cwe will rebuild\u201d and left.", ['"we will rebuild"']],
    ["Il a dit \u00abnous reconstruirons\u00bb hier.", ['"nous reconstruirons"']],
    ["Er sagte \u201ewir bauen wieder auf\u201c gestern.", ['"wir bauen wieder auf"']],
    ["他说「我们会重建」然后离开。", ["「我们会重建」"]],
    ["The minister's office said it 'would not comment' on the claims.", ["'would not comment'"]],
    ["It's the company's view that prices won't fall.", []],
    ['An open quote runs to the end of the paragraph: "as it does in news copy', ['"as it does in news copy']],
    ['"One," he said, "two."', ['"one,"', '"two."']],
  ])("finds the quotations of %j", (text, expected) => {
    expect(quoted(text)).toEqual(expected.map((q) => q.toLowerCase()));
  });

  it("returns disjoint, ordered ranges inside the text for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ab '\"「」『』.x") }), (s) => {
        let end = 0;
        for (const [a, b] of quotedRanges(s)) {
          expect(a).toBeGreaterThanOrEqual(end);
          expect(b).toBeGreaterThan(a);
          expect(b).toBeLessThanOrEqual(s.length);
          end = b;
        }
      }),
    );
  });
});

describe("story text", () => {
  const classify = (text: string) => {
    const list = units(text);
    const tokens: number[] = [];
    const starts = [0];
    for (const u of list) {
      tokens.push(...tokenHashes(u.text));
      starts.push(tokens.length);
    }
    return storyText(list, Uint32Array.from(tokens), Int32Array.from(starts), 1);
  };

  it.each([
    ["Advertisement", "tiny"],
    ["Read more: Council approves new budget for road repairs", "no-sentence"],
    ["AAPL 1.2% 182.50 $ MSFT -0.4% 411.20 $ GOOG 0.9% 171.05 $ AMZN 2.1% 185.40 $ NVDA 3.3% 950.10 $.", "few-stopwords"],
    ["The council said on Monday that the bridge would reopen next week after repairs to its deck.", ""],
  ])("classifies %j as %j", (line, reason) => {
    const story = "The port authority said engineers had worked through the weekend to replace the damaged posts.";
    expect(classify(`${line}\n\n${story}`).chrome[0]).toBe(reason);
  });

  it("reads a paragraph in another language its stopword lists cover as story text", () => {
    const es = "El gobierno anunció el lunes que el puente volverá a abrir la próxima semana, después de las reparaciones.";
    const fr = "Le gouvernement a annoncé lundi que le pont rouvrira la semaine prochaine, après des réparations de la chaussée.";
    expect(classify(es)).toEqual({ chrome: [""], language: "es" });
    expect(classify(fr)).toEqual({ chrome: [""], language: "fr" });
  });

  it("keeps every unit of a page that would be all chrome: there is nothing else to compare", () => {
    expect(classify("Home\n\nWorld\n\nSport").chrome).toEqual(["", "", ""]);
  });

  it.each([
    ["He left.", true],
    ['"We will rebuild."', true],
    ["Is it over?", true],
    ["(Reuters)", false],
    ["Read more", false],
  ])("knows whether %j ends a sentence", (text, ends) => {
    expect(endsSentence(text)).toBe(ends);
  });
});
