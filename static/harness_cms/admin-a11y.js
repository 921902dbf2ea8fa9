// Names for what the admin's scripts draw without one, so screen readers and voice control can
// reach it: select2's autocomplete box takes its field's label and its choice (inside a table
// row, the name the server gave the select), and the inline tables' empty header cells say
// what their column holds. Runs after Django's autocomplete.js has drawn the boxes, on load and
// for every row added.
"use strict";
(function () {
  function labelText(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    // A table cell has no <label>: the select carries aria-label (harness_cms.core.widgets).
    return select.getAttribute("aria-label") || "";
  }

  // select2's combobox is named by its rendered value (aria-labelledby), which is empty while
  // nothing is chosen; the rendered value gets a name of its own, the field's label and the
  // choice, kept in step with every change. The combobox's own attributes stay as select2
  // made them.
  function nameAutocompletes(root) {
    const $ = window.django && window.django.jQuery;
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      if (!select.id || select.name.includes("__prefix__")) return;
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      const rendered = container.querySelector(".select2-selection__rendered");
      const name = labelText(select);
      if (!rendered || !name) return;
      function describe() {
        const chosen = select.selectedOptions[0];
        const value = chosen && chosen.value ? chosen.textContent.trim() : "";
        rendered.setAttribute("aria-label", value ? name + ": " + value : name);
      }
      describe();
      // select2 announces a choice with jQuery's trigger, which native listeners do not hear.
      if ($ && !select.dataset.named) $(select).on("change", describe);
      select.dataset.named = "1";
    });
  }

  function nameEmptyHeaders(root) {
    root.querySelectorAll(".inline-group thead th").forEach(function (th) {
      if (th.textContent.trim()) return;
      const text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = th.classList.contains("original") ? "Saved row" : "Row actions";
      th.append(text);
    });
  }

  function start() {
    nameAutocompletes(document);
    nameEmptyHeaders(document);
  }

  // Django's autocomplete.js draws the boxes in a jQuery ready callback; whichever order the
  // form's media put the scripts in, a ready callback added once the document is parsed runs
  // after it (jQuery runs them in the order they were added).
  function whenDrawn() {
    if (window.django && window.django.jQuery) window.django.jQuery(start);
    else start();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", whenDrawn);
  } else {
    whenDrawn();
  }
  document.addEventListener("formset:added", function (event) {
    // After autocomplete.js's own listener has drawn the new row's boxes.
    setTimeout(function () { nameAutocompletes(event.target); }, 0);
  });
})();
