/* Một cửa staff pages: a few keyboard helpers on top of htmx. No framework, no build step. */
(function () {
  "use strict";

  // The counter form never submits on Enter: a scanner ends the ID string with Enter, and a stray
  // Enter must not receive a dossier. The outcome buttons (and their Alt+ keys) submit it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var target = event.target;
    if (!target.form || !target.form.hasAttribute("data-intake")) return;
    if (target.tagName === "TEXTAREA" || target.tagName === "BUTTON" || target.type === "submit") return;
    event.preventDefault();
  });

  // Alt+letter shortcuts (the page's accesskeys) taken from the physical key, so they work the
  // same in every browser and with a Vietnamese input method (Unikey/Telex) turned on.
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || !/^Key[A-Z]$/.test(event.code || "")) return;
    var target = document.querySelector('[accesskey="' + event.code.slice(3).toLowerCase() + '"]');
    if (!target) return;
    event.preventDefault();
    if (target.matches("input, select, textarea")) target.focus(); else target.click();
  });

  // What the officer typed into an applicant field wins over the card: the scan's answer may
  // arrive after the officer has gone on typing (a phone number, say), and its fill must not wipe
  // it. Typed values are remembered until another procedure's form is opened.
  var typed = {};
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!event.isTrusted || !field.id || !field.closest || !field.closest("#applicant")) return;
    typed[field.id] = field.value;
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "applicant") return;
    Object.keys(typed).forEach(function (id) {
      var field = document.getElementById(id);
      if (field && field.value !== typed[id]) field.value = typed[id];
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "intake") typed = {};
  });

  // After the ID card is read: clear the scan field and go on with the checklist.
  document.addEventListener("cccd-read", function () {
    var scan = document.getElementById("cccd-scan");
    if (scan) scan.value = "";
    var first = document.querySelector("#checklist input[type=checkbox]");
    if (first) first.focus();
  });

  // One submission per form: a double click sends once (the server's Idempotency-Key covers retries).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    window.setTimeout(function () { delete form.dataset.sent; }, 8000);
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-select-all]")) return;
    var form = event.target.form;
    form.querySelectorAll("input[name=dossier]").forEach(function (box) { box.checked = event.target.checked; });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print-frame], [data-print]");
    if (!button) return;
    var frameId = button.getAttribute("data-print-frame");
    if (!frameId) { window.print(); return; }
    var frame = document.getElementById(frameId);
    try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.open(frame.src, "_blank"); }
  });
})();
