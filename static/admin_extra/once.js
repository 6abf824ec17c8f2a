// A stock form acts once per submission: the server refuses a spent token, and this
// disables the buttons after the first submit so a double click sends one request.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-once]")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  // After this tick, so the pressed button's own name/value is still submitted.
  setTimeout(function () {
    form.querySelectorAll("[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    });
  }, 0);
});

// A button or form that asks first (`data-confirm="..."`), and a header checkbox that ticks
// every box of its table (`data-check-all`): script here, not inline handlers, so the pages
// work under the Content-Security-Policy (script-src 'self').
document.addEventListener("click", function (event) {
  var asking = event.target.closest("[data-confirm]");
  if (asking && !window.confirm(asking.dataset.confirm)) event.preventDefault();
  var all = event.target.closest("input[data-check-all]");
  if (all) {
    all.closest("table").querySelectorAll("tbody input[type=checkbox]").forEach(function (box) {
      box.checked = all.checked;
    });
  }
});
