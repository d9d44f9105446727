/* Kiosk: keep the scanner box focused, tabs between fields, an on-screen keypad, one submission
   per tap, and a reset to the start page after a while without a touch. Nothing is stored in
   the browser: the scanned text lives only in this page's forms. */
(function () {
  "use strict";
  var body = document.body;
  var scan = document.getElementById("scan");
  var home = body.getAttribute("data-home") || "/kiosk/";
  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds"), 10) || 60;
  var warning = document.getElementById("idle-warning");

  function typing(el) {
    return el && el !== scan && (el.tagName === "SELECT" || el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && !el.hasAttribute("data-keypad")));
  }
  function refocus() {
    if (scan && !typing(document.activeElement)) scan.focus({ preventScroll: true });
  }

  // A keyboard-wedge scanner types fast and ends with Enter: whatever has the focus, the text
  // must land in the scan box.
  document.addEventListener("keydown", function (event) {
    if (!scan || event.target === scan || typing(event.target) || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key.length === 1) {
      event.preventDefault();
      scan.focus({ preventScroll: true });
      scan.value += event.key;
    } else if (event.key === "Enter" && scan.value) {
      event.preventDefault();
      scan.form.requestSubmit();
    }
  }, true);
  if (scan) {
    scan.addEventListener("blur", function () { setTimeout(refocus, 300); });
    refocus();
  }

  // Fields on the procedure chooser: show one at a time (without JS every group is listed).
  var tabs = document.querySelectorAll(".kiosk-tab");
  function showField(code) {
    Array.prototype.forEach.call(document.querySelectorAll(".kiosk-group"), function (group) {
      group.hidden = group.id !== "field-" + code;
    });
    Array.prototype.forEach.call(tabs, function (tab) {
      tab.setAttribute("aria-current", tab.getAttribute("data-field") === code ? "true" : "false");
    });
  }
  Array.prototype.forEach.call(tabs, function (tab) {
    tab.addEventListener("click", function (event) { event.preventDefault(); showField(tab.getAttribute("data-field")); });
  });
  if (tabs.length) showField(tabs[0].getAttribute("data-field"));

  // On-screen keypad for the phone number: the citizen never needs a keyboard.
  var keypad = document.querySelector(".keypad");
  var phone = document.querySelector("input[data-keypad]");
  if (keypad && phone) {
    keypad.hidden = false;
    phone.readOnly = true;
    keypad.addEventListener("click", function (event) {
      var key = event.target.getAttribute("data-key");
      if (!key) return;
      if (key === "clear") phone.value = "";
      else if (key === "back") phone.value = phone.value.slice(0, -1);
      else if (phone.value.length < 12) phone.value += key;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending")) { event.preventDefault(); return; }
      form.setAttribute("data-sending", "1");
    });
  });

  // Idle reset: back to the start, every form emptied, nothing kept.
  var last = Date.now();
  function touched() { last = Date.now(); if (warning) warning.hidden = true; }
  ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true, capture: true });
  });
  function reset() {
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) { form.reset(); });
    Array.prototype.forEach.call(document.querySelectorAll("input[type=hidden][name=card], input[name=scan]"), function (input) { input.value = ""; });
    // The next citizen starts in Vietnamese, whatever the previous one chose.
    var english = document.documentElement.lang !== "vi";
    document.cookie = "django_language=; Max-Age=0; path=/; SameSite=Lax";
    var atHome = location.pathname === home && !location.search && !document.querySelector(".kiosk-error") && !english;
    if (atHome) { touched(); window.scrollTo(0, 0); refocus(); return; }
    location.replace(home);
  }
  setInterval(function () {
    var idle = (Date.now() - last) / 1000;
    if (warning) warning.hidden = !(idle >= idleSeconds - Math.min(10, idleSeconds / 3) && idle < idleSeconds);
    if (idle >= idleSeconds) reset();
  }, 500);

  // A page brought back from the browser's cache (back button) must not show old data.
  window.addEventListener("pageshow", function (event) { if (event.persisted) location.replace(home); });
})();
