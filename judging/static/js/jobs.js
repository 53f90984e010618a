/* Polls a background job's status and moves its progress bar until it ends. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function show(status) {
    document.getElementById("job-progress").value = status.percent;
    document.getElementById("job-percent").textContent = status.percent + "%";
    var state = document.getElementById("job-state");
    state.textContent = status.state_label || status.state;
    state.className = "badge badge-" + status.state;
    document.getElementById("job-message").textContent = status.message || "";
    if (status.state === "done") {
      document.getElementById("job-done").hidden = false;
      if (status.download && !document.getElementById("job-download")) { window.location.reload(); }
    }
    if (status.state === "failed") { document.getElementById("job-failed").hidden = false; }
    return status.state === "done" || status.state === "failed";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (status) { if (!show(status)) { window.setTimeout(poll, 800); } })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
})();
