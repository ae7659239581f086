// Every language a wire serves: dispatches in Chinese, Japanese and Thai (test-data/languages/,
// written for these tests) cluster with their edited copies and stay apart from the agency's other
// dispatches; copies that differ only in the Unicode form of their text have the same narrative;
// story text reads each page in its own language.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprintText } from "../src/fingerprint.js";
import { createIndex, dedupe, explain } from "../src/index.js";
import { units } from "../src/normalize.js";
import { storyText } from "../src/story.js";
import { tokenHashesWithFlags } from "../src/tokenize.js";

const DIR = join(import.meta.dirname, "../test-data/languages");
const doc = (name: string) => ({ id: name, text: readFileSync(join(DIR, `${name}.txt`), "utf8") });
const groups = (clusters: ReadonlyArray<{ members: ReadonlyArray<{ id: string }> }>) => clusters.map((c) => c.members.map((m) => m.id).sort().join("+")).sort();
const LANGS = ["zh", "ja", "th"] as const;

describe("dispatches in scripts without spaces", () => {
  const docs = LANGS.flatMap((l) => [doc(`${l}-dispatch`), doc(`${l}-dispatch-edited`), doc(`${l}-other-dispatch`)]);
  const expected = LANGS.flatMap((l) => [`${l}-dispatch+${l}-dispatch-edited`, `${l}-other-dispatch`]).sort();

  it("clusters each dispatch with its edited copy (three insertions, a changed number, a header and a footer) and keeps the agency's other dispatch apart", () => {
    expect(groups(dedupe(docs).clusters)).toEqual(expected);
  });

  it("does the same in an index", () => {
    const index = createIndex();
    const by = new Map<string, string[]>();
    for (const d of docs) {
      const canonical = index.add(d)?.canonical ?? d.id;
      by.set(canonical, [...(by.get(canonical) ?? []), d.id]);
    }
    expect([...by.values()].map((g) => g.sort().join("+")).sort()).toEqual(expected);
  });

  it.each(LANGS)("decides the %s pair a copy by containment, and the other dispatch not a copy", (lang) => {
    const copy = explain(doc(`${lang}-dispatch`), doc(`${lang}-dispatch-edited`));
    expect(copy.copy).toBe(true);
    expect(copy.scores.containment).toBeGreaterThan(0.6);
    const other = explain(doc(`${lang}-dispatch`), doc(`${lang}-other-dispatch`));
    expect(other.copy).toBe(false);
    expect(other.scores.containment).toBeLessThan(0.2);
  });

  it("shares most of its narrative with the edited Chinese copy, where clauses taken as words shared little", () => {
    // What the issue reported: with a clause as one word, an edited clause is a new word and
    // every 5-word shingle over it a new shingle.
    const shingles = (t: string) => {
      const words = t.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
      return new Set(words.slice(0, -4).map((_, i) => words.slice(i, i + 5).join(" ")));
    };
    const a = shingles(doc("zh-dispatch").text);
    const b = shingles(doc("zh-dispatch-edited").text);
    const shared = [...a].filter((x) => b.has(x)).length;
    expect(shared / (a.size + b.size - shared)).toBeLessThan(0.5);
    expect(explain(doc("zh-dispatch"), doc("zh-dispatch-edited")).scores.jaccard).toBeGreaterThan(0.7);
  });
});

