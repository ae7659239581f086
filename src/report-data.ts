// Report page data: what report() embeds in the page as JSON (documented in docs/report.md), and
// the encoding of clusters, members and diff reports into it.
import { wordRuns } from "./diff/render.js";
import type { ResolvedReportOptions } from "./options.js";
import type { Cluster, DiffReport, MemberEvidence, ParagraphClass } from "./types.js";

/**
 * Characters of a canonical's text kept for every cluster: what the table shows of it, a headline
 * and the start of a lead, to recognise the story and to filter by. They are the part of the page
 * that grows with the number of clusters, so no more than the table shows.
 */
const SNIPPET_CHARS = 120;

const CLASS_CODE: Record<ParagraphClass, number> = { shared: 0, edited: 1, unique: 2, repeated: 3, boilerplate: 4 };
const RUN_CODE = { same: 0, ins: 1, del: 2 } as const;

/**
 * The data embedded in the page (and documented in docs/report.md). Compact: a member is
 * [id, jaccard, containment, flags?], a paragraph [text, class, member, index, similarity, holders, words].
 */
export interface PageData {
  v: 1;
  title: string;
  /** The containment a copy needs, and the lead share with which half of it does (options.ts). */
  thresholds: { containment: number; lead: number } | null;
  limits: { diffClusters: number; diffMembers: number };
  /** In the result's order: index i is `cluster: i` of --format jsonl. */
  clusters: PageCluster[];
  diffs: PageDiff[];
}

export type PageMember = [id: string, jaccard: number, containment: number, flags?: { r?: number; e?: 1; g?: 1 }];

export interface PageCluster {
  m: PageMember[];
  /** The start of the canonical's text, white space collapsed. */
  s: string;
  /** Index into `diffs` for a cluster shown paragraph by paragraph. */
  d?: number;
}

export interface PageDiff {
  /** The distinct paragraph texts of the cluster: each once, however many members hold it. */
  t: string[];
  /** In cluster order; `p` only for the first `diffMembers` members. */
  m: Array<{ s: number[]; p?: unknown[][]; ev?: MemberEvidence }>;
}

export function encodeMember(m: Cluster["members"][number]): PageMember {
  const flags = { ...(m.repeats ? { r: m.repeats } : {}), ...(m.empty ? { e: 1 as const } : {}), ...(m.digest ? { g: 1 as const } : {}) };
  return Object.keys(flags).length > 0 ? [m.id, m.jaccard, m.containment, flags] : [m.id, m.jaccard, m.containment];
}

export function encodeDiff(d: DiffReport, cluster: Cluster, opts: ResolvedReportOptions): PageDiff {
  const t: string[] = [];
  const textIndex = new Map<string, number>();
  const intern = (text: string) => {
    let n = textIndex.get(text);
    if (n === undefined) textIndex.set(text, (n = t.push(text) - 1));
    return n;
  };
  const memberIndex = new Map(d.members.map((m, k) => [m.id, k]));
  const m = d.members.map((md, k) => {
    const s = md.summary;
    const sums = [s.shared, s.edited, s.unique, s.repeated, s.boilerplate, s.uniqueChars];
    if (k >= opts.diffMembers) return { s: sums };
    const p = md.paragraphs.map((par) => {
      const row: unknown[] = [intern(par.text), CLASS_CODE[par.class]];
      if (!par.counterpart) return row;
      const other = memberIndex.get(par.counterpart.id)!;
      row.push(other, par.counterpart.index, par.similarity ?? 1);
      if (par.class === "shared") row.push(par.group === undefined ? 2 : d.groups[par.group]!.length);
      else if (par.class === "edited") {
        const runs = wordRuns(d.members[other]!.paragraphs[par.counterpart.index]!.text, par.text);
        if (runs) row.push(0, runs.map((r) => [RUN_CODE[r.kind], r.text]));
      }
      return row;
    });
    const ev = k > 0 && opts.evidence ? cleanEvidence(opts.evidence(cluster.members[k]!, cluster)) : undefined;
    return ev ? { s: sums, p, ev } : { s: sums, p };
  });
  return { t, m };
}

/** The evidence as the page reads it: strings and numbers only, whatever the hook returned. */
function cleanEvidence(ev: MemberEvidence | undefined): MemberEvidence | undefined {
  if (typeof ev !== "object" || ev === null) return undefined;
  const out: { summary?: string; scores?: Array<[string, number | string]>; passages?: string[] } = {};
  if (ev.summary !== undefined) out.summary = String(ev.summary);
  if (Array.isArray(ev.scores)) {
    out.scores = ev.scores.filter(Array.isArray).map(([name, value]) => [String(name), typeof value === "number" ? value : String(value)]);
  }
  if (Array.isArray(ev.passages)) out.passages = ev.passages.map(String);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The start of a text, white space collapsed, at most SNIPPET_CHARS characters (never half a surrogate pair). */
export function snippet(text: string): string {
  // Only the start is read: a long text costs no more than a short one.
  let take = SNIPPET_CHARS * 3;
  let flat = text.slice(0, take).replace(/\s+/g, " ").trim();
  while (Array.from(flat).length <= SNIPPET_CHARS && take < text.length) {
    take *= 4;
    flat = text.slice(0, take).replace(/\s+/g, " ").trim();
  }
  const chars: string[] = [];
  for (const ch of flat) if (chars.push(ch) > SNIPPET_CHARS) break;
  return chars.length <= SNIPPET_CHARS ? chars.join("") : chars.slice(0, SNIPPET_CHARS - 1).join("") + "…";
}
