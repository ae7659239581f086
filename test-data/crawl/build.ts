// Builds test-data/crawl: the seed stories as pages of three made-up news-site templates (pages/),
// and WARC archives of those pages (crawl.warc.gz per-record gzip, crawl-whole.warc.gz one gzip
// stream, truncated.warc.gz cut inside its last record, mixed.warc with redirects, errors,
// non-HTML payloads, a crawler-truncated record, a revisit and a URL crawled twice).
// Deterministic: fixed record ids and dates, so a rebuild gives the same bytes.
//   node --import tsx test-data/crawl/build.ts
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { WARCRecord, WARCSerializer } from "warcio";

const here = import.meta.dirname;
const seeds = join(here, "../seeds");
const seed = (prefix: string) => readFileSync(join(seeds, `${prefix}_${{ "000": "af2b7980db6a60f6", "001": "b148b795286accaa", "002": "15595de7b2b82864", "003": "f9f8a215f32f7d64", "004": "165a98ffcd64dbf1" }[prefix]}.txt`), "utf8").split("\n");
/** Lines from..to (1-based, inclusive) of a seed, blank lines dropped. */
const lines = (s: string[], from: number, to: number) => s.slice(from - 1, to).filter((l) => l.trim() !== "");
const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
const paras = (ls: readonly string[]) => ls.map((l) => `      <p>${esc(l)}</p>`).join("\n");

interface Story {
  slug: string;
  url: string;
  headline: string;
  description: string;
  published: string;
  author: string;
  body: string;
  figure?: { src: string; caption: string };
}

// ---- site A: Volkswacht Bodensee (seed 002's site): ticker, cookie banner, mega-menu, JSON-LD ----

const vbTicker = lines(seed("002"), 4, 19)
  .map((row) => {
    const [sym, change, price] = row.split(" ");
    return `<li class="ticker__item"><span class="sym">${sym}</span> <span class="${change!.startsWith("-") ? "down" : "up"}">${change}</span> <span class="px">${price} $</span></li>`;
  })
  .join("\n        ");

const vbSections = ["Politik", "Wirtschaft", "Welt", "Sport", "Kultur", "Wissenschaft", "Panorama", "Region", "Meinung", "Video"];

