/* llmaestro catalog: the chart of index.html, input price against context window (log scales)
 * of the offerings the filters let through, drawn when the "Chart" button opens it.
 *
 * site.js calls window.llmaestroChart(rows) after each filtering. The plot is one Tab stop:
 * the arrow keys go from point to point (by context, then price), Enter opens the focused
 * one, and the line under the plot says which it is (as hovering does); "The chart's data"
 * under it opens a table of the points in the same order (point n is row n), drawn when opened.
 * Points are coloured by lab or by kind; offers not billed per token have no price to place and
 * are counted apart, by billing kind.
 */
(function () {
  "use strict";

  var COLOURS = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#b8860b"];
  var OTHER = "#999999";
  var W = 760, H = 330, L = 64, R = 12, T = 10, B = 42;
  var rows = [];
  var pts = [];
  var focus = -1;
  var by = "lab";
  var tableOpen = false;
  var open = /(^|[?&])chart=1(&|$)/.test(location.search);

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;";
    });
  }
  function usd(v) {
    var s = String(v);
    if (s.indexOf("e") >= 0) { s = v.toFixed(12).replace(/0+$/, ""); }
    var parts = s.split(".");
    var frac = (parts[1] || "").replace(/0+$/, "");
    while (frac.length < 2) { frac += "0"; }
    return "$" + parts[0] + "." + frac;
  }
  function decades(lo, hi) {
    var a = Math.floor(Math.log10(lo));
    var b = Math.ceil(Math.log10(hi));
    return [a, b > a ? b : a + 1];
  }
  function tokLabel(e) {
    var v = Math.pow(10, e);
    return v >= 1e9 ? v / 1e9 + "B" : v >= 1e6 ? v / 1e6 + "M" : v >= 1e3 ? v / 1e3 + "K" : String(v);
  }
  function priceLabel(e) {
    return e >= 0 ? "$" + Math.pow(10, e).toLocaleString("en") : "$" + Math.pow(10, e).toFixed(-e);
  }
  function describe(p) {
    var r = p.r;
    return r.name + " (" + r.id + "): " + usd(r.a) + " / 1M input tokens, " +
      r.x.toLocaleString("en") + " tokens of context; " + p.group;
  }

  function draw() {
    var panel = document.getElementById("chart-panel");
    var toggle = document.getElementById("chart-toggle");
    if (!panel || !toggle) { return; }
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    panel.hidden = !open;
    if (!open) { panel.textContent = ""; return; }
    var placed = rows.filter(function (r) { return !r.g && r.x > 0 && r.a > 0; });
    var apart = rows.filter(function (r) { return r.g; }).length;
    var billed = {};
    rows.forEach(function (r) { if (r.g) { billed[r.gl] = (billed[r.gl] || 0) + 1; } });
    var billedText = Object.keys(billed).sort().map(function (l) {
      return billed[l].toLocaleString("en") + " " + l;
    }).join(", ");
    var key = by === "kind" ? function (r) { return r.k || "unknown kind"; }
      : function (r) { return r.lab || "no canonical model"; };
    var counts = {};
    placed.forEach(function (r) { var g = key(r); counts[g] = (counts[g] || 0) + 1; });
    // the largest groups get a colour each; the rest, and offerings of no known lab, are grey
    var NONE = "no canonical model";
    var names = Object.keys(counts).filter(function (g) { return g !== NONE; }).sort(function (a, b) {
      return counts[b] - counts[a] || (a < b ? -1 : 1);
    });
    var colour = {};
    names.forEach(function (g, n) { colour[g] = n < COLOURS.length ? COLOURS[n] : OTHER; });
    colour[NONE] = OTHER;
    var legend = names.slice(0, COLOURS.length).map(function (g) { return [g, colour[g], counts[g]]; });
    var rest = names.slice(COLOURS.length).reduce(function (s, g) { return s + counts[g]; }, 0) +
      (counts[NONE] || 0);
    if (rest) {
      legend.push([by === "kind" ? "other kinds" : "other labs, or no canonical model", OTHER, rest]);
    }
    var html = ['<p class="chart-head"><label for="chart-by">Colour by</label> <select id="chart-by">' +
      '<option value="lab"' + (by === "lab" ? " selected" : "") + ">lab</option>" +
      '<option value="kind"' + (by === "kind" ? " selected" : "") + ">kind</option></select> " +
      placed.length.toLocaleString("en") + " of the " + rows.length.toLocaleString("en") +
      " offerings that match are placed" + (apart ? " (" + apart.toLocaleString("en") +
      " not billed per token have no price to place: " + esc(billedText) + ")" : "") +
      '. Focus the plot, then use the arrow keys (Enter opens a point), or open its data as a table below it.</p>'];
    pts = [];
    if (!placed.length) {
      html.push('<p class="tip" id="chart-tip">No offering here has a known context and a positive price per token.</p>');
      panel.innerHTML = html.join("");
      return;
    }
    var xs = decades(Math.min.apply(null, placed.map(function (r) { return r.x; })),
      Math.max.apply(null, placed.map(function (r) { return r.x; })));
    var ys = decades(Math.min.apply(null, placed.map(function (r) { return r.a; })),
      Math.max.apply(null, placed.map(function (r) { return r.a; })));
    var pw = W - L - R, ph = H - T - B;
    var sx = function (v) { return L + (Math.log10(v) - xs[0]) / (xs[1] - xs[0]) * pw; };
    var sy = function (v) { return T + ph - (Math.log10(v) - ys[0]) / (ys[1] - ys[0]) * ph; };
    var svg = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + W + " " + H + '" width="' +
      W + '" height="' + H + '" tabindex="0" role="img" aria-labelledby="chart-label" ' +
      'aria-describedby="chart-tip"><title id="chart-label">Input price against context window, ' +
      placed.length + ' offerings, log scales</title><g stroke="#8884" stroke-width="1">'];
    var labels = ['<g font-size="12" fill="currentColor">'];
    for (var e = xs[0]; e <= xs[1]; e++) {
      var x = sx(Math.pow(10, e)).toFixed(1);
      svg.push('<line x1="' + x + '" y1="' + T + '" x2="' + x + '" y2="' + (T + ph) + '"/>');
      labels.push('<text x="' + x + '" y="' + (T + ph + 16) + '" text-anchor="middle">' + tokLabel(e) + "</text>");
    }
    for (var f = ys[0]; f <= ys[1]; f++) {
      var y = sy(Math.pow(10, f)).toFixed(1);
      svg.push('<line x1="' + L + '" y1="' + y + '" x2="' + (L + pw) + '" y2="' + y + '"/>');
      labels.push('<text x="' + (L - 6) + '" y="' + (Number(y) + 4) + '" text-anchor="end">' + priceLabel(f) + "</text>");
    }
    labels.push('<text x="' + (L + pw / 2) + '" y="' + (H - 6) + '" text-anchor="middle">Context window (tokens)</text>');
    labels.push('<text transform="translate(14 ' + (T + ph / 2) + ') rotate(-90)" text-anchor="middle">Input $ / 1M tokens</text></g>');
    svg.push("</g>", labels.join(""), '<g fill-opacity="0.75">');
    placed.sort(function (a, b) { return a.x - b.x || a.a - b.a; });
    placed.forEach(function (r, n) {
      var g = key(r);
      var p = { r: r, cx: sx(r.x), cy: sy(r.a), group: g };
      pts.push(p);
      svg.push('<circle class="pt" data-n="' + n + '" cx="' + p.cx.toFixed(1) + '" cy="' +
        p.cy.toFixed(1) + '" r="4" fill="' + colour[g] + '"/>');
    });
    svg.push('</g><circle id="chart-ring" r="8" fill="none" stroke="currentColor" stroke-width="2" visibility="hidden"/></svg>');
    html.push(svg.join(""));
    html.push('<ul class="legend">' + legend.map(function (l) {
      return '<li><i style="background:' + l[1] + '"></i>' + esc(l[0]) + " (" + l[2].toLocaleString("en") + ")</li>";
    }).join("") + "</ul>");
    html.push('<p class="tip" id="chart-tip" aria-live="polite">Hover or focus a point for its offering.</p>');
    html.push('<details id="chart-data"' + (tableOpen ? " open" : "") + "><summary>The chart\u2019s data: " +
      pts.length.toLocaleString("en") + " offerings as a table</summary>" +
      (tableOpen ? dataTable() : "") + "</details>");
    panel.innerHTML = html.join("");
    focus = -1;
  }

  // the points as a table, in the plot's order (by context, then price)
  function dataTable() {
    var head = by === "kind" ? "Kind" : "Lab";
    return '<table class="data" id="chart-table"><caption>The chart\u2019s points, by context ' +
      "then input price</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Offering" +
      '</th><th scope="col">' + head + '</th><th scope="col" class="num">Context (tokens)</th>' +
      '<th scope="col" class="num">Input $/1M</th></tr></thead><tbody>' +
      pts.map(function (p, n) {
        var r = p.r;
        return "<tr><td>" + (n + 1) + '<td><a href="' + esc(r.page) + '">' + esc(r.name) +
          "</a> <code>" + esc(r.id) + "</code><td>" + esc(p.group) + '<td class="num">' +
          r.x.toLocaleString("en") + '<td class="num">' + usd(r.a);
      }).join("") + "</tbody></table>";
  }

  function show(n) {
    var tip = document.getElementById("chart-tip");
    var ring = document.getElementById("chart-ring");
    if (!pts.length || !tip || !ring) { return; }
    focus = Math.max(0, Math.min(pts.length - 1, n));
    var p = pts[focus];
    ring.setAttribute("cx", p.cx.toFixed(1));
    ring.setAttribute("cy", p.cy.toFixed(1));
    ring.setAttribute("visibility", "visible");
    tip.textContent = (focus + 1) + " of " + pts.length + ": " + describe(p);
  }

  function wire() {
    var panel = document.getElementById("chart-panel");
    var toggle = document.getElementById("chart-toggle");
    if (!panel || !toggle) { return; }
    toggle.addEventListener("click", function () {
      open = !open;
      drawn = open ? rows : null;
      draw();
      // let site.js keep the URL (chart=1) in step
      var form = document.getElementById("filters");
      if (form) { form.dispatchEvent(new Event("change")); }
    });
    panel.addEventListener("change", function (event) {
      if (event.target.id === "chart-by") {
        by = event.target.value;
        draw();
        var picker = document.getElementById("chart-by");
        if (picker) { picker.focus(); }
        event.stopPropagation();
      }
    });
    // <details> toggles do not bubble: listen while capturing
    panel.addEventListener("toggle", function (event) {
      var details = event.target;
      if (details.id !== "chart-data") { return; }
      tableOpen = details.open;
      if (tableOpen && !document.getElementById("chart-table")) {
        details.insertAdjacentHTML("beforeend", dataTable());
      }
    }, true);
    panel.addEventListener("mouseover", function (event) {
      var c = event.target.closest && event.target.closest("circle.pt");
      if (c) { show(Number(c.getAttribute("data-n"))); }
    });
    panel.addEventListener("click", function (event) {
      var c = event.target.closest && event.target.closest("circle.pt");
      if (c) { location.href = pts[Number(c.getAttribute("data-n"))].r.page; }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.target.tagName.toLowerCase() !== "svg" || !pts.length) { return; }
      var step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
      if (step.hasOwnProperty(event.key)) {
        show(focus < 0 ? 0 : focus + step[event.key]);
      } else if (event.key === "Home") {
        show(0);
      } else if (event.key === "End") {
        show(pts.length - 1);
      } else if (event.key === "Enter" && focus >= 0) {
        location.href = pts[focus].r.page;
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  var drawn = null;
  window.llmaestroChart = function (matched) {
    var same = drawn !== null && drawn.length === matched.length &&
      matched.every(function (r, n) { return drawn[n] === r; });
    rows = matched;
    if (open && !same) {
      drawn = matched;
      draw();
    }
  };
  window.llmaestroChartOpen = function () { return open; };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
