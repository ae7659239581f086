// fromHtml(): a news page → its article text in paragraphs, with title, canonical URL and time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIndex, dedupe, fromHtml } from "../src/index.js";
import { units } from "../src/normalize.js";

const PAGES = join(import.meta.dirname, "../test-data/crawl/pages");
const page = (file: string) => readFileSync(join(PAGES, file), "utf8");
const seed = (prefix: string) => {
  const file = readdirSync(join(import.meta.dirname, "../test-data/seeds")).find((f) => f.startsWith(prefix))!;
  return readFileSync(join(import.meta.dirname, "../test-data/seeds", file), "utf8").split("\n");
};

/** A page with site chrome around `body` (paragraphs of real prose), for the cases below. */
function chromed(body: string, head = ""): string {
  return `<!DOCTYPE html><html><head><title>Site - Story</title>${head}<style>.x{color:red}</style><script>var tracking = "<p>not text</p>";</script></head>
<body><div class="cookie-banner">We use cookies to improve your experience. Accept all</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>${body}</article></main>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Another story</a></li><li><a href="/b">Yet another story</a></li></ul></aside>
<footer>© 2025 Site. All rights reserved.</footer></body></html>`;
}
const PAGES_URL = { spacewar: "https://www.spacewar.example/reports/NATOs_Rutte_says_US_led_peace_talks_not_easy_reaffirms_support_for_Ukraine_999.html" };
const PROSE = seed("000").slice(0, 6).map((l) => l.trim());

describe("fromHtml on the news pages of test-data/crawl", () => {
  // Each page: what must be in the article text, and the site chrome that must not.
  it.each([
    ["vb-rutte-odesa.html", seed("002")[24]!, ["NYSE - LSE", "RBGPF", "We use cookies", "Text size", "More on this topic", "dataLayer", "Politik", "NewsArticle", "--vb-blue"]],
    ["spacewar-rutte-odesa.html", seed("003")[2]!, ["googletag", "Missile Defense", "MOST READ", "Copyright 1995", "Tell a Friend"]],
    ["liberty-rutte-peace-talks.html", seed("000")[0]!, ["This site uses cookies", "Most Popular", "__INITIAL_STATE__", "Terms of use", "Podcasts"]],
    ["vb-rutte-not-strong-enough.html", seed("001")[3]!, ["NYSE - LSE", "We use cookies", "Lake ferry", "Imprint"]],
  ])("%s: keeps the article and drops the chrome", (file, lead, chrome) => {
    const { text, extracted } = fromHtml(page(file));
    expect(extracted).toBe(true);
    expect(text).toContain(lead.trim());
    for (const c of chrome) expect(text, c).not.toContain(c);
    expect(text).not.toMatch(/<\/?[a-z][^>]*>/i);
  });

  it("gives each <p> its own paragraph, separated by blank lines, so units() sees them", () => {
    const { text } = fromHtml(page("vb-rutte-odesa.html"));
    const body = [seed("002")[24]!, ...seed("002").slice(28, 57).filter((l) => l.trim() !== "")];
    expect(text.split("\n\n")).toEqual(body);
    expect(units(text).map((u) => u.para)).toEqual(body.map((_, i) => i));
  });

  it("clusters the pages as the seeds cluster: the AFP story on two sites together, the Rutte reports and the pages of one template apart", () => {
    const docs = readdirSync(PAGES).sort().map((f) => ({ id: f, text: fromHtml(page(f)).text }));
    const clusters = dedupe(docs).clusters.map((c) => c.members.map((m) => m.id).sort());
    expect(clusters).toEqual([
      ["liberty-rutte-peace-talks.html"],
      ["spacewar-rutte-odesa.html", "vb-rutte-odesa.html"],
      ["spacewar-rutte-transcript.html"],
      ["vb-rutte-not-strong-enough.html"],
    ]);
  });
});

describe("fromHtml with the index", () => {
  it("finds the second site's copy of the AFP story as a copy of the first, and the other pages as new", () => {
    const index = createIndex();
    const add = (file: string) => {
      const a = fromHtml(page(file), { url: `https://crawl.example/${file}` });
      return index.add({ id: a.url!, text: a.text });
    };
    expect(add("spacewar-rutte-odesa.html")).toBeNull();
    expect(add("vb-rutte-not-strong-enough.html")).toBeNull();
    expect(add("liberty-rutte-peace-talks.html")).toBeNull();
    expect(add("vb-rutte-odesa.html")).toMatchObject({ canonical: PAGES_URL.spacewar });
  });
});

