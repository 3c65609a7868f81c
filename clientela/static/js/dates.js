// Day-first date inputs (clientela.core.dates): a button beside each opens the browser's own
// calendar and writes the chosen day back as dd/mm/yyyy. Typing stays the main way in; where
// the browser cannot open its picker from a script, no button is added.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // dd/mm/yyyy (or ISO) as typed -> yyyy-mm-dd for the native input; "" when unreadable.
  function toIso(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
    if (m) { return m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]); }
    m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
    return m ? m[0].trim() : "";
  }

  function attach(input) {
    if (input.dataset.picker) { return; }
    input.dataset.picker = "1";
    var native = document.createElement("input");
    native.type = "date";
    if (typeof native.showPicker !== "function") { return; }
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    native.className = "date-native";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "date-button";
    button.setAttribute("aria-label", input.dataset.pickerLabel || "");
    button.textContent = "📅";
    button.addEventListener("click", function () {
      native.value = toIso(input.value);
      try { native.showPicker(); } catch (e) { input.focus(); }
    });
    native.addEventListener("change", function () {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(native.value);
      if (!m) { return; }
      input.value = m[3] + "/" + m[2] + "/" + m[1];
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
    input.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", native);
  }

  function init(root) {
    root.querySelectorAll("input.date-input").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
