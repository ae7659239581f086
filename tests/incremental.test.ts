import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createIndex, DedupeError, loadIndex, loadIndexFile, saveIndexFile } from "../src/index.js";
import { FORMAT_VERSION, layout } from "../src/persist.js";
import { seeds } from "./helpers/seeds.js";
import { NUMBERS } from "../src/numbers.js";

const dir = mkdtempSync(join(tmpdir(), "nd-index-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof DedupeError ? e.code : `not a DedupeError: ${String(e)}`;
  }
  return undefined;
}

describe("incremental index", () => {
  it("recognises the second AFP Odesa copy as a duplicate of the first seen", () => {
    const index = createIndex();
    const answers = seeds().map((s) => [s.id, index.add(s)?.canonical ?? null]);
    expect(answers).toEqual([["000", null], ["001", null], ["002", null], ["003", "002"], ["004", null]]);
    expect(index.canonicalOf("003")).toBe("002");
    expect(index.size).toBe(5);
  });

  it("answers query() without remembering the document", () => {
    const index = createIndex();
    const [, , afp1, afp2] = seeds();
    index.add(afp1!);
    const match = index.query(afp2!)!;
    expect(match.canonical).toBe("002");
    expect(match.containment).toBeGreaterThan(0.6);
    expect(index.has("003")).toBe(false);
    expect(index.size).toBe(1);
  });

  it("refuses an id it has already seen, naming it", () => {
    const index = createIndex();
    index.add({ id: "a", text: "some words" });
    expect(() => index.add({ id: "a", text: "other words" })).toThrow('document "a" has the same id as document #0 in the index');
  });

  it("gives the same answers after save → load, and keeps learning", () => {
    const docs = seeds();
    const index = createIndex({ seed: 9 });
    docs.slice(0, 3).forEach((d) => index.add(d));
    const loaded = loadIndex(index.save());
    expect(loaded.options).toEqual(index.options);
    expect(loaded.size).toBe(3);
    for (const d of docs) expect(loaded.query(d)).toEqual(index.query(d));
    expect(loaded.add(docs[3]!)?.canonical).toBe("002");
    expect(loaded.canonicalOf("003")).toBe("002");
  });

  it("refuses truncated, corrupted and wrong-version bytes", () => {
    const index = createIndex();
    seeds().forEach((d) => index.add(d));
    const bytes = index.save();
    expect(code(() => loadIndex(bytes.subarray(0, bytes.length - 10)))).toBe("INDEX_CORRUPT");
    expect(code(() => loadIndex(bytes.subarray(0, 5)))).toBe("INDEX_CORRUPT");
    const flipped = bytes.slice();
    flipped[Math.floor(flipped.length / 2)]! ^= 1;
    expect(code(() => loadIndex(flipped))).toBe("INDEX_CORRUPT");
    const version = bytes.slice();
    version[4] = 99;
    expect(() => loadIndex(version)).toThrow(`index file has format version 99; this version of news-dedupe reads version ${FORMAT_VERSION}`);
    expect(code(() => loadIndex(new TextEncoder().encode("not an index at all, just text")))).toBe("INDEX_CORRUPT");
  });

  it("refuses a version 4 file (number samples as two u32 a pair) with the version error", () => {
    const index = createIndex();
    seeds().forEach((d) => index.add(d));
    const old = index.save().slice();
    new DataView(old.buffer).setUint32(4, 4, true);
    expect(FORMAT_VERSION).toBe(5);
    expect(() => loadIndex(old)).toThrow(`index file has format version 4; this version of news-dedupe reads version 5`);
    expect(code(() => loadIndex(old))).toBe("INDEX_VERSION");
  });

  it("round-trips any sequence of adds through save → load (property)", () => {
    const word = fc.constantFrom("nato", "rutte", "kyiv", "peace", "talks", "odesa", "drone", "said", "the", "of");
    const text = fc.array(word, { minLength: 0, maxLength: 40 }).map((w) => w.join(" "));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 15 }), fc.array(text, { maxLength: 5 }), (added, asked) => {
        const index = createIndex({ numHashes: 32 });
        added.forEach((t, i) => index.add({ id: `d${i}`, text: t }));
        const loaded = loadIndex(index.save());
        for (const t of [...added, ...asked]) expect(loaded.query(t)).toEqual(index.query(t));
        for (let i = 0; i < added.length; i++) expect(loaded.canonicalOf(`d${i}`)).toBe(index.canonicalOf(`d${i}`));
      }),
      { numRuns: 60 },
    );
  });

  it("answers alike after a load whether a document was loaded or added since (property)", () => {
    // A load puts its documents in frozen buckets and later adds in hash tables: a query must see
    // both, newest first, as an index that never went through a file sees its one kind.
    const word = fc.constantFrom("nato", "rutte", "kyiv", "peace", "talks", "odesa", "drone", "said", "the", "of", "port", "grain");
    const text = fc.array(word, { minLength: 8, maxLength: 40 }).map((w) => w.join(" "));
    // Near copies of earlier texts (a word replaced), which only the band buckets find.
    const edit = fc.record({ of: fc.nat(), at: fc.nat(), word });
    const edited = (texts: string[], edits: Array<{ of: number; at: number; word: string }>) =>
      texts.length === 0 ? [] : edits.map(({ of, at, word }) => {
        const words = texts[of % texts.length]!.split(" ");
        words[at % words.length] = word;
        return words.join(" ");
      });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 25 }), fc.array(edit, { maxLength: 10 }), fc.array(edit, { maxLength: 5 }), (before, afterEdits, askedEdits) => {
        const after = edited(before, afterEdits);
        const asked = edited([...before, ...after], askedEdits);
        const index = createIndex({ numHashes: 32 });
        before.forEach((t, i) => index.add({ id: `b${i}`, text: t }));
        const loaded = loadIndex(index.save());
        after.forEach((t, i) => expect(loaded.add({ id: `a${i}`, text: t })).toEqual(index.add({ id: `a${i}`, text: t })));
        for (const t of [...before, ...after, ...asked]) expect(loaded.query(t)).toEqual(index.query(t));
      }),
      { numRuns: 60 },
    );
  });
});

