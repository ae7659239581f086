// Ready: an input item as the drivers take it — a document with its text (a page's extracted
// article, with its metadata), or a skip with its reason.
import { dedupeError, type DedupeError } from "../errors.js";
import type { HtmlArticle } from "../html.js";
import type { DocMeta } from "../report.js";
import type { Extractor } from "./extract.js";
import type { InputHtml, InputItem } from "./read/walk.js";

/** An input ready for the batch: a document with its text (and a page's metadata), or a skip. */
export type Ready =
  | { kind: "doc"; id: string; text: string; source: string; meta?: DocMeta; time?: unknown }
  | { kind: "skip"; id: string | null; source: string; error: DedupeError; meta?: DocMeta };

export function ready(item: Exclude<InputItem, InputHtml | { kind: "ignored" }>): Ready {
  if (item.kind === "doc") return item;
  return item.meta ? { ...item, meta: recordMeta(item.meta) } : { kind: "skip", id: item.id, source: item.source, error: item.error };
}

function recordMeta(m: NonNullable<InputHtml["meta"]>): DocMeta {
  return { ...(m.url ? { url: m.url } : {}), ...(m.time ? { time: m.time } : {}), ...(m.recordId ? { recordId: m.recordId } : {}) };
}

/**
 * A page's document: its article's text, with the title, the canonical URL and the time in its
 * row. For a WARC record the time is its WARC-Date (the capture) and the page's own publication
 * time is "published".
 */
export function fromPage(item: InputHtml, a: HtmlArticle): Ready {
  const m = item.meta;
  const meta: DocMeta = {
    ...(a.title ? { title: a.title } : {}),
    ...(a.url ?? m?.url ? { url: (a.url ?? m?.url)! } : {}),
    ...(m?.time ? { time: m.time } : a.time ? { time: a.time } : {}),
    ...(m?.time && a.time ? { published: a.time } : {}),
    ...(m?.recordId ? { recordId: m.recordId } : {}),
    ...(a.extracted ? {} : { extracted: false as const }),
  };
  if (a.text.trim().length === 0) return { kind: "skip", id: item.id, source: item.source, error: dedupeError("INPUT_EMPTY", undefined), meta };
  return { kind: "doc", id: item.id, text: a.text, source: item.source, meta, ...(item.time === undefined ? {} : { time: item.time }) };
}

/**
 * The inputs ready, in input order, pages extracted on the extractor's threads meanwhile: an item
 * waits behind the pages read before it, and reading waits once `extractor.window` of them are
 * out. `ignored` hears of each file that is not an input.
 */
export async function* inOrder(items: AsyncIterable<InputItem>, extractor: Extractor, ignored: (source: string) => void): AsyncGenerator<Ready> {
  const queue: Array<Promise<Ready>> = [];
  try {
    for await (const item of items) {
      if (item.kind === "ignored") ignored(item.source);
      else if (item.kind === "html") queue.push(extractor.extract(item.html, item.url).then((article) => fromPage(item, article)));
      else if (queue.length === 0) yield ready(item);
      else queue.push(Promise.resolve(ready(item)));
      while (queue.length > extractor.window) yield await queue.shift()!;
    }
    while (queue.length > 0) yield await queue.shift()!;
  } finally {
    // Stopped early (a bad input with --on-error fail, a signal): the pages still out settle unheard.
    for (const p of queue) p.catch(() => undefined);
  }
}

/** The one warning for the files a run passed over (null when there were none). */
export function ignoredWarning(ignored: readonly string[]): string | null {
  if (ignored.length === 0) return null;
  return `news-dedupe: ignored ${ignored.length} file(s) that are not .txt, .md, .jsonl, .json, .html, .htm, .warc or .warc.gz, the first ${ignored[0]}`;
}
