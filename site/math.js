// Typesets the math the site's markdown renderer marked (<span class="math inline">,
// <div class="math display">; their text is the TeX as written) with the local KaTeX copy.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof katex === "undefined") return;  // the TeX stays readable as text
  document.querySelectorAll(".math").forEach(function (element) {
    var tex = element.textContent;
    try {
      katex.render(tex, element, {
        displayMode: element.classList.contains("display"),
        throwOnError: false,
      });
    } catch (error) {
      // throwOnError covers TeX errors only; a formula that exhausts KaTeX itself (nested
      // thousands deep) stays as its TeX, and the formulas after it are still typeset.
      element.textContent = tex;
      element.classList.add("math-error");
      element.title = "KaTeX could not typeset this formula: " + error.message;
    }
  });
});