function vbPage(s: Story): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Volkswacht Bodensee - ${esc(s.headline)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="${esc(s.description)}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="${esc(s.headline)}">
  <meta property="og:site_name" content="Volkswacht Bodensee">
  <meta property="og:url" content="${s.url}">
  <meta property="article:published_time" content="${s.published}">
  <link rel="canonical" href="${new URL(s.url).pathname}">
  <link rel="stylesheet" href="/static/css/main.4f2a91.css">
  <style>
    :root { --vb-blue: #003a70; --vb-red: #c8102e; }
    body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; }
    .ticker { display: flex; overflow: hidden; background: #111; color: #eee; font: 12px/2 Arial, sans-serif; }
    .ticker .up { color: #3c3; } .ticker .down { color: #e33; }
    .cookie-banner { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; box-shadow: 0 -2px 8px rgba(0,0,0,.2); padding: 1em; }
    .article__body p { margin: 0 0 1em; }
    figure figcaption { font-size: 13px; color: #666; }
  </style>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){ dataLayer.push(arguments); }
    gtag('js', new Date()); gtag('config', 'G-VB0000000', { anonymize_ip: true });
    window.__VB_ADS__ = { slots: ["top", "sidebar-1", "sidebar-2", "inread"], targeting: { section: "welt", paywall: false } };
  </script>
  <script type="application/ld+json">
  ${JSON.stringify({ "@context": "https://schema.org", "@type": "NewsArticle", headline: s.headline, datePublished: s.published, author: { "@type": "Person", name: s.author }, publisher: { "@type": "Organization", name: "Volkswacht Bodensee" }, mainEntityOfPage: s.url })}
  </script>
</head>
<body class="article-page">
  <div id="cookie-consent" class="cookie-banner" role="dialog" aria-label="Cookie consent">
    <p>We use cookies and similar technologies to personalise content and ads, to provide social media features and to analyse our traffic. You can change your settings at any time under "Privacy".</p>
    <button class="btn btn-primary" data-consent="all">Accept all</button>
    <button class="btn" data-consent="necessary">Only necessary</button>
    <a href="/privacy">Privacy policy</a>
  </div>
  <header class="site-header">
    <a class="logo" href="/"><img src="/static/img/logo.svg" alt="Volkswacht Bodensee"></a>
    <nav class="main-nav" aria-label="Sections">
      <ul>
        ${vbSections.map((x) => `<li><a href="/${x.toLowerCase()}">${x}</a></li>`).join("\n        ")}
      </ul>
    </nav>
    <div class="ticker" aria-label="Markets">
      <span class="ticker__title">NYSE - LSE</span>
      <ul>
        ${vbTicker}
      </ul>
    </div>
  </header>
  <main id="content">
    <article class="article">
      <header class="article__header">
        <h1 class="article__title">${esc(s.headline)}</h1>
        <p class="article__meta"><time datetime="${s.published}">${s.published.slice(0, 10)}</time></p>
      </header>
      ${s.figure ? `<figure class="article__image">
        <img src="${s.figure.src}" alt="${esc(s.headline)}" width="1200" height="675" loading="lazy">
        <figcaption>${esc(s.figure.caption)}</figcaption>
      </figure>` : ""}
      <div class="article__tools"><span>Text size:</span> <button aria-label="smaller">A-</button> <button aria-label="larger">A+</button></div>
      <div class="article__body">
${s.body}
      </div>
      <p class="article__byline">${esc(s.author)}</p>
    </article>
    <aside class="related" aria-label="More on this topic">
      <h2>More on this topic</h2>
      <ul>
        <li><a href="/welt/nato-gipfel-2025">NATO summit: allies argue over spending targets</a></li>
        <li><a href="/welt/ukraine-luftabwehr">Ukraine asks partners for more air defence</a></li>
        <li><a href="/wirtschaft/energiepreise">Energy prices fall for a third month</a></li>
        <li><a href="/region/bodensee-faehre">Lake ferry timetable changes from Monday</a></li>
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <nav aria-label="Footer"><a href="/impressum">Imprint</a> · <a href="/privacy">Privacy</a> · <a href="/abo">Subscribe</a> · <a href="/kontakt">Contact</a></nav>
    <p>© 2025 Volkswacht Bodensee. All rights reserved.</p>
  </footer>
  <script>
    document.querySelectorAll('[data-consent]').forEach(function (b) { b.addEventListener('click', function () { document.cookie = 'vb_consent=' + b.dataset.consent + ';path=/;max-age=31536000'; document.getElementById('cookie-consent').remove(); }); });
  </script>
</body>
</html>
`;
}

// ---- site B: SpaceWar (seed 003's site): table layout, pull-quote, newsletter, link lists -------

function swPage(s: Story & { pullQuote?: string; related: string[] }): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>${esc(s.headline)}</title>
<meta name="keywords" content="missile defense, nuclear weapons, military news">
<meta property="og:title" content="${esc(s.headline)}">
<meta property="og:url" content="${s.url}">
<link rel="canonical" href="${s.url}">
<style type="text/css">
body { background:#fff; margin:0; font-family: Verdana, Arial, sans-serif; font-size: 13px; }
.BL { color:#0000cc; } .headline { font-size: 20px; font-weight: bold; } td.sidebar { width: 180px; vertical-align: top; }
</style>
<script type="text/javascript">
var googletag = googletag || {}; googletag.cmd = googletag.cmd || [];
googletag.cmd.push(function() { googletag.defineSlot('/1234/spacewar_top', [728, 90], 'div-gpt-ad-top').addService(googletag.pubads()); googletag.enableServices(); });
</script>
<script type="application/ld+json">
${JSON.stringify({ "@context": "https://schema.org", "@graph": [{ "@type": "WebSite", name: "SpaceWar", url: "https://www.spacewar.example/" }, { "@type": "NewsArticle", headline: s.headline, datePublished: s.published, author: s.author }] })}
</script>
</head>
<body>
<table width="100%" cellpadding="0" cellspacing="0"><tr>
<td><a href="/"><img src="/images/spacewar-logo.gif" alt="SpaceWar" border="0"></a></td>
<td><div id="div-gpt-ad-top"><script>googletag.cmd.push(function() { googletag.display('div-gpt-ad-top'); });</script></div></td>
</tr></table>
<table width="100%" cellpadding="4" cellspacing="0"><tr>
<td class="sidebar">
<b>Sections</b><br>
<a class="BL" href="/Missile_Defense.html">Missile Defense</a><br>
<a class="BL" href="/Nuclear_Weapons.html">Nuclear Weapons</a><br>
<a class="BL" href="/Military_Space.html">Military Space</a><br>
<a class="BL" href="/Cyber_War.html">Cyber War</a><br>
<a class="BL" href="/Superpowers.html">Superpowers</a><br>
<br><b>Subscribe Free To Our Daily Newsletters</b><br>
<form action="/subscribe" method="post"><input type="text" name="email" size="14"><input type="submit" value="Go"></form>
</td>
<td valign="top">
${s.pullQuote ? `<blockquote class="pullquote">${esc(s.pullQuote)}</blockquote>` : ""}
<h1 class="headline">${esc(s.headline)}</h1>
<p class="byline">by ${esc(s.author)}</p>
${s.body}
<p><b>Related Links</b><br>
${s.related.map((r) => `<a href="/${r.replace(/\W+/g, "_")}.html">${esc(r)}</a><br>`).join("\n")}
</p>
</td>
<td class="sidebar">
<b>Subscribe Free To Our Daily Newsletters</b><br>
<b>Tell a Friend</b><br>
<a href="https://www.facebook.com/sharer.php">Facebook</a> | <a href="https://x.com/intent/tweet">X</a><br>
<b>MOST READ</b><br>
<a href="/reports/Hypersonic_test_2025.html">Hypersonic glide vehicle test reported</a><br>
<a href="/reports/Radar_upgrade.html">Early-warning radar upgrade completed</a><br>
<a href="/reports/Satellite_launch.html">Reconnaissance satellite reaches orbit</a><br>
</td>
</tr></table>
<p align="center"><small>The content herein, unless otherwise known to be public domain, are Copyright 1995-2025 - Space Media Network.</small></p>
<p align="center"><small>Privacy Statement</small></p>
</body>
</html>
`;
}

// ---- site C: a public broadcaster's news site (seed 000): JSON-LD only, "See also" box ----------

function rlPage(s: Story): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<title>${esc(s.headline)}</title>
<meta name="twitter:card" content="summary_large_image">
<meta name="description" content="${esc(s.description)}">
<link rel="alternate" hreflang="ru" href="https://www.liberty-news.example/ru/a/33271207.html">
<script>window.__INITIAL_STATE__ = {"user":null,"edition":"en","features":{"comments":false,"liveblog":false},"experiments":["headline-ab-17","related-v2"]};</script>
<script type="application/ld+json">${JSON.stringify({ "@context": "https://schema.org", "@type": "NewsArticle", url: s.url, headline: s.headline, datePublished: s.published, dateModified: s.published, author: [{ "@type": "Person", name: s.author }] })}</script>
<style>.c-see-also{border-left:4px solid #d00;padding:0 1em;margin:1em 0}.c-nav a{padding:0 .5em}</style>
</head>
<body>
<div class="c-consent" id="consent"><span>This site uses cookies. By continuing to browse you agree to our use of cookies.</span> <a class="c-consent__ok" href="#">OK</a> <a href="/cookies">Learn more</a></div>
<nav class="c-nav"><a href="/">Home</a><a href="/z/ukraine">Ukraine</a><a href="/z/russia">Russia</a><a href="/z/europe">Europe</a><a href="/z/central-asia">Central Asia</a><a href="/z/podcasts">Podcasts</a><a href="/z/investigations">Investigations</a></nav>
<div class="l-wrap">
<div class="c-article">
<h1 class="title">${esc(s.headline)}</h1>
<div class="c-meta"><span class="links__item-link">By ${esc(s.author)}</span> <time pubdate datetime="${s.published}">January 13, 2025</time></div>
<div id="article-content" class="wsw">
${s.body}
</div>
</div>
<div class="c-share"><a href="#">Share</a> <a href="#">Print</a> <a href="#">Comment</a></div>
<section class="c-most-popular"><h3>Most Popular</h3><ol><li><a href="/a/1">Live: Ukraine war updates</a></li><li><a href="/a/2">Explainer: What is in the minerals deal?</a></li><li><a href="/a/3">Photo gallery: Winter in Kharkiv</a></li></ol></section>
</div>
<footer><p>Copyright (c) 2025. Liberty News Service. All rights reserved.</p><a href="/terms">Terms of use</a> <a href="/privacy">Privacy</a></footer>
<script async src="https://www.liberty-news.example/static/app.js"></script>
</body>
</html>
`;
}

// ---- the five pages ------------------------------------------------------------------------------

const s000 = seed("000");
const s001 = seed("001");
const s002 = seed("002");
const s003 = seed("003");
const s004 = seed("004");
const [seeAlso, afterSeeAlso] = s000[4]!.split("ReturnRutte");

export const PAGES: Array<{ file: string; url: string; html: string; article: string[] }> = [
  {
    file: "liberty-rutte-peace-talks.html",
    article: [...lines(s000, 1, 4), `Rutte${afterSeeAlso!}`, ...lines(s000, 6, 15)],
    url: "https://www.liberty-news.example/a/nato-rutte-ukraine-peace-talks/33271207.html",
    html: rlPage({
      slug: "rutte",
      url: "https://www.liberty-news.example/a/nato-rutte-ukraine-peace-talks/33271207.html",
      headline: "NATO's Rutte Says Ukraine Not In Position To Begin Peace Talks",
      description: "NATO Secretary-General Mark Rutte told the European Parliament that Ukraine cannot yet negotiate from a position of strength.",
      published: "2025-01-13T18:42:00+01:00",
      author: "RFE/RL",
      body: [
        paras(lines(s000, 1, 4)).replaceAll("      ", ""),
        `<div class="c-see-also"><strong>SEE ALSO:</strong> <a href="/a/zelenskiy-brussels/33270011.html">${esc(seeAlso!.replace("SEE ALSO: ", "") + "Return")}</a></div>`,
        `<p>Rutte${esc(afterSeeAlso!)}</p>`,
        paras(lines(s000, 6, 15)).replaceAll("      ", ""),
      ].join("\n"),
    }),
  },
  {
    file: "vb-rutte-not-strong-enough.html",
    article: lines(s001, 4, 16),
    url: "https://www.volkswacht-bodensee.example/welt/nato-chief-says-ukraine-not-strong-enough-for-peace-talks-now",
    html: vbPage({
      slug: "rutte",
      url: "https://www.volkswacht-bodensee.example/welt/nato-chief-says-ukraine-not-strong-enough-for-peace-talks-now",
      headline: s001[0]!,
      description: "Ukraine is not in a position to negotiate from strength, NATO chief Mark Rutte said.",
      published: "2025-01-13T17:05:00+01:00",
      author: "AFP",
      figure: { src: "/media/2025/01/helenow.jpg", caption: s001[2]! },
      body: paras(lines(s001, 4, 16)),
    }),
  },
  {
    file: "vb-rutte-odesa.html",
    article: [s002[24]!, ...lines(s002, 29, 57)],
    url: "https://www.volkswacht-bodensee.example/welt/nato-s-rutte-says-us-led-ukraine-peace-talks-not-easy",
    html: vbPage({
      slug: "odesa",
      url: "https://www.volkswacht-bodensee.example/welt/nato-s-rutte-says-us-led-ukraine-peace-talks-not-easy",
      headline: s002[19]!,
      description: "NATO chief Mark Rutte said on Tuesday that the push for a ceasefire in Ukraine was not easy.",
      published: "2025-04-15T14:32:00+02:00",
      author: "K.Sutter--VB",
      figure: { src: "/media/2025/04/rutte-zelensky-odesa.jpg", caption: s002[20]!.split(" / ")[1]! },
      body: paras([s002[24]!, ...lines(s002, 29, 57)]),
    }),
  },
  {
    file: "spacewar-rutte-odesa.html",
    article: [...lines(s003, 3, 34)],
    url: "https://www.spacewar.example/reports/NATOs_Rutte_says_US_led_peace_talks_not_easy_reaffirms_support_for_Ukraine_999.html",
    html: swPage({
      slug: "odesa",
      url: "https://www.spacewar.example/reports/NATOs_Rutte_says_US_led_peace_talks_not_easy_reaffirms_support_for_Ukraine_999.html",
      headline: s003[1]!,
      description: "",
      published: "2025-04-15T00:00:00Z",
      author: "Staff Writers",
      pullQuote: s003[0]!,
      body: [paras(lines(s003, 3, 18)), `<p><b>${esc(s003[18]!)}</b></p>`, `<p>${esc(s003[19]!)}</p>`, paras(lines(s003, 21, 34))].join("\n").replaceAll("      ", ""),
      related: lines(s003, 36, 39),
    }),
  },
  {
    file: "spacewar-rutte-transcript.html",
    article: lines(s004, 1, 23),
    url: "https://www.spacewar.example/reports/Rutte_NATO_will_not_have_Putin_get_his_way_in_Ukraine_999.html",
    html: swPage({
      slug: "transcript",
      url: "https://www.spacewar.example/reports/Rutte_NATO_will_not_have_Putin_get_his_way_in_Ukraine_999.html",
      headline: "NATO will not have Putin get his way in Ukraine, says Rutte",
      description: "",
      published: "2024-10-16T00:00:00Z",
      author: "Staff Writers",
      body: paras(lines(s004, 1, 23)).replaceAll("      ", ""),
      related: ["Learn about the Superpowers of the 21st Century at SpaceWar.com"],
    }),
  },
];

// ---- WARC records ----------------------------------------------------------------------------------

const enc = new TextEncoder();
/** A record id derived from what the record is, so rebuilds give the same bytes. */
const recordId = (...parts: string[]) => {
  const h = createHash("sha1").update(parts.join("\n")).digest("hex");
  return `<urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}>`;
};

interface RecordSpec {
  type: "warcinfo" | "request" | "response" | "revisit" | "metadata";
  url?: string;
  date: string;
  status?: string;
  httpHeaders?: Record<string, string>;
  body: Uint8Array;
  warcHeaders?: Record<string, string>;
  version?: "WARC/1.0" | "WARC/1.1";
}

async function serialize(spec: RecordSpec, gzip: boolean): Promise<Uint8Array> {
  const record = WARCRecord.create(
    {
      type: spec.type,
      ...(spec.url ? { url: spec.url } : {}),
      date: spec.date,
      warcVersion: spec.version ?? "WARC/1.0",
      warcHeaders: { "WARC-Record-ID": recordId(spec.type, spec.url ?? "", spec.date, String(spec.body.length)), ...spec.warcHeaders },
      ...(spec.httpHeaders ? { httpHeaders: spec.httpHeaders, statusline: `HTTP/1.1 ${spec.status ?? "200 OK"}` } : {}),
      ...(spec.type === "warcinfo" ? { filename: "crawl.warc.gz" } : {}),
    },
    [spec.body],
  );
  // pako, not CompressionStream: the same bytes on every Node version.
  return WARCSerializer.serialize(record, { gzip, preferPako: true });
}

const info = (name: string): RecordSpec => ({
  type: "warcinfo",
  date: "2025-04-16T08:00:00Z",
  body: enc.encode(`software: news-dedupe test-data/crawl/build.ts\r\nformat: WARC File Format 1.0\r\nisPartOf: ${name}\r\n`),
});
const request = (url: string, date: string): RecordSpec => ({
  type: "request",
  url,
  date,
  body: enc.encode(`GET ${new URL(url).pathname} HTTP/1.1\r\nHost: ${new URL(url).host}\r\nUser-Agent: news-dedupe-test-crawler/1.0\r\n\r\n`),
});
const page = (url: string, date: string, html: string, extra: Record<string, string> = {}): RecordSpec => ({
  type: "response",
  url,
  date,
  httpHeaders: { "Content-Type": "text/html; charset=utf-8", ...extra },
  body: enc.encode(html),
});

const concat = (parts: Uint8Array[]) => Buffer.concat(parts);

async function main(): Promise<void> {
  mkdirSync(join(here, "pages"), { recursive: true });
  for (const p of PAGES) writeFileSync(join(here, "pages", p.file), p.html);

  // crawl.warc.gz: the five pages, each a request and a response, one gzip member per record.
  const dates = ["2025-04-16T08:00:01Z", "2025-04-16T08:00:02Z", "2025-04-16T08:00:03Z", "2025-04-16T08:00:04Z", "2025-04-16T08:00:05Z"];
  const crawl: RecordSpec[] = [info("crawl.warc.gz")];
  PAGES.forEach((p, i) => crawl.push(request(p.url, dates[i]!), page(p.url, dates[i]!, p.html)));
  const perRecord = concat(await Promise.all(crawl.map((r) => serialize(r, true))));
  writeFileSync(join(here, "crawl.warc.gz"), perRecord);
  // The same archive as one gzip stream over the whole file (as some tools write it).
  writeFileSync(join(here, "crawl-whole.warc.gz"), gzipSync(gunzipSync(perRecord), { level: 9 }));
  // Cut in the middle of the last record's gzip member: a download that stopped early.
  const last = await serialize(crawl.at(-1)!, true);
  writeFileSync(join(here, "truncated.warc.gz"), perRecord.subarray(0, perRecord.length - Math.floor(last.length / 2)));

  // mixed.warc (uncompressed, WARC/1.1): what a crawl holds besides articles.
  const t = (n: number) => `2025-04-17T09:00:${String(n).padStart(2, "0")}Z`;
  const [odesa, transcript] = [PAGES[2]!, PAGES[4]!];
  const v = { version: "WARC/1.1" as const };
  const mixed: RecordSpec[] = [
    { ...info("mixed.warc"), ...v },
    { ...page(odesa.url, t(1), odesa.html), ...v },
    { type: "response", url: "https://www.volkswacht-bodensee.example/welt/rutte-odesa", date: t(2), status: "301 Moved Permanently", httpHeaders: { Location: odesa.url, "Content-Type": "text/html; charset=utf-8" }, body: enc.encode("<html><body>Moved</body></html>"), ...v },
    { type: "response", url: "https://www.volkswacht-bodensee.example/welt/removed-story", date: t(3), status: "404 Not Found", httpHeaders: { "Content-Type": "text/html; charset=utf-8" }, body: enc.encode("<html><head><title>Page not found</title></head><body><h1>Page not found</h1><p>The page you requested does not exist.</p></body></html>"), ...v },
    { type: "response", url: "https://www.volkswacht-bodensee.example/media/2025/04/rutte-zelensky-odesa.jpg", date: t(4), httpHeaders: { "Content-Type": "image/jpeg" }, body: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]), ...v },
    { type: "response", url: "https://www.volkswacht-bodensee.example/static/css/main.4f2a91.css", date: t(5), httpHeaders: { "Content-Type": "text/css" }, body: enc.encode("body{margin:0}\n"), ...v },
    { type: "metadata", url: odesa.url, date: t(6), body: enc.encode("outlink: https://www.volkswacht-bodensee.example/welt/nato-gipfel-2025 L a/@href\r\n"), warcHeaders: { "Content-Type": "application/warc-fields" }, ...v },
    // Cut by the crawler at its size limit: the record says so itself.
    { ...page(transcript.url + "?page=2", t(7), transcript.html.slice(0, 2000)), warcHeaders: { "WARC-Truncated": "length" }, ...v },
    { type: "revisit", url: odesa.url, date: t(8), body: new Uint8Array(0), warcHeaders: { "WARC-Refers-To-Target-URI": odesa.url, "WARC-Refers-To-Date": t(1), "WARC-Payload-Digest": "sha1:UNCHANGED000000000000000000000" }, ...v },
    // The same URL crawled again later: the first capture is kept.
    { ...page(odesa.url, t(9), odesa.html.replace("K.Sutter--VB", "K.Sutter--VB (updated)")), ...v },
    { ...page(transcript.url, t(10), transcript.html), ...v },
  ];
  writeFileSync(join(here, "mixed.warc"), concat(await Promise.all(mixed.map((r) => serialize(r, false)))));
}

// Imported by the bench for the pages' articles; run, it writes the files.
if (import.meta.url === `file://${process.argv[1]}`) await main();
