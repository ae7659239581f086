// The report page's script, first part (as text): the data, the helpers and the cluster table.
// report-page.ts joins the parts into one function, so each part uses the names the others declare:
// this one opens the function and declares the data, the table's state and el(), count(), plural().
export const SCRIPT_TABLE = String.raw`
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
`;