describe("signatures from the npm minhash package", () => {
  const require = createRequire(import.meta.url);
  const { Minhash } = require("minhash") as { Minhash: new () => { update(s: string): void; hashvalues: number[] } };
  const signatureOf = (text: string) => {
    const m = new Minhash();
    const w = text.toLowerCase().split(/\s+/);
    for (let i = 0; i + 5 <= w.length; i++) m.update(w.slice(i, i + 5).join(" "));
    return m.hashvalues;
  };

  it("matches copies by their hashvalues", () => {
    const [, , afp1, afp2] = seeds();
    const index = createIndex();
    expect(index.add({ id: "a", hashvalues: signatureOf(afp1!.text) })).toBeNull();
    expect(index.add({ id: "b", hashvalues: signatureOf(afp1!.text + "\nRelated Links") })?.canonical).toBe("a");
    expect(index.query({ id: "q", hashvalues: signatureOf(afp2!.text.slice(0, 200)) })).toBeNull();
  });

  it("refuses to mix them with its own signatures in one index", () => {
    const index = createIndex();
    index.add({ id: "a", hashvalues: signatureOf("one two three four five six") });
    expect(() => index.add({ id: "b", text: "one two three four five six" })).toThrow(
      'document "b" cannot be added: it carries a news-dedupe signature and the index holds minhash signatures',
    );
    expect(code(() => index.add({ id: "c", hashvalues: [1, 2, 3] }))).toBe("INVALID_SIGNATURE");
  });
});

