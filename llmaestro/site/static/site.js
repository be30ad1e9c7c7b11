/* llmaestro catalog: filters and sorting for the offerings table of index.html.
 *
 * The table is complete server-rendered HTML; this script only hides rows and reorders them.
 * Each row carries its filter values in data-* attributes: p provider, k kind, s status,
 * c capabilities, i / o input / output modalities (space-separated), x context, m max output,
 * a / b input / output price (USD per 1M tokens). A missing attribute is an unknown value.
 *
 * The filters follow llmaestro's Registry.query: every chosen capability and modality must be
 * present, an unknown value never passes a bound, retired offerings are hidden unless a status
 * is chosen or "include retired" is ticked, and sorting puts unknown values last.
 * The view is kept in the URL's query string, with the names of Registry.query's arguments
 * (capabilities=vision&min_context=128000&max_input_price=1&sort=input_price); `limit` is how
 * many matching rows are shown (PAGE by default, `all` for every one), as in Registry.query.
 *
 * Speed at 5,000+ rows: the script is loaded (not deferred) in <head> and marks <html> with
 * the class `js`, which keeps the table body out of layout while the page parses; once parsed,
 * the filters run, only the first PAGE matching rows stay displayed, and the body is shown:
 * one layout of PAGE rows instead of a relayout of the whole table at every parser yield.
 * Without JavaScript nothing is hidden.
 */
