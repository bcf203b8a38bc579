package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
)

// screen is what the lobby display shows at one moment.
type screen struct {
	Title, Labels, Count, Time, Date, Status string
	Events                                   []string
	OverflowX, OverflowY                     float64 // px beyond the viewport
	ChromeShown                              []string
	SmallFont                                string // the first visible text smaller than minDisplayFont
}

// minDisplayFont is the smallest text the display may show, in px on a
// 1920×1080 screen: 40 px type is about 2.2 cm tall on a 50-inch TV, which
// reads from 3 m.
const minDisplayFont = 40

func (tb *tab) screen() screen {
	tb.t.Helper()
	return eval[screen](tb, fmt.Sprintf(`(() => {
  const q = s => document.querySelector(s), txt = s => (q(s) ? q(s).textContent.trim() : "");
  const de = document.documentElement;
  let small = "";
  for (const el of document.querySelectorAll(".display *")) {
    const r = el.getBoundingClientRect();
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === "hidden") continue;
    const fs = parseFloat(getComputedStyle(el).fontSize);
    if (fs < %d) { small = el.className + " " + fs + "px: " + el.textContent.trim().slice(0, 30); break; }
  }
  return {
    Title: txt("[data-notice-slot] .display-notice-title"),
    Labels: [...document.querySelectorAll("[data-notice-slot] .label")].map(l => l.textContent.trim()).join(" "),
    Count: txt("[data-notice-slot] .display-count"),
    Time: txt("[data-clock-time]"), Date: txt("[data-clock-date]"), Status: txt("[data-display-status]"),
    Events: [...document.querySelectorAll("[data-event-list] .display-event:not([hidden]) .display-event-title")].map(e => e.textContent.trim()),
    OverflowX: Math.max(de.scrollWidth, document.body.scrollWidth) - innerWidth,
    OverflowY: Math.max(de.scrollHeight, document.body.scrollHeight) - innerHeight,
    ChromeShown: [".site-header", ".site-footer", ".banner", ".skip-link"].filter(s => q(s) && getComputedStyle(q(s)).display !== "none"),
    SmallFont: small,
  };
})()`, minDisplayFont))
}

// displayLoaded waits until the display has fetched the content API (it
// keeps the answer in localStorage).
func (tb *tab) displayLoaded() {
	tb.t.Helper()
	tb.waitFor("the display to fetch notices and events", `localStorage.getItem("lobby.display.v1") && document.querySelector("[data-notice-slot] .display-count")`)
}

// activeNoticeTitles are the titles of the notices active at siteNow.
func (tb *tab) activeNoticeTitles() []string {
	tb.t.Helper()
	raw := eval[string](tb, `fetch("/api/v1/notices.json").then(r => r.text())`)
	var doc struct {
		Pages []struct {
			Title  string
			Active bool
		}
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		tb.t.Fatal(err)
	}
	var titles []string
	for _, p := range doc.Pages {
		if p.Active {
			titles = append(titles, p.Title)
		}
	}
	return titles
}

