// Small progressive enhancements. Behaviour hangs off data- attributes; no inline scripts.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // After an action (a form posted, then this page), say what happened where keyboard and
  // screen reader users are: the first message gets focus, and Tab carries on into the page
  // (GOV.UK's success banner does the same). An error summary comes first.
  function focusMessage() {
    var message = document.querySelector("#status .notice");
    if (!message || document.querySelector("[data-error-summary]")) { return; }
    message.setAttribute("tabindex", "-1");
    message.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  // After "load": going to a fragment (#responses) moves focus to it as the page loads.
  window.addEventListener("load", focusMessage);
  document.body.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); });

  // Ask before destructive actions: <form data-confirm="Remove this person?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
})();

// The place picture: explained terms close with Escape (WCAG 1.4.13, content on hover or focus).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".term:hover, .term:focus-within").forEach(function (term) {
      term.classList.add("term-dismissed");
    });
  });
  ["focusout", "mouseout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var term = event.target.closest && event.target.closest(".term");
      if (term) { term.classList.remove("term-dismissed"); }
    });
  });
})();
