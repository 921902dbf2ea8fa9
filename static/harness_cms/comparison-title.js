// A comparison's title follows its two roles ("Role A vs Role B") until the editor types a
// title of their own. The roles are autocomplete (select2) fields, which announce a choice
// through jQuery's change event, so the listener is attached with django.jQuery.
(function () {
  "use strict";

  function start() {
    var title = document.getElementById("id_title");
    var roleA = document.getElementById("id_role_a");
    var roleB = document.getElementById("id_role_b");
    if (!title || !roleA || !roleB || !window.django || !window.django.jQuery) return;

    function chosen(select) {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text.trim() : "";
    }

    function suggestion() {
      var a = chosen(roleA);
      var b = chosen(roleB);
      return a && b ? a + " vs " + b : "";
    }

    var last = suggestion();
    function follow() {
      var next = suggestion();
      if (!title.value || title.value === last) title.value = next;
      last = next;
    }
    window.django.jQuery(roleA).on("change", follow);
    window.django.jQuery(roleB).on("change", follow);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
