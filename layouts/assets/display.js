// display.js: the lobby display (/display/). It reads the content
// API, shows the active notices one at a time (urgent first) and the next
// events, and keeps a clock. Settings are data- attributes on [data-display]:
//
//   data-rotate-ms    how long each notice stays (default 10 s)
//   data-refresh-ms   how often the API is fetched again (default a minute)
//   data-events-max   how many upcoming events to list (default 3)
//
// They are read again four times a second, so a change applies at once.
//
// ?now=2026-12-04T23:59:50+08:00 in the page's URL starts the display's
// clock at that moment, for previews and tests; the clock runs on from it.
//
// A notice leaves the screen the second its `expires` passes on this clock,
// whatever the build said. When a fetch fails, the last good data stays on
// screen (it is kept in memory and in localStorage, so it also survives a
// reload while the network is down) and a line at the bottom says so.
(function () {
  "use strict";

  var root = document.querySelector("[data-display]");
  if (!root) {
    return;
  }
  var STORE_KEY = "lobby.display.v1";
  var slot = root.querySelector("[data-notice-slot]");
  var eventList = root.querySelector("[data-event-list]");
  var timeEl = root.querySelector("[data-clock-time]");
  var dateEl = root.querySelector("[data-clock-date]");
  var statusEl = root.querySelector("[data-display-status]");

  function attr(name, fallback) {
    var v = root.getAttribute("data-" + name);
    return v === null || v === "" ? fallback : v;
  }

  function numAttr(name, fallback, min) {
    var n = parseInt(attr(name, ""), 10);
    return isNaN(n) ? fallback : Math.max(min, n);
  }

  // The clock: the device's, or shifted so that it read ?now at load time.
  var shift = 0;
  (function () {
    var m = /[?&]now=([^&]+)/.exec(window.location.search);
    if (m) {
      var at = Date.parse(decodeURIComponent(m[1].replace(/\+/g, "%2B")));
      if (!isNaN(at)) {
        shift = at - Date.now();
      }
    }
  })();
  function now() {
    return Date.now() + shift;
  }

  // Calendar fields in the site's time zone: Intl when it knows the zone,
  // else the site's UTC offset at build time.
  var weekdays = attr("weekdays", "Sun,Mon,Tue,Wed,Thu,Fri,Sat").split(",");
  var months = attr("months", "1,2,3,4,5,6,7,8,9,10,11,12").split(",");
  var offsetMin = (function () {
    var m = /^([+-])(\d\d):(\d\d)$/.exec(attr("offset", "+00:00"));
    return m ? (m[1] === "-" ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10)) : 0;
  })();
  var zoneFormat = null;
  try {
    zoneFormat = new Intl.DateTimeFormat("en-US", {
      timeZone: attr("timezone", "UTC"), hourCycle: "h23", weekday: "short",
      year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric"
    });
  } catch (e) {
    zoneFormat = null;
  }
  var EN_DAYS = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

  function fields(ms) {
    if (zoneFormat && zoneFormat.formatToParts) {
      var f = {};
      var parts = zoneFormat.formatToParts(new Date(ms));
      for (var i = 0; i < parts.length; i++) {
        f[parts[i].type] = parts[i].value;
      }
      if (f.year && f.weekday in EN_DAYS) {
        return { y: +f.year, m: +f.month, d: +f.day, h: +f.hour % 24, min: +f.minute, w: EN_DAYS[f.weekday] };
      }
    }
    var t = new Date(ms + offsetMin * 60000);
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), min: t.getUTCMinutes(), w: t.getUTCDay() };
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function fill(format, values) {
    return format.replace(/\{(\w)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : all;
    });
  }

  function clockText(ms) {
    var f = fields(ms);
    return pad(f.h) + ":" + pad(f.min);
  }

  function dateText(ms, format) {
    var f = fields(ms);
    return fill(format, { y: f.y, m: f.m, d: f.d, M: months[f.m - 1] || f.m, w: weekdays[f.w] || "" });
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  // Data: the last good answer of each endpoint, in memory and in storage.
  var data = { notices: null, events: null, savedAt: 0 };
  var lastFailed = false;

  function loadStored() {
    try {
      var s = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      if (s && s.notices && s.events) {
        data = s;
      }
    } catch (e) {
      // No storage, or a broken entry: start from the page as built.
    }
  }

  function store() {
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(data));
    } catch (e) {
      // Storage full or disabled: memory still holds the data.
    }
  }

  function getJSON(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, true);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.timeout = 20000;
    xhr.onload = function () {
      var body = null;
      if (xhr.status === 200) {
        try {
          body = JSON.parse(xhr.responseText);
        } catch (e) {
          body = null;
        }
      }
      done(body && body.pages && body.pages.length !== undefined ? body : null);
    };
    xhr.onerror = xhr.ontimeout = function () {
      done(null);
    };
    xhr.send();
  }

  function refresh() {
    var got = {};
    var pending = 2;
    function one(key, url) {
      getJSON(url + (url.indexOf("?") < 0 ? "?" : "&") + "_=" + Date.now(), function (body) {
        got[key] = body;
        if (--pending === 0) {
          if (got.notices && got.events) {
            data = { notices: got.notices.pages, events: got.events.pages, savedAt: now() };
            lastFailed = false;
            store();
          } else {
            lastFailed = true;
          }
          render();
        }
      });
    }
    one("notices", attr("notices-url", "/api/v1/notices.json"));
    one("events", attr("events-url", "/api/v1/events.json"));
  }

  var RANK = { urgent: 0, important: 1 };

  // activeNotices are the notices to show at ms: not expired by the build
  // nor by the clock, urgent first, then important, then the rest, each
  // group in the API's order (pinned first, then newest).
  function activeNotices(ms) {
    var list = [];
    var src = data.notices || [];
    for (var i = 0; i < src.length; i++) {
      var n = src[i];
      var exp = n.expires ? Date.parse(n.expires) : NaN;
      if (n.expired || (!isNaN(exp) && exp <= ms)) {
        continue;
      }
      list.push({ n: n, i: i, r: RANK.hasOwnProperty(n.urgency) ? RANK[n.urgency] : 2 });
    }
    list.sort(function (a, b) {
      return a.r - b.r || a.i - b.i;
    });
    var out = [];
    for (var j = 0; j < list.length; j++) {
      out.push(list[j].n);
    }
    return out;
  }

  // upcomingEvents are the events that have not ended at ms, soonest first.
  function upcomingEvents(ms) {
    var list = [];
    var src = data.events || [];
    for (var i = 0; i < src.length; i++) {
      var e = src[i];
      var start = Date.parse(e.start);
      var end = e.end ? Date.parse(e.end) : start;
      if (!isNaN(start) && end > ms) {
        list.push({ e: e, start: start });
      }
    }
    list.sort(function (a, b) {
      return a.start - b.start;
    });
    return list;
  }

  var current = null; // url of the notice on screen
  var shownKeys = "";

  function noticeNode(n, index, total) {
    var art = el("article", "display-notice notice-" + (n.urgency || "info"));
    art.setAttribute("data-url", n.url || "");
    var kicker = el("p", "display-kicker");
    if (n.urgency === "urgent" || n.urgency === "important") {
      kicker.appendChild(el("span", "label label-" + n.urgency, attr("label-" + n.urgency, n.urgency)));
      kicker.appendChild(document.createTextNode(" "));
    }
    if (n.pinned) {
      kicker.appendChild(el("span", "label label-pinned", attr("label-pinned", "")));
      kicker.appendChild(document.createTextNode(" "));
    }
    if (total > 1) {
      kicker.appendChild(el("span", "display-count", fill(attr("label-count", "{i} / {n}"), { i: index + 1, n: total })));
    }
    art.appendChild(kicker);
    art.appendChild(el("h3", "display-notice-title", n.title || ""));
    if (n.summary) {
      art.appendChild(el("p", "display-notice-summary", n.summary));
    }
    if (n.expires) {
      var until = el("p", "display-notice-until", attr("label-until", "") + " ");
      var exp = Date.parse(n.expires);
      var t = el("time", "", dateText(exp, attr("day-format", "{m}/{d}")) + " " + clockText(exp));
      t.setAttribute("datetime", n.expires);
      until.appendChild(t);
      art.appendChild(until);
    }
    return art;
  }

  function renderNotices(ms) {
    var list = activeNotices(ms);
    var idx = -1;
    for (var i = 0; i < list.length; i++) {
      if (list[i].url === current) {
        idx = i;
      }
    }
    if (idx < 0) {
      idx = 0;
    }
    var n = list[idx];
    current = n ? n.url : null;
    var key = n ? n.url + "|" + idx + "|" + list.length + "|" + n.title + "|" + n.summary + "|" + n.expires + "|" + n.urgency + "|" + n.pinned : "none";
    if (key === shownKeys) {
      return list;
    }
    shownKeys = key;
    while (slot.firstChild) {
      slot.removeChild(slot.firstChild);
    }
    slot.appendChild(n ? noticeNode(n, idx, list.length) : el("p", "display-empty", attr("label-none", "")));
    fitNotice();
    return list;
  }

  function overflows(box) {
    return box.scrollHeight > box.clientHeight + 1;
  }

  // fitNotice keeps the notice on screen without scrolling: a long summary,
  // then a long title, gives up lines (they end in an ellipsis).
  function fitNotice() {
    var art = slot.firstChild;
    if (!art || !art.querySelector) {
      return;
    }
    var parts = [art.querySelector(".display-notice-summary"), art.querySelector(".display-notice-title")];
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      for (var lines = 4; p && lines > 1 && overflows(art); lines--) {
        p.style.setProperty("-webkit-line-clamp", String(lines - 1));
        p.style.setProperty("line-clamp", String(lines - 1));
      }
    }
  }

  var shownEvents = "";

  function renderEvents(ms) {
    if (!eventList || !data.events) {
      return;
    }
    var list = upcomingEvents(ms).slice(0, numAttr("events-max", 3, 1));
    var key = JSON.stringify(list);
    if (key === shownEvents) {
      return;
    }
    shownEvents = key;
    while (eventList.firstChild) {
      eventList.removeChild(eventList.firstChild);
    }
    if (list.length === 0) {
      eventList.appendChild(el("li", "display-empty", attr("label-no-events", "")));
      return;
    }
    for (var i = 0; i < list.length; i++) {
      var e = list[i].e;
      var li = el("li", "display-event");
      var when = el("p", "display-event-when");
      var t = el("time", "", dateText(list[i].start, attr("day-format", "{m}/{d}")) + " " + clockText(list[i].start));
      t.setAttribute("datetime", e.start);
      when.appendChild(t);
      li.appendChild(when);
      li.appendChild(el("p", "display-event-title", e.title || ""));
      if (e.location) {
        li.appendChild(el("p", "display-event-where", e.location));
      }
      eventList.appendChild(li);
    }
    // Events that would be cut off at the bottom are left out whole.
    var box = eventList.parentNode.getBoundingClientRect();
    var items = eventList.children;
    for (var j = 1; j < items.length; j++) {
      if (items[j].getBoundingClientRect().bottom > box.bottom) {
        for (var k = j; k < items.length; k++) {
          items[k].hidden = true;
        }
        break;
      }
    }
  }

  function renderStatus() {
    if (!statusEl) {
      return;
    }
    var text = "";
    if (lastFailed && data.savedAt) {
      text = fill(attr("label-offline", "{t}"), { t: dateText(data.savedAt, attr("day-format", "{m}/{d}")) + " " + clockText(data.savedAt) });
    }
    if (statusEl.textContent !== text) {
      statusEl.textContent = text;
    }
    root.classList.toggle("is-offline", text !== "");
  }

  function renderClock(ms) {
    if (timeEl) {
      timeEl.textContent = clockText(ms);
    }
    if (dateEl) {
      dateEl.textContent = dateText(ms, attr("date-format", "{y}-{m}-{d}"));
    }
  }

  function render() {
    var ms = now();
    renderClock(ms);
    if (data.notices) {
      renderNotices(ms);
    }
    renderEvents(ms);
    renderStatus();
  }

  // rotate moves to the next active notice.
  function rotate() {
    var list = activeNotices(now());
    if (list.length > 1) {
      var idx = 0;
      for (var i = 0; i < list.length; i++) {
        if (list[i].url === current) {
          idx = (i + 1) % list.length;
        }
      }
      current = list[idx].url;
    }
    render();
  }

  // The rotation pauses while a pointer rests on the notice, so that a
  // reader with a mouse can finish it.
  var paused = false;
  slot.addEventListener("mouseenter", function () {
    paused = true;
  });
  slot.addEventListener("mouseleave", function () {
    paused = false;
  });

  // tick runs four times a second. The intervals are read from the
  // attributes each time, so that a change (a test's, or a site's script)
  // applies at once. They are measured on the device's own clock, which
  // ?now only shifts.
  var lastTurn = Date.now();
  var lastFetch = Date.now();
  function tick() {
    var t = Date.now();
    if (t - lastFetch >= numAttr("refresh-ms", 60000, 1000)) {
      lastFetch = t;
      refresh();
    }
    if (paused) {
      lastTurn = t;
    } else if (t - lastTurn >= numAttr("rotate-ms", 10000, 500)) {
      lastTurn = t;
      rotate();
      return;
    }
    render();
  }

  // A new screen size starts the layout afresh.
  window.addEventListener("resize", function () {
    shownKeys = "";
    shownEvents = "";
    render();
  });

  loadStored();
  render();
  refresh();
  // The clock, the rotation, fetching, and notices and events that have
  // just ended.
  window.setInterval(tick, 250);
})();
