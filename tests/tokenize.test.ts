import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeText } from "../src/normalize.js";
import { hashToken, tokenHashes } from "../src/tokenize.js";
import { naturalTokens, referenceWords } from "./helpers/natural.js";

function allTestData(dir = join(import.meta.dirname, "../test-data")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allTestData(join(dir, e.name)) : [readFileSync(join(dir, e.name), "utf8")],
  );
}

const viaNatural = (text: string) => referenceWords(text).map(hashToken);

describe("tokenizer", () => {
  it("yields natural's RegexpTokenizer words, runs without spaces cut into pairs, on all of test-data", () => {
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

  it("cuts Chinese runs into character pairs, Japanese and Thai into dictionary words, and keeps Latin names, numbers and Korean words whole", () => {
    const words = (text: string) => [...tokenHashes(normalizeText(text))];
    expect(words("新华社北京3月5日电 iPhone手机")).toEqual(
      ["新华", "华社", "社北", "北京", "3", "月", "5", "日电", "iphone", "手机"].map(hashToken),
    );
    // Japanese (a run holding Kana) has words of several characters: ICU's dictionary finds them.
    expect(words("気象庁は大雪の恐れがある")).toEqual(["気象", "庁", "は", "大雪", "の", "恐れ", "が", "ある"].map(hashToken));
    // Han alone in Japanese text (a headline of kanji) is read as Chinese is.
    expect(words("日経平均")).toEqual(["日経", "経平", "平均"].map(hashToken));
    // Thai has words of several letters: ICU's dictionary finds them.
    expect(words("ประชาชนควรระวังอันตราย")).toEqual(["ประชาชน", "ควร", "ระวัง", "อันตราย"].map(hashToken));
    expect(words("정부는 오늘")).toEqual(["정부는", "오늘"].map(hashToken));
    // Hangul written without spaces is cut into pairs like Chinese.
    expect(words("정부는오늘새로운경제정책을발표했다")).toHaveLength(16);
    expect(words("中")).toEqual(["中"].map(hashToken));
  });

  it.each([
    ["Lao", "ສະບາຍດີປະເທດລາວ", ["ສະບາຍດີ", "ປະເທດ", "ລາວ"]],
    ["Khmer", "ព្រះរាជាណាចក្រកម្ពុជា", ["ព្រះរាជាណាចក្រ", "កម្ពុជា"]],
    ["Myanmar", "မြန်မာနိုင်ငံသတင်း", ["မြန်မာနိုင်ငံ", "သတင်း"]],
    // Tibetan's tsheg (་) is punctuation: its syllables are words already.
    ["Tibetan", "བོད་ཀྱི་སྐད་ཡིག", ["བོད", "ཀྱི", "སྐད", "ཡིག"]],
  ])("cuts %s text into several words, not one per run", (_, text, words) => {
    expect([...tokenHashes(normalizeText(text))]).toEqual(words.map(hashToken));
  });

  it("changes only the pairs around an edited character, not the whole clause", () => {
    const a = [...tokenHashes("人人有权享有生命自由和人身安全")];
    const b = [...tokenHashes("人人有权享有生命自由和个人人身安全")];
    const common = a.filter((h) => b.includes(h)).length;
    expect(common).toBeGreaterThanOrEqual(a.length - 2);
  });

  it("agrees with its definition on arbitrary Unicode, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        expect([...tokenHashes(s)]).toEqual(viaNatural(s));
      }),
      { numRuns: 200 },
    );
  });

  it("agrees with its definition on mixed scripts, marks and digits", () => {
    const unit = fc.constantFrom(..."ab Z9.「」中国人の日本ไทยเป็็น한국어\u0301\u0e49३٣ 　", "𠀀", "𝒳");
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), (chars) => {
        const s = chars.join("");
        expect([...tokenHashes(s)]).toEqual(viaNatural(s));
      }),
      { numRuns: 1000 },
    );
  });
});
