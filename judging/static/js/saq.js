/* SAQ page: each answer is saved as it changes (fetch POST with the CSRF header).
   Without JavaScript the per-question Simpan button posts the same form. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");

  function save(form) {
    var status = form.querySelector(".save-status");
    var body = new URLSearchParams(new FormData(form));
    if (!body.has("value")) { body.set("value", ""); }
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                        headers: {"X-CSRFToken": token, "Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (status) { status.textContent = data.ok ? data.message : data.errors.join(" "); }
        form.classList.toggle("has-error", !data.ok);
        if (data.ok) { showProgress(data); }
      })
      .catch(function () { if (status) { status.textContent = "!"; } });
  }

  function showProgress(data) {
    Object.keys(data.progress).forEach(function (key) {
      var el = document.querySelector('[data-group="' + key + '"] .group-progress');
      if (el) { el.textContent = data.progress[key][0] + "/" + data.progress[key][1]; }
    });
    var bar = document.querySelector("#overall-progress progress");
    if (bar) { bar.value = data.done; bar.max = data.total || 1; }
    var label = document.querySelector("#overall-progress .progress-label");
    if (label) { label.textContent = label.textContent.replace(/\d+\/\d+/, data.done + "/" + data.total); }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), function (form) {
    var timer = null;
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "SELECT" || event.target.type === "radio") { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(form); }, 800);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); save(form); });
  });
}());
