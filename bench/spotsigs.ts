// SpotSigs (Theobald, Siddharth & Paepcke, SIGIR 2008) against word shingles as the evidence a
// pair is compared on, on ../shared/realdev: for each representation the exact containment of
// every pair, the best pair-level F1 over thresholds, and the margin between the copy pairs and
// the rest. A spot signature is a stopword (the antecedent) followed by the next k words that are
// not stopwords; chrome has few stopwords, so spots are meant to skip it without removing it.
// `node --import tsx bench/spotsigs.ts`
import { createRequire } from "node:module";
import { units } from "../src/normalize.ts";
import { quotedRanges, storyText } from "../src/story.ts";
import { tokenHashes } from "../src/tokenize.ts";
import { loadRealSet, type RealSet } from "./realdev.ts";

const require = createRequire(import.meta.url);
const STOP = new Set<string>((require("natural/lib/natural/util/stopwords.js") as { words: string[] }).words.filter((w) => !/\d/.test(w)));

interface Word {
  w: string;
  quoted: boolean;
}

/** A document's words: all of them (`page`), or its story text (`story`), each with its quoted flag. */
function words(text: string, story: boolean): Word[] {
  const list = units(text);
  const tokens: number[] = [];
  const starts = [0];
  for (const u of list) {
    tokens.push(...tokenHashes(u.text));
    starts.push(tokens.length);
  }
  const chrome = story ? storyText(list, Uint32Array.from(tokens), Int32Array.from(starts), 1).chrome : list.map(() => "");
  const out: Word[] = [];
  list.forEach((u, i) => {
    if (chrome[i]) return;
    const ranges = quotedRanges(u.text);
    for (const m of u.text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) out.push({ w: m[0], quoted: ranges.some(([a, b]) => m.index >= a && m.index < b) });
  });
  return out;
}

/** Word shingles of `k` words, but those mostly inside quotation marks (all of them when nothing else is left). */
function shingles(ws: Word[], k: number, quotes: boolean): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + k <= ws.length; i++) {
    const w = ws.slice(i, i + k);
    if (quotes && w.filter((x) => x.quoted).length * 2 > k) continue;
    out.add(w.map((x) => x.w).join(" "));
  }
  if (out.size === 0) for (let i = 0; i + k <= ws.length; i++) out.add(ws.slice(i, i + k).map((x) => x.w).join(" "));
  return out;
}

/** Spot signatures: each stopword with the next `k` non-stopwords after it (quoted words left out when `quotes`). */
function spots(ws: Word[], k: number, quotes: boolean): Set<string> {
  const src = quotes ? ws.filter((x) => !x.quoted) : ws;
  const out = new Set<string>();
  for (let i = 0; i < src.length; i++) {
    if (!STOP.has(src[i]!.w)) continue;
    const chain = [src[i]!.w];
    for (let j = i + 1; j < src.length && chain.length <= k; j++) if (!STOP.has(src[j]!.w)) chain.push(src[j]!.w);
    if (chain.length === k + 1) out.add(chain.join(":"));
  }
  return out;
}

function containment(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a.size < b.size ? a : b) if ((a.size < b.size ? b : a).has(x)) n++;
  return n / Math.max(1, Math.min(a.size, b.size));
}

/** Copy pairs are positives; pairs with a rewrite are left out (score.py scores them neutrally); every other pair is a negative. */
function pairs(set: RealSet): Array<{ a: string; b: string; positive: boolean }> {
  const ids = [...set.labels.keys()].filter((id) => set.labels.get(id)!.kind !== "other-language").sort();
  const out: Array<{ a: string; b: string; positive: boolean }> = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const x = set.labels.get(ids[i]!)!;
      const y = set.labels.get(ids[j]!)!;
      const same = x.story !== null && x.story === y.story;
      if (same && (x.kind === "rewrite" || y.kind === "rewrite")) continue;
      out.push({ a: x.id, b: y.id, positive: same && x.kind === "copy" && y.kind === "copy" });
    }
  }
  return out;
}

export function spotsigsTable(set: RealSet): string[] {
  const text = new Map(set.docs.map((d) => [d.id, d.text]));
  const variants: Array<[string, (t: string) => Set<string>]> = [
    ["5-word shingles, whole page", (t) => shingles(words(t, false), 5, false)],
    ["5-word shingles, story text outside quotes (the model)", (t) => shingles(words(t, true), 5, true)],
    ["SpotSigs k=2, whole page", (t) => spots(words(t, false), 2, false)],
    ["SpotSigs k=3, whole page", (t) => spots(words(t, false), 3, false)],
    ["SpotSigs k=2, story text outside quotes", (t) => spots(words(t, true), 2, true)],
    ["SpotSigs k=3, story text outside quotes", (t) => spots(words(t, true), 3, true)],
  ];
  const ps = pairs(set);
  const out = [
    "| evidence | best pair F1 (threshold) | false pairs at it | lowest copy pair | highest other pair | pairs above the lowest copy |",
    "|---|---|---|---|---|---|",
  ];
  for (const [name, make] of variants) {
    const sets = new Map([...text].map(([id, t]) => [id, make(t)]));
    const scored = ps.map((p) => ({ ...p, c: containment(sets.get(p.a)!, sets.get(p.b)!) }));
    const positives = scored.filter((p) => p.positive).length;
    let best = { f1: 0, t: 0, fp: 0 };
    for (let t = 0.05; t <= 0.95; t += 0.01) {
      const tp = scored.filter((p) => p.positive && p.c >= t).length;
      const fp = scored.filter((p) => !p.positive && p.c >= t).length;
      const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + (positives - tp));
      if (f1 > best.f1) best = { f1, t, fp };
    }
    const low = Math.min(...scored.filter((p) => p.positive).map((p) => p.c));
    const high = Math.max(...scored.filter((p) => !p.positive).map((p) => p.c));
    const above = scored.filter((p) => !p.positive && p.c >= low).length;
    out.push(`| ${name} | ${best.f1.toFixed(3)} (${best.t.toFixed(2)}) | ${best.fp} | ${low.toFixed(3)} | ${high.toFixed(3)} | ${above} |`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const set = loadRealSet();
  if (!set) console.log("no labelled set at ../shared/realdev");
  else for (const line of spotsigsTable(set)) console.log(line);
}
