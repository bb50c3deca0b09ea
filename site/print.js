// On paper (and in the PDFs `casebook pdf` prints) a link to another page of this site leads
// nowhere, and in a PDF it would carry the file:// path of the folder it was printed from: while
// printing, such links become plain text; links to the web and within the page stay. They come
// back after printing.
(function () {
  "use strict";
  var removed = [];
  function isInternal(href) {
    return !/^(https?:|mailto:|#)/.test(href);
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (!isInternal(href)) return;
      removed.push([link, href]);
      link.removeAttribute("href");
    });
  });
  window.addEventListener("afterprint", function () {
    removed.forEach(function (entry) {
      entry[0].setAttribute("href", entry[1]);
    });
    removed = [];
  });
})();
