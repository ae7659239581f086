// Report page charts: the histograms of the copies' similarities and of the cluster sizes, as inline
// SVG, each with a text alternative and its data as a table.
import { escapeHtml, fmt, plural } from "./report-text.js";
import type { DedupeResult } from "./types.js";

/** Bins of the similarity histograms: steps of 0.05, fine enough to see a mode against a threshold. */
const SIMILARITY_BINS = 20;

interface Bar {
  label: string;
  count: number;
}

const W = 360;
const H = 200;
const PAD = { left: 40, right: 10, top: 18, bottom: 36 };

export function similarityChart(result: DedupeResult, key: "jaccard" | "containment", name: string, threshold: number | undefined): string {
  const counts = new Array<number>(SIMILARITY_BINS).fill(0);
  let copies = 0;
  for (const c of result.clusters) {
    for (const m of c.members) {
      if (m.id === c.canonical) continue;
      copies++;
      counts[Math.min(SIMILARITY_BINS - 1, Math.floor(m[key] * SIMILARITY_BINS))]!++;
    }
  }
  const id = `chart-${key}`;
  const title = `${name} of each copy against its canonical`;
  if (copies === 0) return figure(id, title, `No copies: no ${name.toLowerCase()} to chart.`, "", []);
  const bars = counts.map((count, b) => ({ label: `${(b / SIMILARITY_BINS).toFixed(2)}–${((b + 1) / SIMILARITY_BINS).toFixed(2)}`, count }));
  const peak = bars.reduce((best, bar) => (bar.count > best.count ? bar : best));
  const desc =
    `Histogram of ${plural(copies, "copy", "copies")} in steps of 0.05; the most, ${fmt(peak.count)}, between ${peak.label.replace("–", " and ")}.` +
    (threshold === undefined ? "" : ` The threshold, ${threshold}, is the dashed line; ${below(copies - countAtLeast(result, key, threshold))}.`);
  const x = (v: number) => PAD.left + v * (W - PAD.left - PAD.right);
  const marks = threshold === undefined ? "" : `<line x1="${x(threshold)}" x2="${x(threshold)}" y1="${PAD.top - 6}" y2="${H - PAD.bottom}" stroke="#b00020" stroke-width="2" stroke-dasharray="5 3"/><text x="${x(threshold) + 3}" y="${PAD.top - 8}" font-size="11" fill="#b00020">threshold ${threshold}</text>`;
  const axis = [0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => `<text x="${x(v)}" y="${H - PAD.bottom + 14}" font-size="11" text-anchor="middle" fill="#1b1b1b">${v}</text>`).join("");
  const svg = histogram(bars, false) + axis + marks + `<text x="${(W + PAD.left) / 2}" y="${H - 4}" font-size="11" text-anchor="middle" fill="#4d4d4d">${escapeHtml(name)}</text>`;
  return figure(id, title, desc, svg, bars);
}

function below(n: number): string {
  if (n === 0) return "no copy falls below it";
  return `${plural(n, "copy", "copies")} ${n === 1 ? "falls" : "fall"} below it (joined through another copy)`;
}

function countAtLeast(result: DedupeResult, key: "jaccard" | "containment", threshold: number): number {
  let n = 0;
  for (const c of result.clusters) for (const m of c.members) if (m.id !== c.canonical && m[key] >= threshold) n++;
  return n;
}

export function sizeChart(result: DedupeResult): string {
  const bins = new Map<number, number>();
  // Sizes 1–4 each, then powers of two: a flood of copies is one bar, not a thousand empty ones.
  const binOf = (size: number) => (size <= 4 ? size : 2 ** Math.ceil(Math.log2(size)));
  let largest = 1;
  for (const c of result.clusters) {
    const b = binOf(c.members.length);
    bins.set(b, (bins.get(b) ?? 0) + 1);
    largest = Math.max(largest, b);
  }
  const bars: Bar[] = [];
  for (let b = 1; b <= largest; b = b < 4 ? b + 1 : b * 2) bars.push({ label: b <= 4 ? String(b) : `${b / 2 + 1}–${b}`, count: bins.get(b) ?? 0 });
  const title = "Cluster sizes (documents per cluster)";
  if (result.clusters.length === 0) return figure("chart-sizes", title, "No clusters: nothing to chart.", "", []);
  const desc = `Histogram of ${plural(result.clusters.length, "cluster")} by size, on a logarithmic scale: ${bars
    .filter((b) => b.count > 0)
    .map((b) => `${fmt(b.count)} of size ${b.label}`)
    .join(", ")}.`;
  const svg = histogram(bars, true) + `<text x="${(W + PAD.left) / 2}" y="${H - 4}" font-size="11" text-anchor="middle" fill="#4d4d4d">documents per cluster (log scale of counts)</text>`;
  return figure("chart-sizes", title, desc, svg, bars);
}

/** The bars of a histogram, labelled under each (when few) and with their count above. */
function histogram(bars: readonly Bar[], log: boolean): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const scale = (n: number) => (log ? Math.log10(n + 1) / Math.log10(max + 1) : n / max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / bars.length;
  const out: string[] = [
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#1b1b1b"/>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" font-size="11" text-anchor="end" fill="#1b1b1b">${fmt(max)}</text>`,
    `<text x="${PAD.left - 4}" y="${H - PAD.bottom}" font-size="11" text-anchor="end" fill="#1b1b1b">0</text>`,
  ];
  bars.forEach((b, k) => {
    const h = b.count === 0 ? 0 : Math.max(1, scale(b.count) * plotH);
    const x = PAD.left + k * step + 1;
    out.push(`<rect x="${x.toFixed(1)}" y="${(H - PAD.bottom - h).toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#2f5d9b"><title>${escapeHtml(`${b.label}: ${fmt(b.count)}`)}</title></rect>`);
    if (b.count > 0 && bars.length <= 12) out.push(`<text x="${(x + step / 2 - 1).toFixed(1)}" y="${(H - PAD.bottom - h - 3).toFixed(1)}" font-size="10" text-anchor="middle" fill="#1b1b1b">${fmt(b.count)}</text>`);
    if (bars.length <= 12) out.push(`<text x="${(x + step / 2 - 1).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle" fill="#1b1b1b">${escapeHtml(b.label)}</text>`);
  });
  return out.join("");
}

function figure(id: string, title: string, desc: string, svg: string, bars: readonly Bar[]): string {
  const e = escapeHtml;
  const table = bars.length === 0 ? "" : `<details><summary>The data</summary><table><thead><tr><th scope="col">Bin</th><th scope="col" class="num">Count</th></tr></thead><tbody>${bars
    .map((b) => `<tr><td>${e(b.label)}</td><td class="num">${fmt(b.count)}</td></tr>`)
    .join("")}</tbody></table></details>`;
  const picture = svg === "" ? "" : `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">${e(title)}</title><desc id="${id}-d">${e(desc)}</desc>${svg}</svg>`;
  return `<figure id="${id}" aria-labelledby="${id}-c">${picture}<figcaption id="${id}-c"><strong>${e(title)}.</strong> ${e(desc)}</figcaption>${table}</figure>`;
}
