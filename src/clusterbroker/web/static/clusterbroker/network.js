// Draws the co-participation networks of organisation and partnership pages with Cytoscape.js
// (vendored): the elements come from a JSON script beside the canvas; a click opens the node's
// page, hovering says its full name.
(function () {
  "use strict";
  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-network-source"));
    if (!source || typeof cytoscape !== "function") return;
    var hover = box.parentNode.querySelector("[data-network-hover]");
    var cy = cytoscape({
      container: box,
      elements: JSON.parse(source.textContent),
      minZoom: 0.2,
      maxZoom: 4,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 9, "color": "#1d2433",
          "text-valign": "bottom", "text-margin-y": 3,
          "text-background-color": "#fff", "text-background-opacity": 0.8,
          "text-background-padding": 1 } },
        { selector: "node[kind = 'organisation']", style: {
          "background-color": "#1f5fae",
          "width": "mapData(weight, 1, 10, 14, 38)", "height": "mapData(weight, 1, 10, 14, 38)" } },
        { selector: "node[kind = 'self']", style: {
          "background-color": "#b42318", "width": 40, "height": 40, "font-weight": "bold" } },
        { selector: "node[kind = 'project']", style: {
          "shape": "round-rectangle", "background-color": "#d97706",
          "width": 16, "height": 10, "font-size": 8, "color": "#5b6475" } },
        { selector: "edge", style: { "width": 1, "line-color": "#b8c2d0", "curve-style": "haystack" } },
        { selector: "node.hovered", style: { "border-width": 3, "border-color": "#f5b942" } }
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000,
                idealEdgeLength: 60, padding: 20 }
    });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url) window.location.assign(url);
    });
    cy.on("mouseover", "node", function (event) {
      event.target.addClass("hovered");
      box.classList.add("pointing");
      if (hover) hover.textContent = event.target.data("title");
    });
    cy.on("mouseout", "node", function (event) {
      event.target.removeClass("hovered");
      box.classList.remove("pointing");
    });
    box.cy = cy;  // for the browser tests
    box.setAttribute("data-network-ready", String(cy.nodes().length));
  }
  function start() {
    document.querySelectorAll("[data-network-source]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
