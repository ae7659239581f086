// The report page's script, second part (as text): one cluster's view, its members paragraph by paragraph.
// A part of the one function report-page.ts joins (it opens in script-table.ts): it uses the data,
// the table's order and the helpers declared there.
export const SCRIPT_CLUSTER = String.raw`
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
`;
