// Report page: the style sheet and the script of the HTML report (report-html.ts embeds both).
// The script draws the cluster table and each cluster's view from the JSON embedded in the page,
// only when asked: 10,000 clusters are one JSON.parse and a page of rows, not 10,000 DOM sections.
// It writes document text only through textContent and text nodes, never as markup.
//
// Both are plain strings (String.raw: the script holds regular expressions): the page must work
// opened from disk or from a mail attachment, so nothing is loaded. The script is written for any
// browser of the last years (no modules, no build step) and is checked in headless Chromium by
// tests/report-browser.test.ts. It must never hold a backtick, "${" or "</": see report-html.test.ts.

/** The page's style sheet. Colours keep a contrast of at least 4.5:1 (tests/report-browser.test.ts). */
export const PAGE_STYLE = String.raw`
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4d4d4d; --bg: #ffffff; --line: #c8c8c8; --accent: #1d4f91;
  --shared: #e6edf7; --shared-b: #3b5f91; --edited: #fff1cc; --edited-b: #8a5a00; --unique: #e2f3e5; --unique-b: #276b33;
  --repeated: #efe6f6; --repeated-b: #6b3d8f; --boilerplate: #eeeeee; --boilerplate-b: #666666; --ins: #b9e3c1; --del: #f6c9c9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--bg); padding: .5rem 1rem; z-index: 2; }
.skip:focus { left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
header.top, main, footer { max-width: 90rem; margin: 0 auto; padding: 0 1rem; }
header.top { padding-top: 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: .25rem 0; }
h2 { font-size: 1.3rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.lede { margin: 0 0 .75rem; color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem; margin: 0; }
.facts div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.facts dt { color: var(--muted); font-size: .85rem; }
.facts dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
.facts dd small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { overflow-wrap: anywhere; min-width: 10rem; }
td.snip { color: var(--muted); min-width: 14rem; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; text-decoration: underline; }
th[aria-sort="ascending"] button::after { content: " \2191"; }
th[aria-sort="descending"] button::after { content: " \2193"; }
#cluster-table tbody tr { cursor: pointer; }
#cluster-table tbody tr:hover { background: #f3f6fa; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
.controls input[type="search"] { font: inherit; padding: .35rem .5rem; width: min(28rem, 100%); border: 1px solid #767676; border-radius: 4px; }
.pager { display: flex; gap: .5rem; align-items: center; margin: .5rem 0 1rem; flex-wrap: wrap; }
button.btn, a.btn { font: inherit; font-size: .95rem; padding: .3rem .7rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--bg); color: var(--accent); cursor: pointer; text-decoration: none; display: inline-block; }
button.btn[disabled] { color: #6b6b6b; border-color: #9a9a9a; cursor: default; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: .9rem; color: var(--muted); }
details { margin: .5rem 0; }
summary { cursor: pointer; }
.skipped td:first-child, .boilerplate-lines li { overflow-wrap: anywhere; }
.options { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .25rem 1rem; margin: 0; font-size: .92rem; }
.options div { display: flex; gap: .5rem; border-bottom: 1px solid var(--line); padding: .2rem 0; }
.options dt { flex: 0 0 auto; }
.options dd { margin: 0; color: var(--muted); }
h3#options-h { margin-top: 1rem; }
.bound { margin-top: .5rem; font-size: .92rem; }
.cluster-nav { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0 .5rem; }
.cluster-nav .pos { color: var(--muted); }
#cluster-h:focus { outline: none; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; list-style: none; margin: .5rem 0; font-size: .9rem; }
.legend li { padding: .1rem .5rem; border-left: 4px solid; border-radius: 3px; }
.layout { border: 0; padding: 0; margin: .5rem 0; display: flex; gap: 1rem; flex-wrap: wrap; }
.members.side { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(22rem, 1fr); gap: 1rem; overflow-x: auto; align-items: start; }
.members.stacked > section { margin-bottom: 1.5rem; }
.member { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; min-width: 0; }
.member .scores, .member .adds { margin: .25rem 0; font-size: .92rem; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .4rem; border-radius: 3px; background: var(--fg); color: var(--bg); vertical-align: middle; }
.evidence { font-size: .92rem; background: #f7f7f7; border-radius: 4px; padding: .25rem .5rem; }
.evidence blockquote { margin: .25rem 0 .25rem .5rem; padding-left: .5rem; border-left: 3px solid var(--shared-b); }
ol.paras { list-style: none; padding: 0; margin: .5rem 0 0; }
ol.paras li { margin: 0 0 .35rem; padding: .3rem .5rem .3rem .6rem; border-left: 5px solid; border-radius: 3px; overflow-wrap: anywhere; white-space: pre-wrap; }
.c-shared { background: var(--shared); border-color: var(--shared-b) !important; }
.c-edited { background: var(--edited); border-color: var(--edited-b) !important; }
.c-unique { background: var(--unique); border-color: var(--unique-b) !important; }
.c-repeated { background: var(--repeated); border-color: var(--repeated-b) !important; }
.c-boilerplate { background: var(--boilerplate); border-color: var(--boilerplate-b) !important; color: #3d3d3d; }
.tag { display: block; white-space: normal; font-size: .75rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.ref { display: block; white-space: normal; font-size: .8rem; color: var(--muted); }
ins { background: var(--ins); text-decoration: underline; }
del { background: var(--del); text-decoration: line-through; }
ol.paras li:target, ol.paras li.target { outline: 3px solid #b35c00; }
footer { border-top: 1px solid var(--line); margin-top: 2rem; padding-top: .5rem; padding-bottom: 2rem; font-size: .9rem; color: var(--muted); }
kbd { border: 1px solid #9a9a9a; border-radius: 3px; padding: 0 .3rem; font-size: .85rem; background: #f4f4f4; color: var(--fg); }
@media (max-width: 48rem) {
  body { font-size: 15px; }
  .members.side { display: block; }
  .members.side > section { margin-bottom: 1rem; }
  td.snip, th.snip { display: none; }
  td.id { min-width: 8rem; }
}
@media print { .controls, .pager, .cluster-nav, .skip { display: none; } }
`;

