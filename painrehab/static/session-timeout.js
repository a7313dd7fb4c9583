/* Idle time-out on the screen as well as on the server: a minute before the server
   ends an idle session, offer to stay signed in; when it has ended, reload so that no
   patient information stays on a shared screen (the server then shows sign-in). */
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idleSeconds || "0", 10);
  if (!idle) { return; }
  var warnAt = Math.max(idle - 60, 1) * 1000;
  var endAt = (idle + 2) * 1000;
  var dialog = document.getElementById("timeout-warning");
  var timers = [];

  function clear() { timers.forEach(clearTimeout); timers = []; }
  function hide() { if (dialog) { dialog.hidden = true; } }
  function show() {
    if (!dialog) { return; }
    dialog.hidden = false;
    var button = dialog.querySelector("button");
    if (button) { button.focus(); }
  }
  function start() {
    clear();
    hide();
    timers.push(setTimeout(show, warnAt));
    timers.push(setTimeout(function () { window.location.reload(); }, endAt));
  }
  function keepAlive() {
    var token = body.dataset.csrf || "";
    fetch(body.dataset.keepaliveUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token }
    }).then(function (response) {
      if (response.ok) { start(); } else { window.location.reload(); }
    });
  }
  document.addEventListener("htmx:afterRequest", start);
  if (dialog) { dialog.querySelector("button").addEventListener("click", keepAlive); }
  start();
}());
