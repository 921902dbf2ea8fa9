/* Content change form: character counters on the SEO fields, a live search-result preview,
   and the publish / unpublish warnings shown only when the status is about to change.
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

  document.addEventListener("DOMContentLoaded", function () {
    var panel = byId("harness-seo");
    if (panel) { setUpSeo(panel); }
    setUpStatusWarnings();
  });
})();
