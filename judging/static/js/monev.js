/* Monev preview: Confirm stays disabled until "skip rejected rows" is ticked. */
(function () {
  "use strict";
  var button = document.querySelector("#monev-confirm[data-needs-skip]");
  var skip = document.getElementById("skip_invalid");
  if (!button || !skip) { return; }
  function sync() { button.disabled = !skip.checked; }
  skip.addEventListener("change", sync);
  sync();
})();
