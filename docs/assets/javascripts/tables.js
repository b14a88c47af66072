// Sortable, filterable record tables, served from the site itself (no third-party script).
// A table inside <div class="uprkb-table" data-filters="Themes,Action category"> gets:
// - clickable column headings that sort (numbers like 2.10 compare as numbers);
// - one select per named column, filtering rows by the values in that column (the texts of its
//   links, or its text); the filters combine, the count of rows shown is announced, and the
//   choices are kept in the page's address (?themes=…&action-category=…) so a view can be shared;
// - a data-label on every cell, so that on a narrow screen each row reads as a stacked entry.
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    if (/^[\d.]+$/.test(a) && /^[\d.]+$/.test(b)) {
      var pa = a.split(".").map(Number), pb = b.split(".").map(Number);
      for (var i = 0; i < Math.max(pa.length, pb.length); i++) {
        var d = (pa[i] || 0) - (pb[i] || 0);
        if (d) return d;
      }
      return 0;
    }
    return a.localeCompare(b);
  }

  function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  function cellValues(cell) {
    if (!cell) return [];
    var anchors = cell.querySelectorAll("a");
    if (anchors.length) {
      return Array.prototype.map.call(anchors, function (a) { return a.textContent.trim(); });
    }
    var text = cell.textContent.trim();
    return text ? text.split(/;\s+/) : [];
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

  function labelCells(table, headers) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (headers[i]) cell.setAttribute("data-label", headers[i]);
      });
    });
  }

  function makeFilters(wrapper, table, headers, n) {
    var names = (wrapper.getAttribute("data-filters") || "")
      .split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var params = new URLSearchParams(window.location.search);
    var filters = [];
    var box = document.createElement("div");
    box.className = "uprkb-filters";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Filter the table");
    names.forEach(function (name) {
      var index = headers.indexOf(name);
      if (index < 0) return;
      // A Map, not an object: a value named "constructor", "toString" or "__proto__" is a value like any other.
      var values = new Map();
      rows.forEach(function (row) {
        cellValues(row.cells[index]).forEach(function (v) { values.set(v, (values.get(v) || 0) + 1); });
      });
      var keys = Array.from(values.keys()).sort(compare);
      if (keys.length < 2) return;  // nothing to choose between
      var id = "uprkb-filter-" + n + "-" + slug(name);
      var label = document.createElement("label");
      label.className = "uprkb-filter";
      label.setAttribute("for", id);
      label.textContent = name;
      var select = document.createElement("select");
      select.id = id;
      select.setAttribute("data-param", slug(name));
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "all";
      select.appendChild(all);
      keys.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v + " (" + values.get(v) + ")";
        select.appendChild(option);
      });
      var wanted = params.get(slug(name));
      if (wanted && values.has(wanted)) select.value = wanted;
      var field = document.createElement("span");
      field.className = "uprkb-field";
      field.appendChild(label);
      field.appendChild(select);
      box.appendChild(field);
      filters.push({ index: index, select: select });
    });
    var count = document.createElement("p");
    count.className = "uprkb-count";
    count.setAttribute("aria-live", "polite");
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "uprkb-reset";
    reset.textContent = "Clear filters";

    function apply(updateAddress) {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = filters.every(function (f) {
          return !f.select.value || cellValues(row.cells[f.index]).indexOf(f.select.value) >= 0;
        });
        row.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown + " of " + rows.length + " rows";
      reset.hidden = filters.every(function (f) { return !f.select.value; });
      if (updateAddress && window.history && window.history.replaceState) {
        var q = new URLSearchParams(window.location.search);
        filters.forEach(function (f) {
          var key = f.select.getAttribute("data-param");
          if (f.select.value) q.set(key, f.select.value); else q.delete(key);
        });
        var search = q.toString();
        window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }
    filters.forEach(function (f) { f.select.addEventListener("change", function () { apply(true); }); });
    reset.addEventListener("click", function () {
      filters.forEach(function (f) { f.select.value = ""; });
      apply(true);
      if (filters.length) filters[0].select.focus();
    });
    if (filters.length) {
      box.appendChild(reset);
      wrapper.insertBefore(box, wrapper.firstChild);
    }
    wrapper.insertBefore(count, box.nextSibling || wrapper.firstChild);
    apply(false);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".uprkb-table"), function (wrapper, n) {
      if (wrapper.getAttribute("data-ready")) return;
      var table = wrapper.querySelector("table");
      if (!table || !table.tHead) return;
      var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
      labelCells(table, headers);
      makeSortable(table);
      makeFilters(wrapper, table, headers, n);
      wrapper.setAttribute("data-ready", "1");
    });
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
