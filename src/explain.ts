// Explain: two documents → the evidence the matcher reads and the decision it makes on them, from
// the same fingerprints and the same rule (verify.ts decide()) a batch and an index use.
import { boilerplateHashes } from "./boilerplate.js";
import { lshParams } from "./candidates.js";
import { fail } from "./errors.js";
import { fingerprint, LEAD_HASHES, type Fingerprint, type Trace } from "./fingerprint.js";
import { NUMBERS } from "./numbers.js";
import { LEAD_PARAMS } from "./link.js";
import { bytesOver, toDoc } from "./input.js";
import { units, type Unit } from "./normalize.js";
import { resolveOptions } from "./options-check.js";
import type { DedupeOptions, ResolvedOptions } from "./options.js";
import { round } from "./result.js";
import { estimateJaccard } from "./signature.js";
import { holds, type ChromeReason } from "./story.js";
import { tokenHashes } from "./tokenize.js";
import type { DocInput } from "./types.js";
import { decide, evidence } from "./verify.js";

/** One unit (a paragraph or a line) of a document, as the matcher saw it. */
export interface ExplainedUnit {
  /** Offsets in the document's text: text.slice(start, end). */
  readonly start: number;
  readonly end: number;
  readonly words: number;
  /** Why it is chrome (left out of the comparison), or "story". */
  readonly role: "story" | Exclude<ChromeReason, "">;
}

/** A stretch of a document's narrative: consecutive units, with the shingles in it the other document holds. */
export interface Passage {
  readonly start: number;
  readonly end: number;
  /** Shingles of the stretch the other document holds, of `of` in the stretch. */
  readonly shared: number;
  readonly of: number;
}

export interface ExplainedDocument {
  readonly id: string;
  /** Copies of its text the page holds (a transcript repeated three times: 3); units are listed once. */
  readonly repeats: number;
  readonly language: string | null;
  readonly units: readonly ExplainedUnit[];
  readonly storyWords: number;
  readonly chromeWords: number;
  /** Distinct narrative shingles compared, and shingles left out as mostly quoted. */
  readonly narrativeShingles: number;
  readonly quotedShingles: number;
  /** Narrative passages the other document holds. */
  readonly shared: readonly Passage[];
  /** Quoted passages whose shingles the other document also quotes or holds: overlap that does not count. */
  readonly quoteOnly: readonly Passage[];
}

/** A paragraph of each document holding the same words around other numbers (each pair once). */
export interface NumberConflict {
  /** Offsets of the unit holding it, in each document. */
  readonly a: { start: number; end: number };
  readonly b: { start: number; end: number };
}

export interface Explanation {
  /** Whether the pair is a copy by the verification rule (a batch or an index clusters it if LSH brings it up). */
  readonly copy: boolean;
  /** The rule that decided, in words. */
  readonly rule: string;
  readonly scores: {
    readonly jaccard: number;
    readonly containment: number;
    readonly shared: number;
    readonly lead: number;
    readonly numberConflicts: number;
    readonly numberAgreements: number;
    /** Whether the first passage each shares with the other lies in the other's opening: the lead rule asks it. */
    readonly sameOpening: boolean;
  };
  /**
   * How likely a batch is to compare the pair at all: the Jaccard similarity its signatures
   * estimate, and the chance the LSH tables (the narrative's, then the lead's) bring it up.
   */
  readonly candidate: { readonly estimatedJaccard: number; readonly probability: number };
  readonly documents: readonly [ExplainedDocument, ExplainedDocument];
  readonly numberConflicts: readonly NumberConflict[];
  readonly options: ResolvedOptions;
}

/**
 * Why two documents are, or are not, copies: each one's story text and chrome, the narrative
 * passages they share, the overlap that lies only inside quotations, the sentences that differ
 * only by their numbers, the scores and the rule that decided. `boilerplate: "auto"` needs a
 * corpus and is refused; a list of lines is left out as in dedupe().
 */
export function explain(a: DocInput, b: DocInput, options?: DedupeOptions): Explanation {
  return explainer(a, options)(b);
}

/**
 * explain() against one document many times: `a` is checked and fingerprinted once, which halves
 * the work where one canonical is explained against each of its copies (the HTML report).
 */
export function explainer(a: DocInput, options?: DedupeOptions): (b: DocInput) => Explanation {
  const opts = resolveOptions(options);
  if (opts.boilerplate === "auto") {
    fail("INVALID_OPTION", undefined, "boilerplate", 'of explain() must be "off" or a list of lines ("auto" needs a whole corpus: pass the boilerplate of a dedupe() result)');
  }
  const skip = typeof opts.boilerplate === "string" ? undefined : boilerplateHashes(opts.boilerplate);
  const docA = checked(toDoc(a, 0), opts);
  const traceA: Partial<Trace> = {};
  const printA = fingerprint(units(docA.text), opts, skip, docA.text, traceA);
  const ta = traceA as Trace;
  return (b) => {
    const docB = checked(toDoc(b, 1), opts);
    const traceB: Partial<Trace> = {};
    const printB = fingerprint(units(docB.text), opts, skip, docB.text, traceB);
    const e = evidence(printA, printB);
    const { copy, rule } = decide(e, opts);
    const tb = traceB as Trace;
    return {
      copy,
      rule,
      scores: {
        jaccard: round(e.jaccard),
        containment: round(e.containment),
        shared: e.shared,
        lead: round(e.lead),
        numberConflicts: e.conflicts,
        numberAgreements: e.agree,
        sameOpening: e.sameOpening,
      },
      candidate: candidateChance(printA, printB, opts),
      documents: [describe(docA.id, printA, ta, printB, tb), describe(docB.id, printB, tb, printA, ta)],
      numberConflicts: conflicts(printA, ta, printB, tb),
      options: opts,
    };
  };
}

