// Live preview beside each Markdown field of the admin: the server renders the text with the
// site's own Markdown and sanitising pipeline, so what shows here is what the page will show.
// Without JavaScript the form works as before (progressive enhancement).
"use strict";
(function () {
  const DELAY_MS = 400;

  function csrfToken(field) {
    const form = field.form;
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function attach(field) {
    const url = field.dataset.markdownPreview;
    const wrapper = document.createElement("div");
    wrapper.className = "markdown-with-preview";
    const pane = document.createElement("div");
    pane.className = "markdown-preview";
    pane.setAttribute("aria-live", "polite");
    pane.id = field.id + "_preview";
    const label = document.createElement("span");
    label.className = "markdown-preview-label";
    label.textContent = "Preview";
    const output = document.createElement("div");
    output.className = "markdown-preview-output";
    pane.append(label, output);
    field.parentNode.insertBefore(wrapper, field);
    wrapper.append(field, pane);
    field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), pane.id].filter(Boolean).join(" "));

    let timer = null;
    let latest = 0;
    async function render() {
      const request = ++latest;
      const body = new FormData();
      body.append("text", field.value);
      try {
        const response = await fetch(url, {
          method: "POST",
          body: body,
          headers: { "X-CSRFToken": csrfToken(field) },
          credentials: "same-origin",
        });
        const data = await response.json();
        if (request !== latest) return;
        if (response.ok) {
          // Sanitised on the server by the same allowlist as the public pages.
          output.innerHTML = data.html;
          label.textContent = "Preview";
        } else {
          label.textContent = "Preview unavailable: " + (data.error || response.status);
        }
      } catch (error) {
        if (request === latest) label.textContent = "Preview unavailable (offline?)";
      }
    }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, DELAY_MS);
    });
    render();
  }

  function start() {
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(function (field) {
      if (!field.name.includes("__prefix__")) attach(field);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
