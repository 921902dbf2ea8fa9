// select2 names its combobox (and the read-only text inside it) after the chosen text only, so
// an empty autocomplete (a redirect target not chosen yet) had no accessible name. Name both
// after the field's own <label> as well.
(function () {
  "use strict";

  function name(select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    var box = select.nextElementSibling;
    var combobox = box && box.querySelector(".select2-selection[role=combobox]");
    if (!label || !combobox) return;
    if (!label.id) label.id = select.id + "-label";
    var chosen = combobox.getAttribute("aria-labelledby") || "";
    if (chosen.split(" ").indexOf(label.id) === -1) {
      combobox.setAttribute("aria-labelledby", (label.id + " " + chosen).trim());
    }
    // The chosen text inside is a read-only "textbox" of its own, named by the same label.
    var rendered = combobox.querySelector(".select2-selection__rendered");
    if (rendered) rendered.setAttribute("aria-labelledby", label.id);
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  // Django starts select2 when the document is ready; "load" comes after that.
  window.addEventListener("load", nameAll);
})();
