// Workers: texts → prepared documents (units and fingerprints), on worker threads for large inputs;
// results in input order. The batch's fingerprinter for the CLI (see createBatch in dedupe.ts).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { prepare, type Fingerprint, type Fingerprinter, type FingerprintSetup, type Prepared, type Unit } from "../dedupe.js";
import { bug } from "../errors.js";

/**
 * A batch of texts for a worker: as strings, or UTF-8 in a buffer it shares with the main thread
 * (text k is bytes [ends[k - 1], ends[k]), the first from 0).
 */
export type Job = { readonly id: number; readonly texts: readonly string[] } | { readonly id: number; readonly shared: SharedArrayBuffer; readonly ends: Uint32Array };

/**
 * A job for a worker whose texts are written into its shared buffer: posting strings copies them
 * into a new buffer per message, and at hundreds of megabytes the fresh pages cost more than the
 * copy, where one buffer per worker is faulted in once. The strings themselves are sent when a
 * text holds a lone surrogate (UTF-8 cannot carry it) or the batch is too large for the buffer
 * (a document near the size limit).
 */
export function textJob(id: number, texts: readonly string[], shared: SharedArrayBuffer): Job {
  let chars = 0;
  for (const t of texts) chars += t.length;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (3 * chars > shared.byteLength || !texts.every((t) => t.isWellFormed())) return { id, texts };
  const bytes = Buffer.from(shared);
  const ends = new Uint32Array(texts.length);
  let at = 0;
  texts.forEach((t, k) => (ends[k] = at += bytes.write(t, at, "utf8")));
  return { id, shared, ends };
}

/** The texts of a job. */
export function jobTexts(job: Job): readonly string[] {
  if ("texts" in job) return job.texts;
  const bytes = Buffer.from(job.shared);
  return Array.from(job.ends, (end, k) => bytes.toString("utf8", k === 0 ? 0 : job.ends[k - 1], end));
}

/**
 * A batch of prepared documents in few buffers, as a worker sends it back: per document its
 * repeat count and the lengths of its typed arrays (parts(), 0 for none), then all the values;
 * with units, their texts joined by "\n" (which normalized text never holds) and their offsets
 * and hashes.
 */
export interface PackedBatch {
  readonly id: number;
  readonly repeats: number[];
  readonly lengths: Uint32Array;
  readonly data: Uint32Array;
  readonly units: { readonly counts: Uint32Array; readonly spans: Uint32Array; readonly texts: string } | null;
}

/** The typed arrays of a fingerprint, in the order they are packed. */
const PARTS = 7;
function parts(p: Fingerprint): Array<Uint32Array | null | undefined> {
  return [p.shingles, p.signature, p.once, p.lead, p.leadSignature, p.numbers, p.opening];
}

export function packBatch(id: number, prepared: readonly Prepared[], withUnits: boolean): PackedBatch {
  const lengths = new Uint32Array(PARTS * prepared.length);
  let total = 0;
  prepared.forEach(({ print: p }, i) => {
    parts(p).forEach((part, k) => {
      lengths[PARTS * i + k] = part?.length ?? 0;
      total += part?.length ?? 0;
    });
  });
  const data = new Uint32Array(total);
  let at = 0;
  for (const { print: p } of prepared) {
    for (const part of parts(p)) {
      if (!part) continue;
      data.set(part, at);
      at += part.length;
    }
  }
  return { id, repeats: prepared.map((p) => p.print.repeats), lengths, data, units: withUnits ? packUnits(prepared) : null };
}

function packUnits(prepared: readonly Prepared[]): PackedBatch["units"] {
  const counts = Uint32Array.from(prepared, (p) => p.units!.length);
  const all = prepared.flatMap((p) => p.units!);
  const spans = new Uint32Array(4 * all.length);
  all.forEach((u, i) => {
    spans[4 * i] = u.start;
    spans[4 * i + 1] = u.end;
    spans[4 * i + 2] = u.hash;
    spans[4 * i + 3] = u.para;
  });
  return { counts, spans, texts: all.map((u) => u.text).join("\n") };
}

