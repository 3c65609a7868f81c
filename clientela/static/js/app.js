// The few behaviours we write ourselves; everything else is htmx or plain HTML.
(function () {
  "use strict";

  // A refused form (422) or a stale version (409) comes back as a fragment with the
  // errors beside the fields: swap it like a success. Other errors are not swapped.
  if (window.htmx) {
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "422", swap: true, error: false },
      { code: "409", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
  }

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
