// Bench: the shared Redis index — add rate from 1 and 4 processes, query latency, memory per document.
//   node --import tsx bench/redis.ts        (starts a private redis-server; or NEWS_DEDUPE_REDIS_URL)
// ND_BENCH_BASE=<checkout of another commit> adds its rates and memory side by side (its src/ is
// imported; a version without addMany adds one by one), for comparing two versions in one run.
import { spawn, spawnSync, fork } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createClient } from "redis";
import type { AsyncDedupeIndex, DocObject, openIndex as OpenIndex } from "../src/index.js";
import type { redisStore as RedisStore } from "../src/redis.js";
import { syndicatedStories } from "../tests/helpers/stories.js";
import { median } from "./speed.ts";

const SELF = fileURLToPath(import.meta.url);
const WORKERS = 4;
/** Documents of a rate run (all workers together), of the memory run, and queries timed one by one. */
const QUICK = process.env.ND_REDIS_BENCH_QUICK ? 10 : 1;
const RATE_DOCS = 40_000 / QUICK;
const MEMORY_DOCS = 100_000 / QUICK;
const QUERIES = 2_000 / QUICK;
const BATCH = 256;
const RUNS = 3;

interface Lib {
  openIndex: typeof OpenIndex;
  redisStore: typeof RedisStore;
}

async function library(base?: string): Promise<Lib> {
  const root = base ? pathToFileURL(`${base}/src/`).href : new URL("../src/", import.meta.url).href;
  const { openIndex } = (await import(`${root}index.ts`)) as { openIndex: typeof OpenIndex };
  const { redisStore } = (await import(`${root}redis.ts`)) as { redisStore: typeof RedisStore };
  return { openIndex, redisStore };
}

/**
 * The first `count` documents of a firehose: copies of syndicated stories (2–6 each: tickers,
 * credits, cuts, edits), interleaved as they arrive, or (`distinct`) one copy of each story.
 */
function firehose(count: number, distinct = false): DocObject[] {
  const stories = syndicatedStories(Math.ceil(count / (distinct ? 1 : 3.5)) + 10, 101).map((s) => s.copies);
  const out: DocObject[] = [];
  if (distinct) for (const c of stories) out.push(c[0]!);
  else for (let round = 0; stories.some((c) => c.length > round); round++) for (const c of stories) if (c[round]) out.push(c[round]!);
  return out.slice(0, count);
}

/** Add docs through the index: in batches with addMany when it has one, else one by one. */
async function addAll(index: AsyncDedupeIndex, docs: readonly DocObject[]): Promise<void> {
  if (typeof index.addMany !== "function") {
    for (const d of docs) await index.add(d);
    return;
  }
  for (let i = 0; i < docs.length; i += BATCH) await index.addMany(docs.slice(i, i + BATCH));
}

interface Job {
  url: string;
  prefix: string;
  base?: string;
  count: number;
  share: number;
  of: number;
  distinct?: boolean;
}

/** A worker process: builds its share of the firehose, then adds it when told to go. */
async function worker(): Promise<void> {
  process.once("message", async (job: Job) => {
    const { openIndex, redisStore } = await library(job.base);
    const docs = firehose(job.count, job.distinct).filter((_, i) => i % job.of === job.share);
    const index = await openIndex(redisStore({ url: job.url, prefix: job.prefix }));
    process.send!("ready");
    await new Promise((resolve) => process.once("message", resolve));
    const cpu = process.cpuUsage();
    await addAll(index, docs);
    const used = process.cpuUsage(cpu);
    await index.close();
    process.send!({ cpu: used.user + used.system }, () => process.exit(0));
  });
}

interface Run {
  /** From go to the last done. */
  ms: number;
  /** CPU the clients spent adding (all processes), and the server meanwhile (INFO cpu), in µs. */
  client: number;
  server: number;
}

/** Seconds of CPU the server has used (INFO cpu: user + system). */
async function serverCpu(url: string): Promise<number> {
  const client = await createClient({ url }).on("error", () => undefined).connect();
  const info = await client.info("cpu");
  await client.close();
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)![1]);
  return field("used_cpu_user") + field("used_cpu_sys");
}

