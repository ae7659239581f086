// Bench: add/query throughput of the shared Redis index against the in-memory one.
//   node --import tsx bench/redis.ts        (NEWS_DEDUPE_REDIS_URL, or a redis-server it starts itself)
import { spawn, spawnSync, fork } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { createIndex, openIndex, type DocObject } from "../src/index.js";
import { redisStore } from "../src/redis.js";
import { syndicatedStories } from "../tests/helpers/stories.js";
import { median } from "./speed.ts";

const STORIES = 300;
const RUNS = 3;
const WORKERS = 4;
const SELF = fileURLToPath(import.meta.url);

/** Interleaved copies of STORIES syndicated stories: the order a firehose delivers them in. */
function firehose(): DocObject[] {
  const stories = syndicatedStories(STORIES, 101).map((s) => s.copies);
  const out: DocObject[] = [];
  for (let round = 0; stories.some((c) => c.length > round); round++) for (const c of stories) if (c[round]) out.push(c[round]!);
  return out;
}

const perSecond = (count: number, ms: number) => Math.round((count * 1000) / ms);

async function time(f: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

async function memoryRun(docs: DocObject[]): Promise<[number, number]> {
  const index = createIndex();
  const add = await time(() => docs.forEach((d) => index.add(d)));
  const query = await time(() => docs.forEach((d) => index.query(d)));
  return [add, query];
}

async function redisRun(url: string, docs: DocObject[], run: number): Promise<[number, number]> {
  const index = await openIndex(redisStore({ url, prefix: `nd-bench:${process.pid}:${run}` }));
  const add = await time(async () => {
    for (const d of docs) await index.add(d);
  });
  const query = await time(async () => {
    for (const d of docs) await index.query(d);
  });
  await index.close();
  return [add, query];
}

/** WORKERS processes, each with its own connection, add their round-robin share at once. */
async function redisWorkersRun(url: string, docs: DocObject[], run: number): Promise<number> {
  const prefix = `nd-bench:${process.pid}:w${run}`;
  const children = Array.from({ length: WORKERS }, () => fork(SELF, [], { env: { ...process.env, ND_BENCH_WORKER: "1" } }));
  const message = (c: ReturnType<typeof fork>) => new Promise<unknown>((resolve) => c.once("message", resolve));
  const ready = children.map(message);
  children.forEach((c, w) => c.send({ url, prefix, docs: docs.filter((_, i) => i % WORKERS === w) }));
  await Promise.all(ready);
  const done = children.map(message);
  return time(async () => {
    children.forEach((c) => c.send("go"));
    await Promise.all(done);
  });
}

async function worker(): Promise<void> {
  process.once("message", async (m: { url: string; prefix: string; docs: DocObject[] }) => {
    const index = await openIndex(redisStore({ url: m.url, prefix: m.prefix }));
    process.send!("ready");
    await new Promise((resolve) => process.once("message", resolve));
    for (const d of m.docs) await index.add(d);
    await index.close();
    process.send!("done", () => process.exit(0));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A Redis to measure against: NEWS_DEDUPE_REDIS_URL, or a private redis-server on a free port. */
async function server(): Promise<{ url: string; stop: () => void }> {
  const fromEnv = process.env.NEWS_DEDUPE_REDIS_URL;
  if (fromEnv) return { url: fromEnv, stop: () => undefined };
  if (spawnSync("redis-server", ["--version"]).status !== 0) throw new Error("bench/redis.ts needs NEWS_DEDUPE_REDIS_URL or redis-server installed");
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 300));
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** IDENTICAL adds of one text to a fresh Redis index (exact duplicates after the first): ms in all. */
const IDENTICAL = 20_000;
async function identicalRun(url: string, run: number): Promise<number> {
  const index = await openIndex(redisStore({ url, prefix: `nd-bench:${process.pid}:i${run}` }));
  const text = "Please enable cookies to continue reading this article.";
  const ms = await time(async () => {
    for (let i = 0; i < IDENTICAL; i++) await index.add({ id: `d${i}`, text });
  });
  await index.close();
  return ms;
}

/** The table of add/query throughput (documents per second, median of RUNS runs). */
export async function runRedisBench(): Promise<string> {
  const docs = firehose();
  const redis = await server();
  try {
    const memory: Array<[number, number]> = [];
    const single: Array<[number, number]> = [];
    const many: number[] = [];
    const identical: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      memory.push(await memoryRun(docs));
      single.push(await redisRun(redis.url, docs, run));
      many.push(await redisWorkersRun(redis.url, docs, run));
      identical.push(await identicalRun(redis.url, run));
    }
    const identicalRate = perSecond(IDENTICAL, median(identical));
    const row = (name: string, add: number, query: number | null) =>
      `| ${name} | ${perSecond(docs.length, add).toLocaleString("en")} | ${query === null ? "—" : perSecond(docs.length, query).toLocaleString("en")} |`;
    return [
      `${docs.length} documents (copies of ${STORIES} syndicated stories, interleaved), text in, fingerprinting included; documents per second, median of ${RUNS} runs.`,
      "",
      "| index | add / s | query / s |",
      "|---|---:|---:|",
      row("in memory (createIndex())", median(memory.map((r) => r[0])), median(memory.map((r) => r[1]))),
      row("Redis, 1 process", median(single.map((r) => r[0])), median(single.map((r) => r[1]))),
      row(`Redis, ${WORKERS} processes adding at once`, median(many), null),
      "",
      `${IDENTICAL.toLocaleString("en")} identical adds to one Redis index (each an exact duplicate of the first, found by its content key): ${identicalRate.toLocaleString("en")} adds/s (target ≥ 500/s: ${identicalRate >= 500 ? "met" : "**missed**"}).`,
    ].join("\n");
  } finally {
    redis.stop();
  }
}

if (process.env.ND_BENCH_WORKER) await worker();
else if (process.argv[1] === SELF) console.log(await runRedisBench());
