// Forum sessions: the time-box countdown and the live page's 304-aware polling.
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

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);

    // An unchanged poll answers 304 with no body: keep what is on screen.
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.xhr && event.detail.xhr.status === 304) {
        event.detail.shouldSwap = false;
      }
    });
    document.body.addEventListener("htmx:afterSwap", tick);

    var print = document.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  });
})();
