/*
 * Search with Pagefind in Material's search dialog (see overrides/partials/search.html).
 *
 * Pagefind's index lives in the site's own pagefind/ folder: the first query loads its
 * loader, its WebAssembly and the index chunks of the words typed, then the fragments of
 * the results shown, never a whole-site index, and nothing from any other host. The
 * dialog, its classes and its keys are Material's: "/", "s" or "f" open it, Escape
 * closes it, the arrow keys move through the results, Enter follows the first.
 * Results are built as DOM nodes; of an excerpt only its text and <mark> survive.
 *
 * A result lands on one record, not on the page listing it: among the anchors Pagefind records
 * of a page, a card (a div with an id) or a review row's anchor (a span whose id starts "rec-")
 * opens an entry, which ends at the next entry or heading (the rule of uprkb.site.search.is_entry).
 * The entries holding the words found are shown under their page, most words first, each with
 * its own excerpt and leading to its anchor; headings' sub-results only for words outside them.
 */
(function () {
  "use strict";
  var root = document.querySelector('[data-uprkb-search="pagefind"]');
  if (!root) return;
  var toggle = document.getElementById("__search");
  var input = root.querySelector(".md-search__input");
  var form = root.querySelector("form");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var SHOWN = 10;
  var ENTRIES_SHOWN = 5;
  var EXCERPT_WORDS = 24;
  var ROW_ANCHOR = "rec-";
  var config = {};
  try {
    config = JSON.parse(document.getElementById("__config").textContent);
  } catch (e) {
    config = {};
  }
  var t = config.translations || {};
  var base = new URL((config.base || ".") + "/", location.href);
  var engine = null;
  var latest = 0;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", base).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: base.pathname }).then(function () {
          return pagefind.init();
        }).then(function () {
          return pagefind;
        });
      });
      engine.catch(function () {
        engine = null;
        meta.textContent = "Search is not available on this copy of the site (its index was not built).";
      });
    }
    return engine;
  }

  function counted(n) {
    var key = n === 0 ? "search.result.none" : n === 1 ? "search.result.one" : "search.result.other";
    var fallback = n === 0 ? "No matching documents" : n === 1 ? "1 matching document" : "# matching documents";
    return (t[key] || fallback).replace("#", String(n));
  }

  // Only text and <mark> are kept from an excerpt, whatever it holds.
  function excerpt(html) {
    var doc = document.implementation.createHTMLDocument("");
    doc.body.innerHTML = html || "";
    var p = document.createElement("p");
    (function copy(from, to) {
      from.childNodes.forEach(function (node) {
        if (node.nodeType === 3) {
          to.appendChild(document.createTextNode(node.nodeValue));
        } else if (node.nodeType === 1) {
          if (node.nodeName === "MARK") {
            var mark = document.createElement("mark");
            mark.textContent = node.textContent;
            to.appendChild(mark);
          } else {
            copy(node, to);
          }
        }
      });
    })(doc.body, p);
    return p;
  }

  function article(level, title, text, icon) {
    var art = document.createElement("article");
    art.className = "md-search-result__article md-typeset";
    if (icon) {
      var i = document.createElement("div");
      i.className = "md-search-result__icon md-icon";
      art.appendChild(i);
    }
    var h = document.createElement(level);
    h.textContent = title;
    art.appendChild(h);
    art.appendChild(excerpt(text));
    return art;
  }

  function isEntry(anchor) {
    return anchor.element === "div" || (anchor.element === "span" && anchor.id.indexOf(ROW_ANCHOR) === 0);
  }

  // The page's entries holding the words found, each { url, title, excerpt, locations }.
  function entries(data) {
    var bounds = (data.anchors || [])
      .filter(function (a) { return a.id && (isEntry(a) || /^h\d$/i.test(a.element)); })
      .sort(function (a, b) { return a.location - b.location; });
    var words = null;
    var out = [];
    bounds.forEach(function (a, i) {
      if (!isEntry(a)) return;
      var end = i + 1 < bounds.length ? bounds[i + 1].location : Infinity;
      var hits = (data.locations || []).filter(function (l) { return l >= a.location && l < end; });
      if (!hits.length) return;
      words = words || (data.content || "").split(/[\r\n\s]+/g);
      end = Math.min(end, words.length);
      var title;
      var from = a.location;
      if (a.element === "span") {
        // The row's first cell (Pagefind ends each cell with a "."): "98.12." or "no official number."
        var cell = [];
        while (from < end && cell.length < 6) {
          cell.push(words[from]);
          if (/\.$/.test(words[from++])) break;
        }
        var number = cell.join(" ").replace(/\.$/, "");
        title = /\d/.test(number) ? "Recommendation " + number : "Recommendation (" + number + ")";
      } else {
        var label = [];
        for (var w = a.location; w < end && label.length < 8 && words[w] !== "·"; w++) label.push(words[w]);
        if (label.length > 1 && /^\d+\.$/.test(label[0])) label.shift();
        title = label.join(" ").replace(/\.$/, "") || a.id;
      }
      var start = Math.max(from, Math.min(hits[0] - 8, end - EXCERPT_WORDS));
      var shown = [];
      for (var k = start; k < Math.min(end, start + EXCERPT_WORDS); k++) {
        shown.push(hits.indexOf(k) >= 0 ? "<mark>" + words[k] + "</mark>" : words[k]);
      }
      out.push({ url: data.url.split("#")[0] + "#" + a.id, title: title, excerpt: shown.join(" "), locations: hits });
    });
    return out.sort(function (x, y) { return y.locations.length - x.locations.length; });
  }

  function sub(s) {
    var link = document.createElement("a");
    link.href = s.url;
    link.className = "md-search-result__link";
    link.tabIndex = -1;
    link.appendChild(article("h2", s.title, s.excerpt, false));
    return link;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.href = data.url;
    a.className = "md-search-result__link";
    a.tabIndex = -1;
    a.appendChild(article("h1", (data.meta && data.meta.title) || data.url, data.excerpt, true));
    li.appendChild(a);
    var found = entries(data);
    var inEntries = {};
    found.forEach(function (e) { e.locations.forEach(function (l) { inEntries[l] = true; }); });
    found.slice(0, ENTRIES_SHOWN).forEach(function (e) { li.appendChild(sub(e)); });
    (data.sub_results || [])
      .filter(function (s) {
        return s.url !== data.url && s.title !== (data.meta && data.meta.title) && s.excerpt !== data.excerpt &&
          (s.locations || []).some(function (l) { return !inEntries[l]; });
      })
      .slice(0, Math.max(0, 3 - found.length))
      .forEach(function (s) { li.appendChild(sub(s)); });
    return li;
  }

  function clear(text) {
    list.replaceChildren();
    meta.textContent = text;
  }

  function run() {
    var query = input.value.trim();
    var mine = ++latest;
    if (!query) {
      clear(t["search.result.placeholder"] || "Type to start searching");
      return;
    }
    load().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (search) {
      if (mine !== latest || !search) return null;
      return Promise.all(search.results.slice(0, SHOWN).map(function (r) { return r.data(); })).then(function (pages) {
        if (mine !== latest) return;
        meta.textContent = counted(search.results.length);
        list.replaceChildren.apply(list, pages.map(item));
        root.dispatchEvent(new CustomEvent("uprkb:search-results", { detail: { query: query, count: search.results.length } }));
      });
    });
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.focus(); // at once, so that the next key typed lands in the query
    load();
  }

  function close() {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    input.blur();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", function () { load(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); }, 0);
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      input.focus();
    }
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var target = ev.target;
    var editing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!toggle.checked) {
      if (!editing && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
        ev.preventDefault();
        open();
      }
      return;
    }
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    } else if (ev.key === "Enter" && target === input && all.length) {
      ev.preventDefault();
      all[0].click();
    } else if (ev.key === "ArrowDown" && all.length) {
      ev.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (ev.key === "ArrowUp" && all.length) {
      ev.preventDefault();
      if (at <= 0) input.focus();
      else all[at - 1].focus();
    }
  });

  // A click on a result inside the page closes the dialog (the page may only scroll to an anchor).
  list.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("a")) close();
  });
})();
