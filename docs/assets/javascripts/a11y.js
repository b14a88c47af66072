// Accessibility repairs to the theme's markup, served from the site itself.
// The search overlay is a dialog without a name (axe rule aria-dialog-name); name it.
(function () {
  "use strict";
  function repair() {
    Array.prototype.forEach.call(document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])'),
      function (dialog) { dialog.setAttribute("aria-label", "Search"); });
  }
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(repair);
  } else {
    document.addEventListener("DOMContentLoaded", repair);
  }
})();