function checked<T extends { id: string; text: string }>(d: T, opts: ResolvedOptions): T {
  const bytes = bytesOver(d.text, opts.maxDocBytes);
  if (bytes !== undefined) fail("DOC_TOO_LARGE", d.id, String(bytes), String(opts.maxDocBytes));
  return d;
}

/** The chance LSH brings the pair up: 1 − (1 − J^r)^b for the narrative's tables, then the lead's. */
function candidateChance(a: Fingerprint, b: Fingerprint, opts: ResolvedOptions): Explanation["candidate"] {
  if (!a.signature || !b.signature) return { estimatedJaccard: 0, probability: 0 };
  const j = estimateJaccard(a.signature, b.signature);
  const { bands, rows } = lshParams(opts);
  let missed = Math.pow(1 - Math.pow(j, rows), bands);
  if (opts.rules.lead && a.leadSignature && b.leadSignature) {
    const l = estimateJaccard(a.leadSignature, b.leadSignature);
    // The lead's table also asks for a quarter of the lead values to agree (link.ts).
    if (l * LEAD_HASHES >= LEAD_HASHES / 4) missed *= Math.pow(1 - Math.pow(l, LEAD_PARAMS.rows), LEAD_PARAMS.bands);
  }
  return { estimatedJaccard: round(j), probability: round(1 - missed) };
}

function describe(id: string, print: Fingerprint, t: Trace, other: Fingerprint, to: Trace): ExplainedDocument {
  const counts = wordCounts(t);
  let storyWords = 0;
  let chromeWords = 0;
  const explained = t.units.map((u, i): ExplainedUnit => {
    const words = counts[i]!;
    if (t.chrome[i]) chromeWords += words;
    else storyWords += words;
    return { start: u.start, end: u.end, words, role: t.chrome[i] || "story" };
  });
  const otherQuoted = new Set<number>();
  for (let w = 0; w < to.windowHash.length; w++) if (to.windowQuoted[w] === 1) otherQuoted.add(to.windowHash[w]!);
  const quoted = new Set<number>();
  for (let w = 0; w < t.windowHash.length; w++) if (t.windowQuoted[w] === 1) quoted.add(t.windowHash[w]!);
  return {
    id,
    repeats: print.repeats,
    language: t.language,
    units: explained,
    storyWords,
    chromeWords,
    narrativeShingles: print.shingles.length,
    quotedShingles: print.shingles.length === 0 ? 0 : countNotIn(quoted, print.shingles),
    shared: passages(t, 0, (h) => holds(other.shingles, h)),
    quoteOnly: passages(t, 1, (h) => otherQuoted.has(h) || holds(other.shingles, h)),
  };
}

/** Words per unit, as the tokenizer finds them (in text without spaces, its character pairs). */
function wordCounts(t: Trace): number[] {
  return t.units.map((u: Unit) => tokenHashes(u.text).length);
}

/**
 * Maximal runs of consecutive units holding windows (quoted: 1, or narrative: 0) whose hash `hit`
 * accepts; each with its hits out of its windows of that kind.
 */
function passages(t: Trace, quoted: 0 | 1, hit: (h: number) => boolean): Passage[] {
  const perUnit = new Map<number, { shared: number; of: number }>();
  for (let w = 0; w < t.windowHash.length; w++) {
    if (t.windowQuoted[w] !== quoted) continue;
    const u = t.windowUnit[w]!;
    const c = perUnit.get(u) ?? { shared: 0, of: 0 };
    c.of++;
    if (hit(t.windowHash[w]!)) c.shared++;
    perUnit.set(u, c);
  }
  const out: Passage[] = [];
  let run: { first: number; last: number; shared: number; of: number } | null = null;
  let previous = -2;
  const close = () => {
    if (run) out.push({ start: t.units[run.first]!.start, end: t.units[run.last]!.end, shared: run.shared, of: run.of });
    run = null;
  };
  for (const [u, c] of [...perUnit].sort((x, y) => x[0] - y[0])) {
    if (c.shared === 0) {
      close();
      continue;
    }
    // Consecutive among the units with windows: chrome in between does not break a passage.
    if (run && previous === u - 1 - skippedBetween(t, previous, u)) {
      run.last = u;
      run.shared += c.shared;
      run.of += c.of;
    } else {
      close();
      run = { first: u, last: u, shared: c.shared, of: c.of };
    }
    previous = u;
  }
  close();
  return out;
}

