// The opportunity board's drag and drop, its lost-reason dialog, and the form's
// "lost reason required when lost" hint. Every move also works without this file:
// each card has a stage <select> and a Move button in a plain form.
(function () {
  "use strict";

  var dragged = null;

  function closest(node, selector) {
    return node && node.closest ? node.closest(selector) : null;
  }

  function columnAt(event) {
    return closest(event.target, "#board .board-column[data-stage]");
  }

  function clearHighlights() {
    document.querySelectorAll("#board .board-column.is-drop-target").forEach(function (column) {
      column.classList.remove("is-drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = closest(event.target, "#board .board-card[draggable=true]");
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
    card.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("is-dragging"); }
    dragged = null;
    clearHighlights();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnAt(event);
    if (!dragged || !column) { return; }
    event.preventDefault(); // this column accepts the drop
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("is-drop-target")) {
      clearHighlights();
      column.classList.add("is-drop-target");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var column = columnAt(event);
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("is-drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var column = columnAt(event);
    var card = dragged;
    if (!column || !card) { return; }
    event.preventDefault();
    dragged = null;
    clearHighlights();
    card.classList.remove("is-dragging");
    var stage = column.getAttribute("data-stage");
    if (stage === card.getAttribute("data-stage")) { return; }
    // The server answers with the whole board: the card in its new column with fresh
    // counts and totals, or, when the move is refused, where it was plus the reason
    // (and, for "lost", a form asking why).
    card.classList.add("is-moving");
    card.setAttribute("aria-busy", "true");
    movedId = card.id;
    htmx.ajax("POST", card.getAttribute("data-move-url"), {
      source: card,
      target: "#board",
      swap: "outerHTML",
      values: { stage: stage, version: card.getAttribute("data-version") }
    });
  });

  // Keyboard and screen-reader users keep their place: after the board comes back,
  // focus goes to the moved card (in its new column, or where it stayed).
  var movedId = null;
  document.addEventListener("htmx:afterSettle", function () {
    if (!movedId) { return; }
    var moved = document.getElementById(movedId);
    movedId = null;
    if (document.querySelector("dialog[open]")) { return; }  // the lost reason has focus
    var link = moved && moved.querySelector(".board-card-name");
    if (link) { link.focus(); }
  });

  // htmx does not swap 4xx answers; a refused move (422) carries the board as it is
  // and what is missing, so show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 422 && target && target.id === "board") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Any other refusal (the opportunity was deleted meanwhile, a permission changed):
  // reload the board as it now is rather than leave a card half-moved.
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target && target.id === "board" && event.detail.xhr.status !== 422) {
      htmx.ajax("GET", window.location.pathname + window.location.search, {
        target: "#board",
        swap: "outerHTML"
      });
    }
  });

  function closeDialog(dialog) {
    if (dialog.open) { dialog.close(); }
    dialog.remove();
  }

  document.addEventListener("click", function (event) {
    var cancel = closest(event.target, "dialog [data-dialog-cancel]");
    if (!cancel) { return; }
    event.preventDefault();
    closeDialog(closest(cancel, "dialog"));
  });

  // The opportunity form: the lost reason is required when the stage is "lost".
  function refreshLostReason(form) {
    var stage = form.querySelector('[name="stage"]');
    var reason = form.querySelector('[name="lost_reason"]');
    if (!stage || !reason) { return; }
    var on = stage.value === "lost";
    var wrapper = closest(reason, ".field");
    if (wrapper) { wrapper.classList.toggle("is-required", on); }
    if (on) { reason.setAttribute("aria-required", "true"); } else { reason.removeAttribute("aria-required"); }
  }

  function init(root) {
    // A dialog that arrived with the board (the lost reason) opens as a modal, so focus
    // goes to it and Escape closes it (the card stays where it was).
    root.querySelectorAll("dialog[data-autoshow]").forEach(function (dialog) {
      if (!dialog.isConnected || dialog.getAttribute("data-shown")) { return; }
      dialog.setAttribute("data-shown", "true");
      // It arrives closed (only htmx, hence this script, brings it).
      if (dialog.showModal) { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
      dialog.addEventListener("close", function () { dialog.remove(); });
      var field = dialog.querySelector("textarea, input:not([type=hidden]), select");
      if (field) { field.focus(); }
    });
    root.querySelectorAll("form.opportunity-form:not([data-ready])").forEach(function (form) {
      form.setAttribute("data-ready", "true");
      refreshLostReason(form);
      form.addEventListener("change", function () { refreshLostReason(form); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
