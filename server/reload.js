// lobby live reload, served at /_lobby/reload.js by `lobby serve --watch` only.
// It reloads the page after each successful rebuild, keeping the scroll
// position, and shows a failed build's error over the page until it is fixed.
// No inline script or style: the page's Content-Security-Policy stays strict.
(function () {
  "use strict";
  var key = "lobby-scroll:" + location.pathname;
  var saved = null;
  try {
    saved = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
  } catch (e) {}
  if (saved) {
    var xy = saved.split(",");
    window.addEventListener("load", function () {
      window.scrollTo(Number(xy[0]) || 0, Number(xy[1]) || 0);
    });
  }

  function reload() {
    try {
      sessionStorage.setItem(key, window.scrollX + "," + window.scrollY);
    } catch (e) {}
    location.reload();
  }

  var overlay = null;

  // show puts the error text over the page; textContent keeps it text.
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      var s = overlay.style; // CSSOM properties are allowed by style-src 'self'
      s.position = "fixed";
      s.left = "0";
      s.right = "0";
      s.top = "0";
      s.maxHeight = "60vh";
      s.overflow = "auto";
      s.zIndex = "2147483647";
      s.background = "#fff4f4";
      s.color = "#7a0000";
      s.borderBottom = "4px solid #c00";
      s.padding = "1em";
      s.fontSize = "16px";
      var title = document.createElement("strong");
      title.textContent = "lobby: the build failed; the last good site is shown.";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      pre.style.fontFamily = "monospace";
      pre.style.margin = "0.5em 0 0";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.setAttribute("aria-label", "close");
      close.style.cssFloat = "right";
      close.addEventListener("click", hide);
      overlay.appendChild(close);
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  var seen = null; // the build this page was served from
  var events = new EventSource("/_lobby/events");
  events.addEventListener("reload", reload);
  events.addEventListener("status", function (e) {
    var st = JSON.parse(e.data);
    var id = st.instance + ":" + st.generation;
    if (seen === null) {
      seen = id;
    }
    if (!st.ok) {
      show(st.error || "unknown error");
      return;
    }
    hide();
    if (id !== seen) {
      reload(); // reconnected after a rebuild or a restart it missed
    }
  });
})();
