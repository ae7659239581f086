// Speed and memory: the signature stage on one core (ours vs npm minhash), the Jaccard-estimate
// error of our one-permutation scheme vs classic k-permutation MinHash, the CLI end to end
// (wall time, peak RSS via /usr/bin/time -v) and the incremental index at 1M documents.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { BandTables } from "../src/band-tables.ts";
import { bandKeys, lshParams } from "../src/candidates.ts";
import { fingerprintText as fingerprint, forgetNarratives, MAX_LEAD } from "../src/fingerprint.ts";
import { NUMBERS } from "../src/numbers.ts";
import { fmix32, prng } from "../src/hash.ts";
import { createIndex, loadIndex } from "../src/index.ts";
import { units } from "../src/normalize.ts";
import { DEFAULTS } from "../src/options.ts";
import { encodeIndex } from "../src/persist.ts";
import { findRepeats } from "../src/repeats.ts";
import { shingleHashes } from "../src/shingle.ts";
import { estimateJaccard, signature } from "../src/signature.ts";
import { exactScore, minAgreement, SignatureBytes } from "../src/verify.ts";
import { tokenHashes } from "../src/tokenize.ts";
import { pressSentences } from "./brown.ts";
import { generateCorpus, type CorpusInfo, type Label } from "./corpus.ts";
import { baselineMinhash } from "./quality.ts";

const opts = { shingleSize: 5, numHashes: 128, seed: 1 };

/** `count` distinct articles of exactly `words` words: press sentences drawn with a seed, 3 to a paragraph. */
export function articles(count: number, words = 900, seed = 7): string[] {
  const sentences = pressSentences();
  const next = prng(seed);
  const out: string[] = [];
  for (let a = 0; a < count; a++) {
    const paras: string[] = [];
    let para: string[] = [];
    let n = 0;
    while (n < words) {
      const s = sentences[next() % sentences.length]!.text.split(" ");
      const take = s.slice(0, words - n);
      para.push(take.join(" "));
      n += take.length;
      if (para.length === 3) paras.push(para.join(" ")), (para = []);
    }
    if (para.length) paras.push(para.join(" "));
    out.push(paras.join("\n\n"));
  }
  return out;
}

/**
 * Run `fn` over `items` round-robin for at least `seconds` (after one warm-up pass). Items per
 * second of wall time, and per second of this process's CPU time (user + system): on a shared
 * machine the second is what one core does when it runs this.
 */
function rate<T>(items: readonly T[], fn: (x: T) => unknown, seconds: number): { wall: number; cpu: number } {
  for (const x of items.slice(0, Math.min(items.length, 200))) fn(x);
  let done = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    fn(items[done % items.length]!);
    done++;
    if ((done & 15) === 0) elapsed = performance.now() - t0;
  }
  elapsed = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall: (done * 1000) / elapsed, cpu: (done * 1e6) / (c.user + c.system) };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export interface SignatureSpeed {
  words: number;
  /** Articles per CPU second, text → signature (fingerprint(): normalize, repeats, tokenize, shingle, signature). */
  ours: number;
  /** The same through the npm minhash package: words → 5-word shingle strings → Minhash.update. */
  minhash: number;
  /** The same two per wall-clock second (lower when other processes share the core). */
  oursWall: number;
  minhashWall: number;
  ratio: number;
  /** Where our time goes: milliseconds per article in each sub-stage. */
  stagesMs: Record<string, number>;
}

