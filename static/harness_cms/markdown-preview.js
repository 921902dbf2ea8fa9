// Live preview beside each Markdown field of the admin: the server renders the text with the
// site's own Markdown and sanitising pipeline, and a frame draws it with the site's own
// stylesheet, so what shows here is what the page will show.
// Without JavaScript the form works as before (progressive enhancement).
"use strict";
(function () {
  const DELAY_MS = 400;

  function csrfToken(field) {
    const form = field.form;
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The frame's page: the public site's stylesheets and the element the public page puts this
  // field's HTML in (.prose, .lead, .faq-answer...), so the preview looks as the page will.
  // Same origin and sandboxed without scripts: this script fills it; nothing in it runs.
  function framePage(field) {
    const links = (field.dataset.markdownStylesheets || "").split(" ").filter(Boolean)
      .map(function (href) { return '<link rel="stylesheet" href="' + href + '">'; }).join("");
    const lang = document.documentElement.lang || "en";
    return '<!doctype html><html lang="' + lang + '"><head><meta charset="utf-8">' + links +
      '</head><body class="markdown-preview-page"><div class="markdown-preview-shown"></div></body></html>';
  }

  function labelText(field) {
    const label = field.id && document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : field.name;
  }

  function attach(field) {
    const url = field.dataset.markdownPreview;
    const wrapper = document.createElement("div");
    wrapper.className = "markdown-with-preview";
    const pane = document.createElement("div");
    pane.className = "markdown-preview";
    pane.id = field.id + "_preview";
    const label = document.createElement("span");
    label.className = "markdown-preview-label";
    label.setAttribute("aria-live", "polite");
    label.textContent = "Preview, as the page shows it";
    const frame = document.createElement("iframe");
    frame.className = "markdown-preview-frame";
    frame.title = "Preview of " + labelText(field) + ", as the public page shows it";
    frame.setAttribute("sandbox", "allow-same-origin allow-popups allow-popups-to-escape-sandbox");
    frame.srcdoc = framePage(field);
    pane.append(label, frame);
    field.parentNode.insertBefore(wrapper, field);
    wrapper.append(field, pane);
    field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), pane.id].filter(Boolean).join(" "));

    let html = "";
    function show() {
      const page = frame.contentDocument;
      const shown = page && page.querySelector(".markdown-preview-shown");
      if (!shown) return; // not loaded yet: the load event shows it
      shown.className = "markdown-preview-shown " + (field.dataset.markdownShownIn || "prose");
      // Sanitised on the server by the same allowlist as the public pages.
      shown.innerHTML = html;
      shown.querySelectorAll("a[href]").forEach(function (link) {
        link.target = "_blank";
        link.rel = "noopener";
      });
      frame.style.height = page.documentElement.scrollHeight + "px";
    }
    frame.addEventListener("load", show);

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
          html = data.html;
          show();
          label.textContent = "Preview, as the page shows it";
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
