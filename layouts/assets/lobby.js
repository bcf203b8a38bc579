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

  // Idempotency key of the feedback and survey forms: a retried
  // submission carries the same key, so the server stores it once.
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
    var inputs = document.querySelectorAll("form[data-feedback] input[name='key'], form[data-survey] input[name='key']");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].value) {
        inputs[i].value = randomKey();
      }
    }
  }

  setupTextSize();
  setupFeedbackKey();
  setupSearchAsYouType();
  setupPosterFit();

  // ---------------------------------------------------------------------
  // Search as you type. The header's search box asks the
  // search API (the form's data-search-api, which the build writes with
  // the site's base path, like the form's action) while the resident
  // types and lists the first results under it; pressing Enter still opens the full results page, which is
  // also what happens without JavaScript. A polite live region says how many
  // results there are. Titles go in as text; a snippet is text in which
  // the API's only markup is <mark>, so it is split on <mark> and </mark>
  // and each piece is added as text, never parsed as HTML.
  // ---------------------------------------------------------------------

  function setupSearchAsYouType() {
    var form = document.querySelector("form.site-search");
    var input = form && form.querySelector("input[name='q']");
    var api = form && form.getAttribute("data-search-api");
    var action = form && form.getAttribute("action");
    if (!input || !api || !action || typeof window.fetch !== "function") {
      return;
    }
    var en = (root.getAttribute("lang") || "").toLowerCase().indexOf("en") === 0;
    var text = en ? {
      count: "{n} results found. Press Tab to go through them.",
      none: "Nothing found for “{q}”.",
      all: "See all {n} results"
    } : {
      count: "找到 {n} 条结果，按 Tab 键逐条查看。",
      none: "没有找到与“{q}”相关的内容。",
      all: "查看全部 {n} 条结果"
    };
    function say(key, q, n) {
      // Functions as replacements, so that a "$&" typed in the box stays as it is.
      return text[key].replace("{q}", function () {
        return q;
      }).replace("{n}", function () {
        return String(n);
      });
    }

    var panel = document.createElement("div");
    panel.className = "search-suggest";
    panel.id = input.id ? input.id + "-suggest" : "site-q-suggest";
    panel.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = document.createElement("ul");
    list.className = "suggest-list";
    var all = document.createElement("p");
    all.className = "suggest-all";
    var allLink = document.createElement("a");
    all.appendChild(allLink);
    panel.appendChild(list);
    panel.appendChild(all);
    form.parentNode.insertBefore(panel, form.nextSibling);
    form.parentNode.insertBefore(status, panel);
    input.setAttribute("aria-controls", panel.id);

    var timer = 0;
    var seq = 0;
    var controller = null;

    function close() {
      panel.hidden = true;
    }
    close();

    // decode turns the HTML escapes Go's html.EscapeString writes back
    // into the characters they stand for.
    function decode(s) {
      return s.replace(/&(lt|gt|amp|quot|#39|#34);/g, function (all, name) {
        return { lt: "<", gt: ">", amp: "&", quot: "\"", "#39": "'", "#34": "\"" }[name];
      });
    }

    function snippetInto(el, snippet) {
      var parts = String(snippet).split(/(<mark>|<\/mark>)/);
      var marked = false;
      for (var i = 0; i < parts.length; i++) {
        if (parts[i] === "<mark>") {
          marked = true;
        } else if (parts[i] === "</mark>") {
          marked = false;
        } else if (parts[i] !== "") {
          var node = document.createTextNode(decode(parts[i]));
          if (marked) {
            var m = document.createElement("mark");
            m.appendChild(node);
            node = m;
          }
          el.appendChild(node);
        }
      }
    }

    function show(q, body) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      var hits = (body && body.hits) || [];
      var total = (body && body.total) || 0;
      for (var i = 0; i < hits.length; i++) {
        var h = hits[i];
        if (typeof h.url !== "string" || h.url.charAt(0) !== "/") {
          continue; // site-relative links only
        }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h.url;
        var title = document.createElement("span");
        title.className = "suggest-title";
        title.textContent = h.title || h.url;
        a.appendChild(title);
        if (h.snippet) {
          var sn = document.createElement("span");
          sn.className = "suggest-snippet";
          snippetInto(sn, h.snippet);
          a.appendChild(sn);
        }
        li.appendChild(a);
        list.appendChild(li);
      }
      if (list.firstChild) {
        list.hidden = false;
        allLink.href = action + "?q=" + encodeURIComponent(q);
        allLink.textContent = say("all", q, total);
        all.hidden = false;
        status.textContent = say("count", q, total);
      } else {
        list.hidden = true;
        all.hidden = true;
        status.textContent = say("none", q, 0);
      }
      panel.hidden = false;
    }

    function lookup() {
      var q = input.value.replace(/^\s+|\s+$/g, "");
      var mine = ++seq;
      if (controller) {
        controller.abort();
        controller = null;
      }
      if (q === "") {
        close();
        status.textContent = "";
        return;
      }
      if (typeof window.AbortController === "function") {
        controller = new window.AbortController();
      }
      window.fetch(api + "?q=" + encodeURIComponent(q) + "&limit=5", {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (res) {
        if (!res.ok) {
          throw new Error("search " + res.status);
        }
        return res.json();
      }).then(function (body) {
        if (mine === seq) {
          show(q, body);
        }
      }).catch(function () {
        // Search is down or the request was replaced: the form still
        // submits to the results page.
        if (mine === seq) {
          close();
        }
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 250);
    });

    function links() {
      return panel.querySelectorAll("a");
    }

    // Arrow keys move between the box and the results; Escape closes them.
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && !panel.hidden && links().length) {
        ev.preventDefault();
        links()[0].focus();
      } else if (ev.key === "Escape" && !panel.hidden) {
        close();
      }
    });
    panel.addEventListener("keydown", function (ev) {
      var ls = links();
      var at = Array.prototype.indexOf.call(ls, document.activeElement);
      if (ev.key === "ArrowDown" && at >= 0 && at < ls.length - 1) {
        ev.preventDefault();
        ls[at + 1].focus();
      } else if (ev.key === "ArrowUp" && at >= 0) {
        ev.preventDefault();
        (at === 0 ? input : ls[at - 1]).focus();
      } else if (ev.key === "Escape") {
        close();
        input.focus();
      }
    });
    // The results close when the focus leaves both the box and them.
    function focusOut(ev) {
      var to = ev.relatedTarget;
      if (to && (to === input || panel.contains(to) || form.contains(to))) {
        return;
      }
      window.setTimeout(function () {
        var at = document.activeElement;
        if (at !== input && !panel.contains(at) && !form.contains(at)) {
          close();
        }
      }, 0);
    }
    input.addEventListener("focusout", focusOut);
    panel.addEventListener("focusout", focusOut);
    input.addEventListener("focus", function () {
      if (input.value.replace(/^\s+|\s+$/g, "") !== "" && list.firstChild) {
        panel.hidden = false;
        }
    });
  }

  // ---------------------------------------------------------------------
  // Posters: a notice's A4 poster prints on one page. The poster
  // is laid out as print lays it out (.is-measuring in poster.css) and its
  // type made smaller, step by step, until it fits the page less its
  // margins; --poster-fit then scales the printed poster. Without
  // JavaScript a long notice prints on more than one page.
  // ---------------------------------------------------------------------

  function fitPoster() {
    var poster = document.querySelector(".poster");
    if (!poster) {
      return;
    }
    var page = (297 - 2 * 12) * 96 / 25.4 * 0.96; // A4 less margins, in CSS px, with room to spare
    var fit = 1;
    poster.classList.add("is-measuring");
    for (var i = 0; i < 10; i++) {
      poster.style.setProperty("--poster-fit", String(fit));
      var height = poster.getBoundingClientRect().height;
      if (height <= page || fit <= 0.5) {
        break;
      }
      // Text takes room with the square of its size; the QR code does not
      // shrink, so take smaller steps than that and look again.
      fit = Math.max(0.5, Math.round(fit * Math.sqrt(page / height) * 0.98 * 1000) / 1000);
    }
    poster.classList.remove("is-measuring");
    if (fit < 1) {
      poster.style.setProperty("--poster-fit", String(fit));
    } else {
      poster.style.removeProperty("--poster-fit");
    }
  }

  function setupPosterFit() {
    if (!document.querySelector(".poster")) {
      return;
    }
    fitPoster();
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(fitPoster);
    }
    window.addEventListener("beforeprint", fitPoster);
  }
})();
