// The index at newsroom scale (issue 16): an index of generated signatures written as an index
// file, loaded, added to one article at a time and saved (RSS, bytes per document, load and save
// times, add() latency); and a window replay, day after day of timed documents through an index
// with a window, showing its size stays flat while copies are still found across days.
import { spawnSync } from "node:child_process";
import { closeSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_LEAD } from "../src/fingerprint.ts";
import { NUMBERS } from "../src/numbers.ts";
import { prng } from "../src/hash.ts";
import { createIndex, loadIndexFile, saveIndexFile, type DedupeIndex } from "../src/index.ts";
import { FORMAT_VERSION } from "../src/persist.ts";
import { crc32 } from "node:zlib";
import { generateCorpus } from "./corpus.ts";

const DAY = 86_400_000;

/** The value at quantile q (0..1) of xs. */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const rss = () => process.memoryUsage().rss;

/**
 * Write an index file of `n` generated documents (version FORMAT_VERSION, the layout of
 * persist.ts) section by section, each document's values drawn again from its own seed, so the
 * generator never holds more than one block: 128 signature values (16 bits each), a full lead (MAX_LEAD
 * shingles) and a full number sample (NUMBERS compact pairs, sorted: match.ts compactNumbers), as an article has, and a time.
 */
export function writeGeneratedIndex(path: string, n: number, options = createIndex().options): void {
  const k = options.numHashes;
  const enc = new TextEncoder();
  const header = enc.encode(JSON.stringify({ options, scheme: "news-dedupe", count: n, newest: n, numbered: n, signatureBits: 16 }));
  const ids = enc.encode(JSON.stringify(Array.from({ length: n }, (_, i) => `prefill-${i}`)));
  const fd = openSync(path, "w");
  let crc = 0;
  let at = 0;
  const put = (bytes: Uint8Array) => {
    crc = crc32(bytes, crc);
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    at += bytes.length;
  };
  const pad = (to: number) => put(new Uint8Array((to - (at % to)) % to));
  const head = new Uint8Array(16 + header.length);
  const view = new DataView(head.buffer);
  view.setUint32(0, 0x5844444e, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  head.set(header, 12);
  view.setUint32(12 + header.length, ids.length, true);
  put(head);
  put(ids);
  pad(8);
  const BLOCK = 65_536;
  const section = (per: number, fill: (doc: number, out: Uint32Array, at: number) => void) => {
    const out = new Uint32Array(BLOCK * per);
    for (let from = 0; from < n; from += BLOCK) {
      const m = Math.min(BLOCK, n - from);
      for (let i = 0; i < m; i++) fill(from + i, out, i * per);
      put(new Uint8Array(out.buffer, 0, m * per * 4));
    }
  };
  section(1, (d, out, i) => (out[i] = 200 + (d % 700))); // sizes
  section(1, (d, out, i) => (out[i] = d)); // canonical: itself
  put(new Uint8Array(n).fill(1)); // flags: a signature, in the band tables
  put(new Uint8Array(n).fill(MAX_LEAD));
  put(new Uint8Array(n).fill(NUMBERS));
  pad(8);
  const times = new Float64Array(BLOCK);
  for (let from = 0; from < n; from += BLOCK) {
    const m = Math.min(BLOCK, n - from);
    for (let i = 0; i < m; i++) times[i] = from + i;
    put(new Uint8Array(times.buffer, 0, m * 8));
  }
  const values = (salt: number, per: number, sorted: boolean) => (d: number, out: Uint32Array, i: number) => {
    const next = prng(d * 7 + salt);
    for (let j = 0; j < per; j++) out[i + j] = next();
    if (sorted) out.subarray(i, i + per).sort();
  };
  // Signatures as createIndex keeps them: 16 bits a value.
  const sig = new Uint16Array(BLOCK * k);
  for (let from = 0; from < n; from += BLOCK) {
    const m = Math.min(BLOCK, n - from);
    for (let i = 0; i < m; i++) {
      const next = prng((from + i) * 7 + 1);
      for (let j = 0; j < k; j++) sig[i * k + j] = next() >>> 16;
    }
    put(new Uint8Array(sig.buffer, 0, m * k * 2));
  }
  pad(8);
  section(MAX_LEAD, values(2, MAX_LEAD, true));
  section(NUMBERS, values(3, NUMBERS, true));
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc, true);
  for (let done = 0; done < 4; ) done += writeSync(fd, tail, done, 4 - done);
  closeSync(fd);
}

export interface ScaleResult {
  docs: number;
  fileBytes: number;
  loadSeconds: number;
  /** Resident memory the loaded index added, per document (RSS after load minus before). */
  memoryPerDoc: number;
  rssMiB: number;
  added: number;
  matched: number;
  /** Median over batches of 100 adds, in adds per second. */
  addPerSec: number;
  addP50Ms: number;
  addP99Ms: number;
  addMaxMs: number;
  /** The first add() after the load, apart: it creates the tables for added documents. */
  firstAddMs: number;
  saveSeconds: number;
}

/**
 * Run the add() path — fingerprinting, matching, storing — on a throwaway index first, so that
 * the latencies measured after the load are the index's at its size, not V8 compiling the code
 * and the process loading its stopword lists: that cost is paid once per process, as large
 * after an empty createIndex() as after a 10M-document load.
 */
function warmUp(): void {
  const index = createIndex();
  generateCorpus({ size: 500, seed: 4 }, (d) => void index.add({ id: d.id, text: d.text }));
}

