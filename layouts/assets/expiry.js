// expiry.js: hides what has expired since the site was built (an urgent
// banner, notices in lists) before the page is first painted, so that
// nothing moves under the reader's eyes. An element with data-expires (an
// RFC 3339 moment) is hidden once that moment has passed; a
// [data-expires-group] is hidden while all its items are.
//
// It is loaded in <head> without defer, which makes the browser wait for it
// before it paints. While the page is parsed, a MutationObserver looks at
// each element as the parser adds it; observers run before the browser
// renders again, so an expired element is never shown. After that it looks
// again every minute, for a page left open past an expiry. The site works
// without it: the next build leaves out what has expired.
(function () {
  "use strict";

  function hideIfExpired(el, now) {
    var at = Date.parse(el.getAttribute("data-expires"));
    if (!isNaN(at) && at <= now) {
      el.hidden = true;
    }
  }

  function check(root, now) {
    if (root.nodeType !== 1) {
      return;
    }
    if (root.hasAttribute("data-expires")) {
      hideIfExpired(root, now);
    }
    var els = root.querySelectorAll("[data-expires]");
    for (var i = 0; i < els.length; i++) {
      hideIfExpired(els[i], now);
    }
  }

  // A group is hidden while it has items and all of them are hidden; while
  // the page is parsed, a later item may show it again.
  function checkGroups() {
    var groups = document.querySelectorAll("[data-expires-group]");
    for (var j = 0; j < groups.length; j++) {
      var items = groups[j].querySelectorAll("li");
      var visible = 0;
      for (var k = 0; k < items.length; k++) {
        if (!items[k].hidden) {
          visible++;
        }
      }
      groups[j].hidden = items.length > 0 && visible === 0;
    }
  }

  function checkAll() {
    check(document.documentElement, Date.now());
    checkGroups();
  }

  var observer = null;
  if (typeof MutationObserver === "function" && document.readyState === "loading") {
    observer = new MutationObserver(function (records) {
      var now = Date.now(), grouped = false;
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          check(added[j], now);
          grouped = true;
        }
      }
      if (grouped) {
        checkGroups();
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  }

  function parsed() {
    if (observer) {
      observer.disconnect();
    }
    checkAll();
    window.setInterval(checkAll, 60 * 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", parsed);
  } else {
    parsed();
  }
})();
