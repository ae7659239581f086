// The reference tokenizer: natural's RegexpTokenizer with a Unicode word pattern, imported
// through its submodule (the top-level package loads database clients and prints to stdout).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { RegexpTokenizer } = require("natural/lib/natural/tokenizers/regexp_tokenizer.js") as {
  RegexpTokenizer: new (o: { pattern: RegExp; gaps?: boolean }) => { tokenize(s: string): string[] };
};

const tokenizer = new RegexpTokenizer({ pattern: /[^\p{L}\p{N}\p{M}]+/u, gaps: true });

export function naturalTokens(text: string): string[] {
  return tokenizer.tokenize(text).filter((t) => t.length > 0);
}

// The words of the library's tokenizer, written from its definition (tokenize.ts): natural's
// words, each split where it changes between letters of a script written without spaces
// (UNSPACED), letters of Thai, Lao, Khmer and Myanmar (SEGMENTED), Hangul and anything else
// (decimal digits count as anything else), a combining mark joining the character before it; an
// UNSPACED part (or a Hangul part of more than 12 characters) becomes its overlapping pairs of
// characters, or itself when it has one; a SEGMENTED part, ICU's dictionary words of it.
const UNSPACED = /[\p{scx=Han}\p{scx=Hira}\p{scx=Kana}]/u;
const SEGMENTED = /[\p{scx=Thai}\p{scx=Laoo}\p{scx=Khmr}\p{scx=Mymr}]/u;
const segmenter = new Intl.Segmenter("th", { granularity: "word" });
const japanese = new Intl.Segmenter("ja", { granularity: "word" });
const KANA = /[\p{scx=Hira}\p{scx=Kana}]/u;
const dictionaryWords = (s: Intl.Segmenter, text: string) => [...s.segment(text)].filter((x) => x.isWordLike).map((x) => x.segment);
const HANGUL = /\p{scx=Hang}/u;

export function referenceWords(text: string): string[] {
  const out: string[] = [];
  for (const word of naturalTokens(text)) {
    const parts: Array<{ kind: string; chars: string[] }> = [];
    for (const ch of word) {
      const last = parts[parts.length - 1];
      if (/\p{M}/u.test(ch) && last) {
        last.chars[last.chars.length - 1] += ch;
        continue;
      }
      const kind = /\p{Nd}/u.test(ch) || /\p{M}/u.test(ch) ? "word" : UNSPACED.test(ch) ? "pairs" : SEGMENTED.test(ch) ? "segmented" : HANGUL.test(ch) ? "hangul" : "word";
      if (last && last.kind === kind) last.chars.push(ch);
      else parts.push({ kind, chars: [ch] });
    }
    for (const { kind, chars } of parts) {
      if (kind === "segmented") out.push(...dictionaryWords(segmenter, chars.join("")));
      else if (kind === "pairs" && chars.some((c) => KANA.test(c))) out.push(...dictionaryWords(japanese, chars.join("")));
      else if (kind === "word" || (kind === "hangul" && chars.length <= 12) || chars.length === 1) out.push(chars.join(""));
      else for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    }
  }
  return out;
}
