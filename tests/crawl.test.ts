// Crawl input on the command line: .html pages, --html-field records and WARC archives → articles,
// clustered as the seeds are; every record that is not an article skipped with its reason.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PAGES } from "../test-data/crawl/build.js";
import { cli, parseJsonl, tempDir } from "./helpers/cli.js";

const CRAWL = "test-data/crawl";
const byUrl = new Map(PAGES.map((p) => [p.url, p.file]));
/** The AFP story on two sites together; the two Rutte reports, and the two pages of each template, apart. */
const EXPECTED = [
  ["liberty-rutte-peace-talks.html"],
  ["spacewar-rutte-odesa.html", "vb-rutte-odesa.html"],
  ["spacewar-rutte-transcript.html"],
  ["vb-rutte-not-strong-enough.html"],
];

type Row = Record<string, unknown> & { id: string | null; status: string; cluster?: number; code?: string };
function rows(args: string[]): Row[] {
  const r = cli(["-f", "jsonl", ...args]);
  expect(r.status, r.stderr).toBe(0);
  return parseJsonl(r.stdout) as Row[];
}
/** Clusters as sorted lists of page file names (WARC ids are mapped back through their URL). */
function clusters(rs: readonly Row[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const r of rs) if (r.status !== "skipped") groups.set(r.cluster!, [...(groups.get(r.cluster!) ?? []), byUrl.get(r.id!) ?? r.id!]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** One uncompressed WARC/1.0 record. */
function record(headers: Record<string, string>, block: Buffer | string): Buffer {
  const body = Buffer.from(block);
  const head = Object.entries({ ...headers, "Content-Length": String(body.length) }).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  return Buffer.concat([Buffer.from(`WARC/1.0\r\n${head}\r\n`), body, Buffer.from("\r\n\r\n")]);
}
function response(url: string, n: number, http: string, payload: Buffer | string): Buffer {
  return record(
    { "WARC-Type": "response", "WARC-Target-URI": url, "WARC-Date": `2025-05-0${n}T00:00:00Z`, "WARC-Record-ID": `<urn:uuid:00000000-0000-4000-8000-00000000000${n}>`, "Content-Type": "application/http; msgtype=response" },
    Buffer.concat([Buffer.from(http.replaceAll("\n", "\r\n") + "\r\n\r\n"), Buffer.from(payload)]),
  );
}
const page = (file: string) => readFileSync(join(CRAWL, "pages", file), "utf8");

describe("HTML pages", () => {
  it("extracts each page's article and clusters the pages as the seeds cluster, with title, url and time in the rows", () => {
    const rs = rows([`${CRAWL}/pages`]);
    expect(clusters(rs)).toEqual(EXPECTED);
    expect(rs.find((r) => r.id === "vb-rutte-odesa.html")).toMatchObject({
      title: "NATO's Rutte says US-led Ukraine peace talks 'not easy'",
      url: "https://www.volkswacht-bodensee.example/welt/nato-s-rutte-says-us-led-ukraine-peace-talks-not-easy",
      time: "2025-04-15T14:32:00+02:00",
      status: "duplicate",
    });
    expect(rs.every((r) => r.extracted === undefined)).toBe(true);
  });

  it("writes the articles' text, not their markup, with --out", () => {
    const out = join(tempDir(), "out");
    expect(cli([`${CRAWL}/pages`, "--out", out]).status).toBe(0);
    const text = readFileSync(join(out, "spacewar-rutte-odesa.html.txt"), "utf8");
    expect(text).toContain("NATO chief Mark Rutte said on Tuesday");
    expect(text).not.toMatch(/<|googletag|Missile Defense/);
  });

  it("warns, naming the file, and compares the visible text when a page has no article", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "gallery.htm"), "<html><head><title>Gallery</title><script>var x = '<p>';</script></head><body><nav><a href='/'>Home</a></nav><div>Photos of the week</div></body></html>");
    const r = cli(["-f", "jsonl", dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`news-dedupe: ${dir}/gallery.htm: no article found; its visible text is compared\n`);
    expect(parseJsonl(r.stdout)).toEqual([expect.objectContaining({ id: "gallery.htm", status: "kept", title: "Gallery", extracted: false })]);
    const out = join(tempDir(), "out");
    cli([dir, "--out", out]);
    expect(readFileSync(join(out, "gallery.htm.txt"), "utf8")).toBe("Home\n\nPhotos of the week");
  });

  it.each([
    ["<meta charset> windows-1252", '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 cr\xe8me</p></body></html>', "latin1", "Café crème"],
    ["no label, not UTF-8: windows-1252", "<html><body><p>Caf\xe9</p></body></html>", "latin1", "Café"],
    ["no label, UTF-8", "<html><body><p>Café ✓</p></body></html>", "utf8", "Café ✓"],
  ] as const)("decodes a page by its character encoding: %s", (_, html, encoding, want) => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.html"), Buffer.from(html, encoding));
    const out = join(tempDir(), "out");
    expect(cli([dir, "--out", out]).status).toBe(0);
    expect(readFileSync(join(out, "p.html.txt"), "utf8")).toBe(want);
  });
});

