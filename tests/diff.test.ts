import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DedupeError, dedupe, diff, renderDiff, type Cluster, type DiffReport } from "../src/index.js";
import { seed, seeds } from "./helpers/seeds.js";

interface Row {
  copy: string;
  from: number;
  to: number;
  class: string;
  counterpart?: { id: string; from: number };
  similarity?: number;
}

/** The expected classification, read from the table in test-data/README.md. */
function expectedTable(): Row[] {
  const readme = readFileSync(join(import.meta.dirname, "../test-data/README.md"), "utf8");
  const table = readme.split("<!-- diff-table:start -->")[1]!.split("<!-- diff-table:end -->")[0]!;
  const range = (s: string) => {
    const [a, b] = s.replace("¶", "").trim().split("–");
    return [Number(a), Number(b ?? a)] as const;
  };
  return table
    .trim()
    .split("\n")
    .slice(2)
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      const [from, to] = range(cells[1]!);
      const row: Row = { copy: cells[0]!, from, to, class: cells[2]! };
      if (cells[3]) row.counterpart = { id: cells[3].slice(0, 3), from: range(cells[3].slice(4))[0] };
      if (cells[4]) row.similarity = Number(cells[4]);
      return row;
    });
}

const docs = seeds();
const result = dedupe(docs);
const reports = result.clusters.map((c) => diff(c, docs));
const afp = reports.find((r) => r.canonical === "003")!;
const member = (report: DiffReport, id: string) => report.members.find((m) => m.id === id)!;

describe("diff on the seeds", () => {
  const rows = expectedTable();

  it("documents every paragraph of every seed in the expected table, once", () => {
    expect(rows.length).toBeGreaterThan(20);
    for (const report of reports) {
      for (const m of report.members) {
        const covered = rows.filter((r) => r.copy === m.id).flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, k) => r.from + k));
        expect(covered, m.id).toEqual(m.paragraphs.map((p) => p.index));
      }
    }
  });

  it("classifies each paragraph as test-data/README.md says", () => {
    const byId = new Map(reports.flatMap((r) => r.members.map((m) => [m.id, m] as const)));
    for (const row of rows) {
      const m = byId.get(row.copy)!;
      for (let i = row.from; i <= row.to; i++) {
        const p = m.paragraphs[i]!;
        const where = `${row.copy} ¶${i}`;
        expect(p.class, where).toBe(row.class);
        if (row.counterpart) expect(p.counterpart, where).toEqual({ id: row.counterpart.id, index: row.counterpart.from + (i - row.from) });
        else expect(p.counterpart, where).toBeUndefined();
        if (row.similarity !== undefined) expect(p.similarity, where).toBe(row.similarity);
      }
    }
  });

  it("finds 002's ticker, photo credit, 'Text size:' and byline unique, and 003's UPI story, links and newsletter", () => {
    const unique = (id: string) => member(afp, id).paragraphs.filter((p) => p.class === "unique").map((p) => p.text);
    expect(unique("002")).toEqual(expect.arrayContaining(["RBGPF 0.22% 63.59 $", "BCE -1.93% 21.24 $", "Text size:", "K.Sutter--VB"]));
    expect(unique("002").some((t) => t.includes("/ Photo: © UKRAINIAN PRESIDENTIAL PRESS SERVICE/AFP"))).toBe(true);
    expect(unique("003")).toEqual(expect.arrayContaining(["Washington DC (UPI) Apr 15, 2025 -", "Related Links", "Subscribe Free To Our Daily Newsletters |"]));
  });

  it("pairs 003's dated lead with 002's undated one as an edit", () => {
    const lead = member(afp, "003").paragraphs[2]!;
    expect(lead.text.startsWith("Odesa, Ukraine (AFP) April 15, 2025 - NATO chief Mark Rutte said")).toBe(true);
    const other = member(afp, "002").paragraphs[lead.counterpart!.index]!;
    expect(other.text.startsWith("NATO chief Mark Rutte said")).toBe(true);
    expect(other.counterpart).toEqual({ id: "003", index: 2 });
  });

  it("gives offsets into the original text and a summary that adds up", () => {
    for (const report of reports) {
      for (const m of report.members) {
        const text = docs.find((d) => d.id === m.id)!.text;
        m.paragraphs.forEach((p, i) => {
          expect(p.index).toBe(i);
          expect(text.slice(p.start, p.end)).toBe(p.text);
        });
        const { uniqueChars, chrome, ...counts } = m.summary;
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(m.paragraphs.length);
        expect(chrome).toBe(m.paragraphs.filter((p) => p.chrome).length);
        expect(uniqueChars).toBe(m.paragraphs.filter((p) => p.class === "unique").reduce((n, p) => n + p.text.length, 0));
      }
    }
    expect(member(afp, "003").summary).toEqual({ shared: 15, edited: 1, unique: 23, repeated: 2, boilerplate: 0, chrome: 11, uniqueChars: 2815 });
    expect(member(afp, "002").summary).toEqual({ shared: 15, edited: 1, unique: 21, repeated: 2, boilerplate: 0, chrome: 24, uniqueChars: 492 });
  });

  it("reads the members from an array or from a Map id → text alike", () => {
    const cluster = result.clusters.find((c) => c.canonical === "003")!;
    expect(diff(cluster, new Map(docs.map((d) => [d.id, d.text])))).toEqual(afp);
    expect(diff(cluster, [docs[3]!, docs[2]!])).toEqual(afp);
  });

  it("marks lines given as boilerplate instead of calling them unique", () => {
    const cluster = result.clusters.find((c) => c.canonical === "003")!;
    const report = diff(cluster, docs, { boilerplate: ["Text size:", "subscribe free to our daily newsletters |"] });
    const classes = (id: string) => member(report, id).paragraphs.map((p) => p.class);
    expect(classes("002")[22]).toBe("boilerplate");
    expect(classes("003").slice(39)).toEqual(["boilerplate", "boilerplate"]);
    expect(member(report, "003").summary.boilerplate).toBe(2);
  });
});

