import levenshtein from "fast-levenshtein";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_CANDIDATES, MAX_LEVENSHTEIN_CHARS } from "../src/diff/align.js";
import { dedupe, diff, type DiffReport } from "../src/index.js";
import { seed } from "./helpers/seeds.js";

/**
 * Twenty long copies of the AFP Odesa story (seed 003: the AFP wire text and the appended UPI
 * story, 32 paragraphs, about 5 KB), as twenty sites would run them: odd copies drop the
 * dateline, copy 1 spells "defense", copy 2 writes "Krivoy Rog" for "Kryvyi Rih", each copy
 * rewords two long paragraphs of its own, every third copy adds a local paragraph (taken from seed
 * 000), and copies lose up to three paragraphs at the end.
 */
function twentyCopies(): Array<{ id: string; text: string }> {
  const lines = seed("003").split("\n");
  const story = lines.slice(2, 34);
  const local = seed("000").split("\n");
  // rewordings go to paragraphs, not to short lines (a short line needs a closer match, see align.ts)
  const long = story.flatMap((p, k) => (p.length >= 100 ? [k] : []));
  return Array.from({ length: 20 }, (_, i) => {
    let paras = [...story];
    if (i % 2 === 1) paras[0] = paras[0]!.replace("Odesa, Ukraine (AFP) April 15, 2025 - ", "");
    if (i === 1) paras = paras.map((p) => p.replaceAll("defence", "defense"));
    if (i === 2) paras = paras.map((p) => p.replaceAll("Kryvyi Rih", "Krivoy Rog"));
    const own = [long[(i * 5) % long.length]!, long[(i * 11 + 3) % long.length]!];
    paras[own[0]!] = paras[own[0]!]!.replace(" said", " stated");
    paras[own[1]!] = paras[own[1]!]!.replace(/\.?$/, `, copy ${i} reported.`);
    if (i % 3 === 0) paras.splice(9, 0, local[i / 3]!);
    paras = paras.slice(0, paras.length - (i % 4));
    return { id: `copy${String(i).padStart(2, "0")}`, text: paras.join("\n") };
  });
}

const copies = twentyCopies();

describe("diff of a cluster of 20 long copies", () => {
  afterEach(() => vi.restoreAllMocks());

  const cluster = dedupe(copies).clusters;
  let report: DiffReport;
  let calls = 0;

  it("is one cluster", () => {
    expect(cluster).toHaveLength(1);
    expect(cluster[0]!.members).toHaveLength(20);
  });

  it(`calls Levenshtein at most ${MAX_CANDIDATES} times per distinct paragraph text, far from one call per pair`, () => {
    const get = vi.spyOn(levenshtein, "get");
    report = diff(cluster[0]!, copies);
    calls = get.mock.calls.length;
    const { paragraphs, distinctTexts, levenshteinCalls } = report.stats;
    expect(levenshteinCalls).toBe(calls);
    const repeated = report.members.reduce((n, m) => n + m.summary.repeated, 0);
    expect(calls).toBeLessThanOrEqual(MAX_CANDIDATES * distinctTexts + repeated);
    // Measured: 617 paragraphs, 74 distinct texts, 107 calls (the bound allows 296). Comparing
    // every paragraph with every paragraph of the other copies would take 180,813 calls, and
    // every pair of distinct texts 2,701.
    expect(paragraphs).toBeGreaterThan(600);
    expect(calls).toBeLessThan((distinctTexts * (distinctTexts - 1)) / 2 / 10);
  });

  it("finds each copy's spelling, dateline and rewording as edits of the canonical's paragraphs", () => {
    const m = (id: string) => report.members.find((x) => x.id === id)!;
    const canonical = report.members[0]!;
    const edited = (id: string, needle: string) => {
      const p = m(id).paragraphs.find((x) => x.text.includes(needle))!;
      expect(p.class, `${id}: ${needle}`).toBe("edited");
      expect(p.similarity).toBeGreaterThan(0.6);
      expect(p.similarity).toBeLessThan(1);
      return p;
    };
    const defense = edited("copy01", "Ukraine urgently needed air defense systems");
    const original = report.members.find((x) => x.id === defense.counterpart!.id)!.paragraphs[defense.counterpart!.index]!;
    expect(original.text).toContain("Ukraine urgently needed air defence systems");
    expect(defense.counterpart!.id).toBe(canonical.id);
    edited("copy02", "Krivoy Rog");
    edited("copy07", "copy 7 reported.");
    const dateless = m("copy01").paragraphs[0]!;
    expect(dateless.text.startsWith("NATO chief Mark Rutte said")).toBe(true);
    // the dateless lead is shared by the other odd copies, so it is not an edit there
    expect(dateless.class).toBe("shared");
  });

  it("finds each local paragraph unique, and nothing else unique", () => {
    for (const member of report.members) {
      const i = Number(member.id.slice(4));
      const unique = member.paragraphs.filter((p) => p.class === "unique").map((p) => p.text);
      expect(unique, member.id).toEqual(i % 3 === 0 ? [seed("000").split("\n")[i / 3]!] : []);
    }
  });
});

