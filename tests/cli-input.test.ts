// End-to-end: the built CLI on bad input trees — one line per problem on stderr, naming file and
// line; the rest processed; every input in the mapping; exit codes; never a stack trace.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, hasStack, parseJsonl, SEEDS, tempDir, tree } from "./helpers/cli.js";

const ARTICLE_A = "The harbour authority said on Monday that the new container terminal will open next spring after delays.";
const ARTICLE_B = "Heavy snow closed the mountain pass for a third day, and the road service expects to clear it by Friday.";
const ARTICLE_C = "The city council voted to extend the tram line to the university campus, at a cost of 40 million euros.";

/** A tree with one good article and one of each bad kind of input. */
function badTree(): string {
  return tree(tempDir(), {
    "good.txt": ARTICLE_A,
    "binary.txt": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]),
    "latin1.txt": Buffer.from("Caf\xe9 au lait, na\xefve r\xe9sum\xe9 of the news", "latin1"),
    "empty.md": "",
    "blank.txt": "  \n\n \t\n",
    "notes.csv": "a,b\n",
    "records.jsonl": [
      JSON.stringify({ id: "r1", text: ARTICLE_B }),
      "{not json",
      JSON.stringify({ text: "a record without an id" }),
      JSON.stringify({ id: "r2" }),
      JSON.stringify({ id: "r1", text: ARTICLE_C }),
      "",
      JSON.stringify({ id: "r3", text: ARTICLE_C }),
    ].join("\n"),
  });
}

const STDERR_LINES = (dir: string) => [
  `news-dedupe: ${dir}/binary.txt: binary file (it contains NUL bytes); skipped`,
  `news-dedupe: ${dir}/blank.txt: empty document (no text); skipped`,
  `news-dedupe: ${dir}/empty.md: empty document (no text); skipped`,
  `news-dedupe: ${dir}/latin1.txt: not valid UTF-8 text; skipped`,
  `news-dedupe: ${dir}/records.jsonl:2: malformed JSON (Expected property name or '}' in JSON at position 1); skipped`,
  `news-dedupe: ${dir}/records.jsonl:3: record has no "id" field; skipped`,
  `news-dedupe: ${dir}/records.jsonl:4: record has no "text" field; skipped`,
  `news-dedupe: ${dir}/records.jsonl:5: duplicate id "r1", first seen at ${dir}/records.jsonl:1; skipped`,
  `news-dedupe: ignored 1 file(s) that are not .txt, .md, .jsonl, .json, .html, .htm, .warc or .warc.gz, the first ${dir}/notes.csv`,
];

