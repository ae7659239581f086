// Html pages: bytes → the page's text in its own character encoding, as a browser picks it
// (byte-order mark, the HTTP header's charset, <meta charset>, else UTF-8 when the bytes are
// UTF-8 and windows-1252 when they are not), ready for fromHtml().
import { isUtf8 } from "node:buffer";
import { dedupeError, DedupeError } from "../../errors.js";
import { skip, tooLarge, type InputHtml, type InputItem } from "./items.js";

/** An .html/.htm file, from what a read gave: the page, or why it is skipped. */
export function htmlItem(bytes: Buffer | number | DedupeError, id: string, source: string, limit: number): InputItem {
  if (bytes instanceof DedupeError) return skip(source, id, bytes);
  if (typeof bytes === "number") return skip(source, id, tooLarge(bytes, limit));
  const html = decodeHtml(bytes, null);
  if (html instanceof DedupeError) return skip(source, id, html);
  if (html.trim().length === 0) return skip(source, id, dedupeError("INPUT_EMPTY", undefined));
  const page: InputHtml = { kind: "html", id, html, source };
  return page;
}

/** How much of a page is searched for <meta charset>: the HTML standard's prescan reads 1024 bytes; pages put it later often enough. */
const SNIFF_BYTES = 4096;

/** A page's bytes → its text; `contentType` is the HTTP Content-Type header, when there is one. */
export function decodeHtml(bytes: Buffer, contentType: string | null): string | DedupeError {
  if (bytes.includes(0) && !hasUtf16Bom(bytes)) return dedupeError("INPUT_BINARY", undefined);
  const label = bomEncoding(bytes) ?? charsetOf(contentType) ?? metaCharset(bytes) ?? (isUtf8(bytes) ? "utf-8" : "windows-1252");
  try {
    // Not fatal: a page with a stray bad byte still reads (U+FFFD), as it does in a browser.
    return new TextDecoder(label, { ignoreBOM: false }).decode(bytes);
  } catch {
    // A label TextDecoder does not know: what the bytes look like decides.
    return new TextDecoder(isUtf8(bytes) ? "utf-8" : "windows-1252").decode(bytes);
  }
}

function hasUtf16Bom(bytes: Buffer): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

function bomEncoding(bytes: Buffer): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

function charsetOf(contentType: string | null): string | null {
  const m = contentType ? /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType) : null;
  return m ? m[1]!.toLowerCase() : null;
}

function metaCharset(bytes: Buffer): string | null {
  const head = bytes.subarray(0, SNIFF_BYTES).toString("latin1");
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head);
  if (!m) return null;
  const label = m[1]!.toLowerCase();
  // A page declaring UTF-16 in its ASCII bytes is not UTF-16 (the HTML standard reads it as UTF-8).
  return label.startsWith("utf-16") ? "utf-8" : label;
}
