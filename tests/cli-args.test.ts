// Argument parsing and the progress bar, in process: main() with in-memory streams.
import fc from "fast-check";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { createProgress } from "../src/cli/progress.js";
import { SEEDS, ROOT } from "./helpers/cli.js";
import { join } from "node:path";

const seeds = join(ROOT, SEEDS);
const ARTICLES = [
  "The harbour authority said on Monday that the new container terminal will open next spring after delays.",
  "Heavy snow closed the mountain pass for a third day, and the road service expects to clear it by Friday.",
] as const;

/** A writable stream that collects what is written; `isTTY` as a terminal would set it. */
function sink(isTTY = false) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; text(): string };
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString("utf8")));
  stream.isTTY = isTTY;
  stream.text = () => text;
  return stream;
}

async function run(argv: string[], stdin: string[] = []) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, { stdin: stdin.map((s) => Buffer.from(s, "latin1")) as unknown as AsyncIterable<Buffer>, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("argument parsing", () => {
  it("accepts --flag=value, short flags and flags after the paths", async () => {
    const a = await run(["--format=jsonl", seeds]);
    const b = await run([seeds, "-f", "jsonl"]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout.split("\n").filter(Boolean)).toHaveLength(5);
  });

  it("passes the matching options to the library: a minimum of shared shingles above the AFP pair's 314 splits it", async () => {
    const loose = JSON.parse((await run(["-f", "json", seeds])).stdout);
    const strict = JSON.parse((await run(["-f", "json", "--min-shared", "400", seeds])).stdout);
    expect(loose.stats.duplicates).toBe(1);
    expect(strict.stats.duplicates).toBe(0);
  });

  it("changes signatures with --seed, --num-hashes and --shingle-size but not the verified clusters of the seeds", async () => {
    const base = JSON.parse((await run(["-f", "json", seeds])).stdout);
    for (const flags of [["--seed", "7"], ["--num-hashes", "256"], ["--shingle-size", "4"]]) {
      const other = JSON.parse((await run(["-f", "json", ...flags, seeds])).stdout);
      expect(other.clusters.map((c: { canonical: string }) => c.canonical), flags.join(" ")).toEqual(base.clusters.map((c: { canonical: string }) => c.canonical));
    }
    // Shingle size changes the exact scores: 4-word shingles share more.
    const k4 = JSON.parse((await run(["-f", "json", "--shingle-size", "4", seeds])).stdout);
    expect(k4.clusters[2].members[1].jaccard).not.toBe(base.clusters[2].members[1].jaccard);
  });

  it("reports a library option error under its flag name", async () => {
    const r = await run(["--num-hashes", "4", seeds]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("news-dedupe: --num-hashes must be between 8 and 4096, got 4\n");
  });

  it("rejects positional-looking values that are not numbers, and accepts --threads auto or a count", async () => {
    expect((await run(["--containment", "", seeds])).stderr).toBe('news-dedupe: --containment must be a number, got ""\n');
    expect((await run(["--threads", "0", seeds])).stderr).toBe("news-dedupe: --threads must be an integer from 1 to 64, got 0\n");
    expect((await run(["--threads", "auto", seeds])).code).toBe(0);
    expect((await run(["--threads", "1", seeds])).code).toBe(0);
  });

  it("prints no progress when stderr is not a terminal", async () => {
    const r = await run([seeds]);
    expect(r.stderr).toBe("");
  });
});

describe("progress", () => {
  it("stays silent before the delay, then draws a bar on a terminal, and leaves warnings readable", () => {
    let now = 0;
    const tty = sink(true);
    const p = createProgress(tty, { enabled: true, delayMs: 2000, now: () => now });
    p.update(10, 5);
    expect(tty.text()).toBe("");
    p.log("news-dedupe: x.txt: empty document (no text); skipped");
    expect(tty.text()).toBe("news-dedupe: x.txt: empty document (no text); skipped\n");
    now = 2500;
    p.update(20, 10);
    p.update(30, 20);
    p.stop();
    expect(tty.text()).toContain("news-dedupe reading [");
  });

  it("draws nothing when disabled (--no-progress or no terminal), but still prints warnings", () => {
    const err = sink(false);
    const p = createProgress(err, { enabled: false, delayMs: 0, now: () => 1e9 });
    p.update(1, 1);
    p.log("warning");
    p.stop();
    expect(err.text()).toBe("warning\n");
  });
});

describe("toJsonl", () => {
  it("splits the rows into chunks that join to one line per input, in input order", async () => {
    const { dedupe } = await import("../src/index.js");
    const { toJsonl } = await import("../src/report.js");
    const docs = ["alpha beta gamma delta epsilon", "one two three four five six", "alpha beta gamma delta epsilon"].map((text, i) => ({ id: `d${i}`, text }));
    const run = { result: dedupe(docs), inputs: [...docs.map((d) => ({ id: d.id, source: `x:${d.id}` })), { id: null, source: "x:4", skipped: { code: "INPUT_EMPTY", reason: "empty" } }] };
    const chunks = [...toJsonl(run, 2)];
    expect(chunks).toHaveLength(2);
    expect(chunks.join("")).toBe([...toJsonl(run)].join(""));
    expect(chunks.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l).source)).toEqual(["x:d0", "x:d1", "x:d2", "x:4"]);
  });
});

describe("every input accounted for (property)", () => {
  // A JSONL line of any kind: a good record (ids drawn from a small pool, so some repeat), one
  // without text or id, an empty text, a non-object, broken JSON, bytes that are not UTF-8, blank.
  const lineArb = fc.oneof(
    fc.record({ id: fc.constantFrom("a", "b", "c", "d", 7), text: fc.constantFrom(ARTICLES[0], ARTICLES[1], `${ARTICLES[0]} More.`) }).map((r) => JSON.stringify(r)),
    fc.constantFrom('{"id":"x"}', '{"text":"no id here at all"}', '{"id":"e","text":"   "}', "[1,2]", "42", "{broken", '{"id":"f","text":"\u00ff\u00fe"}', "", "   "),
    fc.constant(Buffer.from([0x7b, 0xff, 0x7d]).toString("latin1")),
  );

  it("gives one --format jsonl row per non-blank input line, in order, each kept, duplicate or skipped", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 25 }), async (lines) => {
        const input = Buffer.from(lines.join("\n"), "latin1");
        const r = await run(["-f", "jsonl", "--threads", "1", "-"], [input.toString("latin1")]);
        expect(r.code).toBe(0);
        const rows = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { source: string; status: string; id: string | null; canonical?: string });
        const expected = lines.flatMap((l, i) => (l.trim() === "" ? [] : [`<stdin>:${i + 1}`]));
        expect(rows.map((row) => row.source)).toEqual(expected);
        // Each skipped row has its one-line warning on stderr; kept ids are unique; a duplicate's canonical is kept.
        const skipped = rows.filter((row) => row.status === "skipped");
        expect(r.stderr.split("\n").filter((l) => l.endsWith("; skipped"))).toHaveLength(skipped.length);
        const kept = rows.filter((row) => row.status === "kept").map((row) => row.id);
        expect(new Set(kept).size).toBe(kept.length);
        for (const row of rows.filter((row) => row.status === "duplicate")) expect(kept).toContain(row.canonical);
      }),
      { numRuns: 60 },
    );
  });
});
