/* Progressive enhancement only: every page works the same with this file missing.
 * - A link to a question (#its-id) opens that question's <details>.
 * - Printing opens every question, so answers reach the paper.
 * - On wide screens the header's search form is open; on phones it opens from its button. */
(function () {
  "use strict";

  function openTarget() {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return; // a malformed address fragment opens nothing
    }
    if (!id) return;
    var target = document.getElementById(id);
    if (target && target.tagName === "DETAILS" && !target.open) {
      target.open = true;
      target.scrollIntoView();
    }
  }

  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      reopened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (details) { details.open = false; });
    reopened = [];
  });

  var wide = window.matchMedia("(min-width: 48rem)");
  function fitSearch() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = wide.matches;
    });
  }
  wide.addEventListener("change", fitSearch);
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches("details[data-open-wide]") && details.open && !wide.matches) {
      var input = details.querySelector("input[type=search]");
      if (input) input.focus();
    }
  }, true);

  window.addEventListener("hashchange", openTarget);
  function start() {
    fitSearch();
    openTarget();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
