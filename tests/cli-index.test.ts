// The CLI against an index kept between runs (--index, --update, --window, --time-field).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadIndexFile } from "../src/index.js";
import { cli, hasStack, parseJsonl, ROOT, SEED_FILES, SEEDS, tempDir } from "./helpers/cli.js";
import { prefix, sharedRedis } from "./helpers/redis.js";

const [S000, S001, S002, S003, S004] = SEED_FILES as [string, string, string, string, string];
const redis = await sharedRedis();
afterAll(() => redis?.stop());

describe("news-dedupe --index FILE", () => {
  it("first run with --update: 4 new articles and 1 copy, and an index; second run: a reprint of 002 is a copy", async () => {
    const dir = tempDir();
    const index = join(dir, "seen.ndx");
    const first = cli(["--index", index, "--update", SEEDS]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(
      [
        `new      ${S000}`,
        `new      ${S001}`,
        `new      ${S002}`,
        `copy     ${S003}  of ${S002}  (containment 1, Jaccard 0.5772)`,
        `new      ${S004}`,
        "",
        `5 articles: 4 new, 1 copy; the index ${index} now holds 5 documents`,
        "",
      ].join("\n"),
    );
    expect((await loadIndexFile(index)).size).toBe(5);
    // Only the index file: the save went through a temporary file renamed over it.
    expect(readdirSync(dir)).toEqual(["seen.ndx"]);

    const today = join(dir, "today");
    mkdirSync(today);
    copyFileSync(join(ROOT, SEEDS, S002), join(today, "reprint.txt"));
    const second = cli(["--index", index, "--format", "jsonl", today]);
    expect(second.status).toBe(0);
    const [row] = parseJsonl(second.stdout);
    expect(row).toMatchObject({ id: "reprint.txt", status: "copy" });
    expect([S002, S003]).toContain((row as { canonical: string }).canonical);
    // Without --update the index file is unchanged.
    expect((await loadIndexFile(index)).size).toBe(5);

    const third = cli(["--index", index, "--update", "--format", "json", today]);
    expect(JSON.parse(third.stdout).stats).toEqual({ articles: 1, new: 0, copies: 1, seen: 0, skipped: 0, indexSize: 6, updated: true });
    // The same article again: its id is in the index now, and it is said so.
    const fourth = cli(["--index", index, "--update", today]);
    expect(fourth.stdout).toBe(
      `seen     reprint.txt  (in the index already, a copy of ${S002})\n\n1 article: 0 new, 0 copies, 1 in the index already; the index ${index} now holds 6 documents\n`,
    );
  });

  it.each([
    ["truncated", (b: Buffer) => b.subarray(0, b.length - 9), "index file is corrupt: its sections do not add up to its length (truncated or altered)"],
    ["not an index", () => Buffer.from("id,text\n1,a CSV file given where the index was meant\n"), "index file is corrupt: it does not start with the news-dedupe magic bytes"],
    ["altered", (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 40), Buffer.from([b[b.length - 40]! ^ 1]), b.subarray(b.length - 39)]), "index file is corrupt: checksum mismatch (truncated or altered)"],
    ["of an older format", (b: Buffer) => Buffer.concat([b.subarray(0, 4), Buffer.from([2, 0, 0, 0]), b.subarray(8)]), "index file has format version 2; this version of news-dedupe reads version 5"],
  ])("refuses an index file that is %s, in one line naming it", (_, spoil, message) => {
    const dir = tempDir();
    const index = join(dir, "seen.ndx");
    cli(["--index", index, "--update", SEEDS]);
    writeFileSync(index, spoil(readFileSync(index)));
    const r = cli(["--index", index, "--update", SEEDS]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: ${index}: ${message}\n`);
    expect(hasStack(r.stderr)).toBe(false);
  });

  it("refuses flags that ask an existing index for other options", () => {
    const dir = tempDir();
    const index = join(dir, "seen.ndx");
    cli(["--index", index, "--update", "--containment", "0.5", SEEDS]);
    const r = cli(["--index", index, "--containment", "0.8", "--window", "30d", SEEDS]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: the index ${index} was made with containment 0.5, window null, not containment 0.8, window 2592000000: run without those flags to use its options\n`);
    expect(cli(["--index", index, "--containment", "0.5", SEEDS]).status).toBe(0);
  });

  it("refuses a missing index without --update, and index-only flags without --index", () => {
    const dir = tempDir();
    expect(cli(["--index", join(dir, "none.ndx"), SEEDS]).stderr).toBe(`news-dedupe: --index ${join(dir, "none.ndx")} does not exist (give --update to create it)\n`);
    expect(cli(["--update", SEEDS]).stderr).toBe("news-dedupe: --update needs --index <file|url>\n");
    expect(cli(["--index", join(dir, "x.ndx"), "--out", dir, SEEDS]).stderr).toContain("--out cannot be used with --index");
  });

  it("warns once about files that are not inputs, as a clustering run does, and reads the rest", () => {
    const dir = tempDir();
    const inputs = join(dir, "in");
    mkdirSync(inputs);
    copyFileSync(join(SEEDS, S002), join(inputs, S002));
    writeFileSync(join(inputs, "notes.csv"), "a,b\n");
    const run = cli(["--index", join(dir, "seen.ndx"), "--update", inputs]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`news-dedupe: ignored 1 file(s) that are not .txt, .md, .jsonl, .json, .html, .htm, .warc or .warc.gz, the first ${join(inputs, "notes.csv")}\n`);
    expect(run.stdout).toContain(`new      ${S002}`);
  });

  it("windows by --time-field: an article older than the window is forgotten, a bad time skips its article naming it", () => {
    const dir = tempDir();
    const index = join(dir, "seen.ndx");
    const text = readFileSync(join(ROOT, SEEDS, S002), "utf8");
    const other = readFileSync(join(ROOT, SEEDS, S000), "utf8");
    const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
    writeFileSync(join(dir, "day1.jsonl"), jsonl([{ id: "a", text, published: "2026-11-01T08:00:00Z" }]));
    writeFileSync(join(dir, "day40.jsonl"), jsonl([{ id: "b", text: other, published: "2026-12-10" }, { id: "c", text, published: "2026-12-10" }, { id: "d", text: other, published: "someday" }]));
    const first = cli(["--index", index, "--update", "--window", "30d", "--time-field", "published", "-f", "jsonl", join(dir, "day1.jsonl")]);
    expect(parseJsonl(first.stdout)).toEqual([{ id: "a", source: `${join(dir, "day1.jsonl")}:1`, status: "new" }]);
    const later = cli(["--index", index, "--update", "--time-field", "published", "-f", "jsonl", join(dir, "day40.jsonl")]);
    const rows = parseJsonl(later.stdout) as Array<{ id: string; status: string; reason?: string }>;
    expect(rows.map((r) => [r.id, r.status])).toEqual([["b", "new"], ["c", "new"], ["d", "skipped"]]);
    expect(rows[2]!.reason).toBe('document "d" has a time that is "someday", not an ISO-8601 date (expected milliseconds since 1970, an ISO-8601 date such as "2026-11-30T07:25:00Z", or a Date)');
    expect(later.stderr).toContain(`${join(dir, "day40.jsonl")}:3: document "d" has a time that is "someday"`);
  });
});

