import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { candidateLines, findBoilerplate } from "../src/boilerplate.js";
import { units } from "../src/normalize.js";
import { dedupe, diff, renderDiff, type DedupeResult } from "../src/index.js";
import { seed, seeds } from "./helpers/seeds.js";

const DIR = join(import.meta.dirname, "../test-data/boilerplate");
const briefs = readdirSync(DIR)
  .filter((f) => f.endsWith(".txt"))
  .sort()
  .map((f) => ({ id: f.replace(/\.txt$/, ""), text: readFileSync(join(DIR, f), "utf8") }));
// 000 and 004 are left out: the briefs' bodies are cut from them (see test-data/README.md).
const corpus = [...seeds().filter((s) => ["001", "002", "003"].includes(s.id)), ...briefs];
const groups = (r: DedupeResult) => r.clusters.map((c) => c.members.map((m) => m.id).sort().join("+")).sort();
const TICKER = seed("002").split("\n").slice(3, 19);

describe("corpus boilerplate", () => {
  it("has a corpus where two unrelated Volkswacht briefs share the site's 16-line ticker", () => {
    expect(briefs.map((b) => b.id)).toEqual(["vb_kiev", "vb_kursk"]);
    for (const b of briefs) for (const row of TICKER) expect(b.text).toContain(row);
    expect(TICKER).toHaveLength(16);
  });

  it("merges the two briefs when the template is compared word for word (story text off: the false merge)", () => {
    // The briefs merge with each other and, through the ticker 002 shows too, with the AFP pair.
    expect(groups(dedupe(corpus, { rules: { storyText: false } }))).toEqual(["001", "002+003+vb_kiev+vb_kursk"]);
  });

  it("keeps them apart by story text alone: ticker rows are not sentences, so they are chrome", () => {
    expect(groups(dedupe(corpus))).toEqual(["001", "002+003", "vb_kiev", "vb_kursk"]);
  });

  it('keeps them apart with boilerplate: "auto" when story text is off, and still clusters the AFP copies', () => {
    const off = { rules: { storyText: false } };
    const result = dedupe(corpus, { ...off, boilerplate: "auto" });
    expect(groups(result)).toEqual(["001", "002+003", "vb_kiev", "vb_kursk"]);
    // the AFP pair's scores rise: 002's ticker no longer counts against it
    const afp = result.clusters.find((c) => c.canonical === "003")!;
    const pair = dedupe(corpus.filter((d) => d.id === "002" || d.id === "003"), off);
    expect(afp.members[1]!.containment).toBeGreaterThan(pair.clusters.find((c) => c.canonical === "003")!.members[1]!.containment);
  });

  it("finds the site template, and only the template, as boilerplate", () => {
    const { boilerplate } = dedupe(corpus, { boilerplate: "auto" });
    expect(boilerplate).toEqual([...TICKER.map((r) => r.toLowerCase()), "nyse - lse", "text size:", "k.sutter--vb"].sort());
  });

  it("leaves out of the comparison exactly the lines given as a list", () => {
    const auto = dedupe(corpus, { boilerplate: "auto" });
    const listed = dedupe(corpus, { boilerplate: ["NYSE - LSE", ...TICKER, "Text size:", "K.Sutter--VB"] });
    expect(listed.clusters).toEqual(auto.clusters);
    expect(listed.boilerplate).toEqual(auto.boilerplate);
  });

  it("changes nothing on the seeds, where no line recurs across unrelated clusters", () => {
    const docs = seeds();
    const auto = dedupe(docs, { boilerplate: "auto" });
    expect(auto.boilerplate).toEqual([]);
    expect(auto.clusters).toEqual(dedupe(docs).clusters);
  });

  it("never takes a long paragraph for boilerplate, however many unrelated clusters share it", () => {
    // A background paragraph of the AFP story (21 words), quoted in another outlet's report (001)
    // and in a Volkswacht brief: three unrelated clusters hold it.
    const background = "Despite a flurry of diplomacy, there has been little meaningful progress on Trump's main aim of achieving a ceasefire in Ukraine.";
    const docs = corpus.map((d) => (d.id === "001" || d.id === "vb_kursk" ? { ...d, text: `${d.text}\n\n${background}\n` } : d));
    const result = dedupe(docs, { boilerplate: "auto" });
    expect(groups(result)).toEqual(["001", "002+003", "vb_kiev", "vb_kursk"]);
    expect(result.boilerplate).not.toContain(background.toLowerCase());
    expect(result.boilerplate).toContain("text size:");
  });

  it("counts a line once per first-pass cluster: copies of one story sharing a line do not make it boilerplate", () => {
    const unitsOf = ["A headline\n\nBody one.", "A headline\n\nBody two.", "Other title\n\nBody three."].map((t) => units(t));
    const headline = unitsOf[0]![0]!.hash;
    expect(candidateLines(unitsOf)).toEqual(new Set([headline]));
    expect(findBoilerplate(unitsOf, [0, 0, 1])).toEqual(new Set());
    expect(findBoilerplate(unitsOf, [0, 1, 2])).toEqual(new Set([headline]));
    expect(findBoilerplate(unitsOf, [0, -1, 2])).toEqual(new Set());
  });
});

describe("boilerplate in a diff", () => {
  const result = dedupe(corpus, { boilerplate: "auto" });
  const cluster = result.clusters.find((c) => c.canonical === "003")!;
  const report = diff(cluster, corpus, { boilerplate: result.boilerplate });
  const copy = report.members.find((m) => m.id === "002")!;

  it("separates the site template from what the copy adds", () => {
    const classOf = (text: string) => copy.paragraphs.find((p) => p.text === text)!.class;
    for (const row of TICKER) expect(classOf(row)).toBe("boilerplate");
    expect(classOf("Text size:")).toBe("boilerplate");
    expect(classOf("K.Sutter--VB")).toBe("boilerplate");
    expect(classOf("Volkswacht Bodensee - NATO's Rutte says US-led Ukraine peace talks 'not easy'")).toBe("unique");
    expect(copy.summary).toEqual({ shared: 15, edited: 1, unique: 2, repeated: 2, boilerplate: 19, chrome: 24, uniqueChars: 184 });
  });

  it("counts boilerplate in the rendering without listing it", () => {
    const text = renderDiff(report);
    expect(text).toContain("002: 39 paragraphs: 15 shared, 1 edited, 2 unique (184 chars), 2 repeated, 19 boilerplate");
    expect(text).not.toContain("RBGPF");
  });
});
