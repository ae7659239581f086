// A labeled syndicated-news corpus, generated deterministically from a seed out of real prose:
// the Brown corpus press sections (bench/brown.ts). Every document is a copy of one story, made
// the way syndication makes copies, and carries the story it came from and the operations used.
import { prng } from "../src/hash.ts";
import { pressSentences, type Sentence } from "./brown.ts";

/** How a copy was made from its story; "original" is the wire text itself. */
export const OPERATIONS = [
  "original",
  "chrome",
  "truncate",
  "append",
  "drop",
  "reorder",
  "dateline",
  "spelling",
  "quotes",
  "places",
  "repeat",
] as const;
export type Operation = (typeof OPERATIONS)[number];
const COPY_OPS = OPERATIONS.filter((o) => o !== "original");

export interface LabeledDoc {
  readonly id: string;
  readonly text: string;
  /** The ground truth: the story this copy came from. */
  readonly story: number;
  /** Bit i set when OPERATIONS[i] was applied. */
  readonly ops: number;
  /** The site whose chrome wraps the copy, or -1 without chrome. */
  readonly site: number;
}

export type Label = Omit<LabeledDoc, "text">;

/**
 * Two different stories that share text (like seeds 000/001); never copies. "found": a pair the
 * honesty check found sharing a tenth of its sentences or more without being built to (two
 * stories that took text from a third, or a few sentences in common by chance).
 */
export interface HardNegative {
  readonly a: number;
  readonly b: number;
  readonly kind: "shared-paragraph" | "shared-quotes" | "found";
}

export interface Honesty {
  /** Over every pair of different stories not labeled hard negatives: the largest share of sentences they have in common (of the smaller). */
  readonly maxSharedUnlabeled: number;
  /** The same over the hard-negative pairs (by construction at most a fifth, plus chance overlap). */
  readonly maxSharedHardNegative: number;
  /** Pairs of different stories with at least one sentence in common. */
  readonly pairsSharingText: number;
}

export interface CorpusInfo {
  readonly labels: Label[];
  readonly stories: number;
  readonly hardNegatives: HardNegative[];
  readonly honesty: Honesty;
}

/** A story: a headline and paragraphs of sentence numbers (indexes into pressSentences()). */
interface Story {
  readonly headline: string;
  readonly paras: number[][];
  readonly dateline: string;
}

// A random-number source with the helpers the generators need; mulberry32 underneath.
export class Rand {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  /** Uniform in [0, 1). */
  u(): number {
    return this.next() / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.u() * (hi - lo + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.u() * a.length)]!;
  }
  chance(p: number): boolean {
    return this.u() < p;
  }
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.u() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

// ---- word lists (for chrome, datelines and edits) -------------------------------------------