describe("bad input, --on-error skip (the default)", () => {
  const dir = badTree();

  it("warns once per bad input, naming the file and line, and clusters the rest (exit 0)", () => {
    const r = cli([dir]);
    expect(r.status).toBe(0);
    expect(r.stderr.split("\n").filter(Boolean)).toEqual(STDERR_LINES(dir));
    expect(hasStack(r.stderr)).toBe(false);
    expect(r.stdout.split("\n")[0]).toBe("3 documents read, 8 skipped");
    expect(r.stdout).toContain("Singletons: good.txt, r1, r3\n");
    expect(r.stdout).toContain(`\nSkipped:\n  ${dir}/binary.txt: binary file (it contains NUL bytes)\n`);
  });

  it("puts every input in the mapping, skipped ones with their id (when known) and reason", () => {
    const out = join(tempDir(), "out");
    const r = cli([dir, "--out", out]);
    expect(r.status).toBe(0);
    const mapping = parseJsonl(readFileSync(join(out, "mapping.jsonl"), "utf8"));
    expect(mapping.map((m) => [m.id, m.status, m.code ?? m.file])).toEqual([
      ["binary.txt", "skipped", "INPUT_BINARY"],
      ["blank.txt", "skipped", "INPUT_EMPTY"],
      ["empty.md", "skipped", "INPUT_EMPTY"],
      ["good.txt", "kept", "good.txt"],
      ["latin1.txt", "skipped", "INPUT_NOT_UTF8"],
      ["r1", "kept", "r1.txt"],
      [null, "skipped", "INPUT_BAD_JSON"],
      [null, "skipped", "INPUT_NO_FIELD"],
      ["r2", "skipped", "INPUT_NO_FIELD"],
      ["r1", "skipped", "INPUT_DUPLICATE_ID"],
      ["r3", "kept", "r3.txt"],
    ]);
    expect(mapping[6]).toMatchObject({ source: `${dir}/records.jsonl:2` });
    expect(mapping[9]!.reason).toBe(`duplicate id "r1", first seen at ${dir}/records.jsonl:1`);
  });

  it("lists the skipped inputs in --format json and as rows of --format jsonl", () => {
    const json = JSON.parse(cli(["-f", "json", dir]).stdout);
    // as in the library's result, documents counts every input, the skipped ones too
    expect(json.stats).toEqual({ documents: 11, clusters: 3, duplicates: 0 });
    expect(json.skipped).toHaveLength(8);
    expect(json.skipped[4]).toEqual({ id: null, source: `${dir}/records.jsonl:2`, code: "INPUT_BAD_JSON", reason: expect.stringMatching(/^malformed JSON/) });
    const rows = parseJsonl(cli(["-f", "jsonl", dir]).stdout);
    expect(rows.filter((row) => row.status === "skipped")).toHaveLength(8);
    expect(rows).toHaveLength(11);
  });
});

