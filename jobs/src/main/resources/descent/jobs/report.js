// descent training report: draws each chart of the inline JSON data as SVG, then records what it
// drew in #status (data-charts, data-series, data-points, data-errors) for tests and tools.
(function () {
  "use strict";
  var status = document.getElementById("status");
  var errors = 0;
  function countError() {
    errors++;
    status.setAttribute("data-errors", String(errors));
  }
  window.addEventListener("error", countError);

  var SVG = "http://www.w3.org/2000/svg";
  var W = 760, H = 360;
  var M = { left: 70, right: 18, top: 10, bottom: 42 };
  var PW = W - M.left - M.right, PH = H - M.top - M.bottom;
  // Above this many points a series is drawn from the min and max of each bucket of points.
  var MAX_DRAWN = 4000;

  function svg(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    }
    if (parent) parent.appendChild(e);
    return e;
  }

  function html(name, attrs, parent, text) {
    var e = document.createElement(name);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    }
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function fmt(v) {
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace("e+", "e");
    return String(Number(v.toPrecision(4)));
  }

  function extent(series, key, log) {
    var lo = Infinity, hi = -Infinity;
    series.forEach(function (s) {
      s[key].forEach(function (v) {
        if (log && !(v > 0)) return;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      });
    });
    if (lo === Infinity) { lo = log ? 1 : 0; hi = log ? 10 : 1; }
    if (lo === hi) {
      if (log) { lo /= 10; hi *= 10; } else { var d = lo === 0 ? 1 : Math.abs(lo) * 0.1; lo -= d; hi += d; }
    }
    return [lo, hi];
  }

  function linearTicks(lo, hi, n) {
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    if (err >= 7.5) step *= 10; else if (err >= 3.5) step *= 5; else if (err >= 1.5) step *= 2;
    var ticks = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    }
    return ticks;
  }

  function logTicks(lo, hi) {
    var a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    var every = Math.max(1, Math.ceil((b - a) / 8));
    var ticks = [];
    for (var e = a; e <= b; e += every) {
      var t = Math.pow(10, e);
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
    if (ticks.length < 2) return linearTicks(lo, hi, 4);
    return ticks;
  }

  // Indexes of the points to draw: all of them, or the first, min, max and last of each bucket.
  function decimate(y) {
    var n = y.length, idx = [], i;
    if (n <= MAX_DRAWN) {
      for (i = 0; i < n; i++) idx.push(i);
      return idx;
    }
    var size = Math.ceil(n / (MAX_DRAWN / 4));
    for (var start = 0; start < n; start += size) {
      var end = Math.min(n, start + size), lo = start, hi = start;
      for (i = start; i < end; i++) {
        if (y[i] < y[lo]) lo = i;
        if (y[i] > y[hi]) hi = i;
      }
      [start, lo, hi, end - 1].sort(function (p, q) { return p - q; }).forEach(function (k) {
        if (idx[idx.length - 1] !== k) idx.push(k);
      });
    }
    return idx;
  }

  // Index of the point of xs (ascending) nearest to x.
  function nearest(xs, x) {
    var lo = 0, hi = xs.length - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (xs[mid] < x) lo = mid; else hi = mid;
    }
    return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
  }

  function draw(chart, box, log) {
    while (box.firstChild) box.removeChild(box.firstChild);
    var series = chart.series;
    var xr = extent(series, "x", false), yr = extent(series, "y", log);
    var yl = log ? [Math.log10(yr[0]), Math.log10(yr[1])] : yr;
    function X(v) { return M.left + (v - xr[0]) / (xr[1] - xr[0]) * PW; }
    function Y(v) { var t = log ? Math.log10(v) : v; return M.top + PH - (t - yl[0]) / (yl[1] - yl[0]) * PH; }

    var root = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": chart.title, "data-chart": chart.id }, box);
    var grid = svg("g", { "class": "grid" }, root);
    var axes = svg("g", {}, root);
    (log ? logTicks(yr[0], yr[1]) : linearTicks(yr[0], yr[1], 6)).forEach(function (t) {
      var y = Y(t);
      svg("line", { x1: M.left, x2: M.left + PW, y1: y, y2: y }, grid);
      svg("text", { x: M.left - 6, y: y + 4, "text-anchor": "end" }, axes).textContent = fmt(t);
    });
    linearTicks(xr[0], xr[1], 8).forEach(function (t) {
      var x = X(t);
      svg("line", { x1: x, x2: x, y1: M.top, y2: M.top + PH }, grid);
      svg("text", { x: x, y: M.top + PH + 16, "text-anchor": "middle" }, axes).textContent = fmt(t);
    });
    svg("rect", { x: M.left, y: M.top, width: PW, height: PH, fill: "none", "class": "axis" }, root);
    svg("text", { x: M.left + PW / 2, y: H - 6, "text-anchor": "middle" }, axes).textContent = chart.xLabel;
    svg("text", { x: 14, y: M.top + PH / 2, "text-anchor": "middle",
      transform: "rotate(-90 14 " + (M.top + PH / 2) + ")" }, axes).textContent = chart.yLabel + (log ? " (log)" : "");

    var clipId = "clip-" + chart.id;
    var defs = svg("defs", {}, root);
    svg("rect", { x: M.left, y: M.top, width: PW, height: PH }, svg("clipPath", { id: clipId }, defs));
    var plot = svg("g", { "clip-path": "url(#" + clipId + ")" }, root);
    var legend = html("div", { "class": "legend" }, null);
    var points = 0;
    series.forEach(function (s) {
      var pts = decimate(s.y).filter(function (i) { return !log || s.y[i] > 0; }).map(function (i) {
        return X(s.x[i]).toFixed(1) + "," + Y(s.y[i]).toFixed(1);
      });
      var attrs = { points: pts.join(" "), fill: "none", stroke: s.color, "stroke-width": 1.6,
        "stroke-linejoin": "round", "data-run": s.run, "data-series": s.name, "data-points": s.x.length };
      if (s.dashed) attrs["stroke-dasharray"] = "6 4";
      svg("polyline", attrs, plot);
      if (s.x.length === 1 || (s.dashed && s.x.length < 50)) {
        s.x.forEach(function (x, i) {
          if (log && !(s.y[i] > 0)) return;
          svg("circle", { cx: X(x), cy: Y(s.y[i]), r: 2.5, fill: s.color }, plot);
        });
      }
      points += s.x.length;
      var item = html("span", {}, legend);
      html("span", { "class": "line" + (s.dashed ? " dashed" : ""), style: "border-color:" + s.color }, item);
      item.appendChild(document.createTextNode(s.name + " (" + s.x.length + ")"));
    });
    box.appendChild(legend);

    // Hover: a vertical cursor and each series' value at the nearest point.
    var cursor = svg("line", { "class": "cursor", y1: M.top, y2: M.top + PH, visibility: "hidden" }, root);
    var tip = html("div", { "class": "tip" }, box);
    root.addEventListener("mousemove", function (ev) {
      var r = root.getBoundingClientRect();
      var px = (ev.clientX - r.left) * W / r.width;
      if (px < M.left || px > M.left + PW) { cursor.setAttribute("visibility", "hidden"); tip.style.display = "none"; return; }
      var x = xr[0] + (px - M.left) / PW * (xr[1] - xr[0]);
      cursor.setAttribute("x1", px); cursor.setAttribute("x2", px); cursor.setAttribute("visibility", "visible");
      while (tip.firstChild) tip.removeChild(tip.firstChild);
      html("div", {}, tip, chart.xLabel + " " + fmt(x));
      series.forEach(function (s) {
        if (!s.x.length) return;
        var i = nearest(s.x, x);
        html("div", { style: "color:" + s.color }, tip, s.name + ": " + fmt(s.y[i]));
      });
      tip.style.display = "block";
      tip.style.left = Math.min(px + 12, W - 160) + "px";
      tip.style.top = (M.top + 28) + "px";
    });
    root.addEventListener("mouseleave", function () { cursor.setAttribute("visibility", "hidden"); tip.style.display = "none"; });
    return points;
  }

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var container = document.getElementById("charts");
  var drawn = 0, seriesCount = 0, pointCount = 0;
  data.charts.forEach(function (chart) {
    var section = html("section", { "class": "chart", id: "chart-" + chart.id }, container);
    var head = html("div", { "class": "head" }, section);
    html("h2", {}, head, chart.title);
    var toggle = html("label", {}, head);
    var box = html("input", { type: "checkbox" }, toggle);
    box.checked = chart.logY;
    toggle.appendChild(document.createTextNode(" log scale"));
    html("a", { href: chart.png }, head, "PNG");
    var plot = html("div", {}, section);
    try {
      pointCount += draw(chart, plot, chart.logY);
      seriesCount += chart.series.length;
      drawn++;
    } catch (e) {
      countError();
      html("p", {}, plot, "This chart could not be drawn: " + e);
      console.error("descent-report: chart " + chart.id + ": " + e);
    }
    box.addEventListener("change", function () { draw(chart, plot, box.checked); });
  });
  status.setAttribute("data-charts", String(drawn));
  status.setAttribute("data-series", String(seriesCount));
  status.setAttribute("data-points", String(pointCount));
  console.log("descent-report: drew " + drawn + " charts, " + seriesCount + " series, " + pointCount + " points, " + errors + " errors");
})();