export function signatureSpeed(quick: boolean): SignatureSpeed {
  const docs = articles(quick ? 300 : 1000);
  // Medians of interleaved runs: the machine is shared, and a slow moment of its host then
  // slows one run of each rather than all of one side (one 3 s run each varied 9,400-12,800/s).
  const runs = quick ? 3 : 7;
  const oursRuns: Array<{ wall: number; cpu: number }> = [];
  const minhashRuns: Array<{ wall: number; cpu: number }> = [];
  for (let r = 0; r < runs; r++) {
    // The same articles over and over: the memo of recent narratives is emptied before each, so
    // that every call fingerprints (as for distinct articles) rather than looks up.
    oursRuns.push(rate(docs, (t) => (forgetNarratives(), fingerprint(t, opts)), quick ? 0.3 : 1));
    minhashRuns.push(rate(docs, (t) => baselineMinhash(t), quick ? 0.3 : 1));
  }
  const ours = { wall: median(oursRuns.map((x) => x.wall)), cpu: median(oursRuns.map((x) => x.cpu)) };
  const minhash = { wall: median(minhashRuns.map((x) => x.wall)), cpu: median(minhashRuns.map((x) => x.cpu)) };
  // Sub-stages on the same articles, each fed the previous stage's output.
  const paras = docs.map((t) => units(t));
  const uniq = paras.map((p) => findRepeats(p).unique.map((x) => x.text).join(" "));
  const tokens = uniq.map((t) => tokenHashes(t).slice());
  const shingles = tokens.map((t) => shingleHashes(t, 5, 1));
  const s = quick ? 0.5 : 1.5;
  const ms = (r: { cpu: number }) => 1000 / r.cpu;
  const stagesMs = {
    "normalize + units": ms(rate(docs, (t) => units(t), s)),
    repeats: ms(rate(paras, (p) => findRepeats(p), s)),
    tokenize: ms(rate(uniq, (t) => tokenHashes(t), s)),
    shingle: ms(rate(tokens, (t) => shingleHashes(t, 5, 1), s)),
    signature: ms(rate(shingles, (x) => signature(x, 128, 1), s)),
  };
  return { words: 900, ours: ours.cpu, minhash: minhash.cpu, oursWall: ours.wall, minhashWall: minhash.wall, ratio: ours.cpu / minhash.cpu, stagesMs };
}

// ---- estimate error: OPH vs classic MinHash ---------------------------------------------------

/** Classic MinHash (Broder): k independent hash functions, each one's minimum over the set. */
export function classicSignature(shingles: Uint32Array, k: number, seed: number): Uint32Array {
  const sig = new Uint32Array(k).fill(0xffffffff);
  for (let i = 0; i < k; i++) {
    const salt = fmix32((seed * 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b));
    let min = 0xffffffff;
    for (let j = 0; j < shingles.length; j++) {
      const h = fmix32((shingles[j]! ^ salt) >>> 0);
      if (h < min) min = h;
    }
    sig[i] = min;
  }
  return sig;
}

function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) both++, i++, j++;
    else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return both / (a.length + b.length - both);
}

export interface EstimateError {
  pairs: number;
  k: number;
  /** RMSE of the estimate against exact Jaccard, over all pairs and by band of exact Jaccard. */
  oph: number;
  classic: number;
  bands: Array<{ from: number; to: number; pairs: number; oph: number; classic: number }>;
}

/**
 * Pairs of real-text articles with Jaccard spread over [0, 1]: an article and a copy of it with a
 * random share of its sentences replaced (and some dropped). Each pair is hashed under its own
 * seed, so the errors are independent draws.
 */
