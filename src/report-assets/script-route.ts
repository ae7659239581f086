// The report page's script, last part (as text): routing by the address, the keys, and the first drawing.
// A part of the one function report-page.ts joins (it opens in script-table.ts): it calls the table
// and cluster views the other parts declare, and closes the function.
export const SCRIPT_ROUTE = String.raw`
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
