// Dedupe: the batch driver. Documents → clusters, calling each stage in order:
// input → normalize (units, once per document) → boilerplate → fingerprint → candidates → verify
// → cluster → result, and diff on request from the units already computed.
import { boilerplateHashes, boilerplateLines, candidateLines, contentUnits, findBoilerplate } from "./boilerplate.js";
import { cluster, type Group } from "./cluster.js";
import { diffUnits } from "./diff/classify.js";
import { bug, fail } from "./errors.js";
import { fingerprint, shingleAndSign, type Fingerprint, type FingerprintOptions } from "./fingerprint.js";
import { bytesOver, compareIds, IdSet, toDoc, tooLarge } from "./input.js";
import { units, type Unit } from "./normalize.js";
import { resolveDiffOptions, resolveOptions } from "./options-check.js";
import type { DedupeOptions, DiffOptions, ResolvedOptions } from "./options.js";
import { link, Linker } from "./link.js";
import { derepeat } from "./repeats.js";
import { toResult } from "./result.js";
import type { Cluster, DedupeResult, DiffReport, DocInput, Skipped } from "./types.js";

export type { Fingerprint, FingerprintOptions } from "./fingerprint.js";
export type { Unit } from "./normalize.js";

/** One document after the per-document stages: its fingerprint, and its units when asked for. */
export interface Prepared {
  readonly print: Fingerprint;
  readonly units?: readonly Unit[];
}

/** What a fingerprinter is told once, before the first text. */
export interface FingerprintSetup {
  readonly options: FingerprintOptions;
  /** Return each document's units with its fingerprint (boilerplate and diff() read them). */
  readonly keepUnits: boolean;
  /** Hashes of boilerplate units to leave out of every fingerprint, or null. */
  readonly skip: readonly number[] | null;
}

/**
 * Where a batch's per-document work runs. The default runs it on the calling thread; the CLI
 * plugs in a pool of worker threads. Whatever runs it, `prepare()` is the work, so the result
 * cannot depend on the fingerprinter.
 */
export interface Fingerprinter {
  /** Queue one text; resolves when the fingerprinter can take more (back-pressure). */
  add(text: string): Promise<void>;
  /**
   * The documents prepared since the last call whose every predecessor was returned too: the
   * next ones in the order added. Lets the batch link documents while others are being prepared.
   */
  ready?(): Prepared[];
  /** Every document prepared and not yet returned by ready(), in the order added. */
  finish(): Promise<Prepared[]>;
  /** Stop without waiting for queued work (after an error). */
  abort(): Promise<void>;
}

/**
 * The per-document stages for one text: its units (normalized once, here) and its fingerprint.
 * A fingerprinter calls this, on whatever thread it runs.
 */
export function prepare(text: string, setup: FingerprintSetup, skip?: ReadonlySet<number>): Prepared {
  const all = units(text);
  const print = fingerprint(all, setup.options, skip, text);
  return setup.keepUnits ? { print, units: all } : { print };
}

/** What a batch keeps after finish(): nothing, the texts (text(), textOnce()), or texts and units (diff()). */
export type Keep = "none" | "texts" | "units";

/** A batch run, document by document: `add` each, then `finish` once. */
export interface Batch {
  readonly options: ResolvedOptions;
  /** Check a document and take it in; throws a DedupeError for a bad document or a duplicate id. */
  add(doc: DocInput): void;
  /** Cluster everything added. */
  finish(): DedupeResult;
  /** Whether a document with this id was added, and its position among the added documents. */
  positionOf(id: string): number | undefined;
  /** With keep "texts" or "units": a document's text, and the text once when it holds it several times. */
  text(id: string): string;
  textOnce(id: string): string;
  /** With keep "units", after finish(): the diff of one of the result's clusters (see diff()). */
  diff(cluster: Cluster, options?: DiffOptions): DiffReport;
}

/** A batch whose fingerprinter answers asynchronously (worker threads). */
export interface AsyncBatch extends Omit<Batch, "add" | "finish"> {
  add(doc: DocInput): Promise<void>;
  finish(): Promise<DedupeResult>;
  /** Stop the fingerprinter without waiting (after an error). */
  abort(): Promise<void>;
}

export interface BatchPlugs {
  /** What to keep after finish() (default "none"). */
  keep?: Keep;
}

/**
 * A batch, for callers that produce documents one at a time: the same result as dedupe() on the
 * same documents. With a `fingerprinter` factory (the CLI's worker threads), the per-document
 * work runs there and add/finish return promises.
 *
 * @example
 * import { createBatch } from "news-dedupe";
 * const batch = createBatch({ containment: 0.7 });
 * for (const doc of docs) batch.add(doc);
 * const { clusters } = batch.finish();
 */
