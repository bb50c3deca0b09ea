// Typesets the math the site's markdown renderer marked (<span class="math inline">,
// <div class="math display">; their text is the TeX as written) with the local KaTeX copy.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof katex === "undefined") return;  // the TeX stays readable as text
  document.querySelectorAll(".math").forEach(function (element) {
    katex.render(element.textContent, element, {
      displayMode: element.classList.contains("display"),
      throwOnError: false,
    });
  });
});
