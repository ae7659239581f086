// End-to-end: --diff (the diff module's reports, rendered or as JSON) and --boilerplate auto,
// checked against the library called directly on the same documents.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dedupe, diff, renderDiff } from "../src/index.js";
import { cli, hasStack, ROOT, SEED_FILES, SEEDS, tempDir, tree } from "./helpers/cli.js";

const seedDocs = SEED_FILES.map((f) => ({ id: f, text: readFileSync(join(ROOT, SEEDS, f), "utf8") }));

describe("--diff on the seeds", () => {
  const result = dedupe(seedDocs);
  const afp = result.clusters.find((c) => c.members.length > 1)!;
  const report = diff(afp, seedDocs);

  it("prints the AFP cluster's rendered diff, indented, under its members", () => {
    const r = cli(["--diff", SEEDS]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const rendered = renderDiff(report)
      .trimEnd()
      .split("\n")
      .map((l) => (l === "" ? "" : `    ${l}`))
      .join("\n");
    expect(r.stdout).toContain(`containment 1.000\n\n${rendered}\n\nSingletons: `);
    // What 002 adds over 003 is its site chrome: the ticker rows are unique to it.
    expect(r.stdout).toMatch(/^ {6}\+ ¶2 +\(chrome\) RBGPF 0\.22% 63\.59 \$$/m);
  });

  it("prints no diff without --diff, and none for singletons", () => {
    expect(cli([SEEDS]).stdout).not.toContain("(canonical):");
    expect(cli(["--diff", `${SEEDS}/${SEED_FILES[0]}`]).stdout).not.toContain("(canonical):");
  });

  it('adds the diff reports to --format json as "diffs", one per cluster with copies', () => {
    const json = JSON.parse(cli(["--diff", "-f", "json", SEEDS]).stdout);
    expect(json.diffs).toEqual([report]);
    expect(json.diffs[0].members.map((m: { id: string; canonical: boolean }) => [m.id, m.canonical])).toEqual([
      [SEED_FILES[3], true],
      [SEED_FILES[2], false],
    ]);
    expect(JSON.parse(cli(["-f", "json", SEEDS]).stdout).diffs).toBeUndefined();
  });
});

describe("--boilerplate", () => {
  // Three unrelated seed articles published twice on one site, wrapped in its chrome; the copies
  // are exact, the site lines recur across unrelated stories.
  const chromeTop = "World News Today\nHome | Politics | Business | Sport";
  const chromeBottom = "Related Links\nSubscribe Free To Our Daily Newsletters\nCopyright 2025 World News Today. All rights reserved.";
  const files: Record<string, string> = {};
  for (const d of seedDocs) {
    files[`plain/${d.id}`] = d.text;
    if (!d.id.startsWith("002") && !d.id.startsWith("003")) files[`site/${d.id}`] = `${chromeTop}\n\n${d.text}\n\n${chromeBottom}\n`;
  }
  const dir = tree(tempDir(), files);
  const docs = Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, text]) => ({ id, text }));

  it("auto gives the library's clusters and boilerplate lines, on one thread and on two", () => {
    const want = dedupe(docs, { boilerplate: "auto" });
    expect(want.boilerplate!.length).toBeGreaterThan(0);
    for (const threads of ["1", "2"]) {
      const r = cli(["--boilerplate", "auto", "--threads", threads, "-f", "json", dir]);
      expect(r.status).toBe(0);
      const { skipped, ...result } = JSON.parse(r.stdout);
      expect(skipped).toEqual([]);
      expect(result).toEqual(want);
    }
  });

  it("auto lists the boilerplate lines in the human report and marks them in the diff", () => {
    const r = cli(["--boilerplate", "auto", "--diff", dir]);
    expect(r.stdout).toContain("Boilerplate left out of the comparison: ");
    expect(r.stdout).toContain("\n  subscribe free to our daily newsletters\n");
    expect(r.stdout).toMatch(/\d+ boilerplate\n/);
  });

  it("off (the default) compares everything and reports no boilerplate", () => {
    const off = JSON.parse(cli(["--boilerplate", "off", "-f", "json", dir]).stdout);
    expect(off.boilerplate).toBeUndefined();
    expect(cli(["-f", "json", dir]).stdout).toBe(JSON.stringify(off) + "\n");
    const { skipped: _, ...result } = off;
    expect(result).toEqual(dedupe(docs));
  });

  it("refuses another mode with a usage error", () => {
    const r = cli(["--boilerplate", "on", SEEDS]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('news-dedupe: --boilerplate must be one of off, auto, got "on"\n');
    expect(hasStack(r.stderr)).toBe(false);
  });
});
