// report(): the HTML page's content without a browser — the embedded data, escaping, the size
// bound, the summary, errors. tests/report-browser.test.ts drives the page itself in Chromium.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBatch, DedupeError, dedupe, report, reportedClusters, REPORT_DEFAULTS, type DedupeResult, type DocObject } from "../src/index.js";
import { dataBlocks, escapeHtml, jsonForScript } from "../src/report-text.js";
import { PAGE_SCRIPT, PAGE_STYLE } from "../src/report-page.js";
import { reportData } from "./helpers/report.js";
import { seeds } from "./helpers/seeds.js";

/** The JSON embedded in a page, parsed. */
function dataOf(html: string) {
  return reportData<{
    thresholds: { containment: number; lead: number } | null;
    limits: { diffClusters: number; diffMembers: number };
    clusters: Array<{ m: Array<[string, number, number, Record<string, number>?]>; s: string; d?: number }>;
    diffs: Array<{ t: string[]; m: Array<{ s: number[]; p?: unknown[][]; ev?: unknown }> }>;
  }>(html);
}

const SHARED = 0, EDITED = 1, UNIQUE = 2;
const docs = seeds();
const result = dedupe(docs);
const html = report(result, docs);

describe("report() on the seeds", () => {
  it("embeds every cluster in the result's order, each member with its scores against the canonical", () => {
    const data = dataOf(html);
    expect(data.clusters.map((c) => c.m.map((m) => m[0]))).toEqual([["000"], ["001"], ["003", "002"], ["004"]]);
    expect(data.clusters[2]!.m[1]).toEqual(["002", 0.5772, 1]);
    expect(data.clusters[3]!.m[0]).toEqual(["004", 1, 1, { r: 3 }]);
    expect(data.clusters[2]!.s.startsWith('"Absolutely everyone sees how acute')).toBe(true);
  });

  it("classes 002's ticker rows unique and the AFP wire text shared, each text once", () => {
    const data = dataOf(html);
    const afp = data.diffs[data.clusters[2]!.d!]!;
    const p002 = afp.m[1]!.p!;
    const classOf = (k: number) => p002[k]![1];
    for (let k = 2; k <= 17; k++) expect(classOf(k)).toBe(UNIQUE);
    expect(afp.t[p002[2]![0] as number]).toBe("RBGPF 0.22% 63.59 $");
    for (let k = 23; k <= 37; k++) {
      expect(classOf(k)).toBe(SHARED);
      // [text, class, member, index, similarity, holders]: shared with the canonical's ¶(k-20).
      expect(p002[k]!.slice(2)).toEqual([0, k - 20, 1, 2]);
      expect(p002[k]![0]).toBe(afp.m[0]!.p![k - 20]![0]); // one text for both members
    }
    expect(afp.m[1]!.s).toEqual([15, 1, 21, 2, 0, 492]);
  });

  it("marks the words an edited paragraph changes: 003's lead adds the dateline to 002's", () => {
    const afp = dataOf(html).diffs[dataOf(html).clusters[2]!.d!]!;
    const lead = afp.m[0]!.p![2]!;
    expect(lead.slice(1, 5)).toEqual([EDITED, 1, 21, 0.848]);
    const runs = lead[6] as Array<[number, string]>;
    expect(runs[0]).toEqual([1, "Odesa, Ukraine (AFP) April 15, 2025 -"]);
    expect(runs.slice(1).every(([kind]) => kind === 0)).toBe(true);
  });

  it("lists the options used when given them, and says they were not recorded otherwise", () => {
    expect(html).toContain("not recorded (report() was not given dedupeOptions)");
    expect(dataOf(html).thresholds).toBeNull();
    const withOptions = report(result, docs, undefined, { dedupeOptions: { containment: 0.7 } });
    expect(dataOf(withOptions).thresholds).toEqual({ containment: 0.7, lead: 0.6 });
    expect(withOptions).toContain("<dt><code>containment</code></dt><dd>0.7: the least containment of a copy (half of it with the same lead)</dd>");
    expect(withOptions).toContain("The threshold, 0.7, is the dashed line; no copy falls below it.</desc>");
  });

  it("charts the copies' similarities and the cluster sizes as SVG with a title and a description", () => {
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-labelledby="chart-\w+-t chart-\w+-d"/);
    expect(html).toContain('<desc id="chart-sizes-d">Histogram of 4 clusters by size, on a logarithmic scale: 3 of size 1, 1 of size 2.</desc>');
    expect(html).toContain("Histogram of 1 copy in steps of 0.05; the most, 1, between 0.55 and 0.60.");
  });

  it("is deterministic: the same page whatever the order of the documents", () => {
    const shuffled = [...docs].reverse();
    expect(report(dedupe(shuffled), shuffled)).toBe(html);
  });

  it("uses the diffs it is given: a batch's diff() makes the same page", () => {
    const batch = createBatch({}, { keep: "units" });
    for (const d of docs) batch.add(d);
    const run = batch.finish();
    const diffs = reportedClusters(run).map((i) => batch.diff(run.clusters[i]!));
    expect(report(run, new Map(docs.map((d) => [d.id, d.text])), diffs)).toBe(html);
  });
});

