// "Cite this": a copy button beside each record's citation (the text stays readable and
// selectable without script). Served from the site itself.
(function () {
  "use strict";

  function copy(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text, done); });
    } else {
      fallback(text, done);
    }
  }

  function fallback(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selectable */ }
    document.body.removeChild(area);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".uprkb-cite"), function (box) {
      if (box.getAttribute("data-ready")) return;
      var text = box.querySelector(".uprkb-cite-text");
      if (!text) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "uprkb-copy";
      button.textContent = "Copy citation";
      var status = document.createElement("span");
      status.className = "uprkb-copied";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        copy(text.textContent.trim(), function () { status.textContent = "Copied"; });
      });
      text.parentNode.appendChild(document.createTextNode(" "));
      text.parentNode.appendChild(button);
      text.parentNode.appendChild(status);
      box.setAttribute("data-ready", "1");
    });
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
