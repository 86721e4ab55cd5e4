// Forum sessions: the time-box countdown, the live page's 304-aware polling, keeping focus
// where it was when a region is redrawn, and telling screen readers what changed.
// Progressive enhancement only: without JavaScript the server-rendered time and a Refresh
// link do the same job.
(function () {
  "use strict";

  function format(seconds) {
    var abs = Math.abs(seconds);
    var minutes = Math.floor(abs / 60);
    var secs = abs % 60;
    var text = minutes + ":" + (secs < 10 ? "0" : "") + secs;
    return seconds >= 0 ? text + " left" : "Over time by " + text;
  }

  function tick() {
    var timers = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < timers.length; i++) {
      var el = timers[i];
      if (!el.dataset.endsAtMs) {
        // Count from this device's clock, so a skewed clock does not matter.
        var left = parseInt(el.dataset.secondsLeft, 10);
        if (isNaN(left)) { continue; }
        el.dataset.endsAtMs = String(Date.now() + left * 1000);
      }
      var seconds = Math.round((parseInt(el.dataset.endsAtMs, 10) - Date.now()) / 1000);
      var text = el.querySelector("[data-countdown-text]");
      if (text) { text.textContent = format(seconds); }
      el.classList.toggle("timer-over", seconds < 0);
    }
  }

  // --- Announcements --------------------------------------------------------------------
  // One polite live region, the page's #status, which no swap replaces. Each event is
  // announced once: what a redrawn region shows is compared with what was shown before.

  var batchOpen = false;  // what one swap announces is read out together

  function announce(texts) {
    var region = document.getElementById("status");
    texts = texts.filter(function (t) { return t; });
    if (!region || !texts.length) { return; }
    if (!batchOpen) {
      region.querySelectorAll("[data-announcement]").forEach(function (old) { old.remove(); });
      batchOpen = true;
      window.setTimeout(function () { batchOpen = false; }, 0);
    }
    texts.forEach(function (text) {
      var p = document.createElement("p");
      p.className = "visually-hidden";
      p.setAttribute("data-announcement", "");
      p.textContent = text;
      region.appendChild(p);
    });
  }

  function shorten(text, limit) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length > limit ? text.slice(0, limit - 1).trim() + "…" : text;
  }

  function contributionsShown() {
    var found = [];
    document.querySelectorAll("#live-said [data-contribution]").forEach(function (li) {
      var text = li.querySelector(".contribution-text");
      var by = li.querySelector("[data-byline]");
      found.push({
        pk: parseInt(li.dataset.contribution, 10),
        text: text ? text.textContent : "",
        by: by ? by.textContent.trim() : ""
      });
    });
    return found;
  }

  function readNews() {
    var news = document.querySelector("#live-state [data-live-news]");
    if (!news) { return null; }
    return {
      closed: news.dataset.closed === "yes",
      closedText: news.dataset.closedText || "",
      item: news.dataset.item || "",
      itemText: news.dataset.itemText || "",
      turn: news.dataset.turn || "",
      turnText: news.dataset.turnText || ""
    };
  }

  var seen = null;        // what the page last showed
  var newest = 0;         // the highest contribution id shown so far
  var waiting = [];       // others' contributions not announced yet
  var mine = {};          // contributions this page added
  var sending = false;    // a contribution of ours is on its way

  function takeWaiting() {
    if (sending) { return []; }
    var out = waiting.filter(function (c) { return !mine[c.pk]; }).map(function (c) {
      var said = shorten(c.text, 160);
      return c.by === "Anonymous" ?
        "New anonymous contribution: " + said :
        "New contribution from " + c.by + ": " + said;
    });
    waiting = [];
    return out;
  }

  function noticeChanges() {
    var now = readNews();
    if (!now) { return; }
    var shown = contributionsShown();
    if (seen === null) {  // the page as it loaded: nothing to announce
      seen = now;
      shown.forEach(function (c) { newest = Math.max(newest, c.pk); });
      return;
    }
    var out = [];
    if (now.closed) {
      if (!seen.closed) { out.push(now.closedText); }
    } else {
      if (now.item !== seen.item) { out.push(now.itemText); }
      shown.forEach(function (c) {
        if (c.pk > newest) { waiting.push(c); newest = c.pk; }
      });
      out = out.concat(takeWaiting());
      if (now.turn !== seen.turn) { out.push(now.turnText); }
    }
    seen = now;
    announce(out);
  }

  // --- Focus ----------------------------------------------------------------------------
  // htmx puts focus back on an element with the same id after a swap; a control inside a
  // <details> that the swap drew closed cannot take it, so open or closed is kept too.

  var before = { focused: "", details: {} };

  function remember() {
    var active = document.activeElement;
    before.focused = active && active.id ? active.id : "";
    before.details = {};
    document.querySelectorAll("[data-live-page] details[id]").forEach(function (d) {
      before.details[d.id] = d.open;
    });
  }

  function restore() {
    Object.keys(before.details).forEach(function (id) {
      var d = document.getElementById(id);
      if (d) { d.open = before.details[id]; }
    });
    var active = document.activeElement;
    if (before.focused && (!active || active === document.body)) {
      var again = document.getElementById(before.focused);
      if (again) { again.focus({ preventScroll: true }); }
    }
  }

  function requester(event) {
    // The element that asked (the form may be gone by now: swapped away).
    return (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
  }

  function isContributing(event) {
    var elt = requester(event);
    return Boolean(elt && elt.matches && elt.matches("[data-live-contribute]"));
  }

  function focusFromHash() {
    // After a plain post lands on "#now-heading", put focus where the page says.
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    if (target && target.getAttribute("tabindex") === "-1") { target.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
    focusFromHash();
    noticeChanges();

    var body = document.body;
    // An unchanged poll answers 304 with no body: keep what is on screen.
    body.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.xhr && event.detail.xhr.status === 304) {
        event.detail.shouldSwap = false;
        return;
      }
      remember();
    });
    body.addEventListener("htmx:beforeRequest", function (event) {
      if (isContributing(event)) { sending = true; }
    });
    body.addEventListener("htmx:afterRequest", function (event) {
      if (isContributing(event) && sending) {
        sending = false;
        announce(takeWaiting());
      }
    });
    body.addEventListener("htmx:afterSwap", function (event) {
      var swapped = event.target;
      tick();
      restore();
      var asked = requester(event);
      var focusOn = asked && asked.dataset ? asked.dataset.liveFocus : "";
      if (focusOn && swapped.id === "live-state") {
        var heading = document.querySelector(focusOn);
        if (heading) { heading.focus(); }
      }
      var texts = [];
      if (swapped.dataset && swapped.dataset.addedContribution) {
        mine[parseInt(swapped.dataset.addedContribution, 10)] = true;
      }
      if (swapped.matches && swapped.matches("[data-announce]")) { texts.push(swapped.textContent.trim()); }
      if (swapped.querySelectorAll) {
        swapped.querySelectorAll("[data-announce]").forEach(function (el) {
          texts.push(el.textContent.trim());
        });
      }
      announce(texts);
      if (swapped.id === "live-state") { noticeChanges(); }
    });

    var print = document.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  });
})();
