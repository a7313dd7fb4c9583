// Body map: a tap on a region of the figure toggles its checkbox, and the figure
// colours the regions whose checkbox is ticked. Without this script the checkbox
// lists work on their own.
(function () {
  "use strict";

  function paint(form) {
    form.querySelectorAll("input[name=regions]").forEach(function (box) {
      var shape = document.getElementById(box.value);
      if (shape) {
        shape.classList.toggle("marked", box.checked);
      }
    });
  }

  function wire(form) {
    form.addEventListener("change", function () { paint(form); });
    form.querySelectorAll(".region[id]").forEach(function (shape) {
      shape.addEventListener("click", function () {
        var box = document.getElementById("cb-" + shape.id);
        if (box) {
          box.checked = !box.checked;
          paint(form);
        }
      });
    });
    paint(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bodymap]").forEach(wire);
  });
})();
