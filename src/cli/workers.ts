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
 * A batch of fingerprints in one buffer, as a worker sends it back: per document its repeat
 * count and the lengths of its shingle set and signature (0 for none), then all the values.
 */
export interface PackedBatch {
  readonly id: number;
  readonly repeats: number[];
  readonly lengths: Uint32Array;
  readonly data: Uint32Array;
}

export function packBatch(id: number, prints: readonly Print[]): PackedBatch {
  const lengths = new Uint32Array(2 * prints.length);
  let total = 0;
  prints.forEach((p, i) => {
    lengths[2 * i] = p.shingles.length;
    lengths[2 * i + 1] = p.signature?.length ?? 0;
    total += p.shingles.length + (p.signature?.length ?? 0);
  });
  const data = new Uint32Array(total);
  let at = 0;
  for (const p of prints) {
    data.set(p.shingles, at);
    at += p.shingles.length;
    if (p.signature) {
      data.set(p.signature, at);
      at += p.signature.length;
    }
  }
  return { id, repeats: prints.map((p) => p.repeats), lengths, data };
}

/** The fingerprints of a packed batch, as views into its one buffer. */
export function unpackBatch(batch: PackedBatch): Print[] {
  let at = 0;
  return batch.repeats.map((repeats, i) => {
    const shingles = batch.data.subarray(at, (at += batch.lengths[2 * i]!));
    const sigLength = batch.lengths[2 * i + 1]!;
    const signature = sigLength === 0 ? null : batch.data.subarray(at, (at += sigLength));
    return { repeats, shingles, signature };
  });
}

/**
 * Fingerprints computed on the main thread, copied into shared slabs. Each typed array with its
 * own buffer costs several hundred bytes besides its values: a million tiny documents took
 * 1.3 GB as separate arrays and 0.34 GB packed (measured with process.memoryUsage()).
 */
class Slabs {
  private slab = new Uint32Array(0);
  private used = 0;

  pack(p: Print): Print {
    const n = p.shingles.length + (p.signature?.length ?? 0);
    if (this.used + n > this.slab.length) {
      this.slab = new Uint32Array(Math.max(SLAB_VALUES, n));
      this.used = 0;
    }
    const take = (values: Uint32Array) => {
      const view = this.slab.subarray(this.used, this.used + values.length);
      view.set(values);
      this.used += values.length;
      return view;
    };
    return { repeats: p.repeats, shingles: take(p.shingles), signature: p.signature ? take(p.signature) : null };
  }
}

const SLAB_VALUES = 1024 * 1024;

/**
 * In "auto" mode the pool starts once this much text has been read: starting the workers and
 * loading the pipeline into them costs a few tenths of a second (a 1.3 MB corpus: 0.72 s on one
 * thread, 1.08 s with two, medians of 3 on a busy 2-core machine), so small runs stay on the
 * main thread.
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
  private readonly slabs = new Slabs();

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
      this.prints[index] = this.slabs.pack(fingerprint(text, this.options, this.queue.boilerplate));
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
      w.on("message", (reply: PackedBatch) => this.settle(w, reply));
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

  private settle(w: Worker, reply: PackedBatch): void {
    const job = this.running.get(reply.id);
    if (!job) throw bug(`a worker answered job ${reply.id}, which is not running`);
    this.running.delete(reply.id);
    this.idle.push(w);
    job.resolve(unpackBatch(reply));
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