describe("bad input, --on-error fail", () => {
  it("stops at the first bad input with its one-line message and exit 2, printing no report", () => {
    const dir = badTree();
    const r = cli(["--on-error", "fail", dir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`news-dedupe: ${dir}/binary.txt: binary file (it contains NUL bytes)\n`);
  });

  it("names the line of a malformed JSON line", () => {
    const dir = tree(tempDir(), { "x.jsonl": `${JSON.stringify({ id: 1, text: ARTICLE_A })}\n\n{"id": 2, "text": "cut off` });
    const r = cli(["--on-error", "fail", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^news-dedupe: ${dir}/x\\.jsonl:3: malformed JSON \\([^\\n]+\\)\\n$`));
  });

  it("succeeds on clean input", () => {
    expect(cli(["--on-error", "fail", SEEDS]).status).toBe(0);
  });
});

describe("unreadable paths and usage errors exit 2 with one line", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["a path that does not exist", ["no/such/dir"], /^news-dedupe: no\/such\/dir: no such file or directory\n$/],
    ["no paths", [], /^news-dedupe: no input paths given \(see --help\)\n$/],
    ["an unknown flag", ["--frobnicate", SEEDS], /^news-dedupe: Unknown option '--frobnicate' \(see --help\)\n$/],
    ["a flag without its value", [SEEDS, "--format"], /^news-dedupe: Option '-f, --format <value>' argument missing \(see --help\)\n$/],
    ["a bad format", ["--format", "xml", SEEDS], /^news-dedupe: --format must be one of human, json, jsonl, got "xml"\n$/],
    ["a bad --on-error", ["--on-error", "ignore", SEEDS], /^news-dedupe: --on-error must be one of skip, fail, got "ignore"\n$/],
    ["a threshold out of range", ["--jaccard", "1.5", SEEDS], /^news-dedupe: --jaccard must be between 0\.01 and 1, got 1\.5\n$/],
    ["a non-number", ["--num-hashes", "many", SEEDS], /^news-dedupe: --num-hashes must be a number, got "many"\n$/],
    ["a fractional integer option", ["--shingle-size", "2.5", SEEDS], /^news-dedupe: --shingle-size must be an integer, got 2\.5\n$/],
    ["a bad --max-doc-bytes", ["--max-doc-bytes", "0", SEEDS], /^news-dedupe: --max-doc-bytes must be an integer from 1 to \d+, got 0\n$/],
    ["a bad --threads", ["--threads", "zero", SEEDS], /^news-dedupe: --threads must be a number, got "zero"\n$/],
    ["--diff with jsonl", ["--diff", "-f", "jsonl", SEEDS], /^news-dedupe: --diff needs --format human or json \(a jsonl row is one document, not a cluster\)\n$/],
    ["stdin twice", ["-", "-"], /^news-dedupe: "-" \(stdin\) can be given only once\n$/],
    ["an empty --id-field", ["--id-field=", "-"], /^news-dedupe: --id-field must not be empty\n$/],
  ];
  for (const [what, args, stderr] of cases) {
    it(`${what}: ${args.join(" ")}`, () => {
      const r = cli(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(stderr);
      expect(hasStack(r.stderr)).toBe(false);
    });
  }

  it("a missing path fails before anything is read, even next to good ones", () => {
    const r = cli([SEEDS, "missing.txt"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("news-dedupe: missing.txt: no such file or directory\n");
  });
});

describe("stdin and record fields", () => {
  it('reads JSON Lines from "-", numeric ids as strings, CRLF line ends and a BOM-free decode', () => {
    const input = [{ id: 7, text: ARTICLE_A }, { id: "b", text: ARTICLE_A + " Officials declined to comment." }, { id: "c", text: ARTICLE_C }]
      .map((r) => JSON.stringify(r))
      .join("\r\n");
    const r = cli(["-f", "jsonl", "-"], { input });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const rows = parseJsonl(r.stdout);
    expect(rows.map((row) => [row.id, row.source, row.canonical])).toEqual([
      ["7", "<stdin>:1", "b"],
      ["b", "<stdin>:2", "b"],
      ["c", "<stdin>:3", "c"],
    ]);
  });

  it("names stdin and the line in errors", () => {
    const r = cli(["-"], { input: `${JSON.stringify({ id: "a", text: ARTICLE_A })}\n[1]\n` });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("news-dedupe: <stdin>:2: record is an array, not a JSON object; skipped\n");
  });

  it("--id-field and --text-field pick other fields; the default ones are then ignored", () => {
    const input = [
      { url: "https://a.example/1", body: ARTICLE_B, id: "x", text: "ignored" },
      { url: "https://b.example/2", body: ARTICLE_B },
      { url: "https://c.example/3", text: ARTICLE_C },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const r = cli(["--id-field", "url", "--text-field", "body", "-f", "jsonl", "-"], { input });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('news-dedupe: <stdin>:3: record has no "body" field; skipped\n');
    const rows = parseJsonl(r.stdout);
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      ["https://a.example/1", "kept"],
      ["https://b.example/2", "duplicate"],
      ["https://c.example/3", "skipped"],
    ]);
  });

  it("reads a .json array of records, naming each by its index", () => {
    const dir = tree(tempDir(), {
      "export.json": JSON.stringify([{ id: "a", text: ARTICLE_A }, { id: "b", text: 42 }, { id: "c", text: ARTICLE_C }]),
    });
    const r = cli(["-f", "jsonl", dir]);
    expect(r.stderr).toBe(`news-dedupe: ${dir}/export.json[1]: record's "text" field is a number (expected a string); skipped\n`);
    expect(parseJsonl(r.stdout).map((row) => row.source)).toEqual([`${dir}/export.json[0]`, `${dir}/export.json[1]`, `${dir}/export.json[2]`]);
  });

  it("finds duplicate ids across several inputs, the first one kept", () => {
    const dir = tree(tempDir(), { "a.jsonl": JSON.stringify({ id: "same", text: ARTICLE_A }) });
    const r = cli(["-f", "jsonl", dir, "-"], { input: JSON.stringify({ id: "same", text: ARTICLE_B }) });
    expect(r.stderr).toBe(`news-dedupe: <stdin>:1: duplicate id "same", first seen at ${dir}/a.jsonl:1; skipped\n`);
    expect(parseJsonl(r.stdout).map((row) => row.status)).toEqual(["kept", "skipped"]);
  });
});
