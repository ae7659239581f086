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
