// Sortable, filterable index tables. Served from the site itself: no third-party script.
// A table inside <div class="uprkb-table" data-filter-column="Themes"> gets clickable
// column headings (sort) and a select that filters rows by the values of that column.
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    var na = parseFloat(a), nb = parseFloat(b);
    if (!isNaN(na) && !isNaN(nb) && /^[\d.]+$/.test(a) && /^[\d.]+$/.test(b)) {
      var pa = a.split(".").map(Number), pb = b.split(".").map(Number);
      for (var i = 0; i < Math.max(pa.length, pb.length); i++) {
        var d = (pa[i] || 0) - (pb[i] || 0);
        if (d) return d;
      }
      return 0;
    }
    return a.localeCompare(b);
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "uprkb-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(cellText(r1, index), cellText(r2, index));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function makeFilter(wrapper, table) {
    var column = wrapper.getAttribute("data-filter-column");
    if (!column || !table.tHead) return;
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var index = headers.indexOf(column);
    if (index < 0) return;
    var values = {};
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.cells[index].querySelectorAll("a"), function (a) {
        values[a.textContent.trim()] = true;
      });
    });
    var label = document.createElement("label");
    label.className = "uprkb-filter";
    label.textContent = "Filter by " + column.toLowerCase() + ": ";
    var select = document.createElement("select");
    select.setAttribute("aria-label", "Filter by " + column.toLowerCase());
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    select.appendChild(all);
    Object.keys(values).sort().forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v;
      select.appendChild(option);
    });
    var count = document.createElement("span");
    count.className = "uprkb-count";
    count.setAttribute("aria-live", "polite");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var names = Array.prototype.map.call(row.cells[index].querySelectorAll("a"), function (a) {
          return a.textContent.trim();
        });
        var visible = !select.value || names.indexOf(select.value) >= 0;
        row.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = " " + shown + " of " + rows.length + " rows";
    }
    select.addEventListener("change", apply);
    label.appendChild(select);
    label.appendChild(count);
    wrapper.insertBefore(label, wrapper.firstChild);
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".uprkb-table"), function (wrapper) {
      if (wrapper.getAttribute("data-ready")) return;
      var table = wrapper.querySelector("table");
      if (!table) return;
      wrapper.setAttribute("data-ready", "1");
      makeSortable(table);
      makeFilter(wrapper, table);
    });
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
