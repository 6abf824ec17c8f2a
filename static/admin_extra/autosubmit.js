// A <select data-autosubmit> submits its form on change: a file, not an inline handler, so
// the admin works under the Content-Security-Policy (script-src 'self').
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
