// A case page draws its causal graph once; the buttons above it show one analysis at a time on
// it: its treatment and outcome, what it conditions on, its instruments or mediators, and the
// open backdoor path that biases it. Each button carries the names in data attributes; Graphviz
// titles each node with its name and each edge "from->to", which is how they are found here.
// Without the script the graph shows the variables' roles and the table below says the rest.
(function () {
  "use strict";
  var roles = ["treatment", "outcome", "instruments", "adjusted", "mediators"];
  document.querySelectorAll(".graph-explorer").forEach(function (explorer) {
    var svg = explorer.querySelector(".graph-svg svg");
    var buttons = explorer.querySelectorAll("button[data-analysis]");
    if (!svg || !buttons.length) return;
    var nodes = {}, edges = {};
    svg.querySelectorAll("g.node, g.edge").forEach(function (g) {
      var title = g.querySelector("title");
      if (title) (g.classList.contains("node") ? nodes : edges)[title.textContent] = g;
    });
    function names(button, key) {
      var value = button.getAttribute("data-" + key);
      return value ? value.split(" ") : [];
    }
    function mark(element, role) {
      if (element) element.classList.add("hl", "hl-" + role);
    }
    function select(button) {
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      svg.querySelectorAll(".hl").forEach(function (element) {
        element.setAttribute("class", element.getAttribute("class").replace(/\s*\bhl(-[a-z]+)?\b/g, ""));
      });
      explorer.classList.add("selecting");
      roles.forEach(function (role) {
        names(button, role).forEach(function (name) {
          mark(nodes[name], role);
        });
      });
      var path = names(button, "path");
      path.forEach(function (name, i) {
        mark(nodes[name], "path");
        if (i > 0) mark(edges[path[i - 1] + "->" + name] || edges[name + "->" + path[i - 1]], "path");
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        select(button);
      });
    });
    select(buttons[0]);
  });
})();
