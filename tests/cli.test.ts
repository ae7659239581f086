// End-to-end: the built CLI on the seed articles — report formats, --out corpus, refusals, exit codes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { derepeat, findRepeats, onceSpans } from "../src/repeats.js";
import { units } from "../src/normalize.js";
import { cli, hasStack, parseJsonl, ROOT, SEED_FILES, SEEDS, tempDir, tree } from "./helpers/cli.js";

const [S000, S001, S002, S003, S004] = SEED_FILES as [string, string, string, string, string];

describe("news-dedupe on test-data/seeds", () => {
  it("prints a human report: 5 documents, the AFP pair 002/003 with 003 canonical, 004 held 3 times", () => {
    const r = cli([SEEDS]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("5 documents read");
    expect(lines[1]).toBe("4 clusters: 1 with copies (1 duplicate), 3 singletons");
    expect(r.stdout).toContain(`  * ${S003}  canonical\n    ${S002}  jaccard 0.577  containment 1.000\n`);
    expect(r.stdout).toContain(`Singletons: ${S000}, ${S001}, ${S004}\n`);
    expect(r.stdout).toContain(`Holding their text several times: ${S004} (3 times)\n`);
  });

  it("--format json prints the library result plus the skipped inputs, as one JSON document", () => {
    const r = cli(["--format", "json", SEEDS]);
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith("}\n")).toBe(true);
    const report = JSON.parse(r.stdout);
    expect(report.stats).toEqual({ documents: 5, clusters: 4, duplicates: 1 });
    expect(report.skipped).toEqual([]);
    expect(report.clusters.map((c: { canonical: string }) => c.canonical)).toEqual([S000, S001, S003, S004]);
    const afp = report.clusters[2];
    expect(afp.members).toEqual([
      { id: S003, jaccard: 1, containment: 1 },
      { id: S002, jaccard: 0.5772, containment: 1 },
    ]);
    expect(report.clusters[3].members[0].repeats).toBe(3);
  });

  it("--format jsonl prints one row per input document, in input order", () => {
    const r = cli(["-f", "jsonl", SEEDS]);
    expect(r.status).toBe(0);
    const rows = parseJsonl(r.stdout);
    expect(rows.map((row) => row.id)).toEqual(SEED_FILES);
    expect(rows[2]).toEqual({
      id: S002,
      source: `${SEEDS}/${S002}`,
      status: "duplicate",
      cluster: 2,
      canonical: S003,
      isCanonical: false,
      jaccard: 0.5772,
      containment: 1,
      repeats: 1,
    });
    expect(rows[3]).toMatchObject({ id: S003, status: "kept", isCanonical: true, cluster: 2 });
    expect(rows[4]).toMatchObject({ id: S004, status: "kept", repeats: 3 });
  });

  it("ids are paths relative to each directory argument, with / separators, walked in name order", () => {
    const dir = tree(tempDir(), {
      "b/deep/x.md": "an article in markdown about the harbour of the city and its ships",
      "a.txt": "an article about the weather in the mountains and the valley below",
      "b/c.txt": "an article about the election results in the northern provinces",
    });
    const r = cli(["-f", "jsonl", dir, SEEDS]);
    expect(r.status).toBe(0);
    expect(parseJsonl(r.stdout).map((row) => row.id)).toEqual(["a.txt", "b/c.txt", "b/deep/x.md", ...SEED_FILES]);
  });

  it("--fail-on-duplicates exits 1 when a duplicate is found, 0 when none is", () => {
    const dup = cli(["--fail-on-duplicates", SEEDS]);
    expect(dup.status).toBe(1);
    expect(dup.stdout).toContain("1 duplicate");
    const none = cli(["--fail-on-duplicates", `${SEEDS}/${S000}`, `${SEEDS}/${S002}`]);
    expect(none.status).toBe(0);
  });

  it("--help shows usage with examples and --version the package version, both exit 0", () => {
    const help = cli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: news-dedupe \[options\] <path\.\.\.>/);
    expect(help.stdout).toContain("Examples\n  news-dedupe test-data/seeds");
    const version = cli(["--version"]);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
  });

  it("runs from any working directory, as npx does", () => {
    const r = cli([join(ROOT, SEEDS)], { cwd: tempDir() });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("5 documents read");
  });
});

