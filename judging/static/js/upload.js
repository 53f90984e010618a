/* Participant pages: live deadline countdowns and evidence uploads with progress.
   Both enhance server-rendered HTML: without JavaScript the text and the plain form post work. */
(function () {
  "use strict";

  // Countdown: <span data-countdown="ISO UTC" data-words="hari|jam|menit|lagi" data-passed="…">
  function renderCountdown(el) {
    var deadline = Date.parse(el.getAttribute("data-countdown"));
    if (isNaN(deadline)) { return; }
    var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
    if (left === 0) { el.textContent = el.getAttribute("data-passed"); return; }
    var w = (el.getAttribute("data-words") || "d|h|m|").split("|");
    var days = Math.floor(left / 86400), hours = Math.floor(left % 86400 / 3600);
    var minutes = Math.floor(left % 3600 / 60);
    el.textContent = days + " " + w[0] + " " + hours + " " + w[1] + " " + minutes + " " + w[2] +
      (w[3] ? " " + w[3] : "");
  }

  function startCountdowns() {
    var items = document.querySelectorAll("[data-countdown]");
    if (!items.length) { return; }
    var tick = function () { Array.prototype.forEach.call(items, renderCountdown); };
    tick();
    window.setInterval(tick, 30000);
  }

  // Upload: <form data-upload> sent by XHR so a <progress> can follow the bytes.
  function setStatus(form, text, isError) {
    var status = form.querySelector(".upload-status");
    if (!status) { return; }
    status.textContent = text;
    status.className = "upload-status" + (isError ? " error" : "");
  }

  function finish(form, xhr) {
    var progress = form.querySelector(".upload-progress");
    var answer = null;
    try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
    form.dataset.busy = "";
    if (answer && answer.saved && answer.saved.length && !(answer.errors || []).length) {
      setStatus(form, answer.saved.join(" "), false);
      window.location.reload();
      return;
    }
    if (progress) { progress.hidden = true; }
    var errors = answer ? (answer.errors || []) : [];
    if (!errors.length) { errors = [(answer && answer.message) || (form.getAttribute("data-failed") || "") + " (" + xhr.status + ")"]; }
    setStatus(form, errors.join(" "), true);
    if (answer && answer.saved && answer.saved.length) {
      window.setTimeout(function () { window.location.reload(); }, 4000);
    }
  }

  function send(form) {
    var progress = form.querySelector(".upload-progress");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", window.Juara && window.Juara.csrfToken ? window.Juara.csrfToken() : "");
    if (progress) { progress.hidden = false; progress.value = 0; }
    xhr.upload.addEventListener("progress", function (event) {
      if (progress && event.lengthComputable) {
        progress.value = Math.round(event.loaded * 100 / event.total);
        setStatus(form, progress.value + "%", false);
      }
    });
    xhr.addEventListener("load", function () { finish(form, xhr); });
    xhr.addEventListener("error", function () {
      form.dataset.busy = "";
      if (progress) { progress.hidden = true; }
      setStatus(form, form.getAttribute("data-offline") || "Offline.", true);
    });
    form.dataset.busy = "1";
    xhr.send(new FormData(form));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("data-upload") === null || !window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    if (form.dataset.busy) { return; }
    send(form);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startCountdowns);
  } else {
    startCountdowns();
  }
})();