describe("fromHtml metadata", () => {
  const body = PROSE.map((p) => `<p>${p}</p>`).join("");
  it.each([
    ["a relative canonical link, resolved against the url given", '<link rel="canonical" href="/a/1.html">', "https://site.example/x?utm=1", "https://site.example/a/1.html"],
    ["og:url when there is no canonical link", '<meta property="og:url" content="https://site.example/og">', "https://site.example/x", "https://site.example/og"],
    ["the canonical link before og:url", '<meta property="og:url" content="https://site.example/og"><link rel="alternate canonical" href="https://site.example/c">', undefined, "https://site.example/c"],
    ["the url given when the page names none", "", "https://site.example/x", "https://site.example/x"],
    ["null when neither the page nor the caller names one", "", undefined, null],
  ])("url: %s", (_, head, url, want) => {
    expect(fromHtml(chromed(body, head), url === undefined ? {} : { url }).url).toBe(want);
  });

  it.each([
    ["article:published_time", '<meta property="article:published_time" content="2025-04-15T14:32:00+02:00">', "2025-04-15T14:32:00+02:00"],
    ["JSON-LD datePublished", '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-01-13"}</script>', "2025-01-13"],
    ["JSON-LD datePublished inside @graph", '<script type="application/ld+json">{"@graph":[{"@type":"WebSite"},{"@type":"NewsArticle","datePublished":"2024-10-16T00:00:00Z"}]}</script>', "2024-10-16T00:00:00Z"],
    ["a broken JSON-LD block, then a good one", '<script type="application/ld+json">{oops</script><script type="application/ld+json">[{"datePublished":"2020-02-02"}]</script>', "2020-02-02"],
    ["none", "", null],
  ])("time: %s", (_, head, want) => {
    expect(fromHtml(chromed(body, head)).time).toBe(want);
  });

  it("takes the title from og:title or <title>, and reads the pages' JSON-LD and meta times", () => {
    expect(fromHtml(page("vb-rutte-odesa.html"))).toMatchObject({
      title: "NATO's Rutte says US-led Ukraine peace talks 'not easy'",
      time: "2025-04-15T14:32:00+02:00",
    });
    expect(fromHtml(page("spacewar-rutte-transcript.html")).time).toBe("2024-10-16T00:00:00Z");
    expect(fromHtml(page("liberty-rutte-peace-talks.html")).title).toBe("NATO's Rutte Says Ukraine Not In Position To Begin Peace Talks");
  });
});

describe("fromHtml text", () => {
  it.each([
    ["<br> breaks a line inside a paragraph", "<p>Line one<br>line two</p>", "Line one\nline two"],
    ["runs of white space are one space", "<p>  a \n\t b  </p>", "a b"],
    ["inline elements stay inside their paragraph", "<p>An <b>important</b> <a href='#'>link</a>.</p>", "An important link."],
    ["entities are decoded", "<p>Caf&eacute; &amp; &#8220;bar&#8221;</p>", "Café & “bar”"],
    ["table cells are separated by a space, rows are paragraphs", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\n\nc"],
    ["headings and list items are paragraphs", "<h2>Head</h2><ul><li>one</li><li>two</li></ul>", "Head\n\none\n\ntwo"],
    ["scripts, styles, templates and noscript are not text", "<script>var a = 1;</script><style>p{}</style><template><p>t</p></template><noscript>Enable JS</noscript><p>kept</p>", "kept"],
  ])("%s", (_, html, want) => {
    // Too short to be an article: the visible text, which runs the same paragraph rules.
    expect(fromHtml(html)).toMatchObject({ text: want, extracted: false });
  });

  it("falls back to the visible text, never markup, when the page has no article", () => {
    const html = chromed("<div>Gallery</div><img src='a.jpg'>");
    const got = fromHtml(html);
    expect(got.extracted).toBe(false);
    expect(got.text).toContain("We use cookies");
    expect(got.text).toContain("Gallery");
    expect(got.text).not.toMatch(/tracking|color:red|</);
  });

  it("reads a page nested thousands of elements deep without overflowing the stack", () => {
    const html = `${"<div>".repeat(20_000)}deep text${"</div>".repeat(20_000)}`;
    expect(fromHtml(html).text).toBe("deep text");
  });

  it("returns paragraphs of prose in order, each once, whatever the words (property)", () => {
    const word = fc.stringMatching(/^[A-Za-z][a-z]{1,9}[.,]?$/);
    const paragraph = fc.array(word, { minLength: 25, maxLength: 60 }).map((ws) => ws.join(" "));
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 3, maxLength: 8 }), (paras) => {
        const got = fromHtml(chromed(paras.map((p) => `<p>${p}</p>`).join("\n")));
        expect(got.extracted).toBe(true);
        expect(got.text.split("\n\n")).toEqual(paras);
      }),
      { numRuns: 40 },
    );
  });

  it("never throws and never returns a tag, whatever the input (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom("", "<p>", "<script>", "<div><p>", "</html>"), (s, prefix) => {
        const got = fromHtml(prefix + s);
        expect(typeof got.text).toBe("string");
        expect(got.text).not.toMatch(/<(script|style|p|div)\b/i);
      }),
      { numRuns: 200 },
    );
  });
});