describe("diff's errors", () => {
  const cluster: Cluster = result.clusters.find((c) => c.canonical === "003")!;

  it("names a member missing from the documents", () => {
    const call = () => diff(cluster, [docs[3]!]);
    expect(call).toThrow(DedupeError);
    expect(call).toThrow('document "002" is a member of the cluster but not among the documents given to diff()');
  });

  it("names a member whose text in the Map is not a string", () => {
    const bad = new Map<string, string>([["003", docs[3]!.text], ["002", 42 as unknown as string]]);
    expect(() => diff(cluster, bad)).toThrow('document "002" has a text that is a number (expected a string)');
  });

  it("refuses an unknown option and a boilerplate that is not a list of lines", () => {
    expect(() => diff(cluster, docs, { fuzzy: true } as never)).toThrow("option fuzzy is not a known diff option");
    expect(() => diff(cluster, docs, { boilerplate: "auto" } as never)).toThrow(/boilerplate of diff\(\) must be an array of lines/);
  });
});

describe("renderDiff", () => {
  const text = renderDiff(afp);
  const block = (id: string) => text.split("\n\n").find((b) => b.startsWith(id))!;

  it("names the canonical and summarises each copy", () => {
    expect(text.split("\n")[0]).toBe("cluster 003: canonical 003 and 1 copy");
    expect(block("003").split("\n")[0]).toBe("003 (canonical): 41 paragraphs: 15 shared, 1 edited, 23 unique (2815 chars), 2 repeated");
    expect(block("002").split("\n")[0]).toBe("002: 39 paragraphs: 15 shared, 1 edited, 21 unique (492 chars), 2 repeated");
  });

  it("shows what a copy adds and where it edits, never the text it shares", () => {
    const lines = block("002").split("\n").slice(1);
    expect(lines.filter((l) => l.startsWith("  + "))).toHaveLength(21);
    expect(lines).toContain("  + ¶22  (chrome) Text size:");
    expect(lines).toContain("  ~ ¶21  edits 003 ¶2 (0.848): [-Odesa, Ukraine (AFP) April 15, 2025 --] NATO chief Mark …");
    expect(text).not.toContain("These discussions are not easy");
  });
});

describe("diff of a respelled copy", () => {
  it('finds "Kyiv" for "Kiev" as edits of 004, and the copy\'s repeats as repeats', () => {
    const original = docs.find((d) => d.id === "004")!;
    const copy = { id: "004-kyiv", text: original.text.replaceAll("Kiev", "Kyiv") };
    const both = [original, copy];
    const [cluster] = dedupe(both).clusters;
    expect(cluster!.members.map((m) => m.id).sort()).toEqual(["004", "004-kyiv"]);
    const report = diff(cluster!, both);
    const m = report.members.find((x) => x.id === "004-kyiv")!;
    const kept = m.paragraphs.filter((p) => p.class !== "repeated");
    expect(kept).toHaveLength(8);
    expect(kept.map((p) => p.class)).toEqual(kept.map((p) => (p.text.includes("Kyiv") ? "edited" : "shared")));
    expect(kept.filter((p) => p.class === "edited")).toHaveLength(3);
    for (const p of kept.filter((x) => x.class === "edited")) {
      expect(p.text).toContain("Kyiv");
      const other = report.members.find((x) => x.id === p.counterpart!.id)!.paragraphs[p.counterpart!.index]!;
      expect(other.text).toBe(p.text.replaceAll("Kyiv", "Kiev"));
      expect(p.similarity).toBeGreaterThan(0.98);
    }
    expect(m.summary.repeated).toBe(15);
  });
});

describe("diff's counterparts", () => {
  it("point to an occurrence that carries the class when the text also occurs as a repeat", () => {
    const x = seed("003").split("\n")[10]!;
    const z = x.replace("urgently", "badly");
    const docs = [
      { id: "m0", text: x },
      { id: "m1", text: `${z}\n${x}` },
      { id: "m2", text: z },
      { id: "m3", text: x },
    ];
    const cluster: Cluster = { canonical: "m0", members: docs.map((d) => ({ id: d.id, jaccard: 1, containment: 1 })) };
    const report = diff(cluster, docs);
    const m1 = report.members[1]!.paragraphs;
    expect(m1.map((p) => p.class)).toEqual(["shared", "repeated"]);
    const first = report.members[0]!.paragraphs[0]!;
    expect(first).toMatchObject({ class: "shared", counterpart: { id: "m3", index: 0 } });
    expect(report.groups[first.group!]).toEqual(["m0", "m1", "m3"]);
  });
});
