// WARC: a .warc or .warc.gz archive (WARC/1.0 or 1.1; gzip per record or over the whole file) →
// one page per `response` record with an HTML payload, streamed record by record with warcio
// (webrecorder's parser) after Node's zlib: an archive is never held whole, a payload at most up to
// --max-doc-bytes.
// Every other response is skipped with its reason; records that are not responses (warcinfo,
// request, metadata) are not documents and are passed over.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { open, stat } from "node:fs/promises";
import { brotliDecompressSync, createGunzip, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { AsyncIterReader, WARCParser, type WARCRecord } from "warcio";
import { dedupeError, DedupeError, type ErrorCode } from "../../errors.js";
import { decodeHtml } from "./html.js";
import { errno, reason, skip, tooLarge, unreadable, type InputItem, type ReadOptions, type RecordMeta } from "./items.js";

/** The LimitReader warcio gives a record's block: `limit` is what is left of it after the HTTP headers. */
interface BlockReader extends AsyncIterable<Uint8Array> {
  limit: number;
}

/**
 * The pages of one archive, in record order. A record's source is "file#n", n counting every
 * record from 1; its row carries WARC-Record-ID, WARC-Date and WARC-Target-URI.
 */
export async function* warcItems(path: string, source: string, options: ReadOptions): AsyncGenerator<InputItem> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    yield skip(source, null, unreadable(e));
    return;
  }
  let gzip: boolean;
  try {
    gzip = (await firstBytes(path, 2)).equals(GZIP_MAGIC);
  } catch (e) {
    yield skip(source, null, unreadable(e));
    return;
  }
  let bytes = 0;
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  // Counted as the parser pulls them: the progress bar's bytes.
  const counted = Readable.from(
    (async function* () {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
  // gzip (per record or over the whole file: zlib reads concatenated members as one stream) is
  // inflated by Node's zlib, not by warcio's pure-JavaScript inflater, which took a tenth of the
  // main thread's time on a crawl; a file cut inside a member is zlib's "unexpected end of file".
  const source_ = gzip ? counted.pipe(createGunzip({ chunkSize: 256 * 1024 })) : counted;
  if (gzip) counted.on("error", (e) => source_.destroy(e));
  const parser = new WARCParser(source_ as AsyncIterable<Uint8Array>);
  let n = 0;
  /** The skip that ends the file when reading it fails: a gzip stream cut short, a corrupt one, or a read error. */
  const failed = (at: string, e: unknown, meta?: RecordMeta) => {
    const code = errno(e);
    if (code === "Z_BUF_ERROR") return skip(at, meta?.url ?? null, dedupeError("WARC_TRUNCATED", undefined, "the archive ends inside it"), meta);
    if (code?.startsWith("Z_")) return skip(at, meta?.url ?? null, dedupeError("WARC_CORRUPT", undefined, `gzip: ${reason(e)}`), meta);
    return skip(at, meta?.url ?? null, unreadable(e), meta);
  };
  try {
    for (;;) {
      let record: WARCRecord | null;
      try {
        record = await parser.parse();
      } catch (e) {
        yield errno(e) ? failed(`${source}#${n + 1}`, e) : skip(`${source}#${n + 1}`, null, dedupeError("WARC_CORRUPT", undefined, reason(e)));
        return;
      }
      if (record === null) {
        // The parser stops where it finds no record: at the end of the file, or (uncompressed)
        // inside a record's header block the file ends in.
        if (n === 0 && size > 0) yield skip(source, null, dedupeError("WARC_CORRUPT", undefined, "no WARC record at its start"));
        else if (!gzip && parser.offset > 0 && parser.offset < size) {
          yield skip(`${source}#${n + 1}`, null, dedupeError("WARC_TRUNCATED", undefined, `the archive ends inside it (its last ${size - parser.offset} bytes cannot be read)`));
        }
        return;
      }
      n++;
      const at = `${source}#${n}`;
      if (!record.warcHeaders.statusline.startsWith("WARC/")) {
        yield skip(at, null, dedupeError("WARC_CORRUPT", undefined, `not a WARC record header: ${JSON.stringify(record.warcHeaders.statusline.slice(0, 40))}`));
        return;
      }
      let item: InputItem | null | "truncated";
      try {
        item = await readRecord(record, at, options);
      } catch (e) {
        yield failed(at, e, metaOf(record));
        return;
      }
      options.onRecord?.(bytes, size);
      if (item === "truncated") {
        const meta = metaOf(record);
        yield skip(at, meta.url ?? null, dedupeError("WARC_TRUNCATED", undefined, "the archive ends inside it"), meta);
        return; // nothing can follow
      }
      if (item) yield item;
    }
  } catch (e) {
    yield failed(`${source}#${n + 1}`, e);
  } finally {
    stream.destroy();
    counted.destroy();
    source_.destroy();
  }
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await file.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function metaOf(record: WARCRecord): RecordMeta {
  const meta: { recordId?: string; time?: string; url?: string } = {};
  const id = record.warcHeader("WARC-Record-ID");
  if (id) meta.recordId = id;
  if (record.warcDate) meta.time = record.warcDate;
  if (record.warcTargetURI) meta.url = record.warcTargetURI;
  return meta;
}

/**
 * One record → a page, a skip, or null (not a response: not a document). Its block is always
 * read to its end here (kept only up to the size limit), so the parser never skips it: warcio's
 * skip loops for ever on a block the file ends inside.
 */
async function readRecord(record: WARCRecord, at: string, options: ReadOptions): Promise<InputItem | null | "truncated"> {
  const type = record.warcType;
  const reader = record.reader as BlockReader;
  const limit = options.maxDocBytes;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of reader) {
    if (total + chunk.length <= limit) chunks.push(Buffer.from(chunk));
    total += chunk.length;
  }
  if (reader.limit > 0) return "truncated";
  if (type !== "response" && type !== "revisit") return null;
  const meta = metaOf(record);
  const id = meta.url ?? null;
  const skipped = (code: ErrorCode, ...why: string[]) => skip(at, id, (dedupeError as (c: ErrorCode, d: undefined, ...a: string[]) => DedupeError)(code, undefined, ...why), meta);
  if (type === "revisit") return skipped("WARC_REVISIT", record.warcRefersToTargetURI ?? record.warcHeader("WARC-Refers-To") ?? "an earlier record");
  if (id === null) return skipped("WARC_NO_URI");
  const truncated = record.warcHeader("WARC-Truncated");
  if (truncated) return skipped("WARC_TRUNCATED", `cut by the crawler (WARC-Truncated: ${truncated}), not the whole page`);
  const http = record.httpHeaders;
  const status = Number(http?.statusCode);
  if (!http || !Number.isInteger(status)) return skipped("WARC_NOT_HTTP");
  if (status >= 300 && status < 400) return skipped("WARC_REDIRECT", String(status), http.headers.get("location") ?? "nowhere");
  if (status !== 200) return skipped("WARC_HTTP_STATUS", String(status));
  const contentType = http.headers.get("content-type") ?? null;
  if (total > limit) return skip(at, id, tooLarge(total, limit), meta);
  let body: Buffer = Buffer.concat(chunks, total);
  const type_ = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const decoded = await decodeBody(body, http.headers.get("content-encoding") ?? null, http.headers.get("transfer-encoding") ?? null, limit);
  if (decoded instanceof DedupeError) return skip(at, id, decoded, meta);
  body = decoded;
  if (type_ !== "text/html" && type_ !== "application/xhtml+xml" && !(type_ === "" && looksLikeHtml(body))) {
    return skipped("WARC_NOT_HTML", type_ || "not given");
  }
  const html = decodeHtml(body, contentType);
  if (html instanceof DedupeError) return skip(at, id, html, meta);
  if (html.trim().length === 0) return skip(at, id, dedupeError("INPUT_EMPTY", undefined), meta);
  return { kind: "html", id, html, source: at, url: id, meta };
}

function looksLikeHtml(body: Buffer): boolean {
  return /^\s*<(!doctype html|html[\s>])/i.test(body.subarray(0, 512).toString("latin1"));
}

/**
 * An HTTP payload as it was sent → its bytes: chunked transfer coding undone (warcio's reader),
 * then gzip, deflate or brotli; the output bounded by the size limit, so a small compressed
 * payload cannot expand into gigabytes.
 */
async function decodeBody(body: Buffer, contentEncoding: string | null, transferEncoding: string | null, limit: number): Promise<Buffer | DedupeError> {
  const transfer = (transferEncoding ?? "").toLowerCase();
  if (transfer.includes("chunked")) body = Buffer.from(await new AsyncIterReader([body], null, true).readFully());
  const coding = (contentEncoding ?? (transfer.replace("chunked", "").replace(/[\s,]/g, "") || "identity")).toLowerCase().trim();
  const bound = { maxOutputLength: limit + 1 };
  try {
    let out: Buffer;
    if (coding === "identity" || coding === "") return body;
    else if (coding === "gzip" || coding === "x-gzip") out = gunzipSync(body, bound);
    else if (coding === "br") out = brotliDecompressSync(body, bound);
    else if (coding === "deflate") out = inflateOrRaw(body, bound);
    else return dedupeError("WARC_ENCODING", undefined, coding);
    return out;
  } catch (e) {
    const code = typeof e === "object" && e !== null && "code" in e ? String(e.code) : "";
    if (code === "ERR_BUFFER_TOO_LARGE") return tooLarge(limit + 1, limit);
    return dedupeError("WARC_ENCODING", undefined, `${coding} (${reason(e)})`);
  }
}

/** HTTP's "deflate" is zlib-wrapped by the standard and raw by many servers: both are read. */
function inflateOrRaw(body: Buffer, bound: { maxOutputLength: number }): Buffer {
  try {
    return inflateSync(body, bound);
  } catch (e) {
    if (typeof e === "object" && e !== null && "code" in e && e.code === "ERR_BUFFER_TOO_LARGE") throw e;
    return inflateRawSync(body, bound);
  }
}
