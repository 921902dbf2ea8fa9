// Internal-link suggestions on an item's form: put a link by reference, [words](item:42), around
// the first mention of a page in this form's Markdown fields. Used by the "Insert link at the
// first mention" buttons, and when the form is opened from another page's suggestion with
// ?insert_link=42&mention=words. Nothing is saved: the editor reads the change and saves
// (a live page keeps it as a draft).
"use strict";
(function () {
  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Inside a link's text or destination: an unclosed "[" or "](" before the match.
  function insideLink(before) {
    const open = before.lastIndexOf("[");
    const close = before.lastIndexOf("]");
    if (open > close) return true;
    const destination = before.lastIndexOf("](");
    return destination >= 0 && before.indexOf(")", destination) < 0;
  }

  function firstMention(text, mention) {
    const words = mention.trim().split(/\s+/).map(escape).join("\\s+");
    const pattern = new RegExp("(?<![\\p{L}\\p{N}_])" + words + "(?![\\p{L}\\p{N}_])", "giu");
    let match;
    while ((match = pattern.exec(text)) !== null) {
      if (!insideLink(text.slice(0, match.index))) return match;
    }
    return null;
  }

  function insertAtFirstMention(itemId, mention) {
    const fields = document.querySelectorAll("textarea[data-link-picker], textarea[data-markdown-preview]");
    for (const field of fields) {
      if (field.name.includes("__prefix__")) continue;
      const match = firstMention(field.value, mention);
      if (!match) continue;
      const reference = "[" + match[0].replace(/\s+/g, " ") + "](item:" + itemId + ")";
      field.value = field.value.slice(0, match.index) + reference + field.value.slice(match.index + match[0].length);
      field.focus();
      field.setSelectionRange(match.index, match.index + reference.length);
      field.dispatchEvent(new Event("input", { bubbles: true }));
      const label = field.labels && field.labels[0] ? field.labels[0].textContent.replace(/:$/, "") : field.name;
      return "A link to the page was put in " + label + " at “" + match[0] + "”. Save to keep it.";
    }
    return "No mention of “" + mention + "” outside a link was found in this form's text.";
  }

  function tell(message) {
    let status = document.querySelector(".link-suggestion-status");
    if (!status) {
      status = document.createElement("p");
      status.className = "link-suggestion-status";
      status.setAttribute("aria-live", "polite");
      const form = document.querySelector("#content-main form");
      if (form) form.prepend(status);
    }
    status.textContent = message;
  }

  function start() {
    document.querySelectorAll(".link-suggestion-insert").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        tell(insertAtFirstMention(button.dataset.itemId, button.dataset.mention));
      });
    });
    const params = new URLSearchParams(window.location.search);
    const itemId = params.get("insert_link");
    const mention = params.get("mention");
    if (itemId && /^\d{1,12}$/.test(itemId) && mention) {
      tell(insertAtFirstMention(itemId, mention.slice(0, 200)));
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