describe("--html-field", () => {
  it("reads a page's HTML from a JSONL field, its id from --id-field, and clusters as the pages do", () => {
    const dir = tempDir();
    const jsonl = join(dir, "pages.jsonl");
    writeFileSync(jsonl, PAGES.map((p) => JSON.stringify({ url: p.url, name: p.file, html: page(p.file) })).join("\n") + "\n");
    const rs = rows(["--html-field", "html", "--id-field", "name", jsonl]);
    expect(clusters(rs)).toEqual(EXPECTED);
    // The record's url resolves the relative canonical link of the Volkswacht pages.
    expect(rs.find((r) => r.id === "vb-rutte-not-strong-enough.html")!.url).toBe("https://www.volkswacht-bodensee.example/welt/nato-chief-says-ukraine-not-strong-enough-for-peace-talks-now");
  });

  it("skips a record without the field, naming it", () => {
    const r = cli(["-f", "jsonl", "--html-field", "html", "-"], { input: '{"id":"a","text":"no html here"}\n' });
    expect(parseJsonl(r.stdout)).toEqual([expect.objectContaining({ id: "a", status: "skipped", code: "INPUT_NO_FIELD", reason: 'record has no "html" field' })]);
  });
});

describe("WARC archives", () => {
  const plain = join(tempDir(), "crawl.warc");
  writeFileSync(plain, gunzipSync(readFileSync(`${CRAWL}/crawl.warc.gz`)));

  it.each([
    ["gzip per record", `${CRAWL}/crawl.warc.gz`],
    ["gzip over the whole file", `${CRAWL}/crawl-whole.warc.gz`],
    ["uncompressed", plain],
  ])("gives the same clusters as the HTML files (%s), one document per HTML response", (_, path) => {
    const rs = rows([path]);
    expect(rs).toHaveLength(5);
    expect(clusters(rs)).toEqual(EXPECTED);
    expect(rs[0]).toMatchObject({
      id: PAGES[0]!.url,
      source: `${path}#3`,
      time: "2025-04-16T08:00:01Z",
      published: "2025-01-13T18:42:00+01:00",
      recordId: expect.stringMatching(/^<urn:uuid:[0-9a-f-]{36}>$/),
      title: "NATO's Rutte Says Ukraine Not In Position To Begin Peace Talks",
    });
  });

  it("gives byte-identical rows on one thread and on two (pages extracted on worker threads)", () => {
    const one = cli(["--threads", "1", "-f", "jsonl", `${CRAWL}/crawl.warc.gz`, `${CRAWL}/pages`]);
    const two = cli(["--threads", "2", "-f", "jsonl", `${CRAWL}/crawl.warc.gz`, `${CRAWL}/pages`]);
    expect(one.status).toBe(0);
    expect(parseJsonl(one.stdout)).toHaveLength(10);
    expect(two.stdout).toBe(one.stdout);
  });

  it("reads a truncated archive up to the cut, and skips the record it ends inside", () => {
    const r = cli(["-f", "jsonl", `${CRAWL}/truncated.warc.gz`]);
    expect(r.status).toBe(0);
    const rs = parseJsonl(r.stdout) as Row[];
    expect(clusters(rs)).toEqual([["liberty-rutte-peace-talks.html"], ["spacewar-rutte-odesa.html", "vb-rutte-odesa.html"], ["vb-rutte-not-strong-enough.html"]]);
    // The record's header was read before the file ended: its row names it.
    expect(rs.at(-1)).toEqual({
      id: PAGES[4]!.url,
      source: `${CRAWL}/truncated.warc.gz#11`,
      status: "skipped",
      code: "WARC_TRUNCATED",
      reason: "truncated record: the archive ends inside it",
      url: PAGES[4]!.url,
      time: "2025-04-16T08:00:05Z",
      recordId: expect.any(String),
    });
    expect(r.stderr).toBe(`news-dedupe: ${CRAWL}/truncated.warc.gz#11: truncated record: the archive ends inside it; skipped\n`);
  });

  it("skips redirects, errors, non-HTML payloads, cut records, revisits and a second capture of a URL, one row each with its reason", () => {
    const r = cli(["-f", "jsonl", `${CRAWL}/mixed.warc`]);
    const rs = parseJsonl(r.stdout) as Row[];
    expect(rs.map((x) => [x.source, x.status, x.code ?? ""])).toEqual([
      [`${CRAWL}/mixed.warc#2`, "kept", ""],
      [`${CRAWL}/mixed.warc#3`, "skipped", "WARC_REDIRECT"],
      [`${CRAWL}/mixed.warc#4`, "skipped", "WARC_HTTP_STATUS"],
      [`${CRAWL}/mixed.warc#5`, "skipped", "WARC_NOT_HTML"],
      [`${CRAWL}/mixed.warc#6`, "skipped", "WARC_NOT_HTML"],
      [`${CRAWL}/mixed.warc#8`, "skipped", "WARC_TRUNCATED"],
      [`${CRAWL}/mixed.warc#9`, "skipped", "WARC_REVISIT"],
      [`${CRAWL}/mixed.warc#10`, "skipped", "INPUT_DUPLICATE_ID"],
      [`${CRAWL}/mixed.warc#11`, "kept", ""],
    ]);
    const first = rs[0]!.recordId as string;
    expect(rs[7]!.reason).toBe(`duplicate id "${PAGES[2]!.url}", first seen at ${CRAWL}/mixed.warc#2 ${first}`);
    expect(rs[7]!.recordId).not.toBe(first);
    expect(rs[1]!.reason).toBe(`HTTP 301 redirect to ${PAGES[2]!.url}: not an article`);
    expect(rs[3]).toMatchObject({ id: "https://www.volkswacht-bodensee.example/media/2025/04/rutte-zelensky-odesa.jpg", reason: "payload is image/jpeg, not HTML", time: "2025-04-17T09:00:04Z", recordId: expect.any(String) });

    const human = cli([`${CRAWL}/mixed.warc`]).stdout;
    expect(human).toMatch(/^2 documents read, 7 skipped\n/);
    expect(human).toContain("\nSkipped by reason: WARC_REDIRECT 1, WARC_HTTP_STATUS 1, WARC_NOT_HTML 2, WARC_TRUNCATED 1, WARC_REVISIT 1, INPUT_DUPLICATE_ID 1\n");
  });

  it("stops at the first skipped record with --on-error fail", () => {
    const r = cli(["--on-error", "fail", `${CRAWL}/mixed.warc`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`news-dedupe: ${CRAWL}/mixed.warc#3: HTTP 301 redirect to ${PAGES[2]!.url}: not an article\n`);
  });

  it("reads chunked and gzip-encoded payloads, and skips an unknown encoding and a payload that expands past the size limit", () => {
    const dir = tempDir();
    const html = page("vb-rutte-odesa.html");
    const chunked = `${Buffer.byteLength(html.slice(0, 4000)).toString(16)}\r\n${html.slice(0, 4000)}\r\n${Buffer.byteLength(html.slice(4000)).toString(16)}\r\n${html.slice(4000)}\r\n0\r\n\r\n`;
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 32));
    writeFileSync(
      join(dir, "enc.warc"),
      Buffer.concat([
        response("https://a.example/1", 1, "HTTP/1.1 200 OK\nContent-Type: text/html\nTransfer-Encoding: chunked", chunked),
        response("https://a.example/2", 2, "HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\nContent-Encoding: gzip", gzipSync(html)),
        response("https://a.example/3", 3, "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Encoding: zstd", "xx"),
        response("https://a.example/4", 4, "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Encoding: gzip", bomb),
      ]),
    );
    const rs = rows(["--max-doc-bytes", "1000000", join(dir, "enc.warc")]);
    expect(rs.map((r) => [r.id, r.status, r.code ?? ""])).toEqual([
      ["https://a.example/1", "kept", ""],
      ["https://a.example/2", "duplicate", ""],
      ["https://a.example/3", "skipped", "WARC_ENCODING"],
      ["https://a.example/4", "skipped", "INPUT_TOO_LARGE"],
    ]);
  });

  it("reads an archive gzipped whole and cut short up to the cut, and names a corrupt gzip stream", () => {
    const dir = tempDir();
    const whole = readFileSync(`${CRAWL}/crawl-whole.warc.gz`);
    writeFileSync(join(dir, "cut.warc.gz"), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const cut = rows([join(dir, "cut.warc.gz")]);
    expect(cut.at(-1)).toMatchObject({ status: "skipped", code: "WARC_TRUNCATED" });
    expect(cut.filter((x) => x.status !== "skipped").length).toBeGreaterThan(0);
    const bad = Buffer.from(whole);
    bad.fill(0x55, 2000, 2400);
    writeFileSync(join(dir, "bad.warc.gz"), bad);
    expect(rows([join(dir, "bad.warc.gz")]).at(-1)).toMatchObject({ status: "skipped", code: "WARC_CORRUPT", reason: expect.stringContaining("gzip") });
  });

  it.each([
    ["a file that is not a WARC", "not a warc at all\nhello\n", "WARC_CORRUPT"],
    ["an uncompressed archive cut inside a record's block", null, "WARC_TRUNCATED"],
  ])("skips %s with one row, and reads what came before", (_, content, code) => {
    const dir = tempDir();
    const whole = Buffer.concat([response("https://a.example/1", 1, "HTTP/1.1 200 OK\nContent-Type: text/html", page("vb-rutte-odesa.html")), response("https://a.example/2", 2, "HTTP/1.1 200 OK\nContent-Type: text/html", page("spacewar-rutte-odesa.html"))]);
    writeFileSync(join(dir, "x.warc"), content ?? whole.subarray(0, whole.length - 3000));
    const r = cli(["-f", "jsonl", join(dir, "x.warc")]);
    expect(r.status).toBe(0);
    const rs = parseJsonl(r.stdout) as Row[];
    expect(rs.at(-1)).toMatchObject({ status: "skipped", code });
    expect(rs.filter((x) => x.status !== "skipped")).toHaveLength(content ? 0 : 1);
  });

  it("finds archives and pages in a directory, and still ignores other files with one warning", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "a.warc.gz"), readFileSync(`${CRAWL}/crawl.warc.gz`));
    writeFileSync(join(dir, "in", "b.html"), page("vb-rutte-odesa.html"));
    writeFileSync(join(dir, "in", "c.css"), "body{}");
    const r = cli(["-f", "jsonl", join(dir, "in")]);
    expect(parseJsonl(r.stdout)).toHaveLength(6);
    expect(r.stderr).toContain("ignored 1 file(s) that are not .txt, .md, .jsonl, .json, .html, .htm, .warc or .warc.gz");
    expect(readdirSync(join(dir, "in"))).toHaveLength(3);
  });
});
