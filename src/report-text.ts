// Report page text: HTML escaping, the data as JSON in bounded <script> blocks, and numbers in words.

/** Text for HTML text and attribute values: the five characters that mean markup, and lone surrogates made U+FFFD. */
export function escapeHtml(text: string): string {
  return text.toWellFormed().replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a <script type="application/json"> block: "<", ">" and "&" escaped, so "</script>"
 * or "<!--" in a document cannot end or change the block; U+2028 and U+2029 as escapes too.
 */
export function jsonForScript(value: unknown): string {
  // Five replaceAll passes of one character each: a plain string search, with no callback per match
  // as a regular expression's replacer makes (docs/performance.md).
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/** Characters of JSON per <script> block of data (see dataBlocks). */
const BLOCK_CHARS = 64 * 1024;

/**
 * The data as consecutive <script type="application/json" class="report-data"> blocks of about
 * 64 KB, which the page joins before parsing. Chromium appends each chunk of a script element's
 * text as it arrives, copying what it holds so far, so one block costs its HTML parser time that
 * grows faster than its size; blocks of a bounded size keep it linear (docs/performance.md). A
 * block never ends between the two halves of a surrogate pair (the file is UTF-8: a lone half
 * would be written as U+FFFD).
 */
export function dataBlocks(json: string): string {
  const blocks: string[] = [];
  for (let start = 0; start < json.length; ) {
    let end = Math.min(json.length, start + BLOCK_CHARS);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end++;
    blocks.push(`<script type="application/json" class="report-data">${json.slice(start, end)}</script>`);
    start = end;
  }
  return blocks.join("\n");
}

export const fmt = (n: number) => n.toLocaleString("en-US");
export const plural = (n: number, word: string, many = `${word}s`) => `${fmt(n)} ${n === 1 ? word : many}`;
