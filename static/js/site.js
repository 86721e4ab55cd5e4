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
    // A page that names where to go next (#now-heading, made focusable for that) keeps it;
    // the message is still read out from the status region.
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.hasAttribute("tabindex")) { return; }
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

// Idle sign-out: warn before it happens, offer "Stay signed in", and never lose what was typed.
// The dialog (templates/privacy/_idle_warning.html) is only on a signed-in person's pages.
// What is typed into a form is kept in this tab's sessionStorage, keyed by the page; if the
// person is signed out anyway, signing in brings them back to the page (?next=) and it is put back.
(function () {
  "use strict";
  var PREFIX = "hls-draft:";
  var DEADLINE_KEY = "hls-idle-deadline";
  var GRACE_MS = 2000;  // act just after the server's deadline, never just before it
  var dialog = document.querySelector("[data-idle-warning]");
  var owner = dialog ? dialog.dataset.draftOwner : "";
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }

  // --- Drafts -------------------------------------------------------------------------
  function pageKey() { return location.pathname + location.search; }

  function draftForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return form.method === "post" && !form.hasAttribute("data-no-draft") && !form.closest("[data-idle-warning]");
    });
  }

  function draftKey(form) { return PREFIX + pageKey() + "#" + draftForms().indexOf(form); }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled) { return false; }
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
      return el.tagName === "INPUT" && ["hidden", "password", "file", "submit", "button", "reset", "image"].indexOf(el.type) === -1;
    });
  }

  function saveDraft(form) {
    if (!store || !owner || draftForms().indexOf(form) === -1) { return; }
    var fields = keptFields(form).map(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return { n: el.name, v: el.value, c: el.checked }; }
      if (el.tagName === "SELECT" && el.multiple) {
        return { n: el.name, m: Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) };
      }
      return { n: el.name, v: el.value };
    });
    if (!fields.length) { return; }
    try { store.setItem(draftKey(form), JSON.stringify({ owner: owner, held: false, fields: fields })); } catch (e) { /* storage full: nothing to keep */ }
  }

  function restoreDraft(form, draft) {
    var seen = {};
    draft.fields.forEach(function (field) {
      var matches = keptFields(form).filter(function (el) { return el.name === field.n; });
      if ("c" in field) {
        // A change event, so what depends on the choice (the entry form's sections) follows it.
        matches.forEach(function (el) {
          if (el.value === field.v && el.checked !== field.c) {
            el.checked = field.c;
            el.dispatchEvent(new Event("change", { bubbles: true }));
          }
        });
      } else if (field.m) {
        matches.forEach(function (el) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = field.m.indexOf(o.value) !== -1; });
        });
      } else {
        var i = seen[field.n] || 0;
        seen[field.n] = i + 1;
        if (matches[i]) { matches[i].value = field.v; }
      }
    });
  }

  function eachDraft(callback) {
    if (!store) { return; }
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      if (store.key(i).indexOf(PREFIX) === 0) { keys.push(store.key(i)); }
    }
    keys.forEach(function (key) {
      var draft = null;
      try { draft = JSON.parse(store.getItem(key)); } catch (e) { draft = null; }
      callback(key, draft);
    });
  }

  function holdDrafts() {
    eachDraft(function (key, draft) {
      if (draft) { draft.held = true; store.setItem(key, JSON.stringify(draft)); }
    });
  }

  function forgetDrafts() { eachDraft(function (key) { store.removeItem(key); }); }

  function announce(text) {
    var status = document.getElementById("status");
    if (!status) { return; }
    var p = document.createElement("p");
    p.className = "notice";
    p.textContent = text;
    status.appendChild(p);
  }

  if (!owner) {
    // Signed out (by choice drafts are forgotten at "Sign out"; here it was the idle clock
    // or an expired session): keep every draft for when the same person signs in again.
    holdDrafts();
  } else {
    var restored = false;
    eachDraft(function (key, draft) {
      if (!draft || draft.owner !== owner) { store.removeItem(key); return; }
      if (!draft.held) { store.removeItem(key); return; }  // sent, or left behind on purpose
      if (key.indexOf(PREFIX + pageKey() + "#") !== 0) { return; }  // another page's: wait for it
      var form = draftForms()[Number(key.slice(key.lastIndexOf("#") + 1))];
      store.removeItem(key);
      if (form) {
        restoreDraft(form, draft);
        saveDraft(form);
        restored = true;
      }
    });
    if (restored) { announce("You were signed out, so we kept what you had typed. It is back in the form below."); }

    ["input", "change"].forEach(function (name) {
      document.addEventListener(name, function (event) {
        if (event.target.form) { saveDraft(event.target.form); }
      });
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      // getAttribute: a field named "action" would hide form.action.
      var action = new URL(form.getAttribute("action") || location.href, location.href);
      if (action.pathname === dialog.dataset.logoutUrl) { forgetDrafts(); }
    }, true);
    // A form sent by htmx and accepted: its draft is done with. A refusal that sends the
    // person to sign in (HX-Redirect) keeps it.
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var form = event.detail.elt && (event.detail.elt.tagName === "FORM" ? event.detail.elt : event.detail.elt.form);
      var xhr = event.detail.xhr;
      if (form && event.detail.successful && xhr && !xhr.getResponseHeader("HX-Redirect") && store) {
        store.removeItem(draftKey(form));
      }
    });
  }

  // --- The warning ----------------------------------------------------------------------
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var warnBeforeMs = Number(dialog.dataset.warnBefore) * 1000;
  var deadline = 0;
  var returnFocus = null;
  var ended = false;
  var stayForm = dialog.querySelector("[data-idle-stay]");
  var stayButton = stayForm.querySelector("button");
  var when = dialog.querySelector("[data-idle-when]");

  function setDeadline(secondsLeft, share) {
    deadline = Date.now() + secondsLeft * 1000;
    if (share) {
      try { localStorage.setItem(DEADLINE_KEY, String(deadline)); } catch (e) { /* other tabs just warn on their own */ }
    }
    tick();
  }

  function describe(ms) {
    var minutes = Math.round(ms / 60000);
    if (minutes >= 2) { return "in " + minutes + " minutes"; }
    if (minutes === 1) { return "in 1 minute"; }
    var seconds = Math.max(1, Math.round(ms / 1000));
    return "in " + seconds + (seconds === 1 ? " second" : " seconds");
  }

  function open() {
    returnFocus = document.activeElement;
    when.textContent = describe(deadline - Date.now());
    dialog.showModal();
    stayButton.focus();
  }

  function close() {
    dialog.close();
    if (returnFocus && document.contains(returnFocus)) { returnFocus.focus(); }
  }

  function end() {
    // The server signs the person out on this request and sends them to sign in, with
    // ?next= this page; what they typed waits for them in this tab.
    ended = true;
    holdDrafts();
    location.assign(location.pathname + location.search);
  }

  function tick() {
    if (ended || !deadline) { return; }
    var left = deadline - Date.now();
    if (left <= -GRACE_MS) {
      end();
    } else if (left <= warnBeforeMs) {
      if (!dialog.open) { open(); }
      when.textContent = describe(Math.max(0, left));
    } else if (dialog.open) {
      close();  // another tab, or a request from this one, kept the session going
    }
  }

  function staySignedIn() {
    fetch(stayForm.action, {
      method: "POST",
      body: new FormData(stayForm),
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (!response.ok) { throw new Error("signed out"); }
      return response.json();
    }).then(function (data) {
      setDeadline(data.seconds_left, true);
      if (dialog.open) { close(); }
    }).catch(end);
  }

  stayForm.addEventListener("submit", function (event) {
    event.preventDefault();
    staySignedIn();
  });
  // Escape is someone at the keyboard: that is "stay signed in" too.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    staySignedIn();
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var left = event.detail.xhr && event.detail.xhr.getResponseHeader("X-Idle-Seconds-Left");
    if (left !== null && left !== undefined && left !== "") { setDeadline(Number(left), true); }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === DEADLINE_KEY && Number(event.newValue) > deadline) {
      deadline = Number(event.newValue);
      tick();
    }
  });

  setDeadline(Number(dialog.dataset.secondsLeft), true);
  window.setInterval(tick, 1000);
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
