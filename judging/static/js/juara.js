/* Juara's small progressive enhancements. No inline scripts (CSP forbids them). */
(function () {
  "use strict";
  // Confirm dangerous actions: <form data-confirm="Yakin?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    // Prevent double submits: disable the buttons once a form is on its way.
    if (form.getAttribute("data-once") !== null) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
  window.Juara = window.Juara || {};
  window.Juara.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
})();
