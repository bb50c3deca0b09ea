// Injected by browser_test.cpp into a copy of a rendered page that a host page shows in an
// <iframe> of a fixed width (headless Chromium makes no window narrower than 500 px). Once the
// page's own scripts (KaTeX, table.js) and fonts are done, it measures what a reader at this
// width cannot see and posts it to the host as JSON:
//   width, scrollWidth: the document's client and scroll widths (scrollWidth > width: the
//     page scrolls sideways);
//   overflow: elements that stick out of the page, the outermost of each (not those inside a
//     container that scrolls or clips: that container is reported instead);
//   clipped: elements that hide part of their content (overflow hidden or clip and content
//     wider than the box), and SVG text extending beyond its SVG's viewBox;
//   scrolling: containers that scroll sideways (the test decides which may);
//   chartText: the smallest rendered font size, in CSS pixels, of the text in the charts;
//   shown: the ids of the sections a reader sees.
//   frame: the name the host gave the frame (which page at which width this is).
// Each element is {element: "tag.class.class", text: "its first words", detail: "numbers"}.
(function () {
  "use strict";

  function item(element, detail) {
    var classes = element.getAttribute("class");
    var text = (element.textContent || "").replace(/\s+/g, " ").trim();
    return {
      element: element.tagName.toLowerCase() + (classes ? "." + classes.trim().split(/\s+/).join(".") : ""),
      text: text.length > 60 ? text.slice(0, 60) + "…" : text,
      detail: detail
    };
  }

  // KaTeX's MathML copy for screen readers, like any visually hidden element, is clipped to a
  // pixel on purpose.
  function visuallyHidden(element) {
    return element.classList.contains("katex-mathml") || (element.clientWidth <= 1 && element.clientHeight <= 1);
  }

  function measure() {
    var root = document.documentElement, width = root.clientWidth;
    var result = { frame: window.name, width: width, scrollWidth: root.scrollWidth, overflow: [], clipped: [], scrolling: [],
                   chartText: null, shown: [] };

    // Depth first. `contained`: an ancestor scrolls or clips, so this element cannot widen the
    // page; an absolutely positioned element escapes every such ancestor below its containing
    // block (the nearest positioned ancestor), so `containedAbsolute` is what held at that block.
    // `parentSticksOut`: only the outermost element sticking out is reported.
    function visit(element, contained, containedAbsolute, parentSticksOut) {
      if (element instanceof SVGElement && !(element instanceof SVGSVGElement)) return;
      var style = getComputedStyle(element);
      if (style.display === "none") return;
      if (/absolute|fixed/.test(style.position)) contained = style.position === "fixed" ? false : containedAbsolute;
      var box = element.getBoundingClientRect();
      var sticksOut = box.width > 0 && (box.right > width + 1 || box.left < -1);
      if (sticksOut && !contained && !parentSticksOut)
        result.overflow.push(item(element, "from " + Math.round(box.left) + " to " + Math.round(box.right) + " px"));
      // Inside a visually hidden element or an SVG (its text is checked against its viewBox below)
      // nothing more is looked at.
      if (visuallyHidden(element) || element instanceof SVGElement) return;
      var clips = /hidden|clip/.test(style.overflowX), scrolls = /auto|scroll/.test(style.overflowX);
      var detail = element.scrollWidth + " px of content in " + element.clientWidth;
      if (element.scrollWidth > element.clientWidth + 1) {
        if (clips) result.clipped.push(item(element, detail));
        if (scrolls) result.scrolling.push(item(element, detail));
      }
      if (element.tagName === "SECTION" && element.id && box.height > 0) result.shown.push(element.id);
      var inner = contained || clips || scrolls;
      var innerAbsolute = style.position === "static" ? containedAbsolute : inner;
      // A run of text too long for its line (a URL without a place to break) sticks out of its
      // element's box without widening the box: it is measured on its own.
      var textSticksOut = false;
      for (var child = element.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.ELEMENT_NODE) {
          visit(child, inner, innerAbsolute, sticksOut || textSticksOut);
        } else if (child.nodeType === Node.TEXT_NODE && !inner && !sticksOut && !parentSticksOut && !textSticksOut &&
                   child.textContent.trim()) {
          var range = document.createRange();
          range.selectNodeContents(child);
          var run = range.getBoundingClientRect();
          if (run.width > 0 && (run.right > width + 1 || run.left < -1)) {
            textSticksOut = true;
            result.overflow.push(item(element, "its text from " + Math.round(run.left) + " to " + Math.round(run.right) + " px"));
          }
        }
      }
    }
    visit(document.body, false, false, false);

    // The text of an inline SVG must lie inside its viewBox, in the SVG's own units: what lies
    // outside is cut at every width.
    document.querySelectorAll("svg[viewBox]").forEach(function (svg) {
      var view = svg.viewBox.baseVal, toScreen = svg.getScreenCTM();
      if (!toScreen || !svg.getBoundingClientRect().width) return;  // not shown (a folded section)
      var toSvg = toScreen.inverse();
      svg.querySelectorAll("text").forEach(function (text) {
        var box = text.getBoundingClientRect();
        if (!box.width) return;
        var a = new DOMPoint(box.left, box.top).matrixTransform(toSvg);
        var b = new DOMPoint(box.right, box.bottom).matrixTransform(toSvg);
        var left = Math.min(a.x, b.x), right = Math.max(a.x, b.x), top = Math.min(a.y, b.y), bottom = Math.max(a.y, b.y);
        if (left < view.x - 1 || top < view.y - 1 || right > view.x + view.width + 1 || bottom > view.y + view.height + 1) {
          var found = item(text, "at [" + [left, top, right, bottom].map(Math.round).join(", ") +
                                 "] outside the viewBox [" +
                                 [view.x, view.y, view.x + view.width, view.y + view.height].map(Math.round).join(", ") + "]");
          found.element = item(svg).element + " text";
          result.clipped.push(found);
        }
      });
      if (svg.classList.contains("chart")) {
        svg.querySelectorAll("text").forEach(function (text) {
          var size = parseFloat(getComputedStyle(text).fontSize) * toScreen.a;
          if (result.chartText === null || size < result.chartText) result.chartText = size;
        });
      }
    });
    parent.postMessage(JSON.stringify(result), "*");
  }

  window.addEventListener("load", function () {
    document.fonts.ready.then(function () { setTimeout(measure, 50); });
  });
})();
