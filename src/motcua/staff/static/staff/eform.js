/* The declaration e-form on the counter desk: fill it after an ID-card scan, a signature pad, and
   printing. Kept apart from staff.js; it only touches the elements inside #eform. */
(function () {
  "use strict";

  var lastScan = "";
  var box = function () { return document.getElementById("eform"); };

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function eformData(extra) {
    var root = box(), data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    var p = document.querySelector("input[name=p]");
    if (p) data.append("p", p.value);
    var center = document.querySelector("[name=center]");
    if (center) data.append("center", center.value);
    root.querySelectorAll("[name^='ef-'], [name=ef_signature]").forEach(function (el) { data.append(el.name, el.value); });
    Object.keys(extra || {}).forEach(function (k) { data.append(k, extra[k]); });
    return data;
  }

  function values() {
    var out = {};
    box().querySelectorAll("[name^='ef-']").forEach(function (el) { out[el.name] = el.value; });
    return out;
  }

  // The scanner types the QR string and Enter into the scan field: keep the string, because the
  // page clears the field once the card is read.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target && event.target.id === "cccd-scan") lastScan = event.target.value;
  }, true);

  document.addEventListener("cccd-read", function () {
    var root = box();
    if (!root || !lastScan) return;
    var sent = values();
    fetch(root.getAttribute("data-fill-url"), { method: "POST", body: eformData({ scan: lastScan }), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var now = values();
        var fields = document.getElementById("eform-fields");
        fields.innerHTML = html;
        // Whatever the officer typed while the request was on its way stays as typed.
        Object.keys(now).forEach(function (name) {
          if (now[name] !== sent[name]) {
            var el = fields.querySelector("[name='" + name + "']");
            if (el) el.value = now[name];
          }
        });
        root.setAttribute("data-filled", "1");
      })
      .catch(function () { /* the officer can still type the declaration */ });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-eform-preview]");
    if (!button) return;
    var root = box();
    var tab = window.open("", "_blank");
    fetch(root.getAttribute("data-preview-url"), { method: "POST", body: eformData(), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.blob() : Promise.reject(response.status); })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        if (tab) tab.location.href = url; else window.location.href = url;
      })
      .catch(function () { if (tab) tab.close(); });
  });

  // Signature pad: pointer events cover finger, pen and mouse.
  function setUpPad() {
    var canvas = document.querySelector("[data-signature-canvas]");
    var field = document.getElementById("ef-signature");
    if (!canvas || canvas.dataset.ready) return;
    canvas.dataset.ready = "1";
    var ctx = canvas.getContext("2d"), drawing = false, inked = false;
    ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#0a1f6b";
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: (event.clientX - rect.left) * canvas.width / rect.width, y: (event.clientY - rect.top) * canvas.height / rect.height };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true; canvas.setPointerCapture(event.pointerId);
      var at = point(event); ctx.beginPath(); ctx.moveTo(at.x, at.y); ctx.lineTo(at.x + 0.1, at.y + 0.1); ctx.stroke();
      inked = true; event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var at = point(event); ctx.lineTo(at.x, at.y); ctx.stroke(); event.preventDefault();
    });
    function finish() { if (!drawing) return; drawing = false; if (inked) field.value = canvas.toDataURL("image/png"); }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    document.addEventListener("click", function (event) {
      if (!event.target.closest("[data-signature-clear]")) return;
      ctx.clearRect(0, 0, canvas.width, canvas.height); inked = false; field.value = "";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpPad); else setUpPad();
  document.addEventListener("htmx:afterSettle", setUpPad);
})();
