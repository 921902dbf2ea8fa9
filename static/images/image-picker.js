// "Insert image" beside each Markdown field: choose a picture of the library and a reference
// to it, ![alt](image:42), goes in on a line of its own. The reference, not a file address, is
// stored: the page always shows the image's current renditions, alt text and credit.
"use strict";
(function () {
  function button(text, className) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    return element;
  }

  function insert(field, reference) {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    const before = field.value.slice(0, start);
    const after = field.value.slice(end);
    const lead = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    const tail = after.startsWith("\n") ? "" : "\n\n";
    field.value = before + lead + reference + tail + after;
    const caret = (before + lead + reference).length;
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  }

  function picker(field, url) {
    const dialog = document.createElement("dialog");
    dialog.className = "image-picker";
    dialog.setAttribute("aria-label", "Insert an image from the library");
    const heading = document.createElement("h2");
    heading.textContent = "Insert an image";
    const search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Search the library";
    search.setAttribute("aria-label", "Search the image library");
    const list = document.createElement("ul");
    list.className = "image-picker-list";
    const status = document.createElement("p");
    status.className = "image-picker-status";
    status.setAttribute("aria-live", "polite");
    const close = button("Cancel", "button");
    close.addEventListener("click", function () { dialog.close(); });
    dialog.append(heading, search, status, list, close);
    document.body.append(dialog);

    let latest = 0;
    async function load() {
      const request = ++latest;
      const response = await fetch(url + "?q=" + encodeURIComponent(search.value), { credentials: "same-origin" });
      const data = await response.json();
      if (request !== latest) return;
      list.replaceChildren();
      status.textContent = data.results.length ? "" : "No image matches. Upload one in Images.";
      data.results.forEach(function (image) {
        const item = document.createElement("li");
        const choose = button("", "image-picker-choice");
        if (image.thumb) {
          const thumb = document.createElement("img");
          thumb.src = image.thumb;
          thumb.alt = "";
          choose.append(thumb);
        }
        const title = document.createElement("span");
        title.textContent = image.title;
        choose.append(title);
        choose.addEventListener("click", function () {
          const alt = (image.alt || "").replace(/[\[\]]/g, "");
          insert(field, "![" + alt + "](image:" + image.id + ")");
          dialog.close();
        });
        item.append(choose);
        list.append(item);
      });
    }
    search.addEventListener("input", load);
    return { open: function () { dialog.showModal(); search.focus(); load(); } };
  }

  function start() {
    document.querySelectorAll("textarea[data-image-picker]").forEach(function (field) {
      if (field.name.includes("__prefix__")) return;
      const open = button("Insert image", "button image-picker-open");
      const chooser = picker(field, field.dataset.imagePicker);
      open.addEventListener("click", chooser.open);
      // Above the field and its live preview, when markdown-preview.js has put them side by side.
      (field.closest(".markdown-with-preview") || field).insertAdjacentElement("beforebegin", open);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
