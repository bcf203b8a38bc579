package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

// caseworkServer starts a server of its own on the demo site, whose
// service targets give repairs 4 hours and complaints 24 hours to
// respond, with two cases already in its store: a repair sent ten hours
// ago, past its target on the server's clock, and a complaint sent an
// hour ago, within its target. It returns the server and the two
// references.
func caseworkServer(t *testing.T) (srv *lobbyServer, late, fresh string) {
	t.Helper()
	needBrowser(t)
	bin := h.binary(t)
	dir := h.copySite(t)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, ".lobby", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range []feedback.Submission{
		{Category: feedback.CategoryRepair, Unit: "3-1201", Name: "王阿姨", Contact: "139 0000 0000", Message: "卫生间下水道堵了，水漫到客厅，家里有老人，请尽快来人。", Consent: true},
		{Category: feedback.CategoryComplaint, Unit: "5-302", Message: "楼上装修太吵。", Consent: true},
	} {
		at := time.Now().Add(-10 * time.Hour)
		if i == 1 {
			at = time.Now().Add(-time.Hour)
		}
		c, _, err := db.Create(context.Background(), feedback.NewCase(s, at))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			late = c.Ref
		} else {
			fresh = c.Ref
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	srv, err = startServer(bin, dir, []string{"LOBBY_STAFF_TOKEN=" + h.staffTokenOrNew()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.stop(); err != nil {
			t.Errorf("stop the server: %v", err)
		}
	})
	return srv, late, fresh
}

// staffTokenOrNew returns the staff token of every server the tests
// start, made the first time one is needed.
func (h *harness) staffTokenOrNew() string {
	h.tokenOnce.Do(func() {
		b := make([]byte, 16)
		rand.Read(b)
		h.staffToken = "e2e-" + hex.EncodeToString(b)
	})
	return h.staffToken
}

// layout is what a staff page looks like at one size.
type layout struct {
	Overflow   float64 // px the page is wider than the screen
	FontSize   float64 // px of the body text
	SmallTaps  []string
	FirstRow   string // the first case listed
	FirstMark  string // its overdue mark
	MarkedRows int
}

const measure = `(() => {
  const r = {Overflow: document.documentElement.scrollWidth - window.innerWidth,
    FontSize: parseFloat(getComputedStyle(document.body).fontSize), SmallTaps: []};
  for (const el of document.querySelectorAll("main a, main button, main select, main input:not([type=hidden]), main textarea, main summary")) {
    const b = el.getBoundingClientRect();
    if (b.width > 0 && b.height < 24) r.SmallTaps.push(el.tagName + " " + (el.textContent || el.name || "").trim().slice(0, 30) + " " + b.height);
  }
  const first = document.querySelector(".case-row");
  r.FirstRow = first ? first.querySelector(".case-ref").textContent.trim() : "";
  const mark = first && first.querySelector(".overdue-mark");
  r.FirstMark = mark ? mark.textContent.trim() : "";
  r.MarkedRows = document.querySelectorAll(".case-row .overdue-mark").length;
  return r;
})()`

// The inbox and a case page at phone and laptop size: the overdue repair
// comes first and is marked in words, nothing is wider than the screen,
// the type is large, and every control is big enough to tap; a filter
// narrows the list, and staff respond from the case page.
func TestStaffInboxAndCaseAtPhoneAndDesktopSize(t *testing.T) {
	srv, late, fresh := caseworkServer(t)
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := h.newTab(t, srv, vp)
			tb.staffLogin("前台小张")
			tb.shot("staff-inbox-" + vp.name)
			got := eval[layout](tb, measure)
			if got.FirstRow != late || got.FirstMark != "超时" || got.MarkedRows != 1 {
				t.Errorf("inbox: first %s marked %q, %d marked; want %s first, marked 超时, alone", got.FirstRow, got.FirstMark, got.MarkedRows, late)
			}
			if got.Overflow > 1 || got.FontSize < 18 || len(got.SmallTaps) > 0 {
				t.Errorf("inbox layout: %+v", got)
			}
			if tb.count(`a[href="/staff/cases/`+fresh+`"]`) != 1 {
				t.Errorf("the complaint is not listed")
			}
			// Filters: only complaints.
			tb.click(".staff-filters summary")
			tb.do(chromedp.SetValue(chromedp.CSS("#f-category"), "complaint"))
			tb.clickAndWaitLoad(".staff-filters button[type=submit]")
			if tb.count(`a[href="/staff/cases/`+fresh+`"]`) != 1 || tb.count(`a[href="/staff/cases/`+late+`"]`) != 0 {
				t.Errorf("category filter: the page says:\n%s", tb.bodyText())
			}
			if href := eval[string](tb, `document.querySelector(".staff-export a").getAttribute("href")`); !strings.Contains(href, "category=complaint") {
				t.Errorf("the export link %q does not carry the filter", href)
			}

			tb.open("/staff/cases/" + late)
			tb.shot("staff-case-" + vp.name)
			got = eval[layout](tb, measure)
			if got.Overflow > 1 || got.FontSize < 18 || len(got.SmallTaps) > 0 {
				t.Errorf("case page layout: %+v", got)
			}
			body := tb.bodyText()
			for _, want := range []string{"超过响应时限", "王阿姨", "139 0000 0000", "卫生间下水道堵了", "应响应时间"} {
				if !strings.Contains(body, want) {
					t.Errorf("the case page lacks %q", want)
				}
			}
		})
	}
	// Responding takes the case out of the overdue list (its resolution
	// target is still ahead).
	tb := h.newTab(t, srv, phone)
	tb.staffLogin("李师傅")
	tb.open("/staff/cases/" + late)
	tb.setStatus(late, "in_progress", "已上门疏通")
	tb.open("/staff/")
	if n := tb.count(".overdue-mark"); n != 0 {
		t.Errorf("%d cases marked overdue after the response, want 0", n)
	}
	if n := tb.count(".staff-overdue"); n != 0 {
		t.Errorf("the overdue section is still shown")
	}
}

