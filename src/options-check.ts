// Options checked: the caller's options of dedupe(), an index, diff() and report() checked, with a
// one-line error naming the option, and merged over their defaults (options.ts).
import { fail } from "./errors.js";
import { DEFAULTS, DIFF_DEFAULTS, REPORT_DEFAULTS } from "./options.js";
import type { BoilerplateOption, DedupeOptions, DiffOptions, LshOption, ReportOptions, ResolvedDiffOptions, ResolvedLsh, ResolvedOptions, ResolvedReportOptions, ResolvedRules } from "./options.js";
import type { SkippedInput } from "./types.js";

const KNOWN = new Set(Object.keys(DEFAULTS));

/** Check the caller's options and merge them over `defaults`; the result is frozen, the input untouched. */
export function resolveOptions(options: DedupeOptions = {}, defaults: ResolvedOptions = DEFAULTS): ResolvedOptions {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "options", "must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) fail("INVALID_OPTION", undefined, key, "is not a known option");
  }
  const o = { ...defaults, ...stripUndefined(options) };
  const numHashes = checkNumber("numHashes", o.numHashes, 8, 4096, true);
  return Object.freeze({
    shingleSize: checkNumber("shingleSize", o.shingleSize, 1, 32, true),
    numHashes,
    seed: checkNumber("seed", o.seed, 0, 0xffffffff, true),
    jaccard: checkNumber("jaccard", o.jaccard, 0.01, 1, false),
    containment: checkNumber("containment", o.containment, 0, 1, false),
    minShared: checkNumber("minShared", o.minShared, 1, 1_000_000, true),
    lead: checkNumber("lead", o.lead, 0, 1, false),
    boilerplate: checkBoilerplate(o.boilerplate),
    maxDocBytes: checkNumber("maxDocBytes", o.maxDocBytes, 1, Number.MAX_SAFE_INTEGER, true),
    lsh: checkLsh(o.lsh, defaults.lsh, numHashes),
    rules: checkRules(o.rules, defaults.rules),
    window: checkWindow(o.window),
  });
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** A window as milliseconds: "30d", "12h", "90m", "45s", "500ms", "2w" or a number of ms; null for none. */
function checkWindow(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const bad = () => fail("INVALID_OPTION", undefined, "window", `must be a duration such as "30d", "12h", "90m" or a number of milliseconds, got ${JSON.stringify(value)}`);
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (typeof value === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(value);
    if (!m) bad();
    ms = Number(m![1]) * UNITS[m![2]!]!;
  } else bad();
  if (!Number.isFinite(ms!) || ms! <= 0 || ms! > 8.64e15) bad();
  return Math.round(ms!);
}

function checkRules(value: unknown, defaults: ResolvedRules): ResolvedRules {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("INVALID_OPTION", undefined, "rules", "must be an object of booleans");
  const out: Record<string, boolean> = { ...defaults };
  for (const [key, v] of Object.entries(value)) {
    if (!(key in defaults)) fail("INVALID_OPTION", undefined, `rules.${key}`, `is not a known rule (${Object.keys(defaults).join(", ")})`);
    if (v === undefined) continue;
    if (typeof v !== "boolean") fail("INVALID_OPTION", undefined, `rules.${key}`, `must be true or false, got ${JSON.stringify(v)}`);
    out[key] = v;
  }
  return Object.freeze(out) as ResolvedRules;
}

