// Workers: texts → fingerprints, on worker threads for large inputs; results in input order.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ClusterInput } from "../dedupe.js";
import { bug } from "../errors.js";
import { fingerprint } from "../fingerprint.js";
import type { ResolvedOptions } from "../options.js";

export type Print = ClusterInput;
export type FingerprintOptions = Pick<ResolvedOptions, "shingleSize" | "numHashes" | "seed">;
/** What a worker starts with: the options and the hashes of the boilerplate lines to leave out, if any. */
export interface WorkerSetup {
  readonly options: FingerprintOptions;
  readonly boilerplate: number[] | null;
}
export interface Job {
  readonly id: number;
  readonly texts: readonly string[];
}

/**
 * In "auto" mode the pool starts once this much text has been read: starting a worker and
 * loading the pipeline into it costs about as much as fingerprinting 1–2 MB on one thread
 * (measured in the README, "Command line"), so smaller runs stay on the main thread.
 */
export const AUTO_MIN_BYTES = 4 * 1024 * 1024;
/** Texts go to a worker in batches of about this size, so messages stay few and cheap. */
const BATCH_BYTES = 256 * 1024;
const BATCH_DOCS = 256;
const MAX_AUTO_THREADS = 8;

export interface QueueOptions {
  /** "auto": one worker per core once AUTO_MIN_BYTES have been read; a number: that many workers from the start (1 = none). */
  readonly threads: number | "auto";
  /** Called with the number of documents fingerprinted so far. */
  readonly onProgress?: (done: number) => void;
  /** Hashes of boilerplate lines to leave out (--boilerplate auto), as fingerprint() takes them. */
  readonly boilerplate?: ReadonlySet<number>;
}

/**
 * A queue of texts to fingerprint. Fingerprints depend on nothing but the text and the options,
 * so whether a text went to a worker or stayed on the main thread cannot change a byte of the
 * result; `finish()` returns them in the order the texts were added.
 */
export class FingerprintQueue {
  private readonly prints: Array<Print | undefined> = [];
  private readonly inFlight: Array<Promise<void>> = [];
  private batch: string[] = [];
  private batchStart = 0;
  private batchBytes = 0;
  private bytesSeen = 0;
  private done = 0;
  private pool: Pool | null = null;

  constructor(
    private readonly options: FingerprintOptions,
    private readonly queue: QueueOptions,
  ) {}

  /** The number of worker threads in use (0 while on the main thread). */
  get threads(): number {
    return this.pool?.size ?? 0;
  }

  /** Queue one text; waits when the workers are behind, so memory stays bounded. */
  async add(text: string): Promise<void> {
    const index = this.prints.length;
    this.prints.push(undefined);
    this.bytesSeen += text.length;
    if (this.pool === null) this.pool = this.startPool();
    if (this.pool === null) {
      const { repeats, shingles, signature } = fingerprint(text, this.options, this.queue.boilerplate);
      this.prints[index] = { repeats, shingles, signature };
      this.progress(1);
      return;
    }
    if (this.batch.length === 0) this.batchStart = index;
    this.batch.push(text);
    this.batchBytes += text.length;
    if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_DOCS) await this.flush();
  }

  /** Every fingerprint, in the order added; stops the workers. */
  async finish(): Promise<Print[]> {
    try {
      await this.flush();
      await Promise.all(this.inFlight);
    } finally {
      await this.pool?.close();
    }
    return this.prints.map((p, i) => p ?? throwBug(i));
  }

  /** Stop the workers without waiting for their work (after an error). */
  async abort(): Promise<void> {
    await this.pool?.close();
  }

  private startPool(): Pool | null {
    const { threads } = this.queue;
    if (threads === "auto") {
      const cores = Math.min(availableParallelism(), MAX_AUTO_THREADS);
      return cores > 1 && this.bytesSeen >= AUTO_MIN_BYTES ? new Pool(cores, this.setup()) : null;
    }
    return threads > 1 ? new Pool(threads, this.setup()) : null;
  }

  private setup(): WorkerSetup {
    const { shingleSize, numHashes, seed } = this.options;
    return { options: { shingleSize, numHashes, seed }, boilerplate: this.queue.boilerplate ? [...this.queue.boilerplate] : null };
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0 || this.pool === null) return;
    const start = this.batchStart;
    const texts = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    const work = this.pool.run(texts).then((prints) => {
      prints.forEach((p, i) => (this.prints[start + i] = p));
      this.progress(prints.length);
    });
    // Handled now so a worker failure is not an unhandled rejection; finish() still sees it.
    work.catch(() => undefined);
    this.inFlight.push(work);
    // Two batches per worker keep every thread busy while the main thread reads the next ones.
    if (this.inFlight.length >= 2 * this.pool.size) await this.inFlight.shift();
  }

  private progress(n: number): void {
    this.done += n;
    this.queue.onProgress?.(this.done);
  }
}

function throwBug(index: number): never {
  throw bug(`no fingerprint for document #${index}`);
}

/** A fixed set of workers taking jobs from one queue. */
class Pool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly waiting: Array<{ job: Job; resolve: (p: Print[]) => void; reject: (e: Error) => void }> = [];
  private readonly running = new Map<number, { resolve: (p: Print[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    readonly size: number,
    setup: WorkerSetup,
  ) {
    const url = new URL("./worker.js", import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(url, { workerData: setup });
      w.on("message", (reply: { id: number; prints: Print[] }) => this.settle(w, reply));
      w.on("error", (e) => this.fail(e));
      w.on("exit", (code) => this.closing || this.fail(bug(`a fingerprint worker exited with code ${code}`)));
      return w;
    });
    this.idle = [...this.workers];
  }

  run(texts: readonly string[]): Promise<Print[]> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push({ job: { id: this.nextId++, texts }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const w = this.idle.pop()!;
      const { job, resolve, reject } = this.waiting.shift()!;
      this.running.set(job.id, { resolve, reject });
      w.postMessage(job);
    }
  }

  private settle(w: Worker, reply: { id: number; prints: Print[] }): void {
    const job = this.running.get(reply.id);
    if (!job) throw bug(`a worker answered job ${reply.id}, which is not running`);
    this.running.delete(reply.id);
    this.idle.push(w);
    job.resolve(reply.prints);
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