/** The prepared documents of a packed batch, their arrays views into its one buffer. */
export function unpackBatch(batch: PackedBatch): Prepared[] {
  let at = 0;
  const take = (n: number) => (n === 0 ? null : batch.data.subarray(at, (at += n)));
  const texts = batch.units?.texts.split("\n") ?? [];
  let unit = 0;
  const empty = new Uint32Array(0);
  return batch.repeats.map((repeats, i) => {
    const [shingles, signature, once, lead, leadSignature, numbers, opening] = Array.from({ length: PARTS }, (_, k) => take(batch.lengths[PARTS * i + k]!));
    const fields = { repeats, shingles: shingles ?? empty, signature: signature ?? null, lead: lead ?? empty, leadSignature: leadSignature ?? null, numbers: numbers ?? empty, opening: opening ?? empty };
    const print: Fingerprint = once ? { ...fields, once } : fields;
    if (!batch.units) return { print };
    const units: Unit[] = [];
    const spans = batch.units.spans;
    for (let n = batch.units.counts[i]!; n > 0; n--, unit++) {
      units.push({ text: texts[unit]!, start: spans[4 * unit]!, end: spans[4 * unit + 1]!, hash: spans[4 * unit + 2]!, para: spans[4 * unit + 3]! });
    }
    return { print, units };
  });
}

/**
 * Fingerprints computed on the main thread, copied into shared slabs: each typed array with its
 * own ArrayBuffer costs several hundred bytes besides its values, which for a million tiny
 * documents is several times the values themselves.
 */
class Slabs {
  private slab = new Uint32Array(0);
  private used = 0;

  pack(p: Fingerprint): Fingerprint {
    const n = parts(p).reduce((sum, part) => sum + (part?.length ?? 0), 0);
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
    const packed = {
      repeats: p.repeats,
      shingles: take(p.shingles),
      signature: p.signature ? take(p.signature) : null,
      lead: take(p.lead),
      leadSignature: p.leadSignature ? take(p.leadSignature) : null,
      numbers: take(p.numbers),
      opening: take(p.opening),
    };
    return p.once ? { ...packed, once: take(p.once) } : packed;
  }
}

const SLAB_VALUES = 1024 * 1024;

/**
 * In "auto" mode the pool starts once this much text has been read: starting the workers and
 * loading the pipeline into them costs more than a small run takes on one thread.
 */
export const AUTO_MIN_BYTES = 4 * 1024 * 1024;
/** Texts go to a worker in batches of about this size, so messages stay few and cheap. */
const BATCH_BYTES = 256 * 1024;
const BATCH_DOCS = 256;
/** Bytes of a worker's shared text buffer: a batch of BATCH_BYTES characters in UTF-8 at 3 bytes each, with room for one more document. */
const SHARED_BYTES = 4 * BATCH_BYTES;
const MAX_AUTO_THREADS = 8;

export interface QueueOptions {
  /** "auto": one worker per core once AUTO_MIN_BYTES have been read; a number: that many workers from the start (1 = none). */
  readonly threads: number | "auto";
  /** Called with the number of documents fingerprinted so far. */
  readonly onProgress?: (done: number) => void;
}

/** The CLI's fingerprinter for createBatch(): a FingerprintQueue per batch. */
export function workerFingerprinter(queue: QueueOptions): (setup: FingerprintSetup) => Fingerprinter {
  return (setup) => new FingerprintQueue(setup, queue);
}

/**
 * A queue of texts to prepare. What prepare() makes of a text depends on nothing but the text and
 * the setup, so whether a text went to a worker or stayed on the main thread cannot change a byte
 * of the result; `finish()` returns them in the order the texts were added.
 */
