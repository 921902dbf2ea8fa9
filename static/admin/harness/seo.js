/* Content and FAQ change forms: character counters on the SEO fields, a live search-result
   preview, the on-page analysis as one types, and the publish / unpublish warnings shown only
   when the status is about to change.
   Loaded as a file (the admin's Content Security Policy forbids inline scripts). */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  function plain(markdownText) {
    // Enough Markdown stripping for a preview: links keep their text, marks go.
    return markdownText
      .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[*_`#>]+/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  function truncate(text, max) {
    if (text.length <= max) { return text; }
    var cut = text.slice(0, max - 1);
    var space = cut.lastIndexOf(" ");
    return (space > max * 0.6 ? cut.slice(0, space) : cut) + "…";
  }

  function counter(input, check) {
    var output = document.createElement("span");
    output.className = "harness-counter";
    output.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", output);
    function update() {
      var length = input.value.length;
      var problem = check(length);
      output.textContent = length + " characters" + (problem ? " — " + problem : "");
      output.classList.toggle("over", Boolean(problem));
    }
    input.addEventListener("input", update);
    update();
  }

  function setUpSeo(panel) {
    var titleMax = Number(panel.dataset.titleMax);
    var descMin = Number(panel.dataset.descriptionMin);
    var descMax = Number(panel.dataset.descriptionMax);
    var title = byId("id_title");
    var seoTitle = byId("id_seo_title");
    var lead = byId("id_lead");
    var description = byId("id_seo_description");
    var slug = byId("id_slug");

    if (seoTitle) {
      counter(seoTitle, function (n) {
        var effective = n || (title ? title.value.length : 0);
        return effective > titleMax ? "search results cut titles after about " + titleMax : "";
      });
    }
    if (description) {
      counter(description, function (n) {
        if (n === 0) { return ""; }
        if (n < descMin) { return "shorter than " + descMin; }
        if (n > descMax) { return "longer than " + descMax; }
        return "";
      });
    }

    var out = {};
    panel.querySelectorAll("[data-serp]").forEach(function (node) { out[node.dataset.serp] = node; });
    function render() {
      var shownTitle = (seoTitle && seoTitle.value.trim()) || (title && title.value.trim()) || "";
      var shownDescription = (description && description.value.trim()) ||
        (lead ? plain(lead.value) : "");
      out.title.textContent = truncate(shownTitle, titleMax) || "(no title yet)";
      out.description.textContent = truncate(shownDescription, descMax) || "(no description yet)";
      out.title.classList.toggle("over", shownTitle.length > titleMax);
      if (!panel.dataset.path && slug && slug.value) {
        out.url.textContent = panel.dataset.siteUrl + "/…/" + slug.value + "/";
      }
    }
    [title, seoTitle, lead, description, slug].forEach(function (field) {
      if (field) { field.addEventListener("input", render); }
    });
    render();
  }

  function setUpStatusWarnings() {
    var status = byId("id_status");
    var unpublishDate = byId("id_unpublish_at_0");
    var notices = document.querySelectorAll("[data-harness-when]");
    // The item's own redirect and one for each page that goes offline with it.
    var redirectRows = document.querySelectorAll(
      ".form-row.field-redirect_to, .field-redirect_to, .form-row[class*='field-redirect_to_']"
    );
    if (!status) { return; }
    function update() {
      var publishing = status.value === "published";
      // Unpublishing now, or an unpublish time that schedules the end.
      var ending = !publishing || Boolean(unpublishDate && unpublishDate.value.trim());
      notices.forEach(function (notice) {
        var initial = notice.dataset.harnessInitialStatus;
        var when = notice.dataset.harnessWhen;
        var show = when === "publishing" ? publishing && initial !== "published"
          : ending && initial === "published";
        notice.hidden = !show;
      });
      var initiallyPublished = status.dataset.harnessInitial === "published";
      redirectRows.forEach(function (row) { row.hidden = !(initiallyPublished && ending); });
    }
    status.dataset.harnessInitial = status.value;
    status.addEventListener("change", update);
    if (unpublishDate) {
      unpublishDate.addEventListener("input", update);
      unpublishDate.addEventListener("change", update);
    }
    update();
  }

  // On-page analysis: the fields the panel names are sent (debounced) to the server, which
  // answers the checks as JSON; the list is redrawn from it with text only (no HTML).
  var ANALYSIS_DELAY_MS = 500;

  function drawAnalysis(panel, data) {
    var score = panel.querySelector("[data-analysis='score']");
    score.textContent = String(data.score);
    score.className = "seo-score " + data.band;
    var list = panel.querySelector("[data-analysis='checks']");
    list.replaceChildren();
    data.checks.forEach(function (check) {
      var item = document.createElement("li");
      item.className = check.ok ? "ok" : "warn";
      item.dataset.check = check.key;
      var verdict = document.createElement("span");
      verdict.className = "verdict";
      verdict.textContent = check.ok ? "Passes:" : "Improve:";
      var label = document.createElement("strong");
      label.textContent = check.label;
      item.append(verdict, " ", label, " — " + check.detail);
      if (check.hint) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = check.hint;
        item.append(" ", hint);
      }
      list.append(item);
    });
  }

  function setUpAnalysis(panel) {
    var form = panel.closest("form");
    var status = panel.querySelector("[data-analysis='status']");
    var fields = panel.dataset.fields.split(" ").map(function (name) {
      return form && form.elements.namedItem(name);
    }).filter(function (field) { return field && "value" in field; });
    var timer = null;
    var latest = 0;
    function send() {
      var request = ++latest;
      var body = new FormData();
      fields.forEach(function (field) { body.append(field.name, field.value); });
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      status.textContent = "(checking…)";
      fetch(panel.dataset.url, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": token ? token.value : "" },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (answer) {
        if (request !== latest) { return; }
        if (answer.ok) {
          drawAnalysis(panel, answer.data);
          status.textContent = "(the text as typed, not yet saved)";
        } else {
          status.textContent = "(not updated: " + (answer.data.error || "error") + ")";
        }
      }).catch(function () {
        if (request === latest) { status.textContent = "(not updated: no answer from the server)"; }
      });
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(send, ANALYSIS_DELAY_MS);
    }
    fields.forEach(function (field) {
      field.addEventListener("input", later);
      field.addEventListener("change", later);
    });
    // Nothing analysed yet (a new page), or the form shows a draft rather than the saved text.
    if (!panel.querySelector("[data-check]") || panel.dataset.refresh) { send(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = byId("harness-seo");
    if (panel) { setUpSeo(panel); }
    var analysisPanel = byId("harness-analysis");
    if (analysisPanel) { setUpAnalysis(analysisPanel); }
    setUpStatusWarnings();
  });
})();
