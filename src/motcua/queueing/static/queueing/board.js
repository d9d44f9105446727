/* The display board: follows the center's server-sent events, shows each call at once and
   speaks it ("Mời số A015 đến quầy số 2") with the WAV the server generated offline.
   EventSource reconnects by itself and sends Last-Event-ID, so the server catches the board up;
   when the browser gives up (an error answer instead of the stream) the board opens a new stream
   from the last event it saw; while the stream keeps failing it polls the JSON snapshot too. */
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var labels = document.querySelector("#board-labels").content.firstElementChild.dataset;
  var last = parseInt(board.dataset.last || "0", 10);
  var soundOn = false, speaking = false, queue = [], failures = 0, polling = null;
  window.motcuaBoard = { calls: [], messages: 0 };

  function text(el, value) { el.textContent = value; }
  function el(tag, content) { var e = document.createElement(tag); e.textContent = content; return e; }

  function render(data) {
    var counters = document.getElementById("board-counters");
    counters.replaceChildren.apply(counters, data.board.counters.map(function (c) {
      var tr = document.createElement("tr");
      tr.dataset.counter = c.number;
      var th = el("th", c.number + ". " + c.name); th.scope = "row";
      var td = el("td", c.ticket || "—"); td.className = "board-ticket";
      tr.append(th, td);
      return tr;
    }));
    var lastList = document.getElementById("board-last");
    lastList.replaceChildren.apply(lastList, data.board.last_called.map(function (c) {
      return el("li", c.code + " → " + labels.counter + " " + c.counter);
    }));
    var waiting = document.getElementById("board-waiting");
    waiting.replaceChildren.apply(waiting, data.board.services.map(function (s) {
      var li = document.createElement("li");
      li.append(el("b", s.prefix), document.createTextNode(" " + s.name + ": "), el("span", String(s.waiting)));
      return li;
    }));
  }

  function announce(call) {
    var big = document.getElementById("board-call-text");
    text(big, call.text);
    big.classList.remove("flash"); void big.offsetWidth; big.classList.add("flash");
    window.motcuaBoard.calls.push({ id: call.id, text: call.text, at: Date.now() });
    if (soundOn) { queue.push(board.dataset.speech.replace("A000-0.wav", call.code + "-" + call.counter + ".wav")); play(); }
  }

  function play() {
    if (speaking || !queue.length) return;
    speaking = true;
    var audio = new Audio(queue.shift());
    var done = function () { speaking = false; play(); };
    audio.addEventListener("ended", done);
    audio.addEventListener("error", done);
    audio.play().catch(done);
  }

  function handle(data) {
    window.motcuaBoard.messages += 1;
    if (data.id < last) return;
    last = data.id;
    render(data);
    data.calls.forEach(announce);
    text(document.getElementById("board-status"), "");
  }

  function poll() {
    fetch(board.dataset.json + "?after=" + last, { cache: "no-store" })
      .then(function (r) { return r.json(); }).then(handle).catch(function () {});
  }

  function connect() {
    if (!window.EventSource) { polling = setInterval(poll, 2000); return; }
    var source = new EventSource(board.dataset.events + "?after=" + last);
    source.addEventListener("queue", function (event) {
      failures = 0;
      if (polling) { clearInterval(polling); polling = null; }
      handle(JSON.parse(event.data));
    });
    source.addEventListener("error", function () {
      text(document.getElementById("board-status"), labels.offline);
      failures += 1;
      if (failures > 5 && !polling) polling = setInterval(poll, 2000);  // meanwhile, poll
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an error page from the proxy while the server restarts): open a new
        // stream from the last event seen, so the server sends the calls missed meanwhile.
        source.close();
        setTimeout(connect, Math.min(30000, 1000 * failures));
      }
    });
  }

  document.getElementById("board-sound").addEventListener("click", function () {
    soundOn = !soundOn;
    this.setAttribute("aria-pressed", soundOn ? "true" : "false");
  });
  function tick() {
    var now = new Date();
    text(document.getElementById("board-clock"), now.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }));
  }
  tick(); setInterval(tick, 10000);
  connect();
})();