/** Load an index of `n` generated documents from a file, add `adds` corpus articles one by one, save it. */
export async function indexAtScale(n: number, adds: number): Promise<ScaleResult> {
  const dir = join(tmpdir(), `nd-scale-${process.pid}`);
  const path = `${dir}.ndx`;
  try {
    writeGeneratedIndex(path, n);
    warmUp();
    const fileBytes = statSync(path).size;
    globalThis.gc?.();
    const before = rss();
    const t0 = performance.now();
    const index: DedupeIndex = await loadIndexFile(path);
    const loadSeconds = (performance.now() - t0) / 1000;
    globalThis.gc?.();
    const after = rss();
    if (index.size !== n) throw new Error(`loaded ${index.size} documents, wrote ${n}`);
    const docs: Array<{ id: string; text: string }> = [];
    generateCorpus({ size: adds, seed: 3 }, (d) => docs.push({ id: d.id, text: d.text }));
    const latencies: number[] = [];
    const rates: number[] = [];
    let matched = 0;
    const f0 = performance.now();
    if (index.add(docs.shift()!)) matched++;
    const firstAddMs = performance.now() - f0;
    for (let from = 0; from < docs.length; from += 100) {
      const b0 = performance.now();
      for (const d of docs.slice(from, from + 100)) {
        const a0 = performance.now();
        if (index.add(d)) matched++;
        latencies.push(performance.now() - a0);
      }
      rates.push((Math.min(100, docs.length - from) * 1000) / (performance.now() - b0));
    }
    const t1 = performance.now();
    await saveIndexFile(index, path);
    const saveSeconds = (performance.now() - t1) / 1000;
    return {
      docs: n,
      fileBytes,
      loadSeconds,
      memoryPerDoc: (after - before) / n,
      rssMiB: rss() / 1024 / 1024,
      added: docs.length + 1,
      matched,
      addPerSec: quantile(rates, 0.5),
      addP50Ms: quantile(latencies, 0.5),
      addP99Ms: quantile(latencies, 0.99),
      addMaxMs: Math.max(...latencies),
      firstAddMs,
      saveSeconds,
    };
  } finally {
    rmSync(path, { force: true });
  }
}

export interface ReplayDay {
  day: number;
  size: number;
  rssMiB: number;
  /** Copies of a story whose latest copy is 1–29 days old (inside the window): found as copies. */
  insideFound: number;
  inside: number;
  /** Copies of a story whose latest copy is over 31 days old: rightly reported new. */
  outsideNew: number;
  outside: number;
  addsPerSec: number;
}

/** A story's signature (128 values) and a copy of it with 12 values changed. */
export function storySignature(story: number, copy: number): number[] {
  const next = prng(story * 2 + 1);
  const out: number[] = [];
  for (let i = 0; i < 128; i++) out.push(next());
  if (copy > 0) {
    const noise = prng(story * 31 + copy * 1009);
    for (let i = 0; i < 12; i++) out[(i * 11 + copy) % 128] = noise();
  }
  return out;
}

/**
 * `days` days of `perDay` timed documents through an index with a `window`-day window: each day
 * 80% new stories and 20% copies of a story seen `lag` days before (lag 1 to window + 8 days).
 * The index should hold about window × perDay documents from day `window` on, find every copy
 * whose story is inside the window, and report the older ones new.
 */
export function windowReplay(days: number, perDay: number, window = 30): ReplayDay[] {
  const index = createIndex({ window: `${window}d` });
  const next = prng(77);
  const storiesOfDay: number[][] = [];
  let story = 0;
  const lastSeen = new Map<number, number>();
  const out: ReplayDay[] = [];
  for (let day = 0; day < days; day++) {
    const today: number[] = [];
    const row = { day: day + 1, size: 0, rssMiB: 0, insideFound: 0, inside: 0, outsideNew: 0, outside: 0, addsPerSec: 0 };
    const t0 = performance.now();
    for (let i = 0; i < perDay; i++) {
      const time = day * DAY + Math.floor((i * DAY) / perDay);
      const lag = 1 + (next() % (window + 8));
      if (next() % 5 === 0 && day >= lag) {
        const pool = storiesOfDay[day - lag]!;
        const s = pool[next() % pool.length]!;
        const match = index.add({ id: `d${day}-${i}`, hashvalues: storySignature(s, day * perDay + i + 1), size: 400, time });
        // Measured against the story's latest copy: inside the window it must be found, a day
        // and more past it the story must be new again.
        const since = day - lastSeen.get(s)!;
        if (since >= 1 && since < window) {
          row.inside++;
          if (match) row.insideFound++;
        } else if (since > window + 1) {
          row.outside++;
          if (!match) row.outsideNew++;
        }
        lastSeen.set(s, day);
      } else {
        today.push(story);
        lastSeen.set(story, day);
        index.add({ id: `d${day}-${i}`, hashvalues: storySignature(story++, 0), size: 400, time });
      }
    }
    storiesOfDay.push(today);
    row.addsPerSec = (perDay * 1000) / (performance.now() - t0);
    row.size = index.size;
    row.rssMiB = rss() / 1024 / 1024;
    out.push(row);
  }
  return out;
}

/**
 * Both measurements in a fresh Node process (bench/scale-run.mts), so that the memory figures are
 * the index's and not the heap left by whatever ran before in the bench.
 */
export function scaleInChild(docs: number, adds: number, days: number, perDay: number): { scale: ScaleResult; replay: ReplayDay[] } {
  const script = fileURLToPath(new URL("./scale-run.mts", import.meta.url));
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", script, String(docs), String(adds), String(days), String(perDay)], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench/scale-run.mts failed (${r.status}): ${r.stderr}`);
  const [first, ...rest] = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  return { scale: first as ScaleResult, replay: rest as ReplayDay[] };
}