export function createBatch(options?: DedupeOptions, plugs?: BatchPlugs): Batch;
export function createBatch(options: DedupeOptions | undefined, plugs: BatchPlugs & { fingerprinter: (setup: FingerprintSetup) => Fingerprinter }): AsyncBatch;
export function createBatch(
  options?: DedupeOptions,
  plugs: BatchPlugs & { fingerprinter?: (setup: FingerprintSetup) => Fingerprinter } = {},
): Batch | AsyncBatch {
  const resolved = resolveOptions(options);
  if (resolved.window !== null) fail("INVALID_OPTION", undefined, "window", "is an option of an index (createIndex, openIndex): a batch sees its whole corpus at once");
  const core = new BatchCore(resolved, plugs.keep ?? "none");
  if (plugs.fingerprinter) {
    const fingerprinter = plugs.fingerprinter(core.setup);
    return Object.assign(core.view(), {
      add: async (doc: DocInput) => {
        const text = core.accept(doc);
        if (text === null) return;
        await fingerprinter.add(text);
        if (fingerprinter.ready) for (const p of fingerprinter.ready()) core.put(p);
      },
      finish: async () => {
        for (const p of await fingerprinter.finish()) core.put(p);
        return core.finish();
      },
      abort: () => fingerprinter.abort(),
    });
  }
  const skip = core.setup.skip ? new Set(core.setup.skip) : undefined;
  return Object.assign(core.view(), {
    add: (doc: DocInput) => {
      const text = core.accept(doc);
      if (text !== null) core.put(prepare(text, core.setup, skip));
    },
    finish: () => core.finish(),
  });
}

/**
 * Find the copies among `docs` and group them into clusters, one canonical copy each.
 * Every input document is in exactly one cluster; the result depends only on the documents
 * and options, never on their order.
 *
 * @example
 * import { dedupe } from "news-dedupe";
 * const { clusters } = dedupe([
 *   { id: "a", text: wireStory },
 *   { id: "b", text: "Markets ticker\n\n" + wireStory + "\n\nRelated Links" },
 * ]);
 * // clusters[0] → { canonical: "b", members: [{ id: "b", ... }, { id: "a", jaccard: 0.9, ... }] }
 */
export function dedupe(docs: readonly DocInput[], options?: DedupeOptions): DedupeResult {
  if (!Array.isArray(docs)) fail("INVALID_DOCS", undefined);
  const batch = createBatch(options);
  for (const doc of docs) batch.add(doc);
  return batch.finish();
}

/** The state of one batch, whichever thread fingerprints its documents. */
class BatchCore {
  readonly setup: FingerprintSetup;
  private readonly ids = new IdSet();
  private inputs = 0;
  /** The compared documents (not skipped), in order: ids, fingerprints, and units/texts if kept. */
  private readonly kept: string[] = [];
  private prints: Fingerprint[] = [];
  private readonly unitsOf: Array<readonly Unit[]> | null;
  private readonly texts: string[] | null;
  private readonly skipped: Skipped[] = [];
  private finished = false;
  /**
   * Links each document as its fingerprint comes while the documents come in id order (link.ts
   * Linker): the same work link() does at finish(), done while later documents are still being
   * fingerprinted. Dropped for good at the first document out of order, then finish() links them
   * all (the work done so far is lost: at worst the link twice over); never used with "auto"
   * boilerplate, whose fingerprints change at finish().
   */
  private linker: Linker | null;

  constructor(
    readonly options: ResolvedOptions,
    private readonly keep: Keep,
  ) {
    // Boilerplate lines are found in (or matched against) every document's units.
    const keepUnits = keep === "units" || options.boilerplate !== "off";
    const list = typeof options.boilerplate === "string" ? null : [...boilerplateHashes(options.boilerplate)];
    this.setup = { options, keepUnits, skip: list };
    this.unitsOf = keepUnits ? [] : null;
    this.texts = keep === "none" ? null : [];
    this.linker = options.boilerplate === "auto" ? null : new Linker(this.prints, options);
  }

  /** Check one input; its text when it is to be fingerprinted, null when it is set aside (too large). */
  accept(input: DocInput): string | null {
    if (this.finished) throw bug("add() after finish()");
    const position = this.inputs++;
    const doc = toDoc(input, position);
    this.ids.claim(doc.id, position);
    const bytes = bytesOver(doc.text, this.options.maxDocBytes);
    if (bytes !== undefined) {
      this.skipped.push({ id: doc.id, code: "DOC_TOO_LARGE", reason: tooLarge(doc.id, bytes, this.options.maxDocBytes).message });
      return null;
    }
    this.kept.push(doc.id);
    this.texts?.push(doc.text);
    return doc.text;
  }

  /** The next accepted document's fingerprint (in the order accepted). */
  put(p: Prepared): void {
    const n = this.prints.push(p.print) - 1;
    if (this.linker) {
      if (n === 0 || compareIds(this.kept[n - 1]!, this.kept[n]!) < 0) this.linker.add(n);
      else this.linker = null;
    }
    if (!this.unitsOf) return;
    if (!p.units) throw bug("a fingerprinter returned no units where they were asked for");
    this.unitsOf.push(p.units);
  }

