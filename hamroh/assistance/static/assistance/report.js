// Keeps an unsent report on the phone (localStorage), so a dropped network loses nothing;
// the draft is removed once the server confirms the report. No personal data leaves the
// phone except by the form itself. Files cannot be kept in localStorage and are not.
(function () {
  "use strict";
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  var store = storage();
  var done = document.querySelector("[data-clear-draft]");
  if (done && store) { store.removeItem(done.getAttribute("data-clear-draft")); }
  var form = document.querySelector("form[data-draft]");
  if (!form) { return; }
  var key = form.getAttribute("data-draft");
  var section = form.closest(".report");
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.name !== "csrfmiddlewaretoken";
    });
  }
  function save() {
    if (!store) { return; }
    var data = {};
    fields().forEach(function (el) { data[el.name] = el.type === "checkbox" ? el.checked : el.value; });
    ["latitude", "longitude"].forEach(function (name) { data[name] = form.elements[name].value; });
    try { store.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full: keep going */ }
  }
  function restore() {
    if (!store) { return; }
    var raw = store.getItem(key);
    if (!raw) { return; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    var restored = false;
    Object.keys(data).forEach(function (name) {
      var el = form.elements[name];
      if (!el || el.type === "file") { return; }
      if (el.type === "checkbox") { el.checked = !!data[name]; }
      else if (!el.value) { el.value = data[name]; }
      restored = restored || !!data[name];
    });
    var note = document.getElementById("draft-note");
    if (restored && note) { note.textContent = note.getAttribute("data-restored"); note.hidden = false; }
  }
  function anonymity() {
    var box = form.elements.anonymous;
    if (box && section) { section.classList.toggle("anonymous", box.checked); }
  }
  restore();
  anonymity();
  form.addEventListener("input", save);
  form.addEventListener("change", function () { save(); anonymity(); });
  var locate = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (locate) {
    if (!navigator.geolocation) { locate.hidden = true; }
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.latitude.value = pos.coords.latitude.toFixed(5);
        form.elements.longitude.value = pos.coords.longitude.toFixed(5);
        status.textContent = locate.getAttribute("data-found");
        save();
      }, function () { status.textContent = locate.getAttribute("data-failed"); }, { timeout: 10000 });
    });
  }
})();
