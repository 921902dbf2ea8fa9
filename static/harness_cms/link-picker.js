// "Insert link" beside each Markdown field: search the site's pages by title and a link by
// reference, [text](item:42), goes in at the cursor. The selected words become the link's text
// (the page's title when nothing is selected). The page shows the item's address at the time it
// is read, so the link survives a new slug. Keyboard: type to search, Down/Up to move through
// the results, Enter to insert, Escape to close.
"use strict";
(function () {
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function linkText(text) {
    return text.replace(/[\[\]\n]+/g, " ").trim();
  }

  function insert(field, selection, item) {
    const text = linkText(field.value.slice(selection.start, selection.end)) || linkText(item.title) || "link";
    const reference = "[" + text + "](item:" + item.id + ")";
    field.value = field.value.slice(0, selection.start) + reference + field.value.slice(selection.end);
    const caret = selection.start + reference.length;
    field.focus();
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function picker(field, url) {
    const dialog = element("dialog", "link-picker");
    dialog.setAttribute("aria-labelledby", field.id + "_link_picker_title");
    const heading = element("h2", "", "Insert a link to a page");
    heading.id = field.id + "_link_picker_title";
    const label = element("label", "", "Page title");
    const search = element("input");
    search.type = "search";
    search.id = field.id + "_link_picker_search";
    search.autocomplete = "off";
    label.htmlFor = search.id;
    const hint = element("p", "help", "Down and Up move through the pages, Enter inserts the link.");
    const status = element("p", "link-picker-status");
    status.setAttribute("aria-live", "polite");
    const list = element("ul", "link-picker-list");
    const close = element("button", "button", "Cancel");
    close.type = "button";
    close.addEventListener("click", function () { dialog.close(); });
    dialog.append(heading, label, search, hint, status, list, close);
    document.body.append(dialog);

    let selection = { start: 0, end: 0 };
    let latest = 0;

    function choices() {
      return Array.from(list.querySelectorAll(".link-picker-choice"));
    }

    async function load() {
      const request = ++latest;
      let data;
      try {
        const response = await fetch(url + "?q=" + encodeURIComponent(search.value), { credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        data = await response.json();
      } catch (error) {
        if (request === latest) status.textContent = "The pages could not be searched (" + error.message + ").";
        return;
      }
      if (request !== latest) return;
      list.replaceChildren();
      status.textContent = data.results.length
        ? data.results.length + " page" + (data.results.length === 1 ? "" : "s") + " found."
        : "No page has a title like this.";
      data.results.forEach(function (item) {
        const entry = element("li");
        const choose = element("button", "link-picker-choice");
        choose.type = "button";
        choose.dataset.itemId = item.id;
        const title = element("span", "link-picker-title", item.title);
        const about = element("span", "link-picker-about", item.kind + " · " + item.path + (item.live ? "" : " · not live yet"));
        choose.append(title, about);
        choose.addEventListener("click", function () {
          dialog.close();
          insert(field, selection, item);
        });
        entry.append(choose);
        list.append(entry);
      });
    }

    let timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(load, 200);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && choices().length) {
        event.preventDefault();
        choices()[0].focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (choices().length) choices()[0].click();
      }
    });
    list.addEventListener("keydown", function (event) {
      const all = choices();
      const at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" && at < all.length - 1) {
        event.preventDefault();
        all[at + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (at > 0 ? all[at - 1] : search).focus();
      }
    });
    dialog.addEventListener("close", function () { field.focus(); });

    return {
      open: function () {
        selection = { start: field.selectionStart ?? field.value.length, end: field.selectionEnd ?? field.value.length };
        dialog.showModal();
        search.focus();
        load();
      },
    };
  }

  function start() {
    document.querySelectorAll("textarea[data-link-picker]").forEach(function (field) {
      if (field.name.includes("__prefix__")) return;
      const open = element("button", "button link-picker-open", "Insert link");
      open.type = "button";
      open.setAttribute("aria-label", "Insert a link to a page into " + (field.labels && field.labels[0] ? field.labels[0].textContent.replace(/:$/, "") : field.name));
      const chooser = picker(field, field.dataset.linkPicker);
      open.addEventListener("click", chooser.open);
      (field.closest(".markdown-with-preview") || field).insertAdjacentElement("beforebegin", open);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
