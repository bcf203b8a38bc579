// lobby.js: progressive enhancements for the default theme. The site works
// without it; every feature first checks that its elements exist.
(function () {
  "use strict";

  var root = document.documentElement;

  // Text size: A / A+ / A++, remembered across pages in localStorage and set
  // as a class on <html> so that the stylesheet can scale every rem.
  var SIZE_KEY = "lobby.textSize";
  var SIZE_CLASSES = { normal: "", large: "text-lg", xlarge: "text-xl" };

  function storedSize() {
    try {
      var s = window.localStorage.getItem(SIZE_KEY);
      return Object.prototype.hasOwnProperty.call(SIZE_CLASSES, s) ? s : "normal";
    } catch (e) {
      return "normal";
    }
  }

  function applySize(size) {
    root.classList.remove("text-lg", "text-xl");
    if (SIZE_CLASSES[size]) {
      root.classList.add(SIZE_CLASSES[size]);
    }
    var buttons = document.querySelectorAll("[data-textsize] button[data-size]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-size") === size));
    }
  }

  function setupTextSize() {
    applySize(storedSize());
    var group = document.querySelector("[data-textsize]");
    if (!group) {
      return;
    }
    group.hidden = false;
    group.addEventListener("click", function (ev) {
      var button = ev.target.closest ? ev.target.closest("button[data-size]") : null;
      if (!button) {
        return;
      }
      var size = button.getAttribute("data-size");
      applySize(size);
      try {
        if (size === "normal") {
          window.localStorage.removeItem(SIZE_KEY);
        } else {
          window.localStorage.setItem(SIZE_KEY, size);
        }
      } catch (e) {
        // Private browsing or storage disabled: the choice lasts for this page.
      }
    });
  }

  // Expiry: an element with data-expires (an RFC 3339 moment) is hidden once
  // that moment has passed, so that a stale banner disappears between
  // rebuilds. A [data-expires-group] is hidden when all its items are.
  function hideExpired() {
    var now = Date.now();
    var els = document.querySelectorAll("[data-expires]");
    for (var i = 0; i < els.length; i++) {
      var at = Date.parse(els[i].getAttribute("data-expires"));
      if (!isNaN(at) && at <= now) {
        els[i].hidden = true;
      }
    }
    var groups = document.querySelectorAll("[data-expires-group]");
    for (var j = 0; j < groups.length; j++) {
      var items = groups[j].querySelectorAll("li");
      var visible = 0;
      for (var k = 0; k < items.length; k++) {
        if (!items[k].hidden) {
          visible++;
        }
      }
      if (items.length > 0 && visible === 0) {
        groups[j].hidden = true;
      }
    }
  }

  // Idempotency key of the feedback form: a retried submission carries the
  // same key, so the server stores it once.
  function randomKey() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      return c.randomUUID();
    }
    if (c && typeof c.getRandomValues === "function") {
      var b = new Uint8Array(16);
      c.getRandomValues(b);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      var hex = "";
      for (var i = 0; i < b.length; i++) {
        hex += (b[i] + 0x100).toString(16).slice(1);
      }
      return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
        hex.slice(16, 20) + "-" + hex.slice(20);
    }
    return "";
  }

  function setupFeedbackKey() {
    var input = document.querySelector("form[data-feedback] input[name='key']");
    if (input && !input.value) {
      input.value = randomKey();
    }
  }

  setupTextSize();
  hideExpired();
  window.setInterval(hideExpired, 60 * 1000);
  setupFeedbackKey();
})();
