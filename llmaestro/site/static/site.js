/* llmaestro catalog: filters and sorting of index.html (offerings) and models.html (models).
 *
 * index.html holds only its first rows as HTML (for a reader without JavaScript); every
 * offering is in its data island, <script type="application/json" id="data"> (layout in
 * llmaestro/site/island.py), and this script renders the rows it shows from it, PAGE at a
 * time. models.html holds every model as a row whose data-* attributes carry its values.
 *
 * The filters follow llmaestro's Registry.query: every chosen capability and modality must be
 * present, an unknown value never passes a bound, a price bound passes only offers billed per
 * token, retired offerings are hidden unless a status is chosen or "include retired" is
 * ticked, a price sort ranks offers billed per token first, and sorting puts unknown values
 * last; equal values keep the registry's order. The view is kept in the URL's query string,
 * under the names of Registry.query's arguments (capabilities=vision&min_context=128000&
 * sort=input_price); `limit` is how many matching rows are shown (PAGE by default, `all`).
 */
(function () {
  "use strict";

  var PAGE = 200;
  var root = document.documentElement;
  root.className += " js";

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;";
    });
  }
  function words(t) { return t ? t.split(" ") : []; }
  function num(t) { return t === undefined || t === "" ? null : Number(t); }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function has(list, v) { return list.indexOf(v) >= 0; }
  function fmt(n) { return n.toLocaleString("en"); }
  var DASH = "\u2014";

  // a price as llmaestro.site.filters.usd writes it: as the catalog holds it, two decimals at least
  function usd(v) {
    if (v === null || v === undefined) { return DASH; }
    var s = String(v);
    if (s.indexOf("e") >= 0) { s = v.toFixed(12).replace(/0+$/, ""); }
    var parts = s.split(".");
    var frac = (parts[1] || "").replace(/0+$/, "");
    while (frac.length < 2) { frac += "0"; }
    return "$" + parts[0] + "." + frac;
  }
  // 128000 -> 128K, 1048576 -> 1.05M (tokens_short)
  function tok(n) {
    if (n === null || n === undefined) { return DASH; }
    var units = [[1e9, "B"], [1e6, "M"], [1e3, "K"]];
    for (var i = 0; i < units.length; i++) {
      if (n >= units[i][0]) { return String(Number((n / units[i][0]).toPrecision(3))) + units[i][1]; }
    }
    return String(n);
  }
  function bitsOf(mask, names) {
    var out = [];
    for (var i = 0; i < names.length; i++) { if (mask & (1 << i)) { out.push(names[i]); } }
    return out;
  }

  /* ---- rows of the index, from its data island ---- */
  function islandRows(doc, ties) {
    var rows = doc.rows.map(function (a) {
      var p = doc.providers[a[2]] || ["", ""];
      var model = a[0].slice(p[0].length + 1);
      var r = {
        tr: null, id: a[0], model: model, name: a[1] || model, p: p[0], pname: p[1],
        k: a[3] >= 0 ? doc.kinds[a[3]] : "", s: a[4] >= 0 ? doc.statuses[a[4]] : "",
        c: bitsOf(a[5], doc.capabilities), i: bitsOf(a[6], doc.modalities),
        o: bitsOf(a[7], doc.modalities), x: a[8], m: a[9], a: a[10], b: a[11], r: a[12],
        g: a[13] ? doc.billing[a[13]][0] : "", gl: a[13] ? doc.billing[a[13]][1] : "",
        ck: a[14], page: a[15], rep: a[16] || null, ext: a[17],
        lab: a[18] >= 0 ? doc.labs[a[18]] : "", pos: a[19]
      };
      r.text = (r.name + " " + r.id + " " + r.pname + " " + r.k + " " + r.i.join(" ") + " " +
        r.o.join(" ") + " " + r.s).toLowerCase();
      return r;
    });
    var ranked = rows.slice();
    if (ties === "position") {
      ranked.forEach(function (r) { r.rank = r.pos; });
    } else {
      ranked.sort(ties === "provider-model" ? function (x, y) {
        return cmp(x.p, y.p) || cmp(x.model, y.model);
      } : function (x, y) { return cmp(x.id, y.id); });
      ranked.forEach(function (r, n) { r.rank = n; });
    }
    return rows;
  }

  function tags(r, doc, hasCap) {
    return doc.tags.filter(function (t) { return hasCap(r, t[0]); }).map(function (t) {
      return '<abbr class="tag" title="' + esc(t[2]) + '">' + esc(t[1]) + "</abbr>";
    }).join(" ");
  }

  function offeringHtml(r, doc, hasCap) {
    var price = function (v) { return r.gl ? esc(r.gl) : usd(v); };
    var status = esc(r.s || DASH);
    if (r.rep) {
      status += " \u2192 " + (r.rep[1] ? '<a href="' + esc(r.rep[1]) + '">' + esc(r.rep[0]) +
        "</a>" : esc(r.rep[0]));
    }
    return "<tr><td><a href=\"" + esc(r.page) + "\">" + esc(r.name) + "</a> <code title=\"" +
      "Click to copy\">" + esc(r.id) + "</code><td>" + esc(r.pname) + "<td>" + esc(r.k || DASH) +
      "<td>" + esc(r.i.join(" ") || "?") + " \u2192 " + esc(r.o.join(" ") || "?") + "<td>" +
      tok(r.x) + (r.ext ? ' <span class="ext" title="extended context">(' + tok(r.ext) +
      ")</span>" : "") + "<td>" + tok(r.m) + "<td>" + price(r.a) + "<td>" + price(r.b) +
      "<td>" + price(r.r) + "<td>" + tags(r, doc, hasCap) + (r.s === "deprecated" || r.s === "retired" ?
      '<td class="st-' + r.s + '">' : "<td>") + status + "<td>" +
      esc(r.ck || DASH);
  }

  /* ---- rows of the models view, from its HTML ---- */
  function domRows(tbody) {
    return Array.prototype.map.call(tbody.rows, function (tr) {
      var d = tr.dataset;
      return {
        tr: tr, id: tr.cells[0].getElementsByTagName("code")[0].textContent,
        p: d.l || "", k: d.k || "", s: "", c: words(d.c), i: words(d.i), o: words(d.o),
        x: num(d.x), n: num(d.pv), a: num(d.a), b: num(d.b), rel: d.r || null, g: "",
        rank: Number(d.n), text: tr.cells[0].textContent.toLowerCase() + " " + (d.l || "")
      };
    });
  }

  function init() {
    var form = document.getElementById("filters");
    var models = form && form.getAttribute("data-table") === "models";
    var table = document.getElementById(models ? "models" : "offerings");
    if (!form || !table) { return; }
    var tbody = table.tBodies[0];
    var count = document.getElementById("count");
    var permalink = document.getElementById("permalink");
    var more = document.getElementById("more");
    var caption = table.caption;
    var captionText = caption ? caption.textContent.replace(/^[^.]*\. ?/, "") : "";
    var noun = models ? "models" : "offerings";
    var doc = null;
    var rows;
    var modalityOf = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[data-mod]"), function (box) {
      var parts = box.getAttribute("data-mod").split(" ");
      modalityOf[box.value] = { side: parts[0], value: parts[1] };
    });
    function hasCap(r, cap) {
      var mod = modalityOf[cap];
      return mod ? has(mod.side === "i" ? r.i : r.o, mod.value) : has(r.c, cap);
    }
    if (models) {
      rows = domRows(tbody);
    } else {
      doc = JSON.parse(document.getElementById("data").textContent);
      rows = islandRows(doc, table.getAttribute("data-ties"));
    }
    var total = rows.length;
    var LISTS = ["capabilities", "input_modalities", "output_modalities"];
    var SCALARS = models
      ? ["q", "lab", "kind", "min_context", "max_input_price"]
      : ["q", "provider", "kind", "status", "include_retired", "min_context",
        "max_input_price", "max_output_price"];
    var PRICES = { input_price: 1, output_price: 1, cache_read: 1 };
    var SORT_KEYS = {
      id: function (r) { return r.rank; },
      provider: function (r) { return r.p || null; },
      lab: function (r) { return r.p || null; },
      kind: function (r) { return r.k || null; },
      status: function (r) { return r.s || null; },
      context: function (r) { return r.x; },
      max_output: function (r) { return r.m; },
      input_price: function (r) { return r.a; },
      output_price: function (r) { return r.b; },
      cache_read: function (r) { return r.r === undefined ? null : r.r; },
      checked: function (r) { return r.ck || null; },
      providers: function (r) { return r.n; },
      released: function (r) { return r.rel; }
    };
    var sortKey = "id";
    var descending = false;
    var limit = models ? Infinity : PAGE;
    var DEFAULT_LIMIT = limit;

    function bound(value) {
      var v = String(value || "").trim();
      if (v === "") { return null; }
      var x = Number(v);
      return isNaN(x) ? null : x;
    }
    function readState() {
      var data = new FormData(form);
      return {
        q: String(data.get("q") || "").trim().toLowerCase(),
        p: String(data.get(models ? "lab" : "provider") || ""),
        kind: String(data.get("kind") || ""),
        status: String(data.get("status") || ""),
        retired: data.get("include_retired") === "1",
        capabilities: data.getAll("capabilities").map(String),
        input_modalities: data.getAll("input_modalities").map(String),
        output_modalities: data.getAll("output_modalities").map(String),
        min_context: bound(data.get("min_context")),
        max_input_price: bound(data.get("max_input_price")),
        max_output_price: bound(data.get("max_output_price"))
      };
    }
    function matches(r, st) {
      if (st.p && r.p !== st.p) { return false; }
      if (st.kind && r.k !== st.kind) { return false; }
      if (st.status) {
        if (r.s !== st.status) { return false; }
      } else if (!st.retired && r.s === "retired") {
        return false;
      }
      for (var i = 0; i < st.capabilities.length; i++) {
        if (!hasCap(r, st.capabilities[i])) { return false; }
      }
      for (var j = 0; j < st.input_modalities.length; j++) {
        if (!has(r.i, st.input_modalities[j])) { return false; }
      }
      for (var k = 0; k < st.output_modalities.length; k++) {
        if (!has(r.o, st.output_modalities[k])) { return false; }
      }
      if (st.min_context !== null && !(r.x !== null && r.x >= st.min_context)) { return false; }
      if (st.max_input_price !== null && !(r.a !== null && !r.g && r.a <= st.max_input_price)) {
        return false;
      }
      if (st.max_output_price !== null && !(r.b !== null && !r.g && r.b <= st.max_output_price)) {
        return false;
      }
      return !st.q || r.text.indexOf(st.q) >= 0;
    }

    function query() {
      var params = new URLSearchParams();
      var data = new FormData(form);
      SCALARS.forEach(function (name) {
        var v = String(data.get(name) || "").trim();
        if (v !== "") { params.append(name, v); }
      });
      LISTS.forEach(function (name) {
        data.getAll(name).forEach(function (v) { params.append(name, String(v)); });
      });
      if (sortKey !== "id" || descending) {
        params.append("sort", sortKey);
        if (descending) { params.append("descending", "1"); }
      }
      if (window.llmaestroChartOpen && window.llmaestroChartOpen()) { params.append("chart", "1"); }
      if (limit !== DEFAULT_LIMIT) {
        params.append("limit", limit === Infinity ? "all" : String(limit));
      }
      var text = params.toString();
      return text ? "?" + text : "";
    }

    var shownRows = [];
    var matchedRows = [];
    function render(list) {
      var need = list.filter(function (r) { return !r.tr; });
      if (need.length) {
        var tb = document.createElement("tbody");
        tb.innerHTML = need.map(function (r) { return offeringHtml(r, doc, hasCap); }).join("");
        var trs = Array.prototype.slice.call(tb.rows);
        need.forEach(function (r, n) { r.tr = trs[n]; });
      }
      var same = list.length === shownRows.length && tbody.rows.length === list.length &&
        list.every(function (r, n) { return shownRows[n] === r; });
      if (!same) {
        var frag = document.createDocumentFragment();
        list.forEach(function (r) { frag.appendChild(r.tr); });
        tbody.textContent = "";
        tbody.appendChild(frag);
      }
      shownRows = list;
    }

    function apply() {
      var st = readState();
      matchedRows = rows.filter(function (r) { return matches(r, st); });
      var matched = matchedRows.length;
      var list = matchedRows.slice(0, limit);
      render(list);
      var shown = list.length;
      count.textContent = fmt(matched) + " of " + fmt(total) + " " + noun + " match" +
        (shown < matched ? "; showing the first " + fmt(shown) + "." : ".");
      if (more) {
        more.hidden = shown >= matched;
        document.getElementById("show-more").textContent =
          "Show " + fmt(Math.min(PAGE, matched - shown)) + " more";
        document.getElementById("show-all").textContent = "Show all " + fmt(matched);
      }
      var chosen = form.querySelectorAll(".group input:checked").length;
      var badge = document.getElementById("f-more-n");
      if (badge) { badge.textContent = chosen ? " (" + chosen + ")" : ""; }
      var q = query();
      var url = location.pathname + q;
      if (location.search !== q) {
        try {
          history.replaceState(null, "", url);
        } catch (e) {
          // a page opened from a file: URL may not rewrite its address; the link still works
        }
      }
      permalink.href = url;
      if (window.llmaestroChart) { window.llmaestroChart(matchedRows, doc); }
    }

    function sortRows() {
      var key = SORT_KEYS[sortKey];
      var priced = PRICES.hasOwnProperty(sortKey);
      var known = [];
      var unknown = [];
      rows.forEach(function (r) {
        r.v = key(r);
        (r.v === null || r.v === undefined ? unknown : known).push(r);
      });
      known.sort(function (a, b) {
        // by a price, offers billed per token first, as Registry.query ranks them
        if (priced && !a.g !== !b.g) { return a.g ? 1 : -1; }
        var c = a.v < b.v ? -1 : a.v > b.v ? 1 : a.rank - b.rank;
        return descending ? -c : c;
      });
      unknown.sort(function (a, b) { return a.rank - b.rank; });
      rows = known.concat(unknown);
      var label = "";
      Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (th) {
        var button = th.querySelector("button");
        if (button && button.getAttribute("data-sort") === sortKey) {
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
          label = button.textContent.toLowerCase();
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      if (caption) {
        var by = sortKey === "id" ? "id" : label + (descending ? ", highest first" : ", lowest first");
        var extra = priced ? " (offers billed per token first; others are labelled)" : "";
        caption.textContent = (models ? "Models" : "Offerings") + " by " + by + extra + ". " +
          captionText;
      }
    }

    function restore() {
      var params = new URLSearchParams(location.search);
      SCALARS.forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (!field) { return; }
        var value = params.get(name);
        if (field.type === "checkbox") {
          field.checked = value === field.value;
        } else if (value !== null) {
          field.value = value;
        }
      });
      var open = false;
      LISTS.forEach(function (name) {
        var wanted = params.getAll(name);
        Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"),
          function (box) {
            box.checked = wanted.indexOf(box.value) >= 0;
            open = open || box.checked;
          });
      });
      // one box per fact: input_modalities=image is the vision box (the same filter)
      Array.prototype.forEach.call(form.querySelectorAll("input[data-mod]"), function (box) {
        var mod = modalityOf[box.value];
        var listed = params.getAll(mod.side === "i" ? "input_modalities" : "output_modalities");
        if (listed.indexOf(mod.value) >= 0) { box.checked = true; open = true; }
      });
      var group = document.getElementById("f-more");
      if (group && open) { group.open = true; }
      var sort = params.get("sort");
      sortKey = sort && SORT_KEYS.hasOwnProperty(sort) ? sort : "id";
      var desc = params.get("descending");
      descending = desc === "1" || desc === "true";
      var wanted = params.get("limit");
      var n = wanted === null ? DEFAULT_LIMIT : wanted === "all" ? Infinity : parseInt(wanted, 10);
      limit = n > 0 ? n : DEFAULT_LIMIT;
    }

    var pending = false;
    function schedule() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          apply();
        });
      }
    }

    restore();
    if (sortKey !== "id" || descending) { sortRows(); }
    form.hidden = false;
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    form.addEventListener("reset", function () {
      limit = DEFAULT_LIMIT;
      window.setTimeout(apply, 0);
    });
    if (more) {
      document.getElementById("show-more").addEventListener("click", function () {
        limit += PAGE;
        apply();
      });
      document.getElementById("show-all").addEventListener("click", function () {
        limit = Infinity;
        apply();
      });
    }
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-sort]");
      if (!button) { return; }
      var key = button.getAttribute("data-sort");
      descending = key === sortKey ? !descending : false;
      sortKey = key;
      sortRows();
      apply();
    });
    // click an id to copy it
    tbody.addEventListener("click", function (event) {
      var code = event.target.closest("code");
      if (!code || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(code.textContent).then(function () {
        count.textContent = "Copied " + code.textContent + ".";
      }, function () { /* no permission: the id stays selectable */ });
    });
    window.llmaestroView = function () { return matchedRows.map(function (r) { return r.id; }); };
    apply();
  }

  function start() {
    try {
      init();
    } finally {
      // shown even when something failed: the first rows are readable without the filters
      root.className += " ready";
      root.setAttribute("data-ready", "1");
      // lay the page out now, so that the mark below is when it can be used
      void document.body.offsetHeight;
      if (window.performance && performance.mark) {
        performance.mark("llmaestro-ready");
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
