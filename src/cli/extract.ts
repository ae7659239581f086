// Extract: pages → articles (the library's fromHtml()), on worker threads once the pages are many,
// so the main thread only reads and parses archives. Each page's answer is a promise, settled in
// whatever order the threads finish: the caller keeps the order (cli/main.ts).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { bug } from "../errors.js";
import type { HtmlArticle } from "../html.js";

export interface ExtractOptions {
  /** "auto": one thread per core once AUTO_MIN_HTML_BYTES of pages have come; a number: that many from the start (1 = none). */
  readonly threads: number | "auto";
}

/**
 * "auto" starts the threads once this much HTML has come: loading linkedom and Readability into
 * each thread costs about what extracting a dozen pages on the main thread does.
 */
export const AUTO_MIN_HTML_BYTES = 1024 * 1024;
const MAX_AUTO_THREADS = 8;
/** Pages sent to one thread before its answers: its message queue is never empty while it works. */
const PER_THREAD = 2;

export interface ExtractJob {
  readonly id: number;
  readonly html: string;
  readonly url: string | undefined;
}
export type ExtractReply = { readonly id: number; readonly article: HtmlArticle } | { readonly id: number; readonly error: string };

export class Extractor {
  private pool: Pool | null = null;
  private seen = 0;
  /** The library's fromHtml(), loaded on the first page: linkedom and Readability cost a run of plain text its start-up time. */
  private lib: Promise<typeof import("../html.js")> | null = null;

  constructor(private readonly options: ExtractOptions) {}

  /** The number of worker threads extracting (0 while on the main thread). */
  get threads(): number {
    return this.pool?.size ?? 0;
  }

  /** How many pages may be waiting for an answer before the caller should wait for the first. */
  get window(): number {
    return Math.max(4, 4 * (this.pool?.size ?? 1));
  }

  async extract(html: string, url: string | undefined): Promise<HtmlArticle> {
    this.seen += html.length;
    this.pool ??= this.start();
    if (this.pool !== null) return this.pool.run(html, url);
    const { fromHtml } = await (this.lib ??= import("../html.js"));
    return fromHtml(html, url === undefined ? {} : { url });
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  private start(): Pool | null {
    const { threads } = this.options;
    if (threads === "auto") {
      const cores = Math.min(availableParallelism(), MAX_AUTO_THREADS);
      return cores > 1 && this.seen >= AUTO_MIN_HTML_BYTES ? new Pool(cores) : null;
    }
    return threads > 1 ? new Pool(threads) : null;
  }
}

interface Waiter {
  resolve(a: HtmlArticle): void;
  reject(e: Error): void;
}

/** Worker threads, each given up to PER_THREAD pages at a time. */
class Pool {
  private readonly workers: Array<{ worker: Worker; busy: number }>;
  private readonly waiting: Array<{ job: ExtractJob } & Waiter> = [];
  private readonly running = new Map<number, Waiter & { slot: { busy: number } }>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(readonly size: number) {
    const url = new URL("./extract-worker.js", import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const slot = { worker: new Worker(url), busy: 0 };
      slot.worker.on("message", (reply: ExtractReply) => this.settle(reply));
      slot.worker.on("error", (e) => this.fail(e));
      slot.worker.on("exit", (code) => this.closing || this.fail(bug(`an extraction worker exited with code ${code}`)));
      return slot;
    });
  }

  run(html: string, url: string | undefined): Promise<HtmlArticle> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push({ job: { id: this.nextId++, html, url }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy >= PER_THREAD) return;
      const { job, resolve, reject } = this.waiting.shift()!;
      slot.busy++;
      this.running.set(job.id, { resolve, reject, slot });
      slot.worker.postMessage(job);
    }
  }

  private settle(reply: ExtractReply): void {
    const job = this.running.get(reply.id);
    if (!job) throw bug(`an extraction worker answered page ${reply.id}, which is not running`);
    this.running.delete(reply.id);
    job.slot.busy--;
    if ("error" in reply) job.reject(bug(`extraction failed: ${reply.error}`));
    else job.resolve(reply.article);
    this.dispatch();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const job of [...this.running.values(), ...this.waiting]) job.reject(e);
    this.running.clear();
    this.waiting.length = 0;
  }
}