describe("escaping", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<!-- <script>alert(3)</script> -->",
    "<img src=x onerror=alert(4)>",
    "a\u2028b\u2029c & d > e \"quoted\" 'single'",
  ];

  it("writes documents holding markup as text: the page holds its two scripts and no other", () => {
    const evil: DocObject[] = hostile.map((text, i) => ({ id: `${text}#${i}`, text: `${text}\n\n${text} again` }));
    const page = report(dedupe(evil), evil, undefined, {
      title: "<b>title</b>",
      skipped: [{ id: null, source: "in/<script>.jsonl:2", code: "INPUT_BAD_JSON", reason: "malformed </script> JSON" }],
    });
    // Every <script> is the page's own or a data block, and each is closed where it should be.
    const tags = page.match(/<script[^>]*>/gi)!;
    expect(tags.filter((t) => t === "<script>")).toHaveLength(1);
    expect(tags.filter((t) => t === '<script type="application/json" class="report-data">')).toHaveLength(tags.length - 1);
    expect(page.match(/<\/script/gi)).toHaveLength(tags.length);
    expect(page).not.toContain("<!--");
    expect(page).not.toContain("<img");
    expect(page).toContain("<title>&#60;b&#62;title&#60;/b&#62;</title>");
    expect(page).toContain("<td>in/&#60;script&#62;.jsonl:2</td><td>malformed &#60;/script&#62; JSON</td>");
    const data = dataOf(page);
    const ids = data.clusters.flatMap((c) => c.m.map((m) => m[0])).sort();
    expect(ids).toEqual(evil.map((d) => d.id as string).sort());
    const texts = data.diffs.flatMap((d) => d.t);
    for (const text of hostile) expect(texts).toContain(text);
  });

  it("keeps any text intact through the data block, and no text can close it (property)", () => {
    const piece = fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("</script>", "<!--", "-->", "<script>", "\u2028", "\u2029", "&", "</SCRIPT >", "\ud800"));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const value = { text: parts.join(""), parts };
        const block = jsonForScript(value);
        expect(block).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(block)).toEqual(value);
      }),
    );
  });

  it("splits the data into blocks of 64 KB that join into the JSON, never inside a surrogate pair", () => {
    // An odd offset puts a pair across each 64 KB boundary.
    const json = jsonForScript({ text: `xx${"😀".repeat(100_000)}` });
    const blocks = dataBlocks(json);
    const parts = [...blocks.matchAll(/<script type="application\/json" class="report-data">([^]*?)<\/script>/g)].map((m) => m[1]!);
    expect(parts.length).toBe(4);
    expect(parts.join("")).toBe(json);
    for (const part of parts) expect(part.isWellFormed()).toBe(true);
    expect(Buffer.from(blocks, "utf8").toString("utf8")).toBe(blocks);
  });

  it("escapes the characters of markup in HTML text and attributes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
    expect(escapeHtml("lone \ud800 surrogate")).toBe("lone \ufffd surrogate");
  });

  it("lets the page run its own script only, by hash, and load nothing", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const hash = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;
    expect(csp).toBe(`default-src 'none'; script-src ${hash(PAGE_SCRIPT)}; style-src ${hash(PAGE_STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(html).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(html).toContain(`<style>${PAGE_STYLE}</style>`);
    expect(html).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
  });

  it("has a page script that parses and cannot end its own script element", () => {
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
    expect(PAGE_SCRIPT).not.toContain("</");
    expect(PAGE_STYLE).not.toContain("</");
  });
});

describe("the size bound", () => {
  // Lines no two copies share: the paragraphs of the seeds.
  const lines = docs.flatMap((d) => d.text.split(/\n+/)).filter((l) => l.length > 100);
  /** `sizes[k]` copies of story k, copy c adding lines[c] of its own. */
  function corpus(sizes: readonly number[]): DocObject[] {
    return sizes.flatMap((n, k) => {
      // Long enough that the line two stories' copies both add stays a small share of each.
      const story = Array.from({ length: 120 }, (_, w) => `story${k} word${w}`).join(" ");
      return Array.from({ length: n }, (_, c) => ({ id: `s${k}-c${c}`, text: `${story}\n\n${lines[c]}` }));
    });
  }

  it("embeds paragraphs for the diffClusters largest clusters only, ties in the result's order", () => {
    const many = corpus([2, 5, 3, 5, 1]);
    const r = dedupe(many);
    expect(r.clusters.map((c) => c.members.length)).toEqual([2, 5, 3, 5, 1]);
    expect(reportedClusters(r, 3)).toEqual([1, 3, 2]);
    const data = dataOf(report(r, many, undefined, { diffClusters: 3 }));
    expect(data.clusters.map((c) => c.d)).toEqual([undefined, 0, 2, 1, undefined]);
    expect(data.limits).toEqual({ diffClusters: 3, diffMembers: REPORT_DEFAULTS.diffMembers });
    // A summarised cluster still lists every member, with the start of its canonical's text.
    expect(data.clusters[0]!.m.map((m) => m[0]).sort()).toEqual(["s0-c0", "s0-c1"]);
    expect(data.clusters[0]!.s).toMatch(/^story0 word0 story0 word1/);
  });

  it("embeds the paragraphs of the first diffMembers members of a cluster and the summary of all", () => {
    const many = corpus([6]);
    const data = dataOf(report(dedupe(many), many, undefined, { diffMembers: 4 }));
    const members = data.diffs[0]!.m;
    expect(members).toHaveLength(6);
    expect(members.map((m) => m.p !== undefined)).toEqual([true, true, true, true, false, false]);
    const last = data.clusters[0]!.m[5]![0].slice(-1);
    expect(members[5]!.s).toEqual([1, 0, 1, 0, 0, lines[Number(last)]!.trim().length]);
  });

  it("holds each distinct paragraph once per cluster, however many copies hold it", () => {
    const small = dataOf(report(dedupe(corpus([3])), corpus([3])));
    const large = dataOf(report(dedupe(corpus([30])), corpus([30])));
    expect(small.diffs[0]!.t).toHaveLength(1 + 3);
    expect(large.diffs[0]!.t).toHaveLength(1 + 30);
  });

  it("cuts a summarised cluster's text to 120 characters, never half a surrogate pair", () => {
    const text = "😀".repeat(300);
    const data = dataOf(report(dedupe([{ id: "a", text }]), [{ id: "a", text }], undefined, { diffClusters: 0 }));
    expect(Array.from(data.clusters[0]!.s)).toHaveLength(120);
    expect(data.clusters[0]!.s.endsWith("😀…")).toBe(true);
    const spaced = `${" \n".repeat(5000)}${"word ".repeat(100)}`;
    const flat = dataOf(report(dedupe([{ id: "b", text: spaced }]), [{ id: "b", text: spaced }], undefined, { diffClusters: 0 }));
    expect(flat.clusters[0]!.s).toBe(`${"word ".repeat(23)}word…`);
  });
});

describe("the evidence hook", () => {
  it("shows what the evidence option returns under each copy of an embedded cluster, as plain data", () => {
    const calls: string[] = [];
    const page = report(result, docs, undefined, {
      evidence: (member, cluster) => {
        calls.push(`${cluster.canonical}:${member.id}`);
        return { summary: "copy of the AFP wire", scores: [["shared shingles", 412]], passages: ["<b>NATO</b> chief"], extra: () => 1 } as never;
      },
    });
    expect(calls).toEqual(["003:002"]);
    const afp = dataOf(page).diffs[dataOf(page).clusters[2]!.d!]!;
    expect(afp.m[0]!.ev).toBeUndefined();
    expect(afp.m[1]!.ev).toEqual({ summary: "copy of the AFP wire", scores: [["shared shingles", 412]], passages: ["<b>NATO</b> chief"] });
    expect(page).not.toContain("<b>NATO");
  });
});

describe("bad arguments", () => {
  const cases: Array<[string, () => unknown, string, string | undefined]> = [
    ["a result that is not one", () => report("nope" as unknown as DedupeResult, docs), "INVALID_REPORT_INPUT", "report() needs a dedupe() result ({ clusters, stats }), got a string"],
    ["documents that are neither an array nor a Map", () => report(result, {} as never), "INVALID_REPORT_INPUT", "report() needs the documents as the array given to dedupe() or a Map from id to text, got a object"],
    ["a canonical missing from the documents", () => report(result, docs.filter((d) => d.id !== "004")), "REPORT_MISSING_TEXT", 'document "004" is in the result but not among the documents given to report()'],
    ["a diff of another cluster", () => report(result, docs, [{ ...dedupeDiffOf("003"), canonical: "zzz" }]), "REPORT_UNKNOWN_DIFF", 'document "zzz" has a diff given to report() that is the canonical of no cluster of the result'],
    ["an unknown option", () => report(result, docs, undefined, { diffClusterz: 3 } as never), "INVALID_OPTION", "option diffClusterz is not a known report option"],
    ["a negative diffClusters", () => report(result, docs, undefined, { diffClusters: -1 }), "INVALID_OPTION", "option diffClusters must be between 0 and 1000000, got -1"],
    ["a skipped list of the wrong shape", () => report(result, docs, undefined, { skipped: [{ id: 1 }] as never }), "INVALID_OPTION", undefined],
    ["bad dedupeOptions", () => report(result, docs, undefined, { dedupeOptions: { jaccard: 2 } }), "INVALID_OPTION", "option jaccard must be between 0.01 and 1, got 2"],
  ];
  it.each(cases)("refuses %s with a DedupeError naming it", (_, call, code, message) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DedupeError);
    expect((error as DedupeError).code).toBe(code);
    if (message) expect((error as DedupeError).message).toBe(message);
  });
});

function dedupeDiffOf(canonical: string) {
  const batch = createBatch({}, { keep: "units" });
  for (const d of docs) batch.add(d);
  const run = batch.finish();
  return batch.diff(run.clusters.find((c) => c.canonical === canonical)!);
}