function checkNumber(name: string, value: unknown, min: number, max: number, integer: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail("INVALID_OPTION", undefined, name, `must be a finite number, got ${JSON.stringify(value)}`);
  if (integer && !Number.isInteger(value)) fail("INVALID_OPTION", undefined, name, `must be an integer, got ${value}`);
  if (value < min || value > max) fail("INVALID_OPTION", undefined, name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function checkBoilerplate(value: unknown): BoilerplateOption {
  if (value === "off" || value === "auto") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return Object.freeze([...value]);
  fail("INVALID_OPTION", undefined, "boilerplate", `must be "off", "auto" or an array of strings, got ${JSON.stringify(value)}`);
}

function checkLsh(value: unknown, defaults: ResolvedLsh, numHashes: number): ResolvedLsh {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("INVALID_OPTION", undefined, "lsh", "must be an object { weights, bands, rows }");
  const given = value as LshOption;
  for (const key of Object.keys(given)) {
    if (!["weights", "bands", "rows"].includes(key)) fail("INVALID_OPTION", undefined, `lsh.${key}`, "is not a known option (weights, bands, rows)");
  }
  let weights = defaults.weights;
  if (given.weights !== undefined) {
    const w = given.weights as unknown;
    if (typeof w !== "object" || w === null) fail("INVALID_OPTION", undefined, "lsh.weights", "must be { falsePositive, falseNegative }");
    const { falsePositive, falseNegative } = w as { falsePositive: unknown; falseNegative: unknown };
    const fp = checkNumber("lsh.weights.falsePositive", falsePositive, 0, 1, false);
    const fn = checkNumber("lsh.weights.falseNegative", falseNegative, 0, 1, false);
    if (fp + fn <= 0) fail("INVALID_OPTION", undefined, "lsh.weights", "must not both be 0");
    weights = Object.freeze({ falsePositive: fp, falseNegative: fn });
  }
  if ((given.bands === undefined) !== (given.rows === undefined)) fail("INVALID_OPTION", undefined, "lsh", "needs both bands and rows, or neither");
  if (given.bands === undefined) return Object.freeze({ weights });
  const bands = checkNumber("lsh.bands", given.bands, 1, numHashes, true);
  const rows = checkNumber("lsh.rows", given.rows, 1, numHashes, true);
  if (bands * rows > numHashes) fail("INVALID_OPTION", undefined, "lsh", `needs bands × rows ≤ numHashes (${numHashes}), got ${bands} × ${rows}`);
  return Object.freeze({ weights, bands, rows });
}

const KNOWN_DIFF = new Set(Object.keys(DIFF_DEFAULTS));

/** Check diff() options and merge them over DIFF_DEFAULTS; frozen, the input untouched. */
export function resolveDiffOptions(options: DiffOptions = {}): ResolvedDiffOptions {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "options", "must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN_DIFF.has(key)) fail("INVALID_OPTION", undefined, key, "is not a known diff option");
  }
  const o = { ...DIFF_DEFAULTS, ...stripUndefined(options) };
  const boilerplate = checkBoilerplate(o.boilerplate);
  if (typeof boilerplate === "string") {
    fail("INVALID_OPTION", undefined, "boilerplate", `of diff() must be an array of lines (a dedupe() result's boilerplate), got ${JSON.stringify(boilerplate)}`);
  }
  return Object.freeze({
    boilerplate,
    editSimilarity: checkNumber("editSimilarity", o.editSimilarity, 0.01, 1, false),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const KNOWN_REPORT = new Set(["diffClusters", "diffMembers", "dedupeOptions", "title", "skipped", "evidence"]);

/** Check report() options and merge them over REPORT_DEFAULTS; frozen, the input untouched. */
export function resolveReportOptions(options: ReportOptions = {}): ResolvedReportOptions {
  if (typeof options !== "object" || options === null) fail("INVALID_OPTION", undefined, "options", "must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN_REPORT.has(key)) fail("INVALID_OPTION", undefined, key, "is not a known report option");
  }
  const o = { ...REPORT_DEFAULTS, ...stripUndefined(options) };
  if (typeof o.title !== "string") fail("INVALID_OPTION", undefined, "title", `must be a string, got ${JSON.stringify(o.title)}`);
  const skipped = options.skipped ?? [];
  if (!Array.isArray(skipped) || !skipped.every(isSkippedInput)) {
    fail("INVALID_OPTION", undefined, "skipped", "must be an array of { id, source, code, reason } (id a string or null, the others strings)");
  }
  if (options.evidence !== undefined && typeof options.evidence !== "function") {
    fail("INVALID_OPTION", undefined, "evidence", `must be a function (member, cluster) => evidence, got ${JSON.stringify(options.evidence)}`);
  }
  return Object.freeze({
    diffClusters: checkNumber("diffClusters", o.diffClusters, 0, 1_000_000, true),
    diffMembers: checkNumber("diffMembers", o.diffMembers, 1, 1_000_000, true),
    dedupeOptions: options.dedupeOptions === undefined ? null : resolveOptions(options.dedupeOptions),
    title: o.title,
    skipped: Object.freeze([...skipped]),
    evidence: options.evidence ?? null,
  });
}

function isSkippedInput(s: unknown): s is SkippedInput {
  if (typeof s !== "object" || s === null) return false;
  const { id, source, code, reason } = s as Record<string, unknown>;
  return (id === null || typeof id === "string") && typeof source === "string" && typeof code === "string" && typeof reason === "string";
}