  finish(): DedupeResult {
    if (this.finished) throw bug("finish() called twice");
    this.finished = true;
    if (this.prints.length !== this.kept.length) throw bug(`${this.kept.length} documents but ${this.prints.length} fingerprints`);
    const opts = this.options;
    let boilerplate: string[] | undefined;
    if (opts.boilerplate !== "off") {
      const unitsOf = this.unitsOf!;
      const skip = opts.boilerplate === "auto" ? autoBoilerplate(this.kept, unitsOf, opts) : new Set(this.setup.skip);
      // "auto" lines are known only now: refingerprint the documents holding one, from their units.
      if (opts.boilerplate === "auto") {
        this.prints = this.prints.map((p, i) => {
          if (!unitsOf[i]!.some((u) => skip.has(u.hash))) return p;
          const print = fingerprint(unitsOf[i]!, opts, skip);
          return p.once ? { ...print, once: p.once } : print;
        });
      }
      boilerplate = boilerplateLines(unitsOf, skip);
    }
    const docs = this.kept.map((id) => ({ id }));
    const found = groups(this.kept, this.prints, opts, this.linker);
    // Its tables are not needed past here, and the batch may live on for diff() and text().
    this.linker = null;
    const result = toResult(found.groups, docs, this.prints, found.digests);
    if (boilerplate) result.boilerplate = boilerplate;
    if (this.skipped.length > 0) {
      result.skipped = this.skipped.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      result.stats.documents += this.skipped.length;
    }
    // Units are dropped unless diff() will read them; fingerprints only textOnce() reads.
    if (this.keep !== "units" && this.unitsOf) this.unitsOf.length = 0;
    return result;
  }

  /** The methods both kinds of batch share. */
  view(): Omit<Batch, "add" | "finish"> {
    const where = (id: string) => {
      const n = this.keptIndex().get(id);
      if (n === undefined || !this.texts) throw bug(`text("${id}") of a batch that kept ${this.texts ? "no such document" : "no texts"}`);
      return n;
    };
    return {
      options: this.options,
      positionOf: (id) => this.ids.positionOf(id),
      text: (id) => this.texts![where(id)]!,
      textOnce: (id) => {
        const n = where(id);
        return derepeat(this.texts![n]!, this.prints[n]!.once);
      },
      diff: (c, options) => {
        if (!this.finished || this.keep !== "units") throw bug("diff() needs a finished batch created with keep: \"units\"");
        const at = c.members.map((m) => where(m.id));
        return diffUnits(c, at.map((n) => this.texts![n]!), at.map((n) => this.unitsOf![n]!), resolveDiffOptions(options));
      },
    };
  }

  private index: Map<string, number> | null = null;
  /** Position of each compared document, built on first use (a million ids take a sizeable map). */
  private keptIndex(): Map<string, number> {
    return (this.index ??= new Map(this.kept.map((id, i) => [id, i])));
  }
}

/** LSH candidates → verified pairs (link.ts; by `linker` when it has linked every document) → clusters. */
function groups(ids: readonly string[], prints: readonly Fingerprint[], opts: ResolvedOptions, linker: Linker | null = null): { groups: Group[]; digests: Set<number> } {
  const { rep, edges } = linker ? linker.finish(ids) : link(ids, prints, opts);
  return cluster(
    ids.map((id, i) => ({ id, shingles: prints[i]!.shingles })),
    rep,
    edges,
    opts.rules.families,
  );
}

/**
 * The hashes of the boilerplate units of a corpus (`unitsOf`: each document's units). A first
 * pass clusters on content units only (site chrome is short lines), then takes the short units
 * that documents of different first-pass clusters share. Only documents holding a short unit
 * that another document also holds take part in the first pass: the others cannot contribute
 * boilerplate, and skipping them keeps "auto" cheap on corpora with little shared chrome.
 */
function autoBoilerplate(ids: readonly string[], unitsOf: ReadonlyArray<readonly Unit[]>, opts: ResolvedOptions): Set<number> {
  const candidates = candidateLines(unitsOf);
  if (candidates.size === 0) return candidates;
  const taking: number[] = [];
  unitsOf.forEach((all, d) => {
    if (all.some((u) => candidates.has(u.hash))) taking.push(d);
  });
  const none = new Uint32Array(0);
  const first = taking.map((d) => ({ repeats: 1, lead: none, leadSignature: null, numbers: none, opening: none, ...shingleAndSign(contentUnits(unitsOf[d]!), opts) }));
  const group = new Int32Array(unitsOf.length).fill(-1);
  groups(
    taking.map((d) => ids[d]!),
    first,
    opts,
  ).groups.forEach((g, n) => {
    group[taking[g.canonical]!] = n;
    for (const m of g.members) group[taking[m.index]!] = n;
  });
  return findBoilerplate(unitsOf, group);
}