(function () {
  "use strict";

  var PAGE = 200;
  var root = document.documentElement;
  root.className += " js";

  function init() {
    var form = document.getElementById("filters");
    var table = document.getElementById("offerings");
    if (!form || !table) {
      return;
    }
    var more = document.getElementById("more");
    var showMore = document.getElementById("show-more");
    var showAll = document.getElementById("show-all");
    var limit = PAGE;
    var tbody = table.tBodies[0];
    var count = document.getElementById("count");
    var permalink = document.getElementById("permalink");
    var total = tbody.rows.length;
    var LISTS = ["capabilities", "input_modalities", "output_modalities"];
    var SCALARS = [
      "q", "provider", "kind", "status", "include_retired",
      "min_context", "max_input_price", "max_output_price"
    ];

    function words(text) {
      return text ? text.split(" ") : [];
    }
    function num(text) {
      return text === undefined || text === "" ? null : Number(text);
    }

    var rows = [];
    for (var n = 0; n < total; n++) {
      var tr = tbody.rows[n];
      var d = tr.dataset;
      rows.push({
        tr: tr,
        id: tr.cells[0].getElementsByTagName("code")[0].textContent,
        p: d.p || "",
        k: d.k || "",
        s: d.s || "",
        c: words(d.c),
        i: words(d.i),
        o: words(d.o),
        x: num(d.x),
        m: num(d.m),
        a: num(d.a),
        b: num(d.b),
        g: d.g || "",
        text: null,
        shown: true
      });
    }

    // rows with equal sort values keep the registry's order of its offerings, as
    // Registry.query(sort=...) does (see TIE_ORDERS in llmaestro/site/build.py)
    function text(a, b) {
      return a < b ? -1 : a > b ? 1 : 0;
    }
    var ties = table.getAttribute("data-ties");
    var ranked = rows.slice();
    if (ties === "position") {
      ranked.forEach(function (r) { r.rank = Number(r.tr.dataset.n); });
    } else {
      ranked.sort(ties === "provider-model" ? function (a, b) {
        return text(a.p, b.p) || text(a.id.slice(a.p.length + 1), b.id.slice(b.p.length + 1));
      } : function (a, b) {
        return text(a.id, b.id);
      });
      ranked.forEach(function (r, n) { r.rank = n; });
    }

    // capabilities that are modalities (vision: an image input), from the form's data-mod
    var modalityOf = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[data-mod]"), function (box) {
      var parts = box.getAttribute("data-mod").split(" ");
      modalityOf[box.value] = { side: parts[0], value: parts[1] };
    });

    var SORT_KEYS = {
      id: function (r) { return r.rank; },
      provider: function (r) { return r.p || null; },
      kind: function (r) { return r.k || null; },
      status: function (r) { return r.s || null; },
      context: function (r) { return r.x; },
      max_output: function (r) { return r.m; },
      input_price: function (r) { return r.a; },
      output_price: function (r) { return r.b; },
      checked: function (r) {
        var t = r.tr.cells[9].textContent;
        return t === "\u2014" ? null : t;
      }
    };
    var sortKey = "id";
    var descending = false;

    function has(list, value) {
      return list.indexOf(value) >= 0;
    }
    function bound(value) {
      var v = value.trim();
      if (v === "") {
        return null;
      }
      var x = Number(v);
      return isNaN(x) ? null : x;
    }

    function readState() {
      var data = new FormData(form);
      return {
        q: String(data.get("q") || "").trim().toLowerCase(),
        provider: String(data.get("provider") || ""),
        kind: String(data.get("kind") || ""),
        status: String(data.get("status") || ""),
        retired: data.get("include_retired") === "1",
        capabilities: data.getAll("capabilities").map(String),
        input_modalities: data.getAll("input_modalities").map(String),
        output_modalities: data.getAll("output_modalities").map(String),
        min_context: bound(String(data.get("min_context") || "")),
        max_input_price: bound(String(data.get("max_input_price") || "")),
        max_output_price: bound(String(data.get("max_output_price") || ""))
      };
    }

    function matches(r, st) {
      if (st.provider && r.p !== st.provider) { return false; }
      if (st.kind && r.k !== st.kind) { return false; }
      if (st.status) {
        if (r.s !== st.status) { return false; }
      } else if (!st.retired && r.s === "retired") {
        return false;
      }
      for (var i = 0; i < st.capabilities.length; i++) {
        var cap = st.capabilities[i];
        var mod = modalityOf[cap];
        if (mod ? !has(mod.side === "i" ? r.i : r.o, mod.value) : !has(r.c, cap)) {
          return false;
        }
      }
      for (var j = 0; j < st.input_modalities.length; j++) {
        if (!has(r.i, st.input_modalities[j])) { return false; }
      }
      for (var k = 0; k < st.output_modalities.length; k++) {
        if (!has(r.o, st.output_modalities[k])) { return false; }
      }
      if (st.min_context !== null && !(r.x !== null && r.x >= st.min_context)) { return false; }
      // a price bound passes only offers billed per token (data-g: billed otherwise)
      if (st.max_input_price !== null && !(r.a !== null && !r.g && r.a <= st.max_input_price)) {
        return false;
      }
      if (st.max_output_price !== null && !(r.b !== null && !r.g && r.b <= st.max_output_price)) {
        return false;
      }
      if (st.q) {
        if (r.text === null) {
          r.text = r.tr.textContent.toLowerCase();
        }
        if (r.text.indexOf(st.q) < 0) { return false; }
      }
      return true;
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
      if (limit !== PAGE) {
        params.append("limit", limit === Infinity ? "all" : String(limit));
      }
      var text = params.toString();
      return text ? "?" + text : "";
    }

    function fmt(n) {
      return n.toLocaleString("en");
    }

    function apply() {
      var st = readState();
      var matched = 0;
      var shown = 0;
      for (var n = 0; n < rows.length; n++) {
        var r = rows[n];
        var ok = matches(r, st);
        if (ok) {
          matched++;
          ok = shown < limit;
          if (ok) { shown++; }
        }
        if (ok !== r.shown) {
          r.shown = ok;
          r.tr.hidden = !ok;
        }
      }
      count.textContent = fmt(matched) + " of " + fmt(total) + " offerings match" +
        (shown < matched ? "; showing the first " + fmt(shown) + "." : ".");
      more.hidden = shown >= matched;
      showMore.textContent = "Show " + fmt(Math.min(PAGE, matched - shown)) + " more";
      showAll.textContent = "Show all " + fmt(matched);
      var q = query();
      var url = location.pathname + q;
      if (location.search !== q) {
        try {
          history.replaceState(null, "", url);
        } catch (e) {
          // a page opened from a file: URL may not rewrite its address; the link below still works
        }
      }
      permalink.href = url;
    }

    function compareIds(a, b) {
      return a.rank - b.rank;
    }

    function sortRows() {
      var key = SORT_KEYS[sortKey];
      var known = [];
      var unknown = [];
      rows.forEach(function (r) {
        r.v = key(r);
        (r.v === null ? unknown : known).push(r);
      });
      // by a price, offers billed per token first, as Registry.query ranks them
      var priced = sortKey === "input_price" || sortKey === "output_price";
      known.sort(function (a, b) {
        if (priced && !a.g !== !b.g) { return a.g ? 1 : -1; }
        var c = a.v < b.v ? -1 : a.v > b.v ? 1 : a.rank - b.rank;
        return descending ? -c : c;
      });
      unknown.sort(compareIds);
      var frag = document.createDocumentFragment();
      known.concat(unknown).forEach(function (r) { frag.appendChild(r.tr); });
      tbody.appendChild(frag);
      rows = known.concat(unknown);
      Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (th) {
        var button = th.querySelector("button");
        if (button && button.getAttribute("data-sort") === sortKey) {
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
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
      LISTS.forEach(function (name) {
        var wanted = params.getAll(name);
        Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"),
          function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
      });
      var sort = params.get("sort");
      sortKey = sort && SORT_KEYS.hasOwnProperty(sort) ? sort : "id";
      var desc = params.get("descending");
      descending = desc === "1" || desc === "true";
      var wanted = params.get("limit");
      var n = wanted === null ? PAGE : wanted === "all" ? Infinity : parseInt(wanted, 10);
      limit = n > 0 ? n : PAGE;
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
    if (sortKey !== "id" || descending) {
      sortRows();
    }
    form.hidden = false;
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    form.addEventListener("reset", function () {
      limit = PAGE;
      window.setTimeout(apply, 0);
    });
    showMore.addEventListener("click", function () {
      limit += PAGE;
      apply();
    });
    showAll.addEventListener("click", function () {
      limit = Infinity;
      apply();
    });
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-sort]");
      if (!button) { return; }
      var key = button.getAttribute("data-sort");
      descending = key === sortKey ? !descending : false;
      sortKey = key;
      sortRows();
      apply();
    });
    apply();
  }

  function start() {
    try {
      init();
    } finally {
      // shown even when something failed: the table is readable without the filters
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
