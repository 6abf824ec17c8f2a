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