/** `of` processes add their round-robin shares of `count` documents at once. */
async function processes(job: Omit<Job, "share">): Promise<Run> {
  const children = Array.from({ length: job.of }, () => fork(SELF, [], { env: { ...process.env, ND_BENCH_WORKER: "1" }, execArgv: ["--import", "tsx"] }));
  const message = (c: ReturnType<typeof fork>) => new Promise<unknown>((resolve) => c.once("message", resolve));
  const ready = children.map(message);
  children.forEach((c, share) => c.send({ ...job, share }));
  await Promise.all(ready);
  const done = children.map(message);
  const before = await serverCpu(job.url);
  const start = performance.now();
  children.forEach((c) => c.send("go"));
  const reports = (await Promise.all(done)) as Array<{ cpu: number }>;
  const ms = performance.now() - start;
  const server = ((await serverCpu(job.url)) - before) * 1e6;
  return { ms, client: reports.reduce((sum, r) => sum + r.cpu, 0), server };
}

async function usedMemory(url: string): Promise<number> {
  const client = await createClient({ url }).on("error", () => undefined).connect();
  const info = await client.info("memory");
  await client.close();
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** Bytes of Redis memory per document: used_memory before and after adding `count` documents in one process. */
async function memoryPerDoc(url: string, prefix: string, count: number, distinct: boolean, base?: string): Promise<number> {
  const before = await usedMemory(url);
  await processes({ url, prefix, base, count, of: 1, distinct });
  return Math.round(((await usedMemory(url)) - before) / count);
}

/** Query latency, one query at a time against an index of RATE_DOCS documents: [p50, p99] ms. */
async function queryLatency(url: string, prefix: string): Promise<[number, number]> {
  const { openIndex, redisStore } = await library();
  const index = await openIndex(redisStore({ url, prefix }));
  const docs = firehose(RATE_DOCS + QUERIES).slice(RATE_DOCS);
  const times: number[] = [];
  for (const d of docs) {
    const start = performance.now();
    await index.query(d);
    times.push(performance.now() - start);
  }
  await index.close();
  times.sort((a, b) => a - b);
  return [times[Math.floor(times.length / 2)]!, times[Math.floor(times.length * 0.99)]!];
}

/** IDENTICAL adds of one text to a fresh index, one by one (each an exact duplicate of the first): ms in all. */
const IDENTICAL = 20_000 / QUICK;
async function identicalRun(url: string, prefix: string): Promise<number> {
  const { openIndex, redisStore } = await library();
  const index = await openIndex(redisStore({ url, prefix }));
  const text = "Please enable cookies to continue reading this article.";
  const start = performance.now();
  for (let i = 0; i < IDENTICAL; i++) await index.add({ id: `d${i}`, text });
  const ms = performance.now() - start;
  await index.close();
  return ms;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A Redis to measure against: NEWS_DEDUPE_REDIS_URL, or a private redis-server on a free port (null: neither). */
async function server(): Promise<{ url: string; stop: () => void } | null> {
  const fromEnv = process.env.NEWS_DEDUPE_REDIS_URL;
  if (fromEnv) return { url: fromEnv, stop: () => undefined };
  if (spawnSync("redis-server", ["--version"]).status !== 0) return null;
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      await usedMemory(url);
      break;
    } catch {
      // not listening yet
    }
  }
  return { url, stop: () => child.kill() };
}

const rate = (count: number, ms: number) => Math.round((count * 1000) / ms).toLocaleString("en");

