/* Organizer workspace helpers: copy an invitation link, tick every checkbox of a list. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button) {
      var input = document.querySelector(button.getAttribute("data-copy"));
      if (!input) { return; }
      input.select();
      var done = function () { button.textContent = button.getAttribute("data-copied") || "✓"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
      return;
    }
    var all = event.target.closest("[data-check-all]");
    if (all) {
      var form = document.querySelector(all.getAttribute("data-check-all"));
      if (!form) { return; }
      var boxes = form.querySelectorAll('input[type="checkbox"]');
      var anyOff = Array.prototype.some.call(boxes, function (b) { return !b.checked; });
      Array.prototype.forEach.call(boxes, function (b) { b.checked = anyOff; });
    }
  });
})();
