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

// "Use for a new case" copies a registry person's name and phone into the case form.
(function () {
  "use strict";
  document.querySelectorAll("button.use-caller").forEach(function (button) {
    button.addEventListener("click", function () {
      var form = document.getElementById("open-case");
      if (!form) { return; }
      form.querySelector("[name=reporter_name]").value = button.getAttribute("data-name");
      form.querySelector("[name=reporter_phone]").value = button.getAttribute("data-phone");
      form.scrollIntoView();
      form.querySelector("[name=case_type]").focus();
    });
  });
})();
