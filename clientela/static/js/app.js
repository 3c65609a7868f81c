// The few behaviours we write ourselves; everything else is htmx or plain HTML.
(function () {
  "use strict";

  // htmx requests carry Django's CSRF token from the <meta> tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  // Mark conditionally required fields (legal entity -> contact person; credit ->
  // days and limit) as the user changes the controlling field. The server checks
  // the rule anyway; this only tells the user in advance.
  function refreshConditional(form) {
    form.querySelectorAll("[data-required-when]").forEach(function (input) {
      var parts = input.getAttribute("data-required-when").split("=");
      var checked = form.querySelector('[name="' + parts[0] + '"]:checked');
      var on = !!checked && checked.value === parts[1];
      var wrapper = input.closest(".field");
      if (wrapper) { wrapper.classList.toggle("is-required", on); }
      if (on) { input.setAttribute("aria-required", "true"); } else { input.removeAttribute("aria-required"); }
    });
  }

  function init(root) {
    root.querySelectorAll("form.account-form").forEach(function (form) {
      refreshConditional(form);
      form.addEventListener("change", function () { refreshConditional(form); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