export function estimateError(pairCount: number): EstimateError {
  const sentences = pressSentences();
  const next = prng(99);
  const k = 128;
  const edges = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
  const sq = edges.slice(1).map(() => ({ pairs: 0, oph: 0, classic: 0 }));
  let ophSq = 0;
  let classicSq = 0;
  for (let p = 0; p < pairCount; p++) {
    const n = 30 + (next() % 30);
    const a: number[] = Array.from({ length: n }, () => next() % sentences.length);
    const replace = (next() % 1000) / 1000;
    const b = a.flatMap((s) => ((next() % 1000) / 1000 < replace ? ((next() & 1) === 0 ? [] : [next() % sentences.length]) : [s]));
    const sa = shingleHashes(tokenHashes(a.map((s) => sentences[s]!.text).join(" ").toLowerCase()).slice(), 5, 1);
    const sb = shingleHashes(tokenHashes(b.map((s) => sentences[s]!.text).join(" ").toLowerCase()).slice(), 5, 1);
    if (sa.length === 0 || sb.length === 0) continue;
    const exact = exactJaccard(sa, sb);
    const seed = 1000 + p;
    const eo = estimateJaccard(signature(sa, k, seed), signature(sb, k, seed)) - exact;
    const ec = estimateJaccard(classicSignature(sa, k, seed), classicSignature(sb, k, seed)) - exact;
    ophSq += eo * eo;
    classicSq += ec * ec;
    const band = edges.findIndex((e, i) => exact >= e && exact < edges[i + 1]!);
    const cell = sq[band]!;
    cell.pairs++;
    cell.oph += eo * eo;
    cell.classic += ec * ec;
  }
  const total = sq.reduce((s, c) => s + c.pairs, 0);
  return {
    pairs: total,
    k,
    oph: Math.sqrt(ophSq / total),
    classic: Math.sqrt(classicSq / total),
    bands: sq.map((c, i) => ({
      from: edges[i]!,
      to: Math.min(1, edges[i + 1]!),
      pairs: c.pairs,
      oph: c.pairs ? Math.sqrt(c.oph / c.pairs) : NaN,
      classic: c.pairs ? Math.sqrt(c.classic / c.pairs) : NaN,
    })),
  };
}

// ---- end to end: the CLI under /usr/bin/time -v -----------------------------------------------

export interface EndToEnd {
  docs: number;
  input: "directory" | "jsonl";
  seconds: number;
  /** User + system CPU seconds of the run (all threads). */
  cpuSeconds: number;
  peakRssMiB: number;
  /** The CLI's cluster number per document, in `labels` order (null if its output is incomplete). */
  pred: Int32Array | null;
  exitCode: number;
}

/** Write a corpus of `size` documents as a directory of .txt files and as one JSONL file. */
export function writeCorpusFiles(size: number, root: string): { dir: string; jsonl: string; labels: Label[]; info: CorpusInfo } {
  const dir = `${root}/corpus-${size}`;
  const jsonl = `${root}/corpus-${size}.jsonl`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fd = openSync(jsonl, "w");
  const info = generateCorpus({ size, seed: 1 }, (d) => {
    writeFileSync(`${dir}/${d.id}.txt`, d.text);
    writeSync(fd, JSON.stringify({ id: d.id, text: d.text }) + "\n");
  });
  closeSync(fd);
  return { dir, jsonl, labels: info.labels, info };
}

export function hasGnuTime(): boolean {
  return existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-v", "true"]).status === 0;
}

