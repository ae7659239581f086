// Html: a news page's HTML → its article as plain text, block elements as paragraphs separated by
// blank lines (what normalize.units() splits on), with the page's title, canonical URL and
// publication time. Mozilla's Readability picks the article; linkedom is the DOM it runs on.
import { isProbablyReaderable, Readability } from "@mozilla/readability";
import { DOMParser } from "linkedom";

/** What fromHtml() is told about a page besides its markup. */
export interface HtmlOptions {
  /** Where the page was fetched from: relative canonical links are resolved against it, and it is the url when the page names none. */
  readonly url?: string;
}

/** A page's article. */
export interface HtmlArticle {
  /** The article's text: one paragraph per block element, paragraphs separated by a blank line. */
  text: string;
  /** The headline (Readability's choice among og:title, JSON-LD headline and <title>), or null. */
  title: string | null;
  /** <link rel="canonical">, else og:url, resolved against options.url (the first that gives an absolute URL); else options.url; else null. */
  url: string | null;
  /** The publication time as the page gives it (article:published_time, JSON-LD datePublished), or null. */
  time: string | null;
  /**
   * False when no article was found (no paragraph-sized text, Firefox's test for offering Reader
   * View, or Readability found no content with words in it):
   * `text` is then the page's visible text (never markup, scripts or styles), and the caller
   * should say so.
   */
  extracted: boolean;
}

/**
 * The article of a news page: Readability's main content as paragraphs of plain text, with the
 * page's metadata. A page where no article is found falls back to its visible text (`extracted:
 * false`). Synchronous and pure: it fetches nothing, not even the images or scripts the page names.
 *
 * @example
 * import { dedupe, fromHtml } from "news-dedupe";
 * const page = fromHtml(html, { url: "https://example.com/news/1" });
 * // page → { text: "First paragraph…\n\nSecond…", title: "…", url: "https://example.com/news/1", time: "2025-04-15T10:00:00Z", extracted: true }
 * const { clusters } = dedupe([{ id: page.url ?? "page-1", text: page.text }, …]);
 */
export function fromHtml(html: string, options: HtmlOptions = {}): HtmlArticle {
  if (typeof html !== "string") throw new TypeError("fromHtml() needs the page's HTML as a string");
  return articleOf(() => parse(html), options);
}

/**
 * fromHtml() on any W3C DOM: `load` parses the page (it is called a second time for the visible
 * text when no article is found, since Readability rewrites the document it reads). Not part of
 * the public surface: the bench runs it on jsdom to compare the two DOMs on the same work.
 */
export function articleOf(load: () => Doc, options: HtmlOptions = {}): HtmlArticle {
  const doc = load();
  // Metadata first: Readability rewrites the document as it works.
  const url = canonicalUrl(doc, options.url);
  const time = publishedTime(doc);
  const fallbackTitle = metaContent(doc, "og:title") ?? clean(doc.querySelector("title")?.textContent) ?? null;
  let article = null as { title?: string | null; content?: Node | null } | null;
  // Firefox's own test for offering Reader View: some paragraph-sized text in <p>, <pre> or
  // <article>. Without it Readability still returns something (a menu, a cookie notice), which
  // is not an article.
  if (isProbablyReaderable(doc as never)) {
    try {
      article = new Readability(doc as never, { serializer: (node: Node) => node }).parse() as typeof article;
    } catch {
      // Readability throws on documents it cannot walk: the fallback below reads whatever there is.
      article = null;
    }
  }
  const title = clean(article?.title) ?? fallbackTitle;
  const extracted = article?.content ? blocksText(article.content) : "";
  if (/[\p{L}\p{N}]/u.test(extracted)) return { text: extracted, title, url, time, extracted: true };
  const page = load();
  return { text: blocksText(page.body ?? page.documentElement!), title, url, time, extracted: false };
}

/**
 * linkedom's parser (htmlparser2) builds the tree the markup spells out, with none of the
 * elements a browser implies: a fragment without <html> gets a document of its own around it.
 */
function parse(html: string): Doc {
  const whole = /<html[\s>]/i.test(html.slice(0, 4096)) ? html : `<!DOCTYPE html><html><body>${html}</body></html>`;
  const doc = new DOMParser().parseFromString(whole, "text/html") as unknown as Doc;
  return doc.documentElement ? doc : (new DOMParser().parseFromString("<html><body></body></html>", "text/html") as unknown as Doc);
}

// ---- the DOM as this module reads it (linkedom's nodes; no DOM lib types in this project) -------