describe("index files", () => {
  it("saves and loads through a file", async () => {
    const index = createIndex();
    seeds().forEach((d) => index.add(d));
    const path = join(dir, "seeds.ndx");
    await saveIndexFile(index, path);
    const loaded = await loadIndexFile(path);
    expect(loaded.canonicalOf("003")).toBe("002");
    // A Buffer (readFileSync) is a view into a shared pool: read as the bytes it shows.
    const fromBuffer = loadIndex(readFileSync(path));
    expect(seeds().map((s) => fromBuffer.canonicalOf(s.id))).toEqual(["000", "001", "002", "002", "004"]);
  });

  it("takes 50 overlapping saves to one path in one process, leaving the last one's snapshot and no temporary file", async () => {
    const path = join(dir, "overlap.ndx");
    const index = createIndex();
    const saves: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i++) {
      index.add({ id: `doc${i}`, text: `article number ${i} of the overlapping saves` });
      saves.push(saveIndexFile(index, path));
    }
    await Promise.all(saves);
    expect(loadIndex(readFileSync(path)).size).toBe(50);
    expect(readdirSync(dir).filter((f) => f.startsWith("overlap.ndx.tmp"))).toEqual([]);
  });

  it("leaves the previous file intact when the writer is killed during save", async () => {
    const path = join(dir, "killed.ndx");
    const before = createIndex();
    before.add({ id: "old", text: "the index as it was yesterday" });
    await saveIndexFile(before, path);
    const original = readFileSync(path);

    // A child builds a large index and saves it over the file; it is killed mid-write.
    const script = join(dir, "writer.mjs");
    const src = join(import.meta.dirname, "../dist/index.js");
    writeFileSync(
      script,
      `import { createIndex, saveIndexFile } from ${JSON.stringify(src)};
       const index = createIndex({ numHashes: 1024 });
       const hashvalues = new Array(1024);
       for (let i = 0; i < 20000; i++) {
         for (let j = 0; j < 1024; j++) hashvalues[j] = (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca6b)) >>> 0;
         index.add({ id: "d" + i, hashvalues });
       }
       process.stdout.write("saving\\n");
       await saveIndexFile(index, ${JSON.stringify(path)});
       process.stdout.write("saved\\n");`,
    );
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    let killedWhileWriting = false;
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    // Kill it as soon as its temporary file is on disk: the write is under way.
    const poll = setInterval(() => {
      if (readdirSync(dir).some((f) => f.startsWith("killed.ndx.tmp-"))) {
        killedWhileWriting = true;
        child.kill("SIGKILL");
        clearInterval(poll);
      }
    }, 1);
    await new Promise<void>((resolve) => child.on("exit", () => resolve()));
    clearInterval(poll);
    expect(killedWhileWriting).toBe(true);
    expect(out).not.toContain("saved");
    expect(readFileSync(path).equals(original)).toBe(true);
    expect((await loadIndexFile(path)).canonicalOf("old")).toBe("old");
  });
});

describe("index file layout", () => {
  // Files past 2 GiB (a few million documents) once had their offsets wrapped by 32-bit padding.
  it.each([1, 1_000, 4_000_000, 10_000_000, 100_000_000])("places every section of %i documents after the previous one, aligned", (n) => {
    const k = 128;
    const start = 16 + 1_000 + 23 * n + 5;
    const at = layout(n, k, start);
    const order = [at.sizesAt, at.canonAt, at.flagsAt, at.leadCountsAt, at.countsAt, at.timesAt, at.sigsAt, at.leadsAt, at.numbersAt, at.crcAt];
    for (let i = 1; i < order.length; i++) expect(order[i]!).toBeGreaterThan(order[i - 1]!);
    for (const offset of [at.sizesAt, at.timesAt, at.leadsAt]) expect(offset % 8).toBe(0);
    expect(at.sizesAt - start).toBeLessThan(8);
    expect(at.sigsAt - at.timesAt).toBe(8 * n);
    expect(at.crcAt - at.numbersAt).toBe(4 * n * NUMBERS);
  });
});