/** Run the CLI on `input` under /usr/bin/time -v; score its clusters against `labels`. */
export function runCli(input: string, kind: EndToEnd["input"], labels: readonly Label[]): EndToEnd {
  const out = `${input.replace(/\/$/, "")}.clusters.jsonl`;
  const cmd = `/usr/bin/time -v node bin/news-dedupe.js ${input} --format jsonl --no-progress > ${out}`;
  const run = spawnSync("bash", ["-c", cmd], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(run.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(run.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(run.stderr);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const cpuSeconds = user && sys ? Number(user[1]) + Number(sys[1]) : NaN;
  return { docs: labels.length, input: kind, seconds, cpuSeconds, peakRssMiB: rss ? Number(rss[1]) / 1024 : NaN, pred: cliClusters(out, labels), exitCode: run.status ?? -1 };
}

function cliClusters(outFile: string, labels: readonly Label[]): Int32Array | null {
  const rows = readFileSync(outFile, "utf8").split("\n").filter(Boolean);
  const cluster = new Map<string, number>();
  for (const line of rows) {
    const r = JSON.parse(line) as { id: string; cluster?: number };
    if (r.cluster !== undefined) cluster.set(r.id.replace(/\.txt$/, ""), r.cluster);
  }
  if (cluster.size !== labels.length) return null;
  return Int32Array.from(labels, (l) => cluster.get(l.id)!);
}

// ---- incremental index at 1M documents --------------------------------------------------------

export interface IndexSpeed {
  indexed: number;
  /** add() of text articles (fingerprint + LSH query + verify + insert), per second, on top of `indexed`. */
  addTextPerSec: number;
  /** The first batch's time, which includes the index growing past its loaded capacity. */
  firstBatchSeconds: number;
  /** Of those adds, how many matched an earlier copy. */
  matched: number;
  added: number;
  saveSeconds: number;
  loadSeconds: number;
  bytes: number;
  heapMiB: number;
}

/**
 * Fill an index with `indexed` documents at once (their signatures are those of random shingle
 * sets of article size, written as an index snapshot and read back with loadIndex, which is the
 * load time), then add corpus articles one by one, then save() and loadIndex() the result.
 */
/**
 * What createIndex keeps of each value: 16 bits (match.ts compactSignature). A loop, not
 * Uint16Array.from(sigs, map): with a map function V8 builds a JS array of every value first,
 * which at 128 values × 1M documents is over its array length limit.
 */
function compact16(sigs: Uint32Array): Uint16Array {
  const out = new Uint16Array(sigs.length);
  for (let i = 0; i < sigs.length; i++) out[i] = Math.imul(sigs[i]!, 0x9e3779b1) >>> 16;
  return out;
}

export function indexSpeed(indexed: number, adds: number): IndexSpeed {
  const k = DEFAULTS.numHashes;
  const next = prng(5);
  const sigs = new Uint32Array(indexed * k);
  const sizes = new Uint32Array(indexed);
  const set = new Uint32Array(900);
  for (let i = 0; i < indexed; i++) {
    const n = 200 + (next() % 700);
    for (let j = 0; j < n; j++) set[j] = next();
    const s = set.subarray(0, n);
    sigs.set(signature(s, k, DEFAULTS.seed), i * k);
    sizes[i] = n;
  }
  // The ids section as the file holds it: a JSON array of strings (persist.ts Snapshot.ids).
  const ids = new TextEncoder().encode(JSON.stringify(Array.from({ length: indexed }, (_, i) => `prefill-${i}`)));
  // Full leads and number samples, as an article has: the index's memory and file size per document.
  const leads = new Uint32Array(indexed * MAX_LEAD);
  for (let i = 0; i < leads.length; i += MAX_LEAD) {
    for (let j = 0; j < MAX_LEAD; j++) leads[i + j] = next();
    leads.subarray(i, i + MAX_LEAD).sort();
  }
  // Compact samples (match.ts compactNumbers): one u32 a pair, sorted.
  const numbers = new Uint32Array(indexed * NUMBERS);
  for (let i = 0; i < numbers.length; i += NUMBERS) {
    for (let j = 0; j < NUMBERS; j++) numbers[i + j] = next();
    numbers.subarray(i, i + NUMBERS).sort();
  }
  const base = createIndex();
  const bytes0 = encodeIndex({
    options: base.options,
    scheme: "news-dedupe",
    newest: null,
    numbered: indexed,
    count: indexed,
    ids,
    parts: [
      {
        count: indexed,
        sizes,
        canonical: Int32Array.from({ length: indexed }, (_, i) => i),
        flags: new Uint8Array(indexed).fill(1),
        times: new Float64Array(indexed).fill(-Infinity),
        leadCounts: new Uint8Array(indexed).fill(MAX_LEAD),
        leads,
        numberCounts: new Uint8Array(indexed).fill(NUMBERS),
        numbers,
        sigs: compact16(sigs),
      },
    ],
  });
  const index = loadIndex(bytes0);
  const docs: Array<{ id: string; text: string }> = [];
  generateCorpus({ size: adds, seed: 3 }, (d) => docs.push({ id: d.id, text: d.text }));
  let matched = 0;
  // Five batches timed apart: the first add after loading a full index doubles its arrays
  // (a one-time cost of seconds at 1M documents), which a single timed loop mixed into the rate.
  const batch = Math.ceil(docs.length / 5);
  const rates: number[] = [];
  for (let from = 0; from < docs.length; from += batch) {
    const part = docs.slice(from, from + batch);
    const t0 = performance.now();
    for (const d of part) if (index.add(d)) matched++;
    rates.push((part.length * 1000) / (performance.now() - t0));
  }
  const t1 = performance.now();
  const bytes = index.save();
  const saveSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const again = loadIndex(bytes);
  const loadSeconds = (performance.now() - t2) / 1000;
  if (again.size !== index.size) throw new Error(`loadIndex gave ${again.size} documents, saved ${index.size}`);
  return {
    indexed,
    addTextPerSec: median(rates),
    firstBatchSeconds: batch / rates[0]!,
    matched,
    added: docs.length,
    saveSeconds,
    loadSeconds,
    bytes: bytes.length,
    heapMiB: process.memoryUsage().rss / 1024 / 1024,
  };
}

// ---- what the candidate stage hands to verification -------------------------------------------

export interface CandidateStats {
  docs: number;
  bands: number;
  rows: number;
  /** Pairs sharing an LSH band, each verified by an exact Jaccard/containment merge. */
  pairs: number;
  sameStory: number;
  differentStory: number;
  /** Different-story candidates by exact Jaccard: [0, 0.02), [0.02, 0.04), [0.04, 0.1), ≥ 0.1. */
  differentByJaccard: [number, number, number, number];
  /** Pairs the signature prefilter rejected before an exact merge. */
  prefiltered: number;
  /** Generating and verifying the candidate pairs (prefilter, then exact merge), on one core. */
  verifySeconds: number;
}

/** LSH candidates of a labeled corpus with the library's stages and default options, classified by the ground truth. */
export function candidateStats(docs: ReadonlyArray<{ text: string; story: number }>): CandidateStats {
  const prints = docs.map((d) => fingerprint(d.text, opts));
  const params = lshParams(DEFAULTS);
  const tables = new BandTables(params.bands, docs.length);
  const indexed: number[] = [];
  const bytes = new SignatureBytes(docs.length, DEFAULTS.numHashes);
  prints.forEach((p, i) => {
    if (p.signature) tables.add(bandKeys(p.signature, params)), bytes.set(indexed.length, p.signature), indexed.push(i);
  });
  const byJ: [number, number, number, number] = [0, 0, 0, 0];
  let same = 0;
  // Timed as dedupe() runs it: the pairs are generated while they are verified, the signature
  // prefilter first; then classified by their exact scores, untimed.
  const minAgree = minAgreement(DEFAULTS.numHashes, DEFAULTS.jaccard);
  const all: number[] = [];
  let prefiltered = 0;
  const t0 = performance.now();
  for (const [x, y] of tables.pairs()) {
    const a = indexed[x]!;
    const b = indexed[y]!;
    all.push(a, b);
    if (bytes.agreements(x, y) < minAgree) prefiltered++;
    else exactScore(prints[a]!.shingles, prints[b]!.shingles);
  }
  const verifySeconds = (performance.now() - t0) / 1000;
  const pairs = all.length / 2;
  for (let p = 0; p < all.length; p += 2) {
    const a = all[p]!;
    const b = all[p + 1]!;
    if (docs[a]!.story === docs[b]!.story) same++;
    else {
      const j = exactScore(prints[a]!.shingles, prints[b]!.shingles).jaccard;
      byJ[j < 0.02 ? 0 : j < 0.04 ? 1 : j < 0.1 ? 2 : 3]++;
    }
  }
  return {
    docs: docs.length,
    bands: params.bands,
    rows: params.rows,
    pairs,
    sameStory: same,
    differentStory: pairs - same,
    differentByJaccard: byJ,
    prefiltered,
    verifySeconds,
  };
}
