/* MoveHub dashboards: small behaviours wired without inline script (the CSP allows none). */
(function () {
  "use strict";
  // Elements with data-autosubmit submit their form when changed (e.g. filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.closest && el.closest("[data-autosubmit]") && el.form) {
      el.form.requestSubmit();
    }
  });
  // Buttons with data-confirm ask first (cancel a booking, retire a truck).
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
