// Worker threads must not change a byte of the output: fingerprints depend only on text and options.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
// The built queue: its workers load dist/cli/worker.js, which exists only after the build.
import { FingerprintQueue, jobTexts, textJob } from "../dist/cli/workers.js";
import { prepare, type FingerprintSetup, type Prepared } from "../src/dedupe.js";
import { DEFAULTS } from "../src/options.js";
import { cli, parseJsonl, syntheticCorpus, tempDir } from "./helpers/cli.js";

describe("--threads", () => {
  const dir = tempDir();
  const corpus = join(dir, "corpus.jsonl");
  writeFileSync(corpus, syntheticCorpus(1500));

  it("gives identical json and jsonl reports with 1 and 2 threads on a corpus split over many batches", () => {
    const one = cli(["--threads", "1", "-f", "json", corpus]);
    const two = cli(["--threads", "2", "-f", "json", corpus]);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(one.stdout);
    expect(report.stats.documents).toBe(1500);
    // The corpus has copies, so equality covers clusters and scores, not just singletons.
    expect(report.stats.duplicates).toBeGreaterThan(300);

    const rowsOne = cli(["--threads", "1", "-f", "jsonl", corpus]).stdout;
    expect(cli(["--threads", "2", "-f", "jsonl", corpus]).stdout).toBe(rowsOne);
    expect(parseJsonl(rowsOne)).toHaveLength(1500);
  });

  it("writes the same --out corpus with 1 and 2 threads", () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    expect(cli(["--threads", "1", "--out", a, corpus]).status).toBe(0);
    expect(cli(["--threads", "2", "--out", b, corpus]).status).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toHaveLength(1500 - JSON.parse(cli(["-f", "json", corpus]).stdout).stats.duplicates + 1);
    expect(readdirSync(b).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f), "utf8"), f).toBe(readFileSync(join(a, f), "utf8"));
  });
});

describe("FingerprintQueue", () => {
  const texts = parseJsonl(syntheticCorpus(700, 7)).map((r) => r.text as string);
  const setup: FingerprintSetup = { options: DEFAULTS, keepUnits: false, skip: null };

  it.each([false, true])("returns, with 2 worker threads, exactly what prepare() gives on the main thread, in input order (units kept: %s)", async (keepUnits) => {
    const queue = new FingerprintQueue({ ...setup, keepUnits }, { threads: 2 });
    // A text that holds its own text twice carries its once-spans across the thread boundary too.
    const all = [...texts, `${texts[0]!}\n\n${texts[0]!}`];
    for (const t of all) await queue.add(t);
    expect(queue.threads).toBe(2);
    const prepared = await queue.finish();
    expect(prepared).toHaveLength(all.length);
    expect(prepared.at(-1)!.print.once).toBeDefined();
    prepared.forEach((p, i) => {
      const want = prepare(all[i]!, { ...setup, keepUnits });
      expect({ ...p.print }).toEqual({ ...want.print });
      expect(p.units).toEqual(want.units);
    });
  });

  it("hands out documents in input order through ready() as they are done, and the rest at finish()", async () => {
    const queue = new FingerprintQueue(setup, { threads: 2 });
    // Enough texts for a batch to go to a worker (a batch is at most 256 documents).
    for (const t of texts.slice(0, 300)) await queue.add(t);
    const got: Prepared[] = [];
    // Before finish(): the batch links these while the rest are fingerprinted.
    await vi.waitFor(() => {
      got.push(...queue.ready());
      expect(got.length).toBeGreaterThan(0);
    }, 20_000);
    for (const t of texts.slice(300)) {
      await queue.add(t);
      got.push(...queue.ready());
    }
    got.push(...(await queue.finish()));
    expect(queue.ready()).toEqual([]);
    expect(got).toHaveLength(texts.length);
    got.forEach((p, i) => expect({ ...p.print }, `document ${i}`).toEqual({ ...prepare(texts[i]!, setup).print }));
  });

  it.each([
    ["ASCII", ["one text", "", "another text"], true],
    ["any script", ["Café Zürich «citation» 東京で会議 北京报道 🙂", "ŁÓDŹ — Київ"], true],
    // JSON allows the escape; UTF-8 cannot carry it.
    ["a lone surrogate", ["before \ud800 after", "fine"], false],
    // 4 × 256 KB of buffer, up to 3 bytes a character.
    ["a batch too long for the buffer", ["x".repeat(200_000), "y".repeat(200_000)], false],
  ] as const)("gives a worker its texts exactly, in its shared buffer or as strings (%s)", (_, batch, inBuffer) => {
    const job = textJob(7, batch, new SharedArrayBuffer(1024 * 1024));
    expect("shared" in job).toBe(inBuffer);
    expect(jobTexts(job)).toEqual(batch);
  });

  it("stays on the main thread in auto mode for small inputs, and reports progress per document", async () => {
    let done = 0;
    const queue = new FingerprintQueue(setup, { threads: "auto", onProgress: (n) => (done = n) });
    for (const t of texts.slice(0, 50)) await queue.add(t);
    expect(queue.threads).toBe(0);
    expect(await queue.finish()).toHaveLength(50);
    expect(done).toBe(50);
  });
});