describe("diff of copies that are one very long line each", () => {
  afterEach(() => vi.restoreAllMocks());

  // A scraped page without line breaks: the AFP story five times over on one line, 25,669 characters.
  const line = Array.from({ length: 5 }, () => seed("003").split("\n").slice(2, 34).join(" ")).join(" ");
  const docs = [
    { id: "a", text: line },
    { id: "b", text: line.replaceAll("defence", "defense") },
    { id: "c", text: line.replace("Odesa, Ukraine (AFP) April 15, 2025 - ", "") },
  ];
  const cluster = { canonical: "a", members: docs.map((d) => ({ id: d.id, jaccard: 1, containment: 1 })) };

  it("never hands Levenshtein a text over MAX_LEVENSHTEIN_CHARS, and still finds the edits", () => {
    expect(line.length).toBeGreaterThan(8 * MAX_LEVENSHTEIN_CHARS);
    const get = vi.spyOn(levenshtein, "get");
    const report = diff(cluster, docs);
    for (const [a, b] of get.mock.calls) expect(Math.max(a.length, b.length)).toBeLessThanOrEqual(MAX_LEVENSHTEIN_CHARS);
    expect(report.stats.levenshteinCalls).toBe(get.mock.calls.length);
    for (const m of report.members.slice(1)) {
      expect(m.paragraphs).toHaveLength(1);
      expect(m.paragraphs[0]!.class).toBe("edited");
      expect(m.paragraphs[0]!.counterpart).toEqual({ id: "a", index: 0 });
      expect(m.paragraphs[0]!.similarity).toBeGreaterThan(0.9);
    }
  });
});

describe("diff at hostile scale (issue 13): work and output grow with the cluster's text, not its square", () => {
  const story = seed("003").split("\n").slice(2, 34);
  const all = (n: number) => ({ canonical: "c0", members: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, jaccard: 1, containment: 1 })) });

  it("lists each shared text's holders once: the JSON of 400 copies is 4× that of 100, within a tenth", () => {
    const size = (n: number) => {
      const docs = Array.from({ length: n }, (_, i) => ({ id: `c${i}`, text: [`Site ${i} header`, ...story].join("\n") }));
      return JSON.stringify(diff(all(n), docs)).length;
    };
    const ratio = size(400) / size(100);
    expect(ratio).toBeGreaterThan(3.6);
    expect(ratio).toBeLessThan(4.4);
  });

  it("handles one line repeated 10,000 and 5,000 times in two copies: one repeat group, output linear", () => {
    const docs = [
      { id: "c0", text: `${story.join("\n")}\n${"Advertisement\n".repeat(10_000)}` },
      { id: "c1", text: `${story.join("\n")}\n${"Advertisement\n".repeat(5_000)}` },
    ];
    const report = diff(all(2), docs);
    expect(report.members.map((m) => m.summary.repeated)).toEqual([9_999, 4_999]);
    expect(report.groups.length).toBeLessThanOrEqual(story.length + 1);
    expect(JSON.stringify(report).length).toBeLessThan(200 * (15_000 + 2 * story.length));
  });

  it("bounds the near-match search on two ticker pages of 4,000 distinct lines sharing a frame", () => {
    const ticker = (seed: number) =>
      Array.from({ length: 4000 }, (_, i) => `| Index ${(i * 7 + seed) % 997} | Last ${(i * 13 + seed) % 10007}.${i % 100} | Change +${(i * 3 + seed) % 50}.${i % 10}% |`).join("\n");
    const docs = [
      { id: "c0", text: `${story.join("\n")}\n${ticker(1)}` },
      { id: "c1", text: `${story.join("\n")}\n${ticker(2)}` },
    ];
    const report = diff(all(2), docs);
    // The bound of diff(): MAX_CANDIDATES per distinct text, plus one per repeated line scored
    // against the occurrence it repeats (near-identical ticker rows of one page are repeats).
    const repeated = report.members.reduce((n, m) => n + m.summary.repeated, 0);
    expect(report.stats.levenshteinCalls).toBeLessThanOrEqual(MAX_CANDIDATES * report.stats.distinctTexts + repeated);
    expect(report.members[1]!.summary.shared).toBeGreaterThanOrEqual(story.length - 1);
  });

  it("recognises paragraphs merged or split between copies as shared, not unique", () => {
    const four = story.slice(0, 8).filter((p) => p.length > 60).slice(0, 4);
    const docs = [
      { id: "c0", text: four.join("\n\n") },
      { id: "c1", text: `${four[0]} ${four[1]}\n\n${four[2]} ${four[3]}` },
    ];
    const r = dedupe(docs);
    expect(r.clusters).toHaveLength(1);
    const report = diff(r.clusters[0]!, docs);
    for (const m of report.members) expect(m.summary.unique, m.id).toBe(0);
    expect(report.members.find((m) => m.id === "c0")!.paragraphs.map((p) => p.class)).toEqual(["shared", "shared", "shared", "shared"]);
  });
});