// watchRotation records the titles the display shows, polling until it
// has seen want distinct ones or the deadline passes; it fails the test
// if a title in never shows.
func (tb *tab) watchRotation(want int, never string, d time.Duration) []string {
	tb.t.Helper()
	var seen []string
	deadline := time.Now().Add(d)
	for len(seen) < want && time.Now().Before(deadline) {
		title := eval[string](tb, `(() => { const t = document.querySelector("[data-notice-slot] .display-notice-title"); return t ? t.textContent.trim() : ""; })()`)
		if never != "" && strings.Contains(title, never) {
			tb.t.Fatalf("the display shows %q after it expired", title)
		}
		if title != "" && !slices.Contains(seen, title) {
			seen = append(seen, title)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return seen
}

// the lobby display fills a 1920×1080
// screen without scrolling and without the site's chrome, in type that
// reads from 3 m; it starts with the urgent notice, lists the next events
// and the time, and rotates through every active notice.
func TestDisplayRotatesActiveNoticesUrgentFirst(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, tv)
	tb.open("/display/")
	tb.displayLoaded()
	tb.shot("display")

	s := tb.screen()
	if !strings.Contains(s.Title, "停水") || !strings.Contains(s.Labels, "紧急") {
		t.Errorf("the display starts with %q (labels %q), want the urgent water shut-off, labelled 紧急", s.Title, s.Labels)
	}
	if s.OverflowX > 0 || s.OverflowY > 0 {
		t.Errorf("the display overflows the screen by %.0f×%.0f px", s.OverflowX, s.OverflowY)
	}
	if len(s.ChromeShown) > 0 {
		t.Errorf("the display shows the site's %v", s.ChromeShown)
	}
	if s.SmallFont != "" {
		t.Errorf("text smaller than %d px on the display: %s", minDisplayFont, s.SmallFont)
	}
	if s.Time != "10:00" || s.Date != "2026年11月27日 周五" {
		t.Errorf("clock shows %q %q, want 10:00 2026年11月27日 周五", s.Time, s.Date)
	}
	if len(s.Events) == 0 || !strings.Contains(s.Events[0], "冬至包饺子") {
		t.Errorf("events listed: %q, want the winter-solstice dumplings first", s.Events)
	}
	active := tb.activeNoticeTitles()
	if want := fmt.Sprintf("共 %d 条", len(active)); !strings.Contains(s.Count, want) {
		t.Errorf("notice counter reads %q, want %q", s.Count, want)
	}

	eval[string](tb, `document.querySelector("[data-display]").dataset.rotateMs = "500"`)
	seen := tb.watchRotation(len(active), "", 30*time.Second)
	slices.Sort(seen)
	slices.Sort(active)
	if !slices.Equal(seen, active) {
		t.Errorf("the display showed %q\nwant every active notice %q", seen, active)
	}
}

// a notice leaves the display the moment
// its expiry passes on the display's clock, though the build still calls
// it active. ?now= starts the clock five seconds before the water
// shut-off expires (2026-12-05 00:00 +08:00).
func TestDisplayHidesNoticeWhenItExpires(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, tv)
	tb.open("/display/?now=2026-12-04T23:59:55+08:00")
	tb.displayLoaded()
	eval[string](tb, `document.querySelector("[data-display]").dataset.rotateMs = "600000"`)
	active := tb.activeNoticeTitles()

	before := tb.screen()
	if !strings.Contains(before.Title, "停水") || before.Date != "2026年12月4日 周五" || !strings.HasPrefix(before.Time, "23:59") {
		t.Fatalf("at 23:59:55 the display shows %q at %s %s, want the water shut-off on 4 December", before.Title, before.Date, before.Time)
	}
	tb.waitFor("the water shut-off to leave the display at midnight", `!document.querySelector("[data-notice-slot]").textContent.includes("停水")`)
	after := tb.screen()
	if after.Time != "00:00" || after.Date != "2026年12月5日 周六" {
		t.Errorf("the notice left at %s %s, want 00:00 on 5 December", after.Date, after.Time)
	}
	if want := fmt.Sprintf("共 %d 条", len(active)-1); !strings.Contains(after.Count, want) {
		t.Errorf("after the expiry the counter reads %q, want %q", after.Count, want)
	}

	eval[string](tb, `document.querySelector("[data-display]").dataset.rotateMs = "500"`)
	if seen := tb.watchRotation(len(active)-1, "停水", 30*time.Second); len(seen) != len(active)-1 {
		t.Errorf("after the expiry the display rotated through %d notices, want %d", len(seen), len(active)-1)
	}
}

// when the network fails the display keeps showing the last good
// notices and events and says since when; after a reload with the network
// still down it shows them from localStorage.
func TestDisplayKeepsLastGoodDataWhenFetchFails(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, tv)
	tb.open("/display/")
	tb.displayLoaded()
	good := tb.screen()

	tb.intercept("*/api/v1/*", func(*fetch.EventRequestPaused) (int, string, string, bool) {
		return 0, "", "", true
	})
	eval[string](tb, `document.querySelector("[data-display]").dataset.refreshMs = "1000"`)
	tb.waitFor("the display to say the network is down", `document.querySelector("[data-display-status]").textContent.includes("网络暂时中断")`)
	down := tb.screen()
	if down.Title == "" || down.Count != good.Count || !slices.Equal(down.Events, good.Events) {
		t.Errorf("with the network down the display shows %q %q %q, want the last good %q %q %q",
			down.Title, down.Count, down.Events, good.Title, good.Count, good.Events)
	}

	tb.open("/display/")
	tb.waitFor("the display, reloaded offline, to say the network is down", `document.querySelector("[data-display-status]").textContent.includes("网络暂时中断")`)
	again := tb.screen()
	if again.Count != good.Count || !slices.Equal(again.Events, good.Events) || !strings.Contains(again.Title, "停水") {
		t.Errorf("reloaded offline, the display shows %q %q %q, want the stored %q %q %q",
			again.Title, again.Count, again.Events, good.Title, good.Count, good.Events)
	}
}
