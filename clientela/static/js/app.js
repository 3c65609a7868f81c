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

// Keyboard: "/" focuses the top search box (unless the user is typing somewhere), and
// the arrow keys walk the results of the search page.
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
      var box = document.getElementById("global-q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var results = document.querySelector("[data-search-results]");
    if (!results) { return; }
    var links = Array.prototype.slice.call(results.querySelectorAll(".search-list a"));
    if (!links.length) { return; }
    var index = links.indexOf(document.activeElement);
    var inBox = document.activeElement && (document.activeElement.id === "global-q" || document.activeElement.id === "search-q");
    if (index === -1 && !inBox) { return; }
    event.preventDefault();
    if (event.key === "ArrowDown") { index = Math.min(index + 1, links.length - 1); }
    else { index = Math.max(index - 1, 0); }
    links[index].focus();
  });
})();

// Phone menu, focus after a failed save, and what htmx changed said out loud.
(function () {
  "use strict";
  document.documentElement.classList.add("js-nav");

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".menu-toggle");
    if (!toggle) { return; }
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (nav) { nav.classList.toggle("is-open", open); }
  });

  // A refused save (the page or fragment comes back with errors): focus the first
  // field in error, so keyboard and screen-reader users land where the fix is.
  function focusFirstError(root) {
    var field = root.querySelector('form [aria-invalid="true"], form .has-error input, form .has-error select, form .has-error textarea');
    if (field && typeof field.focus === "function") { field.focus(); }
  }

  function announce(text) {
    var live = document.getElementById("live-region");
    if (!live || !text) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text.trim(); }, 50);
  }

  document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    focusFirstError(target);
    var count = target.querySelector ? target.querySelector(".result-count, [data-announce]") : null;
    if (count) { announce(count.textContent); }
  });
})();

// "Imprimir": the browser's print dialog (print.css lays the profile out on A4/Letter;
// "Save as PDF" there gives the PDF).
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { window.print(); }
});
