// Render: a DiffReport → plain terminal text showing, for each copy, only what it adds and where it edits.
import { normalizeText } from "../normalize.js";
import type { DiffParagraph, DiffReport, MemberDiff } from "../types.js";

/** Characters of paragraph text shown per line; the rest is cut with "…". */
const TEXT_WIDTH = 96;
/** Unchanged words shown on each side of a change in an edited paragraph. */
const CONTEXT_WORDS = 3;
/** Word grids larger than this (words × words) are not word-diffed; the text is shown instead. */
const MAX_GRID = 250_000;

/**
 * Render a diff for a terminal: one block per copy, the canonical first and named, with a
 * summary line, then in document order each paragraph the copy adds (`+`), each one it edits
 * (`~`, with its counterpart, its similarity and the changed words as `[-removed-]{+added+}`)
 * and each repeat (`=`); an added paragraph that matching leaves out as page chrome says so.
 * Shared paragraphs and boilerplate are only counted. Plain ASCII markers, no colours; pure
 * string building.
 *
 * @example
 * import { dedupe, diff, renderDiff } from "news-dedupe";
 * const afp = dedupe(docs).clusters.find((c) => c.canonical === "003")!;
 * console.log(renderDiff(diff(afp, docs)));
 * // 003 (canonical): 41 paragraphs: 15 shared, 1 edited, 23 unique (2815 chars), 2 repeated
 * //   = ¶0   repeats ¶11 (0.7079)
 * //   + ¶1   (chrome) NATO's Rutte says US-led peace talks 'not easy'; reaffirms support for Ukraine
 * //   ~ ¶2   edits 002 ¶21 (0.848): {+Odesa, Ukraine (AFP) April 15, 2025 -+} NATO chief Mark …
 */
export function renderDiff(report: DiffReport): string {
  const others = report.members.length - 1;
  const out = [`cluster ${report.canonical}: canonical ${report.canonical} and ${others} ${others === 1 ? "copy" : "copies"}`];
  const byId = new Map(report.members.map((m) => [m.id, m]));
  for (const m of report.members) {
    out.push("", `${m.id}${m.canonical ? " (canonical)" : ""}: ${summaryLine(m)}`);
    const width = String(m.paragraphs.length - 1).length;
    for (const p of m.paragraphs) {
      const label = `¶${String(p.index).padEnd(width)}`;
      if (p.class === "unique") out.push(`  + ${label}  ${p.chrome ? "(chrome) " : ""}${cut(oneLine(p.text), TEXT_WIDTH)}`);
      else if (p.class === "repeated") out.push(`  = ${label}  repeats ¶${p.counterpart!.index} (${p.similarity})`);
      else if (p.class === "edited") {
        const other = byId.get(p.counterpart!.id)!.paragraphs[p.counterpart!.index]!;
        out.push(`  ~ ${label}  edits ${p.counterpart!.id} ¶${p.counterpart!.index} (${p.similarity}): ${cut(wordDiff(other, p), TEXT_WIDTH * 2)}`);
      }
    }
  }
  return out.join("\n") + "\n";
}

function summaryLine(m: MemberDiff): string {
  const s = m.summary;
  const parts = [`${s.shared} shared`, `${s.edited} edited`, `${s.unique} unique (${s.uniqueChars} chars)`, `${s.repeated} repeated`];
  if (s.boilerplate > 0) parts.push(`${s.boilerplate} boilerplate`);
  return `${m.paragraphs.length} paragraphs: ${parts.join(", ")}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, width - 1).join("") + "…";
}

/** One run of words in a word diff: the same in both, only in the older text (del) or only in the newer (ins). */
export interface WordRun {
  readonly kind: "same" | "del" | "ins";
  /** The words of the run, joined by single spaces, as written in their own text. */
  readonly text: string;
}

/**
 * The words of `to` against those of `from` (compared normalized) as runs, every word kept; null
 * when the word grid is over MAX_GRID (a scraped page without breaks), where the text stands
 * alone. A longest common subsequence over words: paragraphs are at most a few hundred words.
 */
export function wordRuns(from: string, to: string): WordRun[] | null {
  const a = oneLine(from).split(" ");
  const b = oneLine(to).split(" ");
  if (a.length * b.length > MAX_GRID) return null;
  const ops = wordOps(a, b);
  const runs: WordRun[] = [];
  for (let k = 0; k < ops.length; ) {
    const kind = ops[k]!.kind;
    const words: string[] = [];
    while (k < ops.length && ops[k]!.kind === kind) words.push(ops[k++]!.word);
    runs.push({ kind, text: words.join(" ") });
  }
  return runs;
}

type Op = { kind: "same" | "del" | "ins"; word: string };

function wordOps(a: readonly string[], b: readonly string[]): Op[] {
  const ka = a.map((w) => normalizeText(w));
  const kb = b.map((w) => normalizeText(w));
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  const cols = b.length + 1;
  const lcs = new Uint16Array((a.length + 1) * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * cols + j] = ka[i] === kb[j] ? lcs[(i + 1) * cols + j + 1]! + 1 : Math.max(lcs[(i + 1) * cols + j]!, lcs[i * cols + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      ops.push({ kind: "same", word: b[j]! });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i * cols + j + 1]! >= lcs[(i + 1) * cols + j]!)) {
      ops.push({ kind: "ins", word: b[j++]! });
    } else ops.push({ kind: "del", word: a[i++]! });
  }
  return ops;
}

/**
 * The words of `to` against those of `from` (compared normalized), as git's --word-diff=plain
 * writes them, keeping CONTEXT_WORDS unchanged words around each change and eliding the rest.
 */
function wordDiff(from: DiffParagraph, to: DiffParagraph): string {
  const a = oneLine(from.text).split(" ");
  const b = oneLine(to.text).split(" ");
  if (a.length * b.length > MAX_GRID) return oneLine(to.text);
  const ops = wordOps(a, b);
  const changed = ops.map((o) => o.kind !== "same");
  const show = ops.map((_, k) => {
    for (let d = -CONTEXT_WORDS; d <= CONTEXT_WORDS; d++) if (changed[k + d]) return true;
    return false;
  });
  const parts: string[] = [];
  let k = 0;
  while (k < ops.length) {
    if (!show[k]) {
      parts.push("…");
      while (k < ops.length && !show[k]) k++;
      continue;
    }
    const kind = ops[k]!.kind;
    const run: string[] = [];
    while (k < ops.length && show[k] && ops[k]!.kind === kind) run.push(ops[k++]!.word);
    const words = run.join(" ");
    parts.push(kind === "same" ? words : kind === "del" ? `[-${words}-]` : `{+${words}+}`);
  }
  return parts.join(" ");
}