/** Chrome units strictly between two unit numbers. */
function skippedBetween(t: Trace, from: number, to: number): number {
  let n = 0;
  for (let i = from + 1; i < to; i++) if (t.chrome[i]) n++;
  return n;
}

function countNotIn(set: ReadonlySet<number>, sorted: Uint32Array): number {
  let n = 0;
  for (const h of set) if (!holds(sorted, h)) n++;
  return n;
}

/** The units holding each number conflict of the two samples (masked shingle in common, raw ones differing). */
function conflicts(a: Fingerprint, ta: Trace, b: Fingerprint, tb: Trace): NumberConflict[] {
  const out: NumberConflict[] = [];
  const rawOf = (p: Fingerprint) => new Map(Array.from({ length: p.numbers.length / 2 }, (_, k) => [p.numbers[2 * k]!, p.numbers[2 * k + 1]!] as const));
  const ra = rawOf(a);
  const rb = rawOf(b);
  for (const [masked, raw] of ra) {
    const other = rb.get(masked);
    if (other === undefined || other === raw) continue;
    const ua = unitWith(ta, masked, raw);
    const ub = unitWith(tb, masked, other);
    // One entry per pair of sentences, however many of their shingles conflict.
    if (ua && ub && !out.some((c) => c.a.start === ua.start && c.b.start === ub.start)) out.push({ a: { start: ua.start, end: ua.end }, b: { start: ub.start, end: ub.end } });
  }
  return out.sort((x, y) => x.a.start - y.a.start || x.b.start - y.b.start);
}

function unitWith(t: Trace, masked: number, raw: number): Unit | undefined {
  for (let w = 0; w < t.windowHash.length; w++) {
    if (t.windowMasked[w] === masked && t.windowHash[w] === raw) return t.units[t.windowUnit[w]!];
  }
  return undefined;
}

/** Characters of a passage or unit shown in a rendering. */
const SNIPPET = 72;

/**
 * The explanation as text for a terminal: the decision and its rule, the scores, each
 * document's units (story or why chrome), the shared passages, quote-only overlap and number
 * conflicts, each with its offsets in the document and a snippet. `texts` are the two documents' texts.
 */
export function renderExplanation(x: Explanation, texts: readonly [string, string]): string {
  const s = x.scores;
  const lines = [
    `${x.copy ? "COPY" : "NOT A COPY"}: ${x.rule}`,
    `  containment ${s.containment} (of the shorter narrative), Jaccard ${s.jaccard}, ${Math.round(s.shared)} narrative shingles shared, lead ${s.lead}${s.sameOpening ? "" : ", not the same opening"}`,
    `  numbers (a sample of ${NUMBERS} number-bearing shingles each): ${s.numberConflicts} with the same words around other numbers, ${s.numberAgreements} with the same numbers`,
    `  candidate: signatures estimate Jaccard ${x.candidate.estimatedJaccard}; a batch compares the pair with probability ${x.candidate.probability}`,
  ];
  const names = ["A", "B"] as const;
  x.documents.forEach((d, k) => {
    const text = texts[k]!;
    lines.push("", `${names[k]} ${d.id}: ${d.storyWords} words of story text, ${d.chromeWords} of chrome${d.language ? ` (language ${d.language})` : ""}${d.repeats > 1 ? `; the page holds its text ${d.repeats} times, read once` : ""}`);
    lines.push(`  ${d.narrativeShingles} narrative shingles compared; ${d.quotedShingles} more lie inside quotations and are left out`);
    for (const u of d.units) lines.push(`  ${(u.role === "story" ? "story" : `chrome (${u.role})`).padEnd(22)} ${span(u)} ${snippet(text, u)}`);
    lines.push(d.shared.length === 0 ? "  shares no narrative passage with the other" : `  narrative the other holds:`);
    for (const p of d.shared) lines.push(`    ${span(p)} ${p.shared}/${p.of} shingles  ${snippet(text, p)}`);
    if (d.quoteOnly.length > 0) {
      lines.push("  quoted passages the other also holds (not counted):");
      for (const p of d.quoteOnly) lines.push(`    ${span(p)} ${p.shared}/${p.of} shingles  ${snippet(text, p)}`);
    }
  });
  if (x.numberConflicts.length > 0) {
    lines.push("", "Same words, other numbers:");
    for (const c of x.numberConflicts) lines.push(`  A ${span(c.a)} ${snippet(texts[0], c.a)}`, `  B ${span(c.b)} ${snippet(texts[1], c.b)}`);
  }
  return `${lines.join("\n")}\n`;
}

function span(r: { start: number; end: number }): string {
  return `[${r.start}-${r.end}]`.padEnd(13);
}

function snippet(text: string, r: { start: number; end: number }): string {
  const t = text.slice(r.start, r.end).replace(/\s+/g, " ").trim();
  if (t.length <= SNIPPET) return JSON.stringify(t);
  // Not between the two halves of a surrogate pair.
  const cut = /[\udc00-\udfff]/.test(t[SNIPPET - 1]!) ? SNIPPET - 2 : SNIPPET - 1;
  return JSON.stringify(`${t.slice(0, cut)}…`);
}
