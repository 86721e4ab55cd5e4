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

// The learning entry form (<form data-kind-form>): only the chosen kind's sections show
// (<div data-kind-section="experiment">). Without JavaScript every section shows and the
// server ignores those for other kinds.
(function () {
  "use strict";
  function showSections(form) {
    var chosen = form.querySelector("input[type=radio][name=kind]:checked");
    form.querySelectorAll("[data-kind-section]").forEach(function (section) {
      section.hidden = !chosen || section.dataset.kindSection !== chosen.value;
    });
  }
  document.querySelectorAll("form[data-kind-form]").forEach(function (form) {
    showSections(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") { showSections(form); }
    });
  });
})();

// The error summary's links move focus to the field itself (a group: its first option), as
// following a link to an id only scrolls there; the label or legend stays in view.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var field = target.matches("input, textarea, select") ? target : target.querySelector("input, textarea, select");
    if (!field) { return; }
    event.preventDefault();
    var context = target.closest("fieldset") || target.closest(".form-group") || field;
    context.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
