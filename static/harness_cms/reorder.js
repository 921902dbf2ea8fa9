// Drag to reorder the rows of an admin inline (table rows, shared points, cards, FAQs on a
// page), by mouse or by keyboard. Each row gets a handle: drag it, or focus it and press the
// up and down arrow keys. The rows' position fields are renumbered in the order shown, so a
// save stores that order; typing numbers still works. No inline script (the admin's CSP).
(function () {
  "use strict";

  var HINT_ID = "reorder-hint";

  function formRows(tbody) {
    return Array.prototype.filter.call(tbody.children, function (row) {
      return row.matches("tr.form-row") && !row.classList.contains("empty-form");
    });
  }

  function positionInput(row) {
    return row.querySelector("input[name$='-position']");
  }

  // A row added with "Add another" and left empty stays empty: numbering it would make
  // Django validate (and refuse) a row nobody filled in.
  function isBlankNewRow(row) {
    var key = row.querySelector("td.original input[type=hidden][name$='-id']");
    if (key && key.value) return false;
    var fields = row.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), textarea, select");
    return Array.prototype.every.call(fields, function (field) {
      return field === positionInput(row) || !field.value;
    });
  }

  function renumber(tbody) {
    var rows = formRows(tbody);
    var number = 0;
    rows.forEach(function (row, index) {
      var handle = row.querySelector(".reorder-handle");
      if (handle) {
        handle.setAttribute("aria-label", "Move row " + (index + 1) + " of " + rows.length);
      }
      var input = positionInput(row);
      if (!input || isBlankNewRow(row)) return;
      input.value = String(number);
      number += 1;
    });
  }

  function announce(fieldset, text) {
    var status = fieldset.querySelector(".reorder-status");
    if (status) status.textContent = text;
  }

  function makeHandle() {
    var handle = document.createElement("button");
    handle.type = "button";
    handle.className = "reorder-handle";
    handle.setAttribute("aria-describedby", HINT_ID);
    handle.textContent = "\u2195";
    return handle;
  }

  function addHandleCell(row) {
    if (row.querySelector(".reorder-cell")) return;
    var cell = document.createElement("td");
    cell.className = "reorder-cell";
    cell.appendChild(makeHandle());
    row.insertBefore(cell, row.firstElementChild);
  }

  function enhance(fieldset) {
    var table = fieldset.querySelector("table");
    var tbody = table && table.tBodies[0];
    if (!tbody || fieldset.dataset.reorder === "on") return;
    fieldset.dataset.reorder = "on";
    var headRow = table.tHead && table.tHead.rows[0];
    if (headRow) {
      var th = document.createElement("th");
      th.className = "reorder-cell";
      th.textContent = "Order";
      headRow.insertBefore(th, headRow.firstElementChild);
    }
    Array.prototype.forEach.call(tbody.querySelectorAll("tr.form-row"), addHandleCell);
    Array.prototype.forEach.call(tbody.querySelectorAll("tr.row-form-errors td"), function (cell) {
      cell.colSpan += 1;
    });
    var status = document.createElement("p");
    status.className = "reorder-status visually-hidden";
    status.setAttribute("aria-live", "polite");
    fieldset.appendChild(status);
    renumber(tbody);

    tbody.addEventListener("keydown", function (event) {
      var handle = event.target.closest(".reorder-handle");
      if (!handle || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
      event.preventDefault();
      var row = handle.closest("tr");
      var rows = formRows(tbody);
      var index = rows.indexOf(row);
      var to = event.key === "ArrowUp" ? index - 1 : index + 1;
      if (to < 0 || to >= rows.length) return;
      if (event.key === "ArrowUp") tbody.insertBefore(row, rows[to]);
      else tbody.insertBefore(row, rows[to].nextSibling);
      renumber(tbody);
      handle.focus();
      announce(fieldset, "Moved to row " + (to + 1) + " of " + rows.length + ".");
    });

    var dragged = null;
    tbody.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".reorder-handle");
      if (handle) handle.closest("tr").draggable = true;
    });
    tbody.addEventListener("dragstart", function (event) {
      var row = event.target.closest && event.target.closest("tr.form-row");
      if (!row || !row.draggable) return;
      dragged = row;
      row.classList.add("reorder-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    tbody.addEventListener("dragover", function (event) {
      if (!dragged) return;
      var over = event.target.closest("tr.form-row");
      if (!over || over === dragged || over.classList.contains("empty-form")) return;
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      tbody.insertBefore(dragged, after ? over.nextSibling : over);
    });
    tbody.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    tbody.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("reorder-dragging");
      dragged.draggable = false;
      var rows = formRows(tbody);
      renumber(tbody);
      announce(fieldset, "Moved to row " + (rows.indexOf(dragged) + 1) + " of " + rows.length + ".");
      dragged = null;
    });
    // Filling in a new row numbers it in its place.
    tbody.addEventListener("change", function (event) {
      if (!event.target.closest(".reorder-handle")) renumber(tbody);
    });
  }

  function start() {
    var fieldsets = document.querySelectorAll("fieldset.harness-reorder");
    if (!fieldsets.length) return;
    if (!document.getElementById(HINT_ID)) {
      var hint = document.createElement("p");
      hint.id = HINT_ID;
      hint.className = "visually-hidden";
      hint.textContent = "Drag to reorder, or press the up and down arrow keys.";
      // Inside the form (the page's main landmark), where every piece of content belongs.
      fieldsets[0].appendChild(hint);
    }
    Array.prototype.forEach.call(fieldsets, enhance);
    // Rows added with "Add another" are clones of the empty form, handle included.
    document.addEventListener("formset:added", function (event) {
      var fieldset = event.target.closest("fieldset.harness-reorder") ||
        (event.target.closest(".inline-group") || document).querySelector("fieldset.harness-reorder");
      if (!fieldset) return;
      var row = event.target.matches("tr") ? event.target : event.target.closest("tr");
      if (row) addHandleCell(row);
      renumber(fieldset.querySelector("tbody"));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
