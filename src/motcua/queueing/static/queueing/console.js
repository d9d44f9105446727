/* The queue console on the counter page: the waiting counts follow the center's live stream
   (server-sent events); EventSource reconnects by itself and the server catches it up. */
(function () {
  "use strict";
  if (window.motcuaQueueConsole) return;
  window.motcuaQueueConsole = true;
  var source = null, url = null;

  function connect() {
    var box = document.getElementById("queue-console");
    if (!box || !window.EventSource) return;
    if (source && url === box.dataset.events) return;
    if (source) source.close();
    url = box.dataset.events;
    var mine = source = new EventSource(url);
    source.addEventListener("error", function () {
      if (mine.readyState === EventSource.CLOSED && source === mine) {  // the browser gave up
        source = null;
        setTimeout(connect, 3000);
      }
    });
    source.addEventListener("queue", function (event) {
      var data = JSON.parse(event.data);
      var counts = {};
      data.board.services.forEach(function (s) { counts[s.prefix] = s.waiting; });
      document.querySelectorAll("#queue-console .queue-waiting li").forEach(function (li) {
        var count = li.querySelector(".queue-count");
        if (count && li.dataset.prefix in counts) count.textContent = counts[li.dataset.prefix];
      });
    });
  }
  document.addEventListener("DOMContentLoaded", connect);
  document.addEventListener("htmx:afterSwap", connect);
  if (document.readyState !== "loading") connect();
})();