interface Node {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly childNodes: ArrayLike<Node>;
  readonly textContent: string | null;
}
interface Element extends Node {
  getAttribute(name: string): string | null;
}
export interface Doc {
  readonly body: Node | null;
  readonly documentElement: Node | null;
  querySelector(selector: string): Element | null;
  querySelectorAll(selector: string): ArrayLike<Element>;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** Elements whose content is never text a reader sees. */
const HIDDEN = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "SVG", "HEAD", "IFRAME", "OBJECT", "EMBED", "CANVAS", "SELECT", "TEXTAREA", "MATH", "BUTTON"]);
/** Elements that start and end a paragraph (the HTML block-level elements, and table rows and cells' rows). */
const BLOCK = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "CAPTION", "DD", "DETAILS", "DIALOG", "DIV", "DL", "DT", "FIELDSET",
  "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HGROUP", "HR", "LI", "MAIN",
  "NAV", "OL", "P", "PRE", "SECTION", "SUMMARY", "TABLE", "TBODY", "TFOOT", "THEAD", "TR", "UL", "BODY", "HTML",
]);
/** HTML's white space (not NBSP, which a page puts there on purpose and normalize treats as a space). */
const WHITE = /[ \t\n\r\f]+/g;
const SPACES = /[ \t\r\f]+/g;

/**
 * The text of `root` as paragraphs: each block element ends the paragraph before it and starts
 * its own, <br> breaks a line inside one, runs of white space are one space (as a browser shows
 * them), and hidden elements are left out. Iterative, so a page nested thousands of elements deep
 * cannot overflow the stack.
 */
function blocksText(root: Node): string {
  const paragraphs: string[] = [];
  let pieces: string[] = [];
  const flush = () => {
    if (pieces.length === 0) return;
    const lines = pieces.join("").split("\n");
    pieces = [];
    const kept: string[] = [];
    for (const line of lines) {
      const text = line.replace(SPACES, " ").trim();
      if (text.length > 0) kept.push(text);
    }
    if (kept.length > 0) paragraphs.push(kept.join("\n"));
  };
  // Each entry: a node to enter, or (null) the end of a block element.
  const stack: Array<Node | null> = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null) {
      flush();
      continue;
    }
    if (node.nodeType === TEXT_NODE) {
      // Collapsed here, so that the only line breaks left are <br>'s and <pre>'s.
      pieces.push((node.textContent ?? "").replace(WHITE, " "));
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const name = node.nodeName.toUpperCase();
    if (HIDDEN.has(name)) continue;
    if (name === "BR") {
      pieces.push("\n");
      continue;
    }
    if (name === "TD" || name === "TH") pieces.push(" ");
    if (name === "PRE") {
      // Pre-formatted: its lines are lines.
      flush();
      pieces.push((node.textContent ?? "").replace(/\r\n?/g, "\n"));
      flush();
      continue;
    }
    const block = BLOCK.has(name);
    if (block) {
      flush();
      stack.push(null);
    }
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  flush();
  return paragraphs.join("\n\n");
}

// ---- metadata ------------------------------------------------------------------------------------

function clean(value: string | null | undefined): string | null {
  const text = value?.replace(/\s+/g, " ").trim();
  return text ? text : null;
}

/** The content of <meta property=name> or <meta name=name>. */
function metaContent(doc: Doc, name: string): string | null {
  for (const meta of Array.from(doc.querySelectorAll("meta"))) {
    if (meta.getAttribute("property") === name || meta.getAttribute("name") === name || meta.getAttribute("itemprop") === name) {
      const content = clean(meta.getAttribute("content"));
      if (content) return content;
    }
  }
  return null;
}

function canonicalUrl(doc: Doc, base: string | undefined): string | null {
  const found: string[] = [];
  for (const link of Array.from(doc.querySelectorAll("link[rel]"))) {
    const rel = (link.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
    const href = clean(link.getAttribute("href"));
    if (rel.includes("canonical") && href) {
      found.push(href);
      break;
    }
  }
  const og = metaContent(doc, "og:url");
  if (og) found.push(og);
  // The first that is (or resolves to) an absolute URL: a relative canonical link with no base
  // to resolve it against gives way to og:url.
  for (const href of found) {
    try {
      return new URL(href, base).href;
    } catch {
      continue;
    }
  }
  return base ?? found[0] ?? null;
}

function publishedTime(doc: Doc): string | null {
  const meta = metaContent(doc, "article:published_time") ?? metaContent(doc, "datePublished");
  if (meta) return meta;
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? "");
    } catch {
      continue; // a broken JSON-LD block says nothing
    }
    const time = datePublished(data, 0);
    if (time) return time;
  }
  return null;
}

/** The first datePublished in a JSON-LD value: objects, arrays and @graph lists, a few levels deep. */
function datePublished(data: unknown, depth: number): string | null {
  if (depth > 4 || typeof data !== "object" || data === null) return null;
  if (Array.isArray(data)) {
    for (const item of data) {
      const time = datePublished(item, depth + 1);
      if (time) return time;
    }
    return null;
  }
  const record = data as Record<string, unknown>;
  if (typeof record.datePublished === "string" && record.datePublished.trim()) return record.datePublished.trim();
  return datePublished(record["@graph"], depth + 1);
}
