/* Jury scoring form: the running jury score while the juror types.
   Same formula as judging.scoring.ranking.juror_jury_score:
   Σ(weight × mark ÷ max) ÷ Σ weight × 100, shown only when every criterion is marked. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-jury-score]");
  if (!form) { return; }
  var output = form.querySelector("[data-jury-total]");
  var filledOut = form.querySelector("[data-jury-filled]");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.mark-input"));

  function markOf(input) {
    var text = input.value.trim().replace(",", ".");
    if (text === "") { return null; }
    var value = Number(text);
    return isFinite(value) ? value : NaN;
  }

  function update() {
    var weighted = 0, weights = 0, filled = 0, valid = true;
    inputs.forEach(function (input) {
      var weight = parseFloat(input.getAttribute("data-weight"));
      var max = parseFloat(input.getAttribute("data-max"));
      var mark = markOf(input);
      weights += weight;
      input.classList.toggle("mark-out-of-range", mark !== null && (isNaN(mark) || mark < 0 || mark > max));
      if (mark === null) { return; }
      if (isNaN(mark) || mark < 0 || mark > max) { valid = false; return; }
      filled += 1;
      weighted += weight * mark / max;
    });
    var complete = filled === inputs.length && valid && weights > 0;
    var shown = complete ? (Math.round((weighted / weights * 100 + 1e-9) * 100) / 100).toFixed(2) : "–";
    // the page's language decides the decimal mark, as the server's helper does (86,31 / 86.31)
    output.textContent = document.documentElement.lang === "en" ? shown : shown.replace(".", ",");
    if (filledOut) { filledOut.textContent = "(" + filled + "/" + inputs.length + ")"; }
  }

  form.addEventListener("input", update);
  update();
})();
