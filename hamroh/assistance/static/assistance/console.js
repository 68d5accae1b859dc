// Shows the scripted questions of the chosen case type; hidden ones are disabled so they
// are not sent.
(function () {
  "use strict";
  var select = document.querySelector("#open-case select[name=case_type]");
  if (!select) { return; }
  function show() {
    document.querySelectorAll("#open-case .script").forEach(function (set) {
      var on = set.getAttribute("data-type") === select.value;
      set.classList.toggle("shown", on);
      set.querySelectorAll("input").forEach(function (input) { input.disabled = !on; });
    });
  }
  select.addEventListener("change", show);
  show();
})();
