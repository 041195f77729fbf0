/* The article's workflow panel: "Dépublier" asks first, in a dialog whose
   focused button is "Annuler". Confirming ticks the panel's "Je confirme" box,
   which the server requires (without JavaScript the box is shown instead). */
(function () {
  "use strict";

  function setUp(button) {
    var dialog = document.getElementById(button.dataset.confirmDialog);
    var step = button.closest(".workflow-step");
    var box = step && step.querySelector("input[name=_confirm]");
    if (!dialog || !box || typeof dialog.showModal !== "function") {
      return;
    }
    box.closest("label").hidden = true;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      box.checked = false;
      dialog.showModal();
      dialog.querySelector("[data-cancel]").focus();
    });
    dialog.querySelector("[data-cancel]").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      button.focus();
    });
    dialog.querySelector("[data-confirm]").addEventListener("click", function () {
      box.checked = true;
    });
  }

  function init() {
    document.querySelectorAll("[data-confirm-dialog]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