// tabTo presses Tab until the focus is on an element that matches sel,
// and fails after max presses.
func (tb *tab) tabTo(sel string, max int) {
	tb.t.Helper()
	for range max {
		tb.do(chromedp.KeyEvent(kb.Tab))
		if eval[bool](tb, `document.activeElement && document.activeElement.matches(`+jsString(sel)+`)`) {
			return
		}
	}
	tb.t.Fatalf("%d presses of Tab did not reach %s; the focus is on %s", max, sel, eval[string](tb, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ""`))
}

// A staff member who uses only the keyboard logs in, opens the overdue
// case from the inbox and moves it on with a note: every step is reached
// with Tab and done with Enter, the arrow keys and typing.
func TestStaffWorkspaceByKeyboard(t *testing.T) {
	srv, late, _ := caseworkServer(t)
	tb := h.newTab(t, srv, desktop)
	tb.open("/staff/")
	tb.tabTo("#token", 40)
	tb.do(chromedp.KeyEvent(h.staffTokenOrNew()))
	tb.tabTo("#staff-name", 3)
	tb.do(chromedp.KeyEvent("键盘用户"))
	tb.do(chromedp.KeyEvent(kb.Enter))
	tb.waitFor("the inbox", `document.querySelector(".staff-bar") !== null`)

	tb.tabTo(`a.case-ref[href="/staff/cases/`+late+`"]`, 60)
	tb.do(chromedp.KeyEvent(kb.Enter))
	tb.waitFor("the case page", `location.pathname === "/staff/cases/`+late+`" && document.readyState === "complete"`)

	tb.tabTo("#a-status", 80)
	tb.do(chromedp.KeyEvent(kb.ArrowDown)) // received → in progress
	tb.tabTo("#a-status-note", 3)
	tb.do(chromedp.KeyEvent("已电话联系"))
	tb.tabTo(`form.staff-action:has(#a-status) button[type=submit]`, 3)
	tb.do(chromedp.KeyEvent(kb.Enter))
	tb.waitFor("the saved case", `document.readyState === "complete" && [...document.querySelectorAll(".case-note")].some(n => n.textContent.includes("已电话联系"))`)
	if st := tb.text(".case-facts .case-status"); st != "处理中" {
		t.Errorf("after the keyboard change the status is %q, want 处理中", st)
	}
}
