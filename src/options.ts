// Options: the one place where every knob is typed, defaulted and checked.
import { fail } from "./errors.js";

/** Options shared by `dedupe()` and `createIndex()`. Every field is optional. */
export interface DedupeOptions {
  /** Words per shingle. Default 5 (see DEFAULTS). */
  shingleSize?: number;
  /** Number of MinHash values per signature. Default 128. */
  numHashes?: number;
  /** Seed of the hash functions; signatures are only comparable under one seed. Default 1. */
  seed?: number;
  /** Minimum Jaccard similarity of a verified pair; also the LSH design threshold. Default 0.2. */
  jaccard?: number;
  /** Minimum containment |A∩B| / min(|A|,|B|) of a verified pair. Default 0.6. */
  containment?: number;
  /**
   * Site template to leave out of the comparison: "off" (compare everything), "auto" (find the
   * short lines that recur across unrelated documents, see boilerplate.ts) or a list of lines. Default "off".
   */
  boilerplate?: BoilerplateOption;
  /**
   * Documents longer than this many bytes of UTF-8 are not compared: dedupe() lists them in the
   * result's `skipped`, the index refuses them. Default 16 MiB.
   */
  maxDocBytes?: number;
}

export type BoilerplateOption = "off" | "auto" | readonly string[];

export interface ResolvedOptions {
  readonly shingleSize: number;
  readonly numHashes: number;
  readonly seed: number;
  readonly jaccard: number;
  readonly containment: number;
  readonly boilerplate: BoilerplateOption;
  readonly maxDocBytes: number;
}

/** Defaults, each with the reason it was chosen. */
export const DEFAULTS: ResolvedOptions = Object.freeze({
  // 5 words. Measured on the seeds (containment of the copy pair 002/003 vs the non-copies 000/001):
  // k=3 0.80/0.29, k=4 0.79/0.25, k=5 0.78/0.22, k=6 0.77/0.20. Shorter shingles let shared
  // quotes and common phrases through; each longer one loses k shingles to every edited word.
  shingleSize: 5,
  // 128 values: the Jaccard estimate's standard error is at most 0.044 (sqrt(0.25/128)).
  numHashes: 128,
  seed: 1,
  // Copies that append a second story (seed 003) fall to Jaccard 0.4; truncated copies lower still.
  // 0.2 keeps them while unrelated news pairs sit below 0.02.
  jaccard: 0.2,
  // Containment is what survives chrome and appended stories: 0.78 for the AFP pair, 0.22 for
  // two reports sharing quotes (000/001).
  containment: 0.6,
  // Off: "auto" costs a second detection pass and changes nothing on the seeds (no line recurs
  // across their unrelated clusters); turn it on for corpora scraped from few sites.
  boilerplate: "off",
  // 16 MiB, a thousand times a long article: a page that size is a crawl accident (a feed dump, a
  // PDF read as text), and fingerprinting it would stall a pipeline for a document nobody reads.
  maxDocBytes: 16 * 1024 * 1024,
});

function checkNumber(name: string, value: unknown, min: number, max: number, integer: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw fail("INVALID_OPTION", undefined, name, `must be a finite number, got ${JSON.stringify(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw fail("INVALID_OPTION", undefined, name, `must be an integer, got ${value}`);
  }
  if (value < min || value > max) {
    throw fail("INVALID_OPTION", undefined, name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

const KNOWN = new Set(Object.keys(DEFAULTS));

/** Check the caller's options and merge them over DEFAULTS; the result is frozen, the input untouched. */
export function resolveOptions(options: DedupeOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw fail("INVALID_OPTION", undefined, "options", "must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw fail("INVALID_OPTION", undefined, key, "is not a known option");
  }
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  return Object.freeze({
    shingleSize: checkNumber("shingleSize", o.shingleSize, 1, 32, true),
    numHashes: checkNumber("numHashes", o.numHashes, 8, 4096, true),
    seed: checkNumber("seed", o.seed, 0, 0xffffffff, true),
    jaccard: checkNumber("jaccard", o.jaccard, 0.01, 1, false),
    containment: checkNumber("containment", o.containment, 0, 1, false),
    boilerplate: checkBoilerplate(o.boilerplate),
    maxDocBytes: checkNumber("maxDocBytes", o.maxDocBytes, 1, Number.MAX_SAFE_INTEGER, true),
  });
}

function checkBoilerplate(value: unknown): BoilerplateOption {
  if (value === "off" || value === "auto") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return Object.freeze([...value]);
  throw fail("INVALID_OPTION", undefined, "boilerplate", `must be "off", "auto" or an array of strings, got ${JSON.stringify(value)}`);
}

/** Options of `diff()`. Every field is optional. */
export interface DiffOptions {
  /** Lines to report as boilerplate (site template), e.g. the `boilerplate` of a dedupe() result. Default none. */
  boilerplate?: readonly string[];
  /** Minimum Levenshtein similarity of an edited paragraph to its counterpart (lines under 80 characters need more). Default 0.6. */
  editSimilarity?: number;
}

export interface ResolvedDiffOptions {
  readonly boilerplate: readonly string[];
  readonly editSimilarity: number;
}

/** Defaults of `diff()`, each with the reason it was chosen. */
export const DIFF_DEFAULTS: ResolvedDiffOptions = Object.freeze({
  boilerplate: Object.freeze([]),
  // On the seeds, unrelated paragraphs that share a phrase score 0.40-0.45; a copy's lead with a
  // dateline added scores 0.85 and a quote with another attribution 0.71.
  editSimilarity: 0.6,
});

const KNOWN_DIFF = new Set(Object.keys(DIFF_DEFAULTS));

/** Check diff() options and merge them over DIFF_DEFAULTS; frozen, the input untouched. */
export function resolveDiffOptions(options: DiffOptions = {}): ResolvedDiffOptions {
  if (typeof options !== "object" || options === null) {
    throw fail("INVALID_OPTION", undefined, "options", "must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_DIFF.has(key)) throw fail("INVALID_OPTION", undefined, key, "is not a known diff option");
  }
  const o = { ...DIFF_DEFAULTS, ...stripUndefined(options) };
  const boilerplate = checkBoilerplate(o.boilerplate);
  if (typeof boilerplate === "string") {
    throw fail("INVALID_OPTION", undefined, "boilerplate", `of diff() must be an array of lines (a dedupe() result's boilerplate), got ${JSON.stringify(boilerplate)}`);
  }
  return Object.freeze({
    boilerplate,
    editSimilarity: checkNumber("editSimilarity", o.editSimilarity, 0.01, 1, false),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