describe("--out on the seeds", () => {
  it("writes the 4 kept articles (AFP pair collapsed, 004 written once) and a mapping of all 5 ids", () => {
    const out = join(tempDir(), "deduped");
    const r = cli([SEEDS, "--out", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Wrote 4 documents and mapping.jsonl to ${out}\n`);
    expect(readdirSync(out).sort()).toEqual([S000, S001, S003, S004, "mapping.jsonl"]);
    for (const f of [S000, S001, S003]) expect(readFileSync(join(out, f), "utf8")).toBe(readFileSync(join(ROOT, SEEDS, f), "utf8"));

    const original = readFileSync(join(ROOT, SEEDS, S004), "utf8");
    const written = readFileSync(join(out, S004), "utf8");
    const all = units(original);
    expect(written).toBe(derepeat(original, onceSpans(original, all, findRepeats(all))));
    expect(written.length).toBeLessThan(original.length / 2);
    // The written copy holds its text once: read back, nothing in it repeats.
    const again = parseJsonl(cli(["-f", "jsonl", ...[S000, S001, S003, S004].map((f) => join(out, f))]).stdout);
    expect(again.map((row) => [row.status, row.repeats])).toEqual([
      ["kept", 1],
      ["kept", 1],
      ["kept", 1],
      ["kept", 1],
    ]);

    const mapping = parseJsonl(readFileSync(join(out, "mapping.jsonl"), "utf8"));
    expect(mapping.map((m) => m.id)).toEqual(SEED_FILES);
    expect(mapping.map((m) => [m.status, m.file])).toEqual([
      ["kept", S000],
      ["kept", S001],
      ["duplicate", undefined],
      ["kept", S003],
      ["kept", S004],
    ]);
    expect(mapping[2]).toMatchObject({ canonical: S003, containment: 1 });
  });

  it("refuses to write into an input directory, before reading anything, unless --force", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.txt"), "some words of an article about a thing that happened today");
    const inside = join(dir, "out");
    const r = cli([dir, "--out", inside]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`news-dedupe: output directory ${inside} is inside the input directory ${dir} (use --force to write there anyway)\n`);
    expect(existsSync(inside)).toBe(false);
    expect(cli([dir, "--out", dir]).status).toBe(2);

    const forced = cli([dir, "--out", inside, "--force"]);
    expect(forced.status).toBe(0);
    expect(readdirSync(inside).sort()).toEqual(["a.txt", "mapping.jsonl"]);
  });

  it("refuses to overwrite an article file found only once the corpus is clustered", () => {
    const out = tempDir();
    writeFileSync(join(out, S003), "mine\n");
    const r = cli([SEEDS, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: files to write already exist (1, the first ${join(out, S003)}); use --force to overwrite\n`);
    expect(readdirSync(out)).toEqual([S003]);
  });

  it("refuses to overwrite existing files unless --force, and leaves them as they were", () => {
    const out = tempDir();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "mapping.jsonl"), "mine\n");
    const r = cli([SEEDS, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: files to write already exist (1, the first ${join(out, "mapping.jsonl")}); use --force to overwrite\n`);
    expect(hasStack(r.stderr)).toBe(false);
    expect(readdirSync(out)).toEqual(["mapping.jsonl"]);
    expect(readFileSync(join(out, "mapping.jsonl"), "utf8")).toBe("mine\n");

    const forced = cli([SEEDS, "--out", out, "--force"]);
    expect(forced.status).toBe(0);
    expect(parseJsonl(readFileSync(join(out, "mapping.jsonl"), "utf8"))).toHaveLength(5);
  });

  it("fails with one line, exit 2, before reading, when the output directory cannot be made", () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const r = cli([SEEDS, "--out", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: cannot write ${file} (it exists and is not a directory)\n`);
    expect(hasStack(r.stderr)).toBe(false);
  });

  it.runIf(process.platform === "linux")("does not hang on a directory that refuses children (/proc; mkdir -p loops there on Node 20)", () => {
    const r = cli([SEEDS, "--out", "/proc/news-dedupe-test"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^news-dedupe: cannot write \/proc\/news-dedupe-test\/\S+ \(ENOENT: [^\n]+\)\n$/);
  });

  it("gives JSONL records a safe .txt file each, named after the id", () => {
    const out = join(tempDir(), "o");
    const input = ['{"id":"../../etc/passwd","text":"first article text with enough words in it"}', '{"id":"a:b","text":"second article, not like the first one at all"}'].join("\n");
    const r = cli(["-", "--out", out, "--format", "jsonl"], { input });
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["a_b.txt", "etc", "mapping.jsonl"]);
    expect(readFileSync(join(out, "etc/passwd.txt"), "utf8")).toBe("first article text with enough words in it");
    const mapping = parseJsonl(readFileSync(join(out, "mapping.jsonl"), "utf8"));
    expect(mapping.map((m) => m.file)).toEqual(["etc/passwd.txt", "a_b.txt"]);
  });
});
