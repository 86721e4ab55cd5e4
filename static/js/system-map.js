// The system map (talking point 8): draws the place's organisations and relationships as an
// SVG network, and lets people download it as SVG or PNG. No libraries: a small
// force-directed layout (Fruchterman–Reingold) that starts from a circle, so the same data
// always gives the same picture. Data comes from <script type="application/json"
// id="system-map-data">; the accessible table on the page holds the same information.
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var WIDTH = 860;
  var MAP_HEIGHT = 560;
  var NODE_RADIUS = 11;
  var INK = "#0b0c0c";

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== "" && attrs[key] !== null && attrs[key] !== undefined) {
        node.setAttribute(key, attrs[key]);
      }
    });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function text(parent, x, y, content, attrs) {
    var node = el("text", Object.assign({ x: x, y: y, "font-size": 13, fill: INK,
      "font-family": "system-ui, Arial, sans-serif" }, attrs || {}), parent);
    node.textContent = content;
    return node;
  }

  // Fruchterman–Reingold: nodes push each other apart, relationships pull them together,
  // and a weak pull to the centre keeps separate groups on the page.
  function layout(nodes, edges, width, height) {
    var n = nodes.length;
    var cx = width / 2;
    var cy = height / 2;
    var radius = Math.min(width, height) * 0.38;
    var margin = 70;
    var byId = {};
    nodes.forEach(function (node, i) {
      var angle = (2 * Math.PI * i) / Math.max(1, n) - Math.PI / 2;
      node.x = cx + radius * Math.cos(angle);
      node.y = cy + radius * Math.sin(angle);
      byId[node.id] = node;
    });
    if (n < 2) { return byId; }
    var k = Math.sqrt((width * height) / n) * 0.55;
    var rounds = 300;
    for (var round = 0; round < rounds; round++) {
      var temperature = (width / 12) * (1 - round / rounds) + 0.5;
      nodes.forEach(function (node) { node.dx = 0; node.dy = 0; });
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var a = nodes[i];
          var b = nodes[j];
          var dx = a.x - b.x;
          var dy = a.y - b.y;
          var dist = Math.max(0.01, Math.sqrt(dx * dx + dy * dy));
          var push = (k * k) / dist;
          a.dx += (dx / dist) * push; a.dy += (dy / dist) * push;
          b.dx -= (dx / dist) * push; b.dy -= (dy / dist) * push;
        }
      }
      edges.forEach(function (edge) {
        var s = byId[edge.source];
        var t = byId[edge.target];
        if (!s || !t) { return; }
        var dx = s.x - t.x;
        var dy = s.y - t.y;
        var dist = Math.max(0.01, Math.sqrt(dx * dx + dy * dy));
        var pull = (dist * dist) / k;
        s.dx -= (dx / dist) * pull; s.dy -= (dy / dist) * pull;
        t.dx += (dx / dist) * pull; t.dy += (dy / dist) * pull;
      });
      nodes.forEach(function (node) {
        node.dx += (cx - node.x) * 0.02;
        node.dy += (cy - node.y) * 0.02;
        var length = Math.max(0.01, Math.sqrt(node.dx * node.dx + node.dy * node.dy));
        var step = Math.min(length, temperature);
        node.x = Math.min(width - margin, Math.max(margin, node.x + (node.dx / length) * step));
        node.y = Math.min(height - 30, Math.max(30, node.y + (node.dy / length) * step));
      });
    }
    fit(nodes, width, height, margin);
    return byId;
  }

  // Scale and centre the drawing to use the whole area, keeping its shape.
  function fit(nodes, width, height, margin) {
    var xs = nodes.map(function (node) { return node.x; });
    var ys = nodes.map(function (node) { return node.y; });
    var minX = Math.min.apply(null, xs);
    var maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys);
    var maxY = Math.max.apply(null, ys);
    var scale = Math.min(
      (width - 2 * margin) / Math.max(1, maxX - minX),
      (height - 2 * 40) / Math.max(1, maxY - minY),
      3
    );
    var offsetX = width / 2 - ((minX + maxX) / 2) * scale;
    var offsetY = height / 2 - ((minY + maxY) / 2) * scale;
    nodes.forEach(function (node) {
      node.x = node.x * scale + offsetX;
      node.y = node.y * scale + offsetY;
    });
  }

  function draw(container, data) {
    var title = container.getAttribute("data-title") || "System map";
    var summary = container.getAttribute("data-summary") || "";
    var sectorRows = Math.ceil(data.sectors.length / 3);
    var kindRows = Math.ceil(data.kinds.length / 2);
    var height = MAP_HEIGHT + 24 + 22 + sectorRows * 24 + 8 + 22 + kindRows * 24 + 10;
    var svg = el("svg", {
      viewBox: "0 0 " + WIDTH + " " + height, width: WIDTH, height: height,
      role: "img", "aria-labelledby": "system-map-title system-map-desc", "class": "system-map-svg"
    });
    el("title", { id: "system-map-title" }, svg).textContent = title;
    el("desc", { id: "system-map-desc" }, svg).textContent = summary;
    el("rect", { x: 0, y: 0, width: WIDTH, height: height, fill: "#ffffff" }, svg);

    var defs = el("defs", {}, svg);
    var marker = el("marker", { id: "map-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: INK }, marker);

    var byId = layout(data.nodes, data.edges, WIDTH, MAP_HEIGHT);

    // Several relationships between the same two organisations curve apart.
    var pairs = {};
    data.edges.forEach(function (edge) {
      var key = Math.min(edge.source, edge.target) + "-" + Math.max(edge.source, edge.target);
      pairs[key] = pairs[key] || [];
      pairs[key].push(edge);
    });
    var edgeLayer = el("g", { "class": "map-edges" }, svg);
    Object.keys(pairs).forEach(function (key) {
      var group = pairs[key];
      group.forEach(function (edge, index) {
        var s = byId[edge.source];
        var t = byId[edge.target];
        if (!s || !t) { return; }
        var dx = t.x - s.x;
        var dy = t.y - s.y;
        var dist = Math.max(0.01, Math.sqrt(dx * dx + dy * dy));
        var ux = dx / dist;
        var uy = dy / dist;
        var sx = s.x + ux * NODE_RADIUS;
        var sy = s.y + uy * NODE_RADIUS;
        var tx = t.x - ux * (NODE_RADIUS + 2);
        var ty = t.y - uy * (NODE_RADIUS + 2);
        var bend = (index - (group.length - 1) / 2) * 28;
        if (edge.source > edge.target) { bend = -bend; }
        var mx = (sx + tx) / 2 - uy * bend;
        var my = (sy + ty) / 2 + ux * bend;
        var path = el("path", {
          d: "M" + sx.toFixed(1) + "," + sy.toFixed(1) + " Q" + mx.toFixed(1) + "," +
            my.toFixed(1) + " " + tx.toFixed(1) + "," + ty.toFixed(1),
          fill: "none", stroke: INK, "stroke-width": 1.6, "stroke-dasharray": edge.dash,
          "marker-end": edge.kind === "partners_with" ? "" : "url(#map-arrow)"
        }, edgeLayer);
        el("title", {}, path).textContent = s.name + " " + edge.kindLabel + " " + t.name;
      });
    });

    var nodeLayer = el("g", { "class": "map-nodes" }, svg);
    data.nodes.forEach(function (node) {
      var group = el("g", {}, nodeLayer);
      el("circle", { cx: node.x.toFixed(1), cy: node.y.toFixed(1), r: NODE_RADIUS,
        fill: node.colour, stroke: "#ffffff", "stroke-width": 2 }, group);
      text(group, node.x.toFixed(1), (node.y + NODE_RADIUS + 15).toFixed(1), node.name, {
        "text-anchor": "middle", stroke: "#ffffff", "stroke-width": 4, "paint-order": "stroke",
        "stroke-linejoin": "round"
      });
      el("title", {}, group).textContent = node.name + " (" + node.sectorLabel + ")";
    });

    // A legend inside the picture, so a downloaded copy explains itself.
    var top = MAP_HEIGHT + 24;
    var legend = el("g", { "class": "map-legend" }, svg);
    text(legend, 20, top, "Sectors", { "font-weight": 700 });
    data.sectors.forEach(function (sector, i) {
      var x = 20 + (i % 3) * 260;
      var y = top + 22 + Math.floor(i / 3) * 24;
      el("circle", { cx: x + 8, cy: y - 4, r: 7, fill: sector.colour }, legend);
      text(legend, x + 22, y, sector.label);
    });
    var kindsTop = top + 22 + sectorRows * 24 + 8;
    text(legend, 20, kindsTop, "Relationships", { "font-weight": 700 });
    data.kinds.forEach(function (kind, i) {
      var x = 20 + (i % 2) * 290;
      var y = kindsTop + 22 + Math.floor(i / 2) * 24;
      el("line", { x1: x, y1: y - 4, x2: x + 50, y2: y - 4, stroke: INK, "stroke-width": 1.6,
        "stroke-dasharray": kind.dash,
        "marker-end": kind.kind === "partners_with" ? "" : "url(#map-arrow)" }, legend);
      text(legend, x + 60, y, kind.label);
    });
    return svg;
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function svgSource(svg) {
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
  }

  function downloadPng(svg, filename) {
    var source = svgSource(svg);
    var image = new Image();
    var scale = 2;
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = svg.viewBox.baseVal.width * scale;
      canvas.height = svg.viewBox.baseVal.height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) { save(blob, filename + ".png"); }, "image/png");
    };
    // A data: URL, which the Content-Security-Policy allows for images.
    image.src = "data:image/svg+xml;base64," + window.btoa(unescape(encodeURIComponent(source)));
  }

  function init() {
    var container = document.querySelector("[data-system-map]");
    var dataNode = document.getElementById("system-map-data");
    if (!container || !dataNode) { return; }
    var data = JSON.parse(dataNode.textContent);
    var svg = draw(container, data);
    container.textContent = "";
    container.appendChild(svg);
    var filename = container.getAttribute("data-filename") || "system-map";
    var downloads = document.querySelector("[data-map-downloads]");
    if (!downloads) { return; }
    downloads.hidden = false;
    downloads.addEventListener("click", function (event) {
      var button = event.target.closest("[data-download]");
      if (!button) { return; }
      if (button.getAttribute("data-download") === "svg") {
        save(new Blob([svgSource(svg)], { type: "image/svg+xml" }), filename + ".svg");
      } else {
        downloadPng(svg, filename);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