describe("copies that differ only in Unicode forms", () => {
  const en = "The finance ministry said on Tuesday that exports rose 4.5 percent in March from a year earlier, the third monthly gain in a row, as demand for machinery and chemicals recovered in Europe and Asia.";
  const zh = "国家统计局表示，今年一季度全国居民人均可支配收入实际增长5.2%，其中城镇居民收入增长4.6%，农村居民收入增长7.6%，消费支出保持稳定。";
  const ja = "総務省は、三月の全国消費者物価指数が前年同月比で二・六％上昇したと発表した。エネルギー価格の上昇が続き、食料品の値上がりも目立った。";
  const ar = "قالت وزارة المالية يوم الثلاثاء إن الصادرات ارتفعت في مارس للشهر الثالث على التوالي مع تحسن الطلب على الآلات والمواد الكيميائية في الأسواق الأوروبية والآسيوية.";
  const fa = "وزارت اقتصاد روز سه شنبه اعلام کرد که صادرات کشور در ماه گذشته برای سومین ماه پیاپی افزایش یافته و تقاضا برای کالاهای صنعتی بیشتر شده است.";
  const tr = "İstanbul'da düzenlenen toplantıda Dışişleri Bakanı, iki ülke arasındaki ticaretin bu yıl yüzde on artmasının beklendiğini söyledi ve İzmir limanının önemine dikkat çekti.";
  const ko = "정부는 월요일 보수 공사가 끝난 다리를 다음 주부터 다시 개통한다고 발표했으며 관계 기관은 이를 위한 준비를 마쳤다고 밝혔다.";
  const vi = "Bộ Tài chính cho biết xuất khẩu trong tháng Ba tăng 4,5% so với cùng kỳ năm trước, tháng tăng thứ ba liên tiếp nhờ nhu cầu máy móc và hóa chất phục hồi.";
  const fullWidth = (t: string) => t.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, "\u3000");
  // Half-width katakana: the forms old Japanese systems still send (NFKC makes them full width).
  const halfKana = "ﾆｭｰｽ速報：ﾄﾖﾀ自動車は、ﾊｲﾌﾞﾘｯﾄﾞ車の世界販売が前年比で増加したと発表した。ｱｼﾞｱと北米での需要が伸びた。";
  const fullKana = "ニュース速報：トヨタ自動車は、ハイブリッド車の世界販売が前年比で増加したと発表した。アジアと北米での需要が伸びた。";
  // Arabic letters in their presentation forms (initial, medial, final, isolated, the lam-alef ligature).
  const PRESENTATION: Record<string, string> = { "ا": "\ufe8d", "ل": "\ufedf", "م": "\ufee3", "ن": "\ufee7", "ي": "\ufef3", "ت": "\ufe97", "ر": "\ufeae", "لا": "\ufefb" };
  const presentation = (t: string) => t.replace(/لا|[المنيتر]/g, (c) => PRESENTATION[c]!);
  const persianKeyboard = (t: string) => t.replace(/ی/g, "ي").replace(/ک/g, "ك");
  const dotless = (t: string) => t.replace(/İ/g, "I").replace(/ı/g, "i");
  const withEvery = (t: string, mark: string) => t.replace(/(\p{L}{3})(?=\p{L}{3})/gu, `$1${mark}`);

  it.each([
    ["full-width Latin letters, digits and spaces", en, fullWidth(en)],
    ["half-width katakana", halfKana, fullKana],
    ["traditional (corner brackets, full-width) against simplified (curly quotes, ASCII) punctuation", `新华社报道称「${zh}」并表示：经济运行平稳。`, `新华社报道称“${zh.replace(/，/g, ",").replace(/。/g, ".")}”并表示:经济运行平稳.`],
    ["Arabic presentation forms", ar, presentation(ar)],
    ["Persian yeh and keheh typed on an Arabic keyboard", fa, persianKeyboard(fa)],
    ["Turkish dotted capital I and dotless i written as plain I and i", tr, dotless(tr)],
    ["Turkish text in upper case", tr, tr.toLocaleUpperCase("tr")],
    ["combining marks against precomposed letters", vi.normalize("NFC"), vi.normalize("NFD")],
    ["zero-width joiners and non-joiners", fa, withEvery(fa, "\u200c")],
    ["zero-width joiners in Japanese", ja, withEvery(ja, "\u200d")],
    ["soft hyphens", en, withEvery(en, "\u00ad")],
    ["zero-width joiners between decomposed Hangul letters", ko, [...ko.normalize("NFD")].join("\u200d")],
  ])("%s: the same narrative, and one cluster", (_, a, b) => {
    expect(b).not.toBe(a);
    const options = { shingleSize: 5, numHashes: 128, seed: 1 };
    const fa = fingerprintText(a, options);
    const fb = fingerprintText(b, options);
    expect(fa.shingles.length).toBeGreaterThan(5);
    expect([...fb.shingles]).toEqual([...fa.shingles]);
    expect(groups(dedupe([{ id: "a", text: a }, { id: "b", text: b }]).clusters)).toEqual(["a+b"]);
  });
});