const AGENCIES = ["AFP", "AP", "UPI", "Reuters", "DPA", "ANSA", "EFE", "Kyodo", "Xinhua", "PA"];
const DATELINE_PLACES = [
  "Odesa, Ukraine", "Washington DC", "Brussels, Belgium", "Geneva, Switzerland", "Nairobi, Kenya", "Tokyo, Japan",
  "Paris, France", "Lagos, Nigeria", "Lima, Peru", "Hanoi, Vietnam", "Cairo, Egypt", "Ottawa, Canada", "Seoul, South Korea",
  "Atlanta, Georgia", "Madrid, Spain", "Warsaw, Poland", "Manila, Philippines", "Bogota, Colombia", "Oslo, Norway",
];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const SITE_A = ["Volkswacht", "Space", "Terra", "Daily", "Morning", "Evening", "Global", "Metro", "Valley", "Harbour", "Coast", "Capital", "Prairie", "Northern", "Lake", "River", "Summit", "Border"];
const SITE_B = ["Bodensee", "War", "Daily", "Herald", "Courier", "Ledger", "Gazette", "Tribune", "Sentinel", "Observer", "Post", "Dispatch", "Chronicle", "Times", "Monitor", "Record"];
const TICKERS = ["RBGPF", "CMSD", "BCC", "NGG", "RIO", "GSK", "RELX", "JRI", "SCS", "CMSC", "AZN", "RYCEF", "BTI", "VOD", "BP", "BCE", "SHEL", "HSBC", "UL", "DEO", "LYG", "BHP", "NVS", "SAN", "ING", "TTE", "SAP", "ASML"];
const SURNAMES = ["Sutter", "Meyer", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Garcia", "Brennan", "Keller", "Haddad", "Rossi", "Schmid", "Kowalski", "Dubois", "Ivanova"];
const TOPICS = ["missile defense", "nuclear weapons doctrine and defense", "missiles", "the Superpowers of the 21st Century", "climate science", "energy markets", "elections", "farming and food", "space exploration", "trade policy", "public health", "urban transport"];

// US → UK spelling (Brown is American English); each applied wherever the word occurs.
const SPELLING: Array<[RegExp, string]> = (
  [
    ["color", "colour"], ["honor", "honour"], ["labor", "labour"], ["favor", "favour"], ["neighbor", "neighbour"],
    ["behavior", "behaviour"], ["harbor", "harbour"], ["humor", "humour"], ["flavor", "flavour"], ["rumor", "rumour"],
    ["center", "centre"], ["theater", "theatre"], ["defense", "defence"], ["offense", "offence"], ["program", "programme"],
    ["traveled", "travelled"], ["traveling", "travelling"], ["gray", "grey"], ["judgment", "judgement"], ["percent", "per cent"],
    ["catalog", "catalogue"],
  ] as Array<[string, string]>
).map(([us, uk]) => [new RegExp(`\\b([${us[0]}${us[0]!.toUpperCase()}])${us.slice(1)}(?=(s|ed|ing|ful|er|ers|able)?\\b)`, "g"), `$1${uk.slice(1)}`]);
// -ize → -ise on stems of three letters or more ("organization", not "size" or "prize").
const IZE = /\b([A-Za-z]{3,})iz(e|ed|es|ing|ation|ations)\b/g;

// Place-name variants the way style guides differ.
const PLACES: Array<[RegExp, string]> = [
  [/\bU\.S\./g, "US"], [/\bU\.N\./g, "UN"], [/\bSt\. /g, "Saint "], [/\bCalif\./g, "California"], [/\bMass\./g, "Massachusetts"],
  [/\bN\.Y\./g, "New York"], [/\bTex\./g, "Texas"], [/\bFla\./g, "Florida"], [/\bIll\./g, "Illinois"], [/\bPa\./g, "Pennsylvania"],
  [/\bLa\./g, "Louisiana"], [/\bVa\./g, "Virginia"], [/\bMo\./g, "Missouri"], [/\bD\.C\./g, "DC"], [/\bViet Nam\b/g, "Vietnam"],
  [/\bFormosa\b/g, "Taiwan"], [/\bPeiping\b/g, "Beijing"], [/\bPeking\b/g, "Beijing"], [/\bLeopoldville\b/g, "Kinshasa"],
  [/\bBurma\b/g, "Myanmar"], [/\bRussia\b/g, "the Soviet Union"], [/\bHolland\b/g, "the Netherlands"],
];

// ---- sites: chrome reused on every copy a site publishes -------------------------------------

interface Site {
  readonly name: string;
  readonly code: string;
  /** Paragraph separator: blank lines (like seed 002) or one paragraph per line (like 003). */
  readonly sep: string;
  readonly ticker: readonly string[] | null;
  readonly photo: string | null;
  readonly textSize: boolean;
  readonly bylines: readonly string[] | null;
  readonly related: readonly string[] | null;
  readonly newsletter: boolean;
}

function makeSite(n: number, seed: number): Site {
  const r = new Rand(seed ^ Math.imul(n + 1, 0x9e3779b1));
  const name = `${SITE_A[n % SITE_A.length]} ${SITE_B[(n * 7 + Math.floor(n / SITE_A.length)) % SITE_B.length]}`;
  const code = name.split(" ").map((w) => w[0]).join("");
  const domain = name.replace(/ /g, "") + ".com";
  return {
    name,
    code,
    sep: r.chance(0.5) ? "\n\n" : "\n",
    ticker: r.chance(0.5) ? r.shuffle([...TICKERS]).slice(0, r.int(8, 16)) : null,
    photo: r.chance(0.6) ? r.pick(AGENCIES) : null,
    textSize: r.chance(0.5),
    bylines: r.chance(0.6) ? [0, 1, 2].map(() => `${String.fromCharCode(65 + r.int(0, 25))}.${r.pick(SURNAMES)}--${code}`) : null,
    related: r.chance(0.5) ? r.shuffle([...TOPICS]).slice(0, r.int(3, 5)).map((t) => `Learn about ${t} at ${domain}`) : null,
    newsletter: r.chance(0.5),
  };
}

function tickerRows(site: Site, r: Rand): string[] {
  if (!site.ticker) return [];
  // Prices change from page to page: the symbols are the site's, the numbers are not.
  return ["NYSE - LSE", ...site.ticker.map((s) => `${s} ${r.chance(0.5) ? "-" : ""}${(r.u() * 3.5).toFixed(2)}% ${(5 + r.u() * 95).toFixed(2)} $`)];
}

// ---- stories ---------------------------------------------------------------------------------

class StoryMaker {
  private readonly sentences: Sentence[] = pressSentences();
  constructor(private readonly r: Rand) {}

  /** A fresh story: 6-14 paragraphs of 2-4 distinct press sentences (about 400-900 words). */
  story(minParas = 6, maxParas = 14): Story {
    const r = this.r;
    const used = new Set<number>();
    const paras: number[][] = [];
    const n = r.int(minParas, maxParas);
    for (let p = 0; p < n; p++) {
      const para: number[] = [];
      for (let k = r.int(2, 4); k > 0; k--) para.push(this.fresh(used));
      paras.push(para);
    }
    return { headline: this.headline(), paras, dateline: this.dateline() };
  }

  /** A different story sharing some of `a`'s text: at most a fifth of the smaller story. */
  hardNegative(a: Story, kind: "shared-paragraph" | "shared-quotes"): Story {
    const r = this.r;
    const b = this.story();
    const aSentences = a.paras.flat();
    const budget = Math.max(1, Math.floor(0.2 * Math.min(aSentences.length, b.paras.flat().length)));
    const used = new Set(b.paras.flat());
    if (kind === "shared-paragraph") {
      // Whole paragraphs of a, within the budget, inserted at random places.
      let left = budget;
      for (const para of r.shuffle([...a.paras])) {
        if (para.length > left || para.some((s) => used.has(s))) continue;
        b.paras.splice(r.int(1, b.paras.length), 0, [...para]);
        para.forEach((s) => used.add(s));
        left -= para.length;
      }
    } else {
      // Quotes: a's sentences in quotation marks (or any, if it has none), spliced into b's paragraphs.
      const quotes = aSentences.filter((s) => this.sentences[s]!.text.includes('"'));
      const pool = r.shuffle(quotes.length > 0 ? quotes : aSentences).slice(0, budget);
      for (const s of pool) if (!used.has(s)) b.paras[r.int(0, b.paras.length - 1)]!.splice(1, 0, s), used.add(s);
    }
    return b;
  }

  text(para: readonly number[]): string {
    return para.map((s) => this.sentences[s]!.text).join(" ");
  }

  private fresh(used: Set<number>): number {
    for (;;) {
      const s = Math.floor(this.r.u() * this.sentences.length);
      if (!used.has(s)) {
        used.add(s);
        return s;
      }
    }
  }

  private headline(): string {
    const words = this.sentences[Math.floor(this.r.u() * this.sentences.length)]!.text.replace(/[",.;:!?]/g, "").split(" ");
    return words.slice(0, this.r.int(5, 10)).join(" ");
  }

  private dateline(): string {
    const r = this.r;
    return `${r.pick(DATELINE_PLACES)} (${r.pick(AGENCIES)}) ${r.pick(MONTHS)} ${r.int(1, 28)}, ${r.int(1958, 2025)} - `;
  }
}

// ---- copies ----------------------------------------------------------------------------------

function curlyQuotes(text: string): string {
  let open = true;
  return text.replace(/"/g, () => ((open = !open) ? "\u201d" : "\u201c")).replace(/'/g, "\u2019");
}

function ukSpelling(text: string): string {
  let t = text;
  for (const [us, uk] of SPELLING) t = t.replace(us, uk);
  return t.replace(IZE, "$1is$2");
}

function placeVariants(text: string): string {
  let t = text;
  for (const [from, to] of PLACES) t = t.replace(from, to);
  return t;
}

/**
 * One copy of `story` with primary operation `op` (plus site chrome when `site` is given).
 * Returns the text; the caller records the labels.
 */
function makeCopy(maker: StoryMaker, story: Story, op: Operation, site: Site | null, r: Rand): string {
  let paras = story.paras.map((p) => maker.text(p));
  let headline = story.headline;
  let tail: string[] = [];
  switch (op) {
    case "truncate": {
      const keep = Math.max(2, Math.floor(paras.length * (0.3 + 0.5 * r.u())));
      paras = paras.slice(0, Math.min(keep, paras.length - 1));
      break;
    }
    case "append": {
      // A second, unrelated story that exists only on this page (like the UPI story of seed 003).
      const other = maker.story(3, 7);
      tail = [other.headline, other.dateline.trimEnd(), ...other.paras.map((p) => maker.text(p))];
      break;
    }
    case "drop": {
      const drop = r.int(1, Math.max(1, Math.floor(paras.length / 4)));
      for (let k = 0; k < drop && paras.length > 2; k++) paras.splice(r.int(1, paras.length - 1), 1);
      break;
    }
    case "reorder": {
      for (let k = r.int(2, 3); k > 0; k--) {
        const [moved] = paras.splice(r.int(1, paras.length - 1), 1);
        paras.splice(r.int(1, paras.length), 0, moved!);
      }
      break;
    }
    case "dateline":
      paras[0] = story.dateline + paras[0];
      break;
    case "spelling":
      paras = paras.map(ukSpelling);
      headline = ukSpelling(headline);
      break;
    case "quotes":
      paras = paras.map(curlyQuotes);
      headline = curlyQuotes(headline);
      break;
    case "places":
      paras = paras.map(placeVariants);
      headline = placeVariants(headline);
      break;
    default:
      break;
  }
  let body = [headline, ...paras, ...tail];
  if (site) body = wrapInChrome(body, headline, site, r);
  const sep = site?.sep ?? (r.chance(0.5) ? "\n\n" : "\n");
  if (op === "repeat") {
    // The page holds the text 2-3 times; later copies may lose the credit line (seed 004).
    const credit = `Mandatory credit: ${r.pick(AGENCIES)} TV`;
    const times = r.int(2, 3);
    const blocks: string[] = [];
    for (let k = 0; k < times; k++) blocks.push([...(k === 0 || r.chance(0.5) ? [credit] : []), ...body].join(sep));
    return blocks.join(sep);
  }
  return body.join(sep);
}

function wrapInChrome(body: string[], headline: string, site: Site, r: Rand): string[] {
  const top = [`${site.name} - ${headline}`, ...tickerRows(site, r)];
  if (site.photo) top.push(`${headline} / Photo: \u00a9 ${site.photo}`);
  const [head, lead, ...rest] = body;
  const out = [...top, head!, ...(lead === undefined ? [] : [lead]), ...(site.textSize ? ["Text size:"] : []), ...rest];
  if (site.bylines) out.push(r.pick(site.bylines));
  if (site.related) out.push("Related Links", ...site.related);
  if (site.newsletter) out.push("Subscribe Free To Our Daily Newsletters |", "Subscribe Free To Our Daily Newsletters |");
  return out;
}

// ---- the corpus ------------------------------------------------------------------------------

export interface CorpusOptions {
  /** Number of documents. */
  readonly size: number;
  readonly seed?: number;
  /** Number of sites (chrome templates). Default 40. */
  readonly sites?: number;
}

/**
 * Generate the corpus document by document (stories in order, ids a seeded permutation so that
 * sorting by id shuffles the stories), then return the labels. `emit` receives every document.
 */
export function generateCorpus(options: CorpusOptions, emit: (doc: LabeledDoc) => void): CorpusInfo {
  const { size, seed = 1, sites: siteCount = 40 } = options;
  const r = new Rand(seed);
  const maker = new StoryMaker(r);
  const sites = Array.from({ length: siteCount }, (_, n) => makeSite(n, seed));
  const idOrder = r.shuffle(Array.from({ length: size }, (_, i) => i));
  const width = String(size - 1).length;
  const labels: Label[] = [];
  const hardNegatives: HardNegative[] = [];
  const storySentences: Int32Array[] = [];
  let made: Story[] = [];
  let produced = 0;
  for (let storyNo = 0; produced < size; storyNo++) {
    // About one story in ten shares text with an earlier one (a hard negative).
    const partner = made.length > 0 && r.chance(0.1) ? r.int(Math.max(0, made.length - 200), made.length - 1) : -1;
    let story: Story;
    if (partner >= 0) {
      const kind = r.chance(0.5) ? "shared-paragraph" : "shared-quotes";
      story = maker.hardNegative(made[partner]!, kind);
      hardNegatives.push({ a: storyNo - made.length + partner, b: storyNo, kind });
    } else story = maker.story();
    made.push(story);
    if (made.length > 400) made = made.slice(200);
    storySentences.push(Int32Array.from(story.paras.flat()));

    // Copies per story: a third are alone, the rest have 2 to ~20 copies (geometric tail).
    const copies = r.chance(0.35) ? 1 : Math.min(20, 2 + Math.floor(-Math.log(1 - r.u()) * 3));
    for (let c = 0; c < copies && produced < size; c++) {
      const op: Operation = c === 0 && r.chance(0.6) ? "original" : r.pick(COPY_OPS);
      const withChrome = op === "chrome" || (op !== "original" && r.chance(0.4));
      const siteNo = withChrome ? r.int(0, siteCount - 1) : -1;
      const text = makeCopy(maker, story, op, siteNo >= 0 ? sites[siteNo]! : null, r);
      let ops = 1 << OPERATIONS.indexOf(op);
      if (withChrome) ops |= 1 << OPERATIONS.indexOf("chrome");
      const id = `d${String(idOrder[produced]!).padStart(width, "0")}`;
      const label: Label = { id, story: storyNo, ops, site: siteNo };
      labels.push(label);
      emit({ ...label, text });
      produced++;
    }
  }
  return { labels, stories: storySentences.length, hardNegatives, honesty: honesty(storySentences, hardNegatives) };
}

/** The whole corpus in memory, sorted by id (so by a shuffle of the stories). */
export function corpus(options: CorpusOptions): { docs: LabeledDoc[]; info: CorpusInfo } {
  const docs: LabeledDoc[] = [];
  const info = generateCorpus(options, (d) => docs.push(d));
  docs.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { docs, info };
}

/** Pairs of stories sharing at least this share of sentences are hard negatives, labeled or found. */
const SHARED_TEXT = 0.1;

/**
 * Keep the ground truth honest: counts, for every pair of stories, the sentences they have in
 * common. Pairs sharing text that are not labeled yet (two stories that both took a paragraph
 * from a third) are added to `hard` as "found" hard negatives, so every pair of different
 * stories that shares real text is counted when merges of hard negatives are counted.
 */
function honesty(stories: readonly Int32Array[], hard: HardNegative[]): Honesty {
  const users = new Map<number, number[]>();
  stories.forEach((s, i) => s.forEach((x) => (users.get(x) ?? users.set(x, []).get(x)!).push(i)));
  const hardPairs = new Set(hard.map((h) => h.a * 1e7 + h.b));
  const count = new Int32Array(stories.length);
  const touched: number[] = [];
  let maxUnlabeled = 0;
  let maxHard = 0;
  let pairs = 0;
  for (let i = 0; i < stories.length; i++) {
    for (const x of stories[i]!) {
      for (const j of users.get(x)!) {
        if (j <= i) continue;
        if (count[j] === 0) touched.push(j);
        count[j]!++;
      }
    }
    for (const j of touched) {
      const share = count[j]! / Math.min(stories[i]!.length, stories[j]!.length);
      if (hardPairs.has(i * 1e7 + j)) maxHard = Math.max(maxHard, share);
      else if (share >= SHARED_TEXT) {
        hard.push({ a: i, b: j, kind: "found" });
        maxHard = Math.max(maxHard, share);
      } else maxUnlabeled = Math.max(maxUnlabeled, share);
      pairs++;
      count[j] = 0;
    }
    touched.length = 0;
  }
  return { maxSharedUnlabeled: maxUnlabeled, maxSharedHardNegative: maxHard, pairsSharingText: pairs };
}

/** Whether label `l` has operation `op`. */
export function hasOp(l: Pick<Label, "ops">, op: Operation): boolean {
  return (l.ops & (1 << OPERATIONS.indexOf(op))) !== 0;
}