/** The section of `npm run bench`: Markdown. */
export async function runRedisBench(): Promise<string> {
  const redis = await server();
  if (!redis) return "Skipped: no redis-server installed and no NEWS_DEDUPE_REDIS_URL.";
  const base = process.env.ND_BENCH_BASE;
  const tag = `nd-bench:${process.pid}`;
  try {
    const rows: string[] = [];
    const versions: Array<[string, string | undefined]> = [["this version", undefined], ...(base ? ([[`base (${base})`, base]] as Array<[string, string]>) : [])];
    const runs = new Map(versions.map(([name]) => [name, { many: [] as Run[], one: [] as Run[] }]));
    // Runs interleaved between versions, each on a fresh prefix: 4 processes at once, then 1 process.
    for (let run = 0; run < RUNS; run++) {
      for (const [name, dir] of versions) {
        const r = runs.get(name)!;
        r.many.push(await processes({ url: redis.url, prefix: `${tag}:${name}:m${run}`, base: dir, count: RATE_DOCS, of: WORKERS }));
        r.one.push(await processes({ url: redis.url, prefix: `${tag}:${name}:o${run}`, base: dir, count: RATE_DOCS / 4, of: 1 }));
      }
    }
    for (const [name] of versions) {
      const { many, one } = runs.get(name)!;
      const perAdd = (rs: Run[], field: "client" | "server", count: number) => Math.round(median(rs.map((r) => r[field] / count)));
      rows.push(
        `| ${name} | ${rate(RATE_DOCS, median(many.map((r) => r.ms)))} | ${rate(RATE_DOCS / 4, median(one.map((r) => r.ms)))} | ${perAdd(many, "client", RATE_DOCS)} | ${perAdd(many, "server", RATE_DOCS)} |`,
      );
    }
    const [p50, p99] = await queryLatency(redis.url, `${tag}:this version:m0`);
    const identical: number[] = [];
    for (let run = 0; run < RUNS; run++) identical.push(await identicalRun(redis.url, `${tag}:i${run}`));
    const identicalRate = Math.round((IDENTICAL * 1000) / median(identical));
    const memory: string[] = [];
    for (const [name, dir] of versions) {
      const mixed = await memoryPerDoc(redis.url, `${tag}:${name}:mem`, MEMORY_DOCS, false, dir);
      const distinct = await memoryPerDoc(redis.url, `${tag}:${name}:memd`, MEMORY_DOCS, true, dir);
      memory.push(`| ${name} | ${mixed.toLocaleString("en")} | ${distinct.toLocaleString("en")} |`);
    }
    return [
      `Add rate: documents per second, text in (fingerprinting included), copies of syndicated stories interleaved as a firehose delivers them, each run on a fresh index; ${WORKERS} processes add ${RATE_DOCS.toLocaleString("en")} documents together (round-robin shares, \`addMany\` in batches of ${BATCH}), 1 process adds ${(RATE_DOCS / 4).toLocaleString("en")}; median of ${RUNS} runs. Target: ≥ 10,000 adds/s from 4 processes. CPU per add (4-process runs): the clients' (\`process.cpuUsage()\`, fingerprinting included) and the server's (\`INFO cpu\`), which do not depend on what else the machine runs: one Redis core takes at most 10⁶ / (its µs) adds per second, and the clients need (their µs) × rate / 10⁶ cores.`,
      "",
      "| version | 4 processes, adds/s | 1 process, adds/s | client CPU per add, µs | Redis CPU per add, µs |",
      "|---|---:|---:|---:|---:|",
      ...rows,
      "",
      `Query latency (one \`query()\` at a time, ${QUERIES.toLocaleString("en")} queries against an index of ${RATE_DOCS.toLocaleString("en")}): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms.`,
      "",
      `${IDENTICAL.toLocaleString("en")} identical adds to one Redis index, one \`add()\` at a time (each an exact duplicate of the first, found by its content key): ${identicalRate.toLocaleString("en")} adds/s (target ≥ 500/s: ${identicalRate >= 500 ? "met" : "**missed**"}).`,
      "",
      `Redis memory per document: \`INFO memory\` used_memory before and after ${MEMORY_DOCS.toLocaleString("en")} adds to an empty index (target ≤ 1 KiB): the firehose (copies of stories, as above), and ${MEMORY_DOCS.toLocaleString("en")} distinct stories.`,
      "",
      "| version | firehose, bytes/doc | distinct stories, bytes/doc |",
      "|---|---:|---:|",
      ...memory,
    ].join("\n");
  } finally {
    redis.stop();
  }
}

if (process.env.ND_BENCH_WORKER) await worker();
else if (process.argv[1] === SELF) console.log(await runRedisBench());
