/* flockwatch report: sortable and filterable tables, figures drawn when they scroll into view.
   Vanilla JS, no network: everything this page needs is inside it. */
(function () {
  "use strict";

  // ---- tables: click a header to sort (numbers by value, text alphabetically) ----
  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return v !== null ? v : cell.textContent.trim();
  }
  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var keys = rows.map(function (r) { return cellKey(r, index); });
    var numeric = keys.every(function (k) { return k === "" || !isNaN(parseFloat(k)) && isFinite(k.replace(/,/g, "")); });
    var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" :
              th.getAttribute("aria-sort") === "ascending" ? "descending" : (numeric ? "descending" : "ascending");
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b], c;
      if (numeric) {
        var nx = x === "" ? -Infinity : parseFloat(x.replace(/,/g, ""));
        var ny = y === "" ? -Infinity : parseFloat(y.replace(/,/g, ""));
        c = nx - ny;
      } else {
        c = x.localeCompare(y);
      }
      return c !== 0 ? sign * c : a - b;
    });
    var frag = document.createDocumentFragment();
    order.forEach(function (i) { frag.appendChild(rows[i]); });
    body.appendChild(frag);
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, index) {
      th.setAttribute("tabindex", "0");
      th.addEventListener("click", function () { sortTable(table, index, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortTable(table, index, th); });
    });
  });

  // ---- filters: free text over the whole row, and a minimum score column ----
  document.querySelectorAll(".controls[data-for]").forEach(function (box) {
    var table = document.getElementById(box.getAttribute("data-for"));
    if (!table || !table.tBodies[0]) return;
    var text = box.querySelector(".filter-text");
    var min = box.querySelector(".filter-min");
    var count = box.querySelector(".filter-count");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    function apply() {
      var q = text ? text.value.trim().toLowerCase() : "";
      var m = min ? parseFloat(min.value) : NaN;
      var col = min ? parseInt(min.getAttribute("data-col"), 10) : -1;
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = !q || texts[i].indexOf(q) !== -1;
        if (ok && !isNaN(m) && col >= 0) {
          var v = parseFloat(cellKey(r, col));
          ok = !isNaN(v) && v >= m;
        }
        r.style.display = ok ? "" : "none";
        if (ok) shown++;
      });
      if (count) count.textContent = shown + " of " + rows.length + " shown";
    }
    if (text) text.addEventListener("input", apply);
    if (min) min.addEventListener("input", apply);
    apply();
  });

  // ---- figures: Plotly specs drawn lazily; WebGL ones only while near the screen ----
  var hasPlotly = typeof window.Plotly !== "undefined";
  var webgl = (function () {
    try {
      var c = document.createElement("canvas");
      return !!(window.WebGLRenderingContext && (c.getContext("webgl") || c.getContext("experimental-webgl")));
    } catch (e) { return false; }
  })();
  var MAX_LIVE_GL = 6;  // browsers keep ~16 WebGL contexts; stay well below
  var liveGl = [];
  var config = { responsive: true, displaylogo: false, showLink: false, showSendToCloud: false,
                 showEditInChartStudio: false, modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d"] };

  function spec(el) {
    var node = document.getElementById(el.id + "-data");
    var s = JSON.parse(node.textContent);
    if (!webgl) {
      // No WebGL (old browser, software rendering disabled): draw the same picture in SVG.
      s.data.forEach(function (t) { if (t.type === "scattergl") t.type = "scatter"; });
    }
    return s;
  }
  function draw(el) {
    if (!hasPlotly || el.getAttribute("data-drawn") === "1") return;
    el.setAttribute("data-drawn", "1");
    var s = spec(el);
    var gl = el.getAttribute("data-gl") === "1" && webgl;
    var done = Plotly.newPlot(el, s.data, s.layout, config);
    if (gl) {
      liveGl.push(el);
      while (liveGl.length > MAX_LIVE_GL) {
        var old = liveGl.shift();
        Plotly.purge(old);
        old.setAttribute("data-drawn", "0");
      }
      done.then(function () {
        var img = document.getElementById(el.id + "-print");
        if (!img || img.getAttribute("src")) return;
        return Plotly.toImage(el, { format: "png", width: el.clientWidth || 900,
                                    height: el.clientHeight || 460 }).then(function (url) {
          img.setAttribute("src", url);
          el.parentNode.classList.add("has-print-image");
        });
      }).catch(function () { /* the picture stays interactive only */ });
    }
  }
  var figs = Array.prototype.slice.call(document.querySelectorAll(".fig"));
  if (!hasPlotly) {
    figs.forEach(function (el) { el.textContent = "(figure not available: Plotly failed to load)"; });
  } else if ("IntersectionObserver" in window) {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) draw(e.target); });
    }, { rootMargin: "300px 0px" });
    figs.forEach(function (el) { io.observe(el); });
  } else {
    figs.forEach(draw);
  }
  // Printing: draw every SVG figure now (WebGL ones print from their saved image).
  window.addEventListener("beforeprint", function () {
    figs.forEach(function (el) { if (el.getAttribute("data-gl") !== "1") draw(el); });
  });
  window.flockwatchReport = { drawAll: function () { figs.forEach(draw); }, webgl: webgl };
})();