describe("Unicode forms, as a property", () => {
  // Words of several scripts, joined by spaces or nothing, written in other forms: decomposed,
  // full width, with invisible characters anywhere. The narrative must not change.
  const word = fc.constantFrom("news", "Café", "İstanbul", "東京", "新华社", "経済", "ニュース", "ประชาชน", "정부는", "مارس", "کشور", "Київ", "नई", "2024", "6.8%");
  const text = fc.array(fc.tuple(word, fc.constantFrom(" ", "", ", ", "。")), { minLength: 6, maxLength: 40 }).map((ws) => ws.map(([w, sep]) => w + sep).join(""));
  const invisible = fc.constantFrom("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff");
  it("gives copies in other Unicode forms the same shingles", () => {
    fc.assert(
      fc.property(text, fc.array(fc.tuple(fc.nat(), invisible), { maxLength: 8 }), fc.boolean(), (t, inserts, wide) => {
        let other = t.normalize("NFD");
        if (wide) other = other.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        const chars = [...other];
        for (const [at, mark] of inserts) chars.splice(at % (chars.length + 1), 0, mark);
        other = chars.join("");
        const options = { shingleSize: 5, numHashes: 32, seed: 1 };
        expect([...fingerprintText(other, options).shingles]).toEqual([...fingerprintText(t, options).shingles]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("story text in the page's own language", () => {
  const classify = (text: string) => {
    const list = units(text);
    const tokens = new Uint32Array(text.length + 2);
    const flags = new Uint8Array(tokens.length);
    const starts = [0];
    let n = 0;
    for (const u of list) {
      n += tokenHashesWithFlags(u.text, tokens, n, flags, { digit: 2, quoted: 1, pair: 8, ranges: [] });
      starts.push(n);
    }
    return storyText(list, tokens, Int32Array.from(starts), 1, flags, 8);
  };

  it.each([
    ["de", "Die Regierung hat am Montag angekündigt, dass die Brücke nach den Reparaturen in der nächsten Woche wieder für den Verkehr geöffnet wird."],
    ["ar", "أعلنت الحكومة يوم الاثنين أن الجسر سيعاد فتحه أمام حركة المرور في الأسبوع المقبل بعد الانتهاء من أعمال الإصلاح التي استمرت عدة أشهر."],
    ["hi", "सरकार ने सोमवार को कहा कि मरम्मत का काम पूरा होने के बाद पुल को अगले सप्ताह फिर से यातायात के लिए खोल दिया जाएगा।"],
    ["tr", "Hükümet pazartesi günü yaptığı açıklamada, köprünün onarım çalışmalarının ardından gelecek hafta yeniden trafiğe açılacağını ve bunun için gerekli hazırlıkların tamamlandığını bildirdi."],
    ["zh", "政府周一宣布，这座大桥在维修工作完成后将于下周重新通车，有关部门已经做好了各项准备工作。"],
    ["ja", "政府は月曜日、修理を終えた橋が来週から再び通行できるようになると発表し、関係機関はそのための準備を進めている。"],
    ["th", "รัฐบาลประกาศเมื่อวันจันทร์ว่าสะพานจะเปิดให้รถสัญจรได้อีกครั้งในสัปดาห์หน้าหลังจากการซ่อมแซมเสร็จสิ้นแล้ว และหน่วยงานที่เกี่ยวข้องได้เตรียมความพร้อมไว้แล้ว"],
    ["ko", "정부는 월요일 보수 공사가 끝난 다리를 다음 주부터 다시 개통한다고 발표했으며 관계 기관은 이를 위한 준비를 마쳤다고 밝혔다."],
  ])("reads a %s news paragraph as story text in its language", (language, paragraph) => {
    expect(classify(`${paragraph}\n\n${paragraph.slice(0, 3)}`)).toEqual({ chrome: ["", "tiny"], language });
  });

  it.each([
    ["zh", "热点新闻 北京冬季供暖全面启动 中美经贸磋商取得新进展 上海国际车展开幕 全国高考报名人数创新高 长江流域进入主汛期", "政府周一宣布，这座大桥在维修工作完成后将于下周重新通车，有关部门已经做好了各项准备工作。"],
    ["ja", "主要ニュース 東京株式市場続落 大阪万博開幕迫る 関東甲信大雪警戒 新型ロケット打ち上げ成功 円相場一時急落", "政府は月曜日、修理を終えた橋が来週から再び通行できるようになると発表し、関係機関はそのための準備を進めている。"],
    ["de", "Startseite Politik Wirtschaft Sport Kultur Wissen Reise Auto Digital Panorama Karriere Gesundheit Meinung Video Podcast Newsletter Abo Archiv Impressum Datenschutz Kontakt.", "Die Regierung hat am Montag angekündigt, dass die Brücke nach den Reparaturen in der nächsten Woche wieder für den Verkehr geöffnet wird."],
  ])("marks a %s headline list as chrome by its stopwords", (_, menu, story) => {
    expect(classify(`${menu}\n\n${story}`).chrome).toEqual(["few-stopwords", ""]);
  });
});
