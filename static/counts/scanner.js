/* The counting screen: a barcode scanner types a code and presses Enter into the focused
   input. Each scan is one POST, sent in order; the server adds one under the count's lock,
   so several devices add up. "=N" sets the last scanned item's count to N. Each scan carries
   its own Idempotency-Key, so a retry after a lost answer counts once. No dependencies. */
(function () {
  "use strict";
  var root = document.getElementById("count-scanner");
  if (!root) { return; }
  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan-code");
  var log = document.getElementById("scan-log");
  var status = document.getElementById("scan-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = root.getAttribute("data-scan-url");
  var queue = Promise.resolve();
  var lastCode = null;
  var MAX_LOG = 15;

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "scan-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return; }
      var ctx = beep.ctx || (beep.ctx = new Ctx());
      var osc = ctx.createOscillator();
      osc.frequency.value = 220;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* sound is optional */ }
  }

  function addEntry(text) {
    var li = document.createElement("li");
    li.className = "cc-pending";
    li.textContent = text + " …";
    log.insertBefore(li, log.firstChild);
    while (log.children.length > MAX_LOG) { log.removeChild(log.lastChild); }
    return li;
  }

  function flag(li, message) {
    li.className = "cc-error";
    li.textContent = message;
    status.textContent = message;
    status.className = "cc-status cc-error";
    beep();
  }

  function showLine(data) {
    var table = document.getElementById("count-lines");
    var row = table && table.querySelector('tr[data-record="' + data.record + '"]');
    if (row) {
      row.querySelector(".cc-counted").textContent = data.counted;
      row.querySelector(".cc-counted-at").textContent = data.counted_at.replace("T", " ").slice(0, 19);
      row.parentNode.insertBefore(row, row.parentNode.firstChild);
    } else if (table) {
      var empty = table.querySelector(".cc-empty");
      if (empty) { empty.parentNode.removeChild(empty); }
      row = document.createElement("tr");
      row.setAttribute("data-record", data.record);
      row.className = "cc-added";
      var cells = [data.sku, data.name + " (found)"];
      var columns = table.querySelectorAll("thead th").length;
      if (columns > 4) { cells.push(""); }
      cells.forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        row.appendChild(td);
      });
      var counted = document.createElement("td");
      counted.className = "ae-num cc-counted";
      counted.textContent = data.counted;
      var at = document.createElement("td");
      at.className = "cc-counted-at";
      at.textContent = data.counted_at.replace("T", " ").slice(0, 19);
      row.appendChild(counted);
      row.appendChild(at);
      table.tBodies[0].insertBefore(row, table.tBodies[0].firstChild);
    }
  }

  function send(body, li, attempt) {
    var key = body.key;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Idempotency-Key": key },
      body: JSON.stringify({ code: body.code, set: body.set })
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (!answer.ok) { flag(li, (answer.data && answer.data.error) || "Refused"); return; }
      var d = answer.data;
      li.className = "cc-ok";
      li.textContent = d.sku + " · " + d.name + ": " + d.counted + (body.set != null ? " (set)" : " (+1)");
      status.textContent = d.sku + " counted " + d.counted;
      status.className = "cc-status cc-ok";
      showLine(d);
    }, function () {
      if (attempt < 5) {
        li.textContent = body.code + " … retrying";
        return new Promise(function (resolve) { setTimeout(resolve, 500 * (attempt + 1)); })
          .then(function () { return send(body, li, attempt + 1); });
      }
      flag(li, body.code + ": not saved (no connection). Scan it again.");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = input.value.trim();
    input.value = "";
    input.focus();
    if (!value) { return; }
    var li = addEntry(value);
    var body;
    var set = /^=\s*(\d+)$/.exec(value);
    if (set) {
      if (!lastCode) { flag(li, "Scan an item before =N."); return; }
      body = { code: lastCode, set: parseInt(set[1], 10), key: newKey() };
    } else if (value.charAt(0) === "=") {
      flag(li, "Type =N with a whole number N.");
      return;
    } else {
      lastCode = value;
      body = { code: value, key: newKey() };
    }
    queue = queue.then(function () { return send(body, li, 0); });
  });

  // A scanner types into whatever has focus: keep it on the input.
  document.addEventListener("keydown", function (event) {
    if (document.activeElement !== input && !event.ctrlKey && !event.metaKey &&
        !/^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(document.activeElement.tagName)) {
      input.focus();
    }
  });
  input.focus();
}());
