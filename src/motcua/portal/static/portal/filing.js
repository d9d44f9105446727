/* Online filing: small enhancements; every step also works without this file.
   - the ID card's QR text fills the applicant fields at once (the server does the same on post);
   - the province list narrows the centers;
   - a form is sent once (a second tap on a slow connection does nothing);
   - the error summary gets the focus, the draft link can be copied. */
(function () {
  "use strict";

  function two(n) { return (n < 10 ? "0" : "") + n; }

  // CCCD QR: id(12) | old id(9 or empty) | name | birth ddMMyyyy | sex | address | issued ddMMyyyy
  function parseCard(text) {
    var parts = (text || "").normalize("NFC").trim().split("|").map(function (p) { return p.trim(); });
    if (parts.length !== 7 || !/^\d{12}$/.test(parts[0]) || !parts[2] || !/^\d{8}$/.test(parts[3])) return null;
    var d = parts[3], day = +d.slice(0, 2), month = +d.slice(2, 4), year = +d.slice(4);
    var probe = new Date(year, month - 1, day);
    if (probe.getFullYear() !== year || probe.getMonth() !== month - 1 || probe.getDate() !== day) return null;
    return {
      id_number: parts[0],
      name: parts[2].split(/\s+/).join(" "),
      birth_date: two(day) + "/" + two(month) + "/" + year,
      address: parts[5].split(/\s+/).join(" ")
    };
  }

  var cardForm = document.getElementById("card-form");
  if (cardForm) {
    cardForm.addEventListener("submit", function (event) {
      var card = parseCard(document.getElementById("card").value);
      if (!card) return; // the server explains what is wrong
      event.preventDefault();
      Object.keys(card).forEach(function (key) {
        var input = document.getElementById("id_" + key);
        if (input) input.value = card[key];
      });
      document.getElementById("card").value = "";
      document.getElementById("card-status").textContent = cardForm.getAttribute("data-filled");
      var phone = document.getElementById("id_phone");
      if (phone) phone.focus();
    });
  }

  var filter = document.getElementById("province-filter");
  var centers = document.getElementById("id_center");
  if (filter && centers) {
    document.getElementById("province-field").hidden = false;
    filter.addEventListener("change", function () {
      var groups = centers.getElementsByTagName("optgroup");
      for (var i = 0; i < groups.length; i++) {
        var show = !filter.value || groups[i].getAttribute("data-province") === filter.value;
        groups[i].hidden = !show;
        groups[i].disabled = !show;
      }
      var chosen = centers.options[centers.selectedIndex];
      if (chosen && chosen.parentNode.disabled) centers.value = "";
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-once], #filing-form"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending")) { event.preventDefault(); return; }
      form.setAttribute("data-sending", "1");
      form.setAttribute("aria-busy", "true");
      setTimeout(function () { form.removeAttribute("data-sending"); form.removeAttribute("aria-busy"); }, 15000);
    });
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
})();
