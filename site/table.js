// Sorting and filtering for tables marked class="sortable". Without scripts the table is a
// plain, complete table; with them, each column heading becomes a button and a filter box
// appears above the table. Cells may carry data-sort (a number) to sort by instead of text.
(function () {
  "use strict";

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var sortValue = cell.getAttribute("data-sort");
    return sortValue !== null ? sortValue : cell.textContent.trim();
  }

  function compare(a, b) {
    var emptyA = a === "", emptyB = b === "";
    if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1; // blanks last
    var x = Number(a), y = Number(b);
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b, document.documentElement.lang);
  }

  function makeSortable(table) {
    var body = table.tBodies[0];
    var headings = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headings, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.title = table.getAttribute("data-sort-label") || "";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headings, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(cellKey(r1, index), cellKey(r2, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function addFilter(table) {
    var body = table.tBodies[0];
    var label = document.createElement("label");
    label.className = "table-filter";
    var text = document.createElement("span");
    text.textContent = table.getAttribute("data-filter-label") || "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = table.getAttribute("data-filter-placeholder") || "";
    label.appendChild(text);
    label.appendChild(input);
    var wrap = table.parentNode.classList.contains("table-wrap") ? table.parentNode : table;
    wrap.parentNode.insertBefore(label, wrap);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      if (!table.tBodies.length) return;
      makeSortable(table);
      addFilter(table);
    });
  });
})();
