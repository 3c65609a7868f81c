// Documents panel: upload progress, an early size check, and showing the server's
// per-file refusals. The server checks everything again; this only saves a wait.
(function () {
  "use strict";
  // The panel is re-rendered by htmx (and this script with it): install once.
  if (window.clientelaDocuments) { return; }
  window.clientelaDocuments = true;

  function uploadForm(element) {
    return element && element.closest ? element.closest("form.document-upload") : null;
  }

  function showErrors(form, lines) {
    var box = form.querySelector(".document-client-errors");
    if (!box) { return; }
    box.textContent = "";
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;  // file names are text, never markup
      box.appendChild(item);
    });
    box.hidden = lines.length === 0;
  }

  function setProgress(form, percent) {
    var bar = form.querySelector(".document-progress");
    var label = form.querySelector(".document-progress-text");
    if (bar) { bar.hidden = false; bar.value = percent; }
    if (label) { label.textContent = percent + " %"; }
    form.dispatchEvent(new CustomEvent("documents:progress", { bubbles: true, detail: { percent: percent } }));
  }

  // Refuse at once what the server would refuse after the whole upload.
  document.addEventListener("htmx:confirm", function (event) {
    var form = uploadForm(event.target);
    if (!form || event.target !== form) { return; }
    var input = form.querySelector('input[type="file"][name="files"]');
    var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
    var lines = [];
    if (files.length > maxFiles) { lines.push(form.getAttribute("data-too-many")); }
    files.forEach(function (file) {
      if (file.size > maxBytes) { lines.push(file.name + ": " + form.getAttribute("data-too-large")); }
    });
    showErrors(form, lines);
    if (lines.length) { event.preventDefault(); }
  });

  // Upload progress: the XMLHttpRequest's upload events (not the response's download).
  document.addEventListener("htmx:beforeSend", function (event) {
    var form = uploadForm(event.target);
    var xhr = event.detail && event.detail.xhr;
    if (!form || !xhr || !xhr.upload) { return; }
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    setProgress(form, 0);
    xhr.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable && progress.total > 0) {
        setProgress(form, Math.round((progress.loaded / progress.total) * 100));
      }
    });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = uploadForm(event.target);
    if (!form) { return; }
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
  });

  // A refused upload (422, 413) still brings the panel with the reasons: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (uploadForm(event.target) || (event.target && event.target.id === "panel-documents")) {
      if (status === 422 || status === 413) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    }
  });
})();