/**
 * The page's script. Routes: "#" the overview (summary, charts, table), "#cluster=N" cluster N of
 * the result (N as in --format jsonl's `cluster`), "#cluster=N/pM-I" its member M's paragraph I.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  // The data comes in blocks (report-html.ts, dataBlocks): joined in document order, then parsed once.
  var blocks = document.querySelectorAll("script.report-data"), json = "";
  for (var b = 0; b < blocks.length; b++) json += blocks[b].textContent;
  var data = JSON.parse(json);
  json = "";
  var CLASSES = ["shared", "edited", "unique", "repeated", "boilerplate"];
  var PAGE_ROWS = 100;
  var MEMBERS_AT_ONCE = 12;
  var clusters = data.clusters;
  var overview = document.getElementById("overview");
  var view = document.getElementById("cluster-view");
  var tbody = document.querySelector("#cluster-table tbody");
  var filterBox = document.getElementById("filter");
  var copiesOnly = document.getElementById("copies-only");
  var status = document.getElementById("table-status");
  var pager = document.getElementById("pager");

  // ---- helpers --------------------------------------------------------------------------------
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "className") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }
  function fixed(x) { return x === null ? "\u2014" : x.toFixed(3); }
  function count(n) { return n.toLocaleString("en-US"); }
  function plural(n, word, many) { return count(n) + " " + (n === 1 ? word : (many || word + "s")); }
  function oneLine(s) { return s.replace(/\s+/g, " ").trim(); }
  function cut(s, n) { var c = Array.from(s); return c.length <= n ? s : c.slice(0, n - 1).join("") + "\u2026"; }

  // ---- the rows: one per cluster, in the result's order ------------------------------------------
  var rows = clusters.map(function (c, i) {
    var n = c.m.length, sj = 0, sc = 0;
    for (var k = 1; k < n; k++) { sj += c.m[k][1]; sc += c.m[k][2]; }
    return { i: i, id: c.m[0][0], size: n, j: n > 1 ? sj / (n - 1) : null, c: n > 1 ? sc / (n - 1) : null, search: null };
  });
  function searchText(row) {
    if (row.search === null) {
      var c = clusters[row.i], parts = [c.s];
      for (var k = 0; k < c.m.length; k++) parts.push(c.m[k][0]);
      if (c.d !== undefined) parts.push(data.diffs[c.d].t.join("\n"));
      row.search = parts.join("\n").toLowerCase();
    }
    return row.search;
  }

  var state = { sort: "size", dir: -1, terms: [], copiesOnly: false, page: 0 };
  var order = [];
  var SORTS = {
    size: function (a, b) { return a.size - b.size; },
    j: function (a, b) { return nullLast(a.j, b.j); },
    c: function (a, b) { return nullLast(a.c, b.c); },
    id: function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; }
  };
  function nullLast(x, y) { return x === null ? (y === null ? 0 : -1) : y === null ? 1 : x - y; }
  function computeOrder() {
    var cmp = SORTS[state.sort], dir = state.dir;
    order = rows.filter(function (r) {
      if (state.copiesOnly && r.size < 2) return false;
      if (state.terms.length === 0) return true;
      var text = searchText(r);
      return state.terms.every(function (t) { return text.indexOf(t) >= 0; });
    });
    // Ties keep the result's order (by canonical id), whatever the direction.
    order.sort(function (a, b) { return dir * cmp(a, b) || a.i - b.i; });
  }

  // ---- the table ---------------------------------------------------------------------------------
  function renderTable() {
    var pages = Math.max(1, Math.ceil(order.length / PAGE_ROWS));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE_ROWS, to = Math.min(order.length, from + PAGE_ROWS);
    var body = document.createDocumentFragment();
    for (var k = from; k < to; k++) body.appendChild(tableRow(order[k]));
    tbody.textContent = "";
    tbody.appendChild(body);
    var ths = document.querySelectorAll("#cluster-table th[data-sort]");
    for (var t = 0; t < ths.length; t++) {
      var key = ths[t].getAttribute("data-sort");
      if (key === state.sort) ths[t].setAttribute("aria-sort", state.dir < 0 ? "descending" : "ascending");
      else ths[t].removeAttribute("aria-sort");
    }
    status.textContent = order.length === 0 ? "No cluster matches." :
      "Showing " + count(from + 1) + "\u2013" + count(to) + " of " + plural(order.length, "cluster") +
      (order.length < rows.length ? " (of " + count(rows.length) + ")" : "") + ".";
    pager.textContent = "";
    if (pages > 1) {
      pager.appendChild(pageButton("Previous page", state.page - 1, state.page === 0));
      pager.appendChild(el("span", null, "Page " + count(state.page + 1) + " of " + count(pages)));
      pager.appendChild(pageButton("Next page", state.page + 1, state.page === pages - 1));
    }
  }
  function pageButton(label, page, disabled) {
    var b = el("button", { type: "button", className: "btn" }, label);
    if (disabled) b.disabled = true;
    b.addEventListener("click", function () { state.page = page; renderTable(); });
    return b;
  }
  function tableRow(r) {
    var c = clusters[r.i];
    var link = el("a", { href: "#cluster=" + r.i }, r.id);
    var tr = el("tr", { "data-cluster": String(r.i) },
      el("td", { className: "num" }, String(r.i)),
      el("td", { className: "id" }, link),
      el("td", { className: "num" }, count(r.size)),
      el("td", { className: "num" }, fixed(r.j)),
      el("td", { className: "num" }, fixed(r.c)),
      el("td", { className: "snip" }, cut(c.s, 120)));
    tr.addEventListener("click", function (e) { if (e.target !== link) location.hash = "cluster=" + r.i; });
    return tr;
  }

  // The filter waits for a pause in typing: on 10,000 clusters each pass reads all their text.
  var filterTimer = 0;
  var table = document.getElementById("cluster-table");
  filterBox.addEventListener("input", function () {
    clearTimeout(filterTimer);
    table.setAttribute("aria-busy", "true");
    filterTimer = setTimeout(function () {
      state.terms = filterBox.value.toLowerCase().split(/\s+/).filter(Boolean);
      state.page = 0;
      computeOrder();
      renderTable();
      table.removeAttribute("aria-busy");
    }, 120);
  });
  copiesOnly.addEventListener("change", function () {
    state.copiesOnly = copiesOnly.checked;
    state.page = 0;
    computeOrder();
    renderTable();
  });
  var sortButtons = document.querySelectorAll("#cluster-table th[data-sort] button");
  for (var s = 0; s < sortButtons.length; s++) sortButtons[s].addEventListener("click", function (e) {
    var key = e.currentTarget.parentNode.getAttribute("data-sort");
    if (state.sort === key) state.dir = -state.dir;
    else { state.sort = key; state.dir = key === "id" ? 1 : -1; }
    state.page = 0;
    computeOrder();
    renderTable();
  });

  // ---- a cluster ---------------------------------------------------------------------------------
  function position(i) {
    for (var k = 0; k < order.length; k++) if (order[k].i === i) return k;
    return -1;
  }
  function memberName(c, k) { return c.m[k][0]; }

  function renderCluster(i, para) {
    var c = clusters[i];
    var d = c.d === undefined ? null : data.diffs[c.d];
    var n = c.m.length;
    view.textContent = "";
    var at = position(i);
    var prev = at > 0 ? order[at - 1].i : null, next = at >= 0 && at < order.length - 1 ? order[at + 1].i : null;
    var nav = el("nav", { className: "cluster-nav", "aria-label": "Clusters" },
      el("a", { href: "#", className: "btn", id: "back" }, "\u2190 All clusters"),
      navLink("Previous cluster", prev, "prev"),
      navLink("Next cluster", next, "next"),
      el("span", { className: "pos" }, at >= 0 ? "cluster " + count(at + 1) + " of " + count(order.length) + " in the table's order" : "not in the filtered table"));
    view.appendChild(nav);
    var h = el("h2", { id: "cluster-h", tabindex: "-1" }, "Cluster " + i + ": " + c.m[0][0] + (n > 1 ? " and " + plural(n - 1, "copy", "copies") : " (a singleton)"));
    view.appendChild(h);
    view.appendChild(membersTable(c, d, i));
    if (!d) {
      view.appendChild(el("p", null, "This cluster is summarised: the report shows paragraph by paragraph the " + plural(data.limits.diffClusters, "largest cluster") +
        " only. The canonical copy begins:"));
      view.appendChild(el("blockquote", null, c.s));
    } else {
      view.appendChild(legend());
      var members = el("div", { className: "members", id: "members" });
      // A link to a member's paragraph draws the members up to that one.
      var shown = Math.min(n, Math.max(MEMBERS_AT_ONCE, memberOf(para) + 1));
      view.appendChild(layoutSwitch(members, shown));
      view.appendChild(members);
      addMembers(members, c, d, i, 0, shown);
    }
    document.title = "Cluster " + i + " \u2013 " + data.title;
    if (!(para && showTarget(para))) {
      window.scrollTo(0, 0);
      h.focus();
    }
  }
  /** The member a target names ("p3-12", "m3"), or -1. */
  function memberOf(para) {
    var m = para ? /^[pm](\d+)/.exec(para) : null;
    return m ? Number(m[1]) : -1;
  }
  function showTarget(para) {
    var target = document.getElementById(para);
    if (!target) return false;
    var old = view.querySelectorAll(".target");
    for (var k = 0; k < old.length; k++) old[k].classList.remove("target");
    target.classList.add("target");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    return true;
  }
  function navLink(label, target, id) {
    if (target === null) return el("button", { type: "button", className: "btn", disabled: "", id: id }, label);
    return el("a", { href: "#cluster=" + target, className: "btn", id: id, rel: id }, label);
  }

  function membersTable(c, d, i) {
    var head = el("tr", null, el("th", { scope: "col" }, "Member"), el("th", { scope: "col", className: "num" }, "Jaccard"),
      el("th", { scope: "col", className: "num" }, "Containment"), el("th", { scope: "col" }, "Notes"));
    if (d) head.appendChild(el("th", { scope: "col" }, "Paragraphs: shared, edited, unique (chars), repeated, boilerplate"));
    var body = el("tbody");
    for (var k = 0; k < c.m.length; k++) {
      var m = c.m[k], notes = [];
      if (k === 0) notes.push("canonical");
      if (m[3] && m[3].r) notes.push("holds its text " + m[3].r + " times");
      if (m[3] && m[3].e) notes.push("no words");
      if (m[3] && m[3].g) notes.push("a digest of several stories");
      var nameCell = d && d.m[k].p ? el("a", { href: "#cluster=" + i + "/m" + k }, m[0]) : m[0];
      var tr = el("tr", null, el("th", { scope: "row", className: "id" }, nameCell), el("td", { className: "num" }, fixed(m[1])),
        el("td", { className: "num" }, fixed(m[2])), el("td", null, notes.join("; ")));
      if (d) {
        var s = d.m[k].s;
        tr.appendChild(el("td", { className: "num" }, s[0] + ", " + s[1] + ", " + s[2] + " (" + count(s[5]) + "), " + s[3] + ", " + s[4]));
      }
      body.appendChild(tr);
    }
    return el("div", { className: "table-wrap" }, el("table", { className: "members-table" },
      el("caption", { className: "sr-only" }, "Members, scored against the canonical"), el("thead", null, head), body));
  }

  function legend() {
    var ul = el("ul", { className: "legend", "aria-label": "Paragraph classes" });
    var meaning = ["in another member as well", "a near match of another member's paragraph: added words underlined, removed words struck through",
      "in no other member: what this copy adds", "held more than once by this member", "site template left out of the comparison"];
    for (var k = 0; k < CLASSES.length; k++) ul.appendChild(el("li", { className: "c-" + CLASSES[k] }, el("strong", null, CLASSES[k]), ": " + meaning[k]));
    return ul;
  }

  function layoutSwitch(members, shown) {
    var side = shown <= 3 && window.matchMedia("(min-width: 48rem)").matches;
    members.className = "members " + (side ? "side" : "stacked");
    var fs = el("fieldset", { className: "layout" }, el("legend", { className: "sr-only" }, "Layout of the members"));
    ["side", "stacked"].forEach(function (kind) {
      var input = el("input", { type: "radio", name: "layout", value: kind, id: "layout-" + kind });
      input.checked = (kind === "side") === side;
      input.addEventListener("change", function () { members.className = "members " + kind; });
      fs.appendChild(el("label", { "for": "layout-" + kind }, input, kind === "side" ? " Side by side" : " Stacked"));
    });
    return fs;
  }

  function addMembers(box, c, d, i, from, to) {
    for (var k = from; k < to; k++) box.appendChild(memberSection(c, d, i, k));
    var old = document.getElementById("more-members");
    if (old) old.parentNode.removeChild(old);
    if (to < c.m.length) {
      var rest = c.m.length - to;
      var more = el("button", { type: "button", className: "btn", id: "more-members" }, "Show " + plural(Math.min(rest, MEMBERS_AT_ONCE), "more member") + " (" + count(rest) + " not shown)");
      more.addEventListener("click", function () {
        var next = Math.min(c.m.length, to + MEMBERS_AT_ONCE);
        addMembers(box, c, d, i, to, next);
        var first = document.getElementById("m" + to);
        if (first) first.focus();
      });
      box.parentNode.insertBefore(more, box.nextSibling);
    }
  }

  function memberSection(c, d, i, k) {
    var m = c.m[k], md = d.m[k];
    var sec = el("section", { className: "member", id: "m" + k, tabindex: "-1", "aria-labelledby": "m" + k + "-h" });
    sec.appendChild(el("h3", { id: "m" + k + "-h" }, m[0] + " ", k === 0 ? el("span", { className: "badge" }, "canonical") : null));
    if (k > 0) sec.appendChild(el("p", { className: "scores" }, "Jaccard " + fixed(m[1]) + ", containment " + fixed(m[2]) + " against the canonical"));
    var s = md.s;
    sec.appendChild(el("p", { className: "adds" }, adds(d, md, s)));
    if (k > 0 && md.p) sec.appendChild(evidence(c, d, i, k));
    if (!md.p) {
      sec.appendChild(el("p", null, "Paragraphs not embedded: the report holds those of the first " + plural(data.limits.diffMembers, "member") + " of a cluster."));
      return sec;
    }
    var ol = el("ol", { className: "paras", "aria-label": "Paragraphs of " + m[0] });
    for (var x = 0; x < md.p.length; x++) ol.appendChild(paragraph(c, d, i, k, x));
    sec.appendChild(ol);
    return sec;
  }

  function adds(d, md, s) {
    var total = s[0] + s[1] + s[2] + s[3] + s[4];
    var text = plural(total, "paragraph") + ": " + s[0] + " shared, " + s[1] + " edited, " + s[2] + " unique, " + s[3] + " repeated" + (s[4] ? ", " + s[4] + " boilerplate" : "") + ". ";
    if (s[2] === 0) return text + "It adds nothing of its own.";
    text += "It adds " + plural(s[2], "unique paragraph") + " (" + plural(s[5], "character") + ")";
    if (!md.p) return text + ".";
    var firsts = [];
    for (var x = 0; x < md.p.length && firsts.length < 3; x++) if (md.p[x][1] === 2) firsts.push("\u201c" + cut(oneLine(d.t[md.p[x][0]]), 60) + "\u201d");
    return text + ": " + firsts.join(", ") + (s[2] > 3 ? " and " + count(s[2] - 3) + " more" : "") + ".";
  }

  function evidence(c, d, i, k) {
    var m = c.m[k], md = d.m[k], t = data.thresholds;
    var box = el("details", { className: "evidence" });
    var verdict;
    if (!t) verdict = "Scored against the canonical: Jaccard " + fixed(m[1]) + ", containment " + fixed(m[2]) + ".";
    else if (m[2] >= t.containment)
      verdict = "Its containment against the canonical passes the threshold: " + fixed(m[2]) + " \u2265 " + t.containment + " (Jaccard " + fixed(m[1]) + ").";
    else verdict = "Its containment against the canonical, " + fixed(m[2]) + ", is under the threshold " + t.containment + ": it matched with the same lead (which needs half of it) or through another copy of the cluster.";
    var shared = [], sharedChars = 0, edited = 0;
    for (var x = 0; x < md.p.length; x++) {
      var p = md.p[x];
      if (p[2] !== 0) continue;
      if (p[1] === 0) { shared.push(x); sharedChars += d.t[p[0]].length; }
      else if (p[1] === 1) edited++;
    }
    box.appendChild(el("summary", null, "Why it matched: " + plural(shared.length, "paragraph") + " shared with the canonical, " + edited + " edited"));
    box.appendChild(el("p", null, verdict));
    box.appendChild(el("p", null, "Paragraphs it shares with the canonical: " + shared.length + " (" + plural(sharedChars, "character") + "); near matches of the canonical's: " + edited + "."));
    if (shared.length > 0) {
      shared.sort(function (a, b) { return d.t[md.p[b][0]].length - d.t[md.p[a][0]].length || a - b; });
      box.appendChild(el("p", null, "The longest shared passages:"));
      for (var q = 0; q < Math.min(3, shared.length); q++) {
        var at = shared[q];
        box.appendChild(el("blockquote", null, cut(oneLine(d.t[md.p[at][0]]), 240) + " ", el("a", { href: "#cluster=" + i + "/p" + k + "-" + at }, "\u00b6" + at)));
      }
    }
    var ev = md.ev;
    if (ev) {
      var more = el("div", { className: "explain" }, el("p", null, el("strong", null, "Explanation"), ev.summary ? ": " + ev.summary : ""));
      if (ev.scores && ev.scores.length) {
        var dl = el("dl");
        ev.scores.forEach(function (pair) { dl.appendChild(el("dt", null, pair[0])); dl.appendChild(el("dd", null, String(pair[1]))); });
        more.appendChild(dl);
      }
      if (ev.passages) ev.passages.forEach(function (text) { more.appendChild(el("blockquote", null, text)); });
      box.appendChild(more);
    }
    return box;
  }

  function paragraph(c, d, i, k, x) {
    var p = d.m[k].p[x], cls = CLASSES[p[1]];
    var li = el("li", { className: "c-" + cls, id: "p" + k + "-" + x, tabindex: "-1" });
    li.appendChild(el("span", { className: "tag" }, "\u00b6" + x + " " + cls));
    var body = el("span", { className: "txt" });
    if (p[1] === 1 && p[6]) {
      p[6].forEach(function (run) {
        if (run[0] === 0) body.appendChild(document.createTextNode(run[1] + " "));
        else {
          body.appendChild(el(run[0] === 1 ? "ins" : "del", { title: run[0] === 1 ? "added" : "removed" }, run[1]));
          body.appendChild(document.createTextNode(" "));
        }
      });
    } else body.textContent = d.t[p[0]];
    li.appendChild(body);
    if (p.length > 2) {
      var other = p[2], where = other === k ? "\u00b6" + p[3] : memberName(c, other) + " \u00b6" + p[3];
      var target = other < d.m.length && d.m[other].p ? el("a", { href: "#cluster=" + i + "/p" + other + "-" + p[3] }, where) : where;
      var ref = el("span", { className: "ref" });
      if (p[1] === 0) {
        ref.appendChild(document.createTextNode(other === k ? "shared, like " : "also in "));
        ref.appendChild(target);
        if (p[5] > 2) ref.appendChild(document.createTextNode(" and " + plural(p[5] - 2, "more member")));
      } else if (p[1] === 1) {
        ref.appendChild(document.createTextNode("edits "));
        ref.appendChild(target);
        ref.appendChild(document.createTextNode(", similarity " + p[4]));
      } else if (p[1] === 3) {
        ref.appendChild(document.createTextNode("repeats "));
        ref.appendChild(target);
        ref.appendChild(document.createTextNode(", similarity " + p[4]));
      }
      li.appendChild(ref);
    }
    return li;
  }

  // ---- routing and keys --------------------------------------------------------------------------
  var current = null;
  /** The cluster the address names, and the paragraph or member in it; i is -1 for the overview. */
  function parseHash() {
    var m = /^#cluster=(\d+)(?:\/(p\d+-\d+|m\d+))?$/.exec(location.hash);
    var i = m ? Number(m[1]) : -1;
    return { i: i >= 0 && i < clusters.length ? i : -1, para: m && m[2] ? m[2] : null };
  }
  function route() {
    var where = parseHash(), i = where.i;
    if (i >= 0) {
      var para = where.para;
      // Within the cluster on show, a link to a paragraph only moves there.
      if (i === current && para && showTarget(para)) return;
      overview.hidden = true;
      view.hidden = false;
      current = i;
      renderCluster(i, para);
      return;
    }
    var was = current;
    current = null;
    view.hidden = true;
    view.textContent = "";
    overview.hidden = false;
    document.title = data.title;
    if (was !== null) {
      var at = position(was);
      if (at >= 0) {
        var page = Math.floor(at / PAGE_ROWS);
        if (page !== state.page) { state.page = page; renderTable(); }
        var link = tbody.querySelector('tr[data-cluster="' + was + '"] a');
        if (link) { link.focus(); return; }
      }
    }
  }
  window.addEventListener("hashchange", route);

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = e.target && e.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
      if (e.key === "Escape" && e.target === filterBox) filterBox.blur();
      return;
    }
    var key = e.key;
    // From the address, not from what is drawn: a key pressed before the last move is drawn counts from it.
    var shown = parseHash().i;
    if (shown >= 0) {
      var at = position(shown);
      if ((key === "j" || key === "n") && at >= 0 && at < order.length - 1) location.hash = "cluster=" + order[at + 1].i;
      else if ((key === "k" || key === "p") && at > 0) location.hash = "cluster=" + order[at - 1].i;
      else if (key === "Escape" || key === "u") location.hash = "";
      else return;
      e.preventDefault();
      return;
    }
    if (key === "/") { filterBox.focus(); e.preventDefault(); return; }
    if (key === "j" || key === "k" || key === "n" || key === "p") {
      var links = tbody.querySelectorAll("a");
      if (links.length === 0) return;
      var now = Array.prototype.indexOf.call(links, document.activeElement);
      var step = key === "j" || key === "n" ? 1 : -1;
      var to = now < 0 ? (step > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, now + step));
      links[to].focus();
      e.preventDefault();
    }
  });

  computeOrder();
  renderTable();
  route();
  requestAnimationFrame(function () {
    setTimeout(function () {
      document.documentElement.setAttribute("data-ready", "");
      if (window.performance && performance.mark) performance.mark("news-dedupe:rendered");
    }, 0);
  });
})();
`;
