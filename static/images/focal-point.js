// Image library: click the picture to set the focal point that crops keep in view. The two
// number fields stay the way to set it by keyboard; this only fills them in.
(function () {
  "use strict";
  function place(picker, x, y) {
    var marker = picker.querySelector(".focal-marker");
    marker.style.left = (x * 100) + "%";
    marker.style.top = (y * 100) + "%";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.querySelector(".focal-picker");
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    if (!picker || !fieldX || !fieldY) { return; }
    place(picker, parseFloat(picker.dataset.focalX), parseFloat(picker.dataset.focalY));
    picker.addEventListener("click", function (event) {
      var box = picker.querySelector("img").getBoundingClientRect();
      var x = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
      var y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
      fieldX.value = x.toFixed(3);
      fieldY.value = y.toFixed(3);
      place(picker, x, y);
    });
    [fieldX, fieldY].forEach(function (field) {
      field.addEventListener("input", function () {
        place(picker, parseFloat(fieldX.value) || 0, parseFloat(fieldY.value) || 0);
      });
    });
  });
})();
