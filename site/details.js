// A case page folds its details (<details>): a link to something inside one, from this page or
// another, opens it, and printing opens them all (closing them again after), so a PDF holds the
// whole case.
(function () {
  "use strict";
  function openAround(id) {
    var target = id && document.getElementById(decodeURIComponent(id));
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (target) target.scrollIntoView();
  }
  function openFromHash() {
    openAround(location.hash.slice(1));
  }
  window.addEventListener("hashchange", openFromHash);
  if (location.hash) openFromHash();

  var closed = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      if (details.classList.contains("dot-source")) return;  // the DOT text is for the screen
      closed.push(details);
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (details) {
      details.open = false;
    });
    closed = [];
  });
})();
