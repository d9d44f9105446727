/* A ticket on a phone or just printed at the kiosk: its place follows the center's live stream. */
(function () {
  "use strict";
  var box = document.getElementById("ticket");
  if (!box) return;
  function refresh() {
    fetch(box.dataset.status, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (p) {
      document.getElementById("ticket-ahead").textContent = p.ahead;
      document.getElementById("ticket-wait").textContent = p.wait_minutes;
      var status = p.status_label + (p.counter ? " · " + box.dataset.counterLabel + " " + p.counter : "");
      document.getElementById("ticket-status").textContent = status;
    }).catch(function () {});
  }
  box.dataset.counterLabel = box.dataset.counterLabel || "quầy";
  var failures = 0;
  function follow() {
    var source = new EventSource(box.dataset.events);
    source.addEventListener("queue", function () { failures = 0; refresh(); });
    source.addEventListener("error", function () {
      failures += 1;
      if (source.readyState === EventSource.CLOSED) {  // the browser gave up: start again
        source.close();
        setTimeout(follow, Math.min(30000, 1000 * failures));
      }
    });
  }
  if (window.EventSource) {
    follow();
  } else {
    setInterval(refresh, 15000);
  }
  var button = document.getElementById("ticket-print");
  if (button) button.addEventListener("click", function () { window.print(); });
  if (box.dataset.print && !navigator.webdriver) window.print();
})();