describe.skipIf(!redis)("news-dedupe --index redis://host:port/prefix", () => {
  it("shares one index between runs (as machines on shards of a crawl would)", () => {
    const url = `${redis!.url}/${prefix("cli")}`;
    const dir = tempDir();
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    copyFileSync(join(ROOT, SEEDS, S002), join(dir, "a", "afp.txt"));
    copyFileSync(join(ROOT, SEEDS, S001), join(dir, "a", "other.txt"));
    copyFileSync(join(ROOT, SEEDS, S003), join(dir, "b", "reprint.txt"));
    const first = cli(["--index", url, "--update", "-f", "jsonl", join(dir, "a")]);
    expect(first.stderr).toBe("");
    expect(parseJsonl(first.stdout).map((r) => (r as { status: string }).status)).toEqual(["new", "new"]);
    const dry = cli(["--index", url, "-f", "jsonl", join(dir, "b")]);
    expect(parseJsonl(dry.stdout)[0]).toMatchObject({ id: "reprint.txt", status: "copy", canonical: "afp.txt" });
    const second = cli(["--index", url, "--update", "-f", "json", join(dir, "b")]);
    expect(JSON.parse(second.stdout).stats).toMatchObject({ new: 0, copies: 1, indexSize: 3 });
    expect(existsSync(join(dir, "b", "reprint.txt"))).toBe(true);
  });
});
