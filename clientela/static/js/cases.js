// Cases pages: a refused htmx form (422) still shows its errors.
(function () {
  "use strict";

  // htmx leaves 4xx answers unswapped; the cases views answer a refused action or an
  // invalid comment with 422 and the fragment that explains why.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