export class FingerprintQueue implements Fingerprinter {
  private readonly prepared: Array<Prepared | undefined> = [];
  /** Documents handed out by ready() (their slots in `prepared` are cleared). */
  private taken = 0;
  private readonly inFlight: Array<Promise<void>> = [];
  private batch: string[] = [];
  private batchStart = 0;
  private batchBytes = 0;
  private bytesSeen = 0;
  private done = 0;
  private pool: Pool | null = null;
  private readonly slabs = new Slabs();
  private readonly skip: ReadonlySet<number> | undefined;

  constructor(
    private readonly setup: FingerprintSetup,
    private readonly queue: QueueOptions,
  ) {
    this.skip = setup.skip ? new Set(setup.skip) : undefined;
  }

  /** The number of worker threads in use (0 while on the main thread). */
  get threads(): number {
    return this.pool?.size ?? 0;
  }

  /** Queue one text; waits when the workers are behind, so memory stays bounded. */
  async add(text: string): Promise<void> {
    const index = this.prepared.length;
    this.prepared.push(undefined);
    this.bytesSeen += text.length;
    if (this.pool === null) this.pool = this.startPool();
    if (this.pool === null) {
      const p = prepare(text, this.setup, this.skip);
      this.prepared[index] = p.units ? { print: this.slabs.pack(p.print), units: p.units } : { print: this.slabs.pack(p.print) };
      this.progress(1);
      return;
    }
    if (this.batch.length === 0) this.batchStart = index;
    this.batch.push(text);
    this.batchBytes += text.length;
    if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_DOCS) await this.flush();
  }

  /** The next documents in the order added whose preparation is done. */
  ready(): Prepared[] {
    const out: Prepared[] = [];
    for (let p = this.prepared[this.taken]; p !== undefined; p = this.prepared[this.taken]) {
      out.push(p);
      this.prepared[this.taken++] = undefined;
    }
    return out;
  }

  /** Every document prepared and not yet returned by ready(), in the order added; stops the workers. */
  async finish(): Promise<Prepared[]> {
    try {
      await this.flush();
      await Promise.all(this.inFlight);
    } finally {
      await this.pool?.close();
    }
    const rest = this.prepared.slice(this.taken).map((p, i) => p ?? throwBug(this.taken + i));
    this.prepared.length = this.taken;
    return rest;
  }

  /** Stop the workers without waiting for their work (after an error). */
  async abort(): Promise<void> {
    await this.pool?.close();
  }

  private startPool(): Pool | null {
    const { threads } = this.queue;
    if (threads === "auto") {
      const cores = Math.min(availableParallelism(), MAX_AUTO_THREADS);
      return cores > 1 && this.bytesSeen >= AUTO_MIN_BYTES ? new Pool(cores, this.setup) : null;
    }
    return threads > 1 ? new Pool(threads, this.setup) : null;
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0 || this.pool === null) return;
    const start = this.batchStart;
    const texts = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    const work = this.pool.run(texts).then((prepared) => {
      prepared.forEach((p, i) => (this.prepared[start + i] = p));
      this.progress(prepared.length);
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
  private readonly waiting: Array<{ job: { id: number; texts: readonly string[] }; resolve: (p: Prepared[]) => void; reject: (e: Error) => void }> = [];
  private readonly running = new Map<number, { resolve: (p: Prepared[]) => void; reject: (e: Error) => void }>();
  /** Each worker's buffer for the texts of its jobs (see textJob). */
  private readonly shared = new Map<Worker, SharedArrayBuffer>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    readonly size: number,
    setup: FingerprintSetup,
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

  run(texts: readonly string[]): Promise<Prepared[]> {
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
      let shared = this.shared.get(w);
      if (!shared) this.shared.set(w, (shared = new SharedArrayBuffer(SHARED_BYTES)));
      // The worker has read its buffer before it answered its last job.
      w.postMessage(textJob(job.id, job.texts, shared));
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
