package e2e

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeSource reads axe-core's script: $LOBBY_AXE, else node_modules/ at the
// repository's root, which `npm ci` fills.
func axeSource(t testing.TB) string {
	t.Helper()
	path := os.Getenv("LOBBY_AXE")
	if path == "" {
		path = h.repoFile(t, "node_modules/axe-core/axe.min.js")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		skipOrFail(t, "axe-core is not installed ("+path+"): run npm ci at the repository's root")
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeViolation is one WCAG rule axe-core found broken, with where.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

func (v axeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s\n\t\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t\t"))
}

// axe runs axe-core on the open page with the WCAG 2.1 A and AA rules and
// returns what it found.
func (tb *tab) axe(src string) []axeViolation {
	tb.t.Helper()
	if !eval[bool](tb, `typeof window.axe === "object"`) {
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			tb.t.Fatalf("%s: load axe-core: %v", tb.where(), err)
		}
	}
	return eval[[]axeViolation](tb, `axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  resultTypes: ["violations"],
}).then(r => r.violations.map(v => ({
  ID: v.id, Impact: v.impact || "", Help: v.help,
  Nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " ")),
})))`)
}

// newCase sends a repair request over plain HTTP, as a form post without
// a browser, and returns its reference.
func newCase(t *testing.T, srv *lobbyServer) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(srv.URL+"/api/v1/feedback", url.Values{
		"category": {"repair"}, "message": {"走廊灯坏了。"}, "consent": {"true"},
	})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusSeeOther || loc.Query().Get("ref") == "" {
		t.Fatalf("POST /api/v1/feedback = %d, Location %q: want 303 to the thank-you page", res.StatusCode, res.Header.Get("Location"))
	}
	return loc.Query().Get("ref")
}

// every kind of page of the demo site, the staff pages, and the
// states a resident brings pages into (a form with errors, search results
// under the box, the largest text), meets WCAG 2.1 AA as far as axe-core can tell, on a
// phone and on a laptop.
func TestEveryPageTypeHasNoWCAGViolations(t *testing.T) {
	srv := h.demoServer(t)
	src := axeSource(t)
	ref := newCase(t, srv)
	pages := []string{
		"/", "/about/",
		"/notices/", "/notices/water-shutoff/", "/notices/typhoon/", "/notices/archive/", "/notices/water-shutoff/poster/",
		"/events/", "/events/winter-solstice-dumplings/", "/events/fire-safety-day/",
		"/newsletters/", "/newsletters/issue-4/",
		"/fees/", "/fees/2026-q3/",
		"/handbook/", "/handbook/repairs/", "/handbook/safety/fire/", "/handbook/print/",
		"/tags/", "/tags/" + url.PathEscape("停水") + "/",
		"/no-such-page/",
		"/feedback/", "/feedback/thanks/?ref=" + ref, "/feedback/status?ref=" + ref, "/feedback/status", "/feedback/status?ref=NOSUCHREF",
		"/search?q=" + url.QueryEscape("停水"), "/search?q=" + url.QueryEscape("火星基地"),
		"/display/",
	}
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := h.newTab(t, srv, vp)
			check := func(what string) {
				t.Helper()
				if vs := tb.axe(src); len(vs) > 0 {
					var b strings.Builder
					for _, v := range vs {
						b.WriteString("\n\t" + v.String())
					}
					t.Errorf("%s: %d WCAG 2.1 AA violations:%s", what, len(vs), b.String())
				}
			}
			for _, p := range pages {
				tb.open(p)
				check(p)
			}

			// The staff pages: the login form, and once logged in the
			// list of cases and one case with its history.
			tb.open("/staff/")
			check("the staff login")
			tb.staffLogin("无障碍检查")
			if tb.count(`a[href="/staff/cases/`+ref+`"]`) != 1 {
				t.Fatalf("the staff list has no case %s; it says:\n%s", ref, tb.bodyText())
			}
			check("the staff list of cases")
			tb.open("/staff/?status=all&order=newest&category=repair&unit=3-")
			check("the staff list with its filters open")
			tb.open("/staff/cases/" + ref)
			check("a staff case")
			// A resolved case: the phone follow-up form, and the
			// resident's question on the status page.
			resolved := newCase(t, srv)
			tb.open("/staff/cases/" + resolved)
			tb.setStatus(resolved, "resolved", "已修好")
			check("a resolved staff case with the follow-up form")
			tb.open("/feedback/status?ref=" + resolved)
			if tb.count("form.verdict-form") != 1 {
				t.Fatalf("the status page of a resolved case does not ask; it says:\n%s", tb.bodyText())
			}
			check("the status page asking for the resident's verdict")

			// The browser's own checks would stop an empty form: post it
			// the way a browser without them does.
			tb.open("/feedback/")
			eval[bool](tb, `(f => { f.noValidate = true; return true; })(document.querySelector("form[data-feedback]"))`)
			tb.clickAndWaitLoad("form[data-feedback] button[type=submit]")
			if tb.count(".error-summary") == 0 {
				t.Fatalf("posting an empty form showed no errors; the page says:\n%s", tb.bodyText())
			}
			check("the feedback form with errors")

			tb.open("/notices/")
			tb.typeInto("#site-q", "停水")
			tb.waitFor("results under the search box", `document.querySelector(".search-suggest:not([hidden]) .suggest-list a")`)
			check("search results under the header's box")

			tb.click(`[data-textsize] button[data-size="xlarge"]`)
			tb.open("/")
			check("the home page with the largest text")
		})
	}
}

// focusStep is where one press of Tab put the focus.
type focusStep struct {
	Index   int    // the element's place among the page's focusable controls; -1 for none
	What    string // how messages name it
	Visible bool   // its focus style differs from its unfocused style
}

// Tab reaches every control of the home page in turn, and each
// shows that it has the focus: an outline, a shadow, a background or an
// underline that it does not have unfocused (on itself or on the card
// around it).
func TestKeyboardReachesEveryHomeControlWithVisibleFocus(t *testing.T) {
	srv := h.demoServer(t)
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := h.newTab(t, srv, vp)
			tb.open("/")
			n := eval[int](tb, `(() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]';
  const focusable = [...document.querySelectorAll(sel)].filter(el =>
    el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden" && !el.closest("[hidden], [inert]"));
  const look = el => {
    const out = [];
    for (let e = el, i = 0; e && i < 3; e = e.parentElement, i++) {
      const s = getComputedStyle(e);
      out.push([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine, s.borderColor].join("|"));
    }
    return out.join(" / ");
  };
  window.e2eLook = look;
  window.e2eFocusable = focusable;
  window.e2eUnfocused = focusable.map(look);
  return focusable.length;
})()`)
			if n < 10 {
				t.Fatalf("only %d focusable controls on the home page", n)
			}
			reached := map[int]bool{}
			for i := 0; i < n+3 && len(reached) < n; i++ {
				tb.do(chromedp.KeyEvent(kb.Tab))
				st := eval[focusStep](tb, `(() => {
  const el = document.activeElement, i = window.e2eFocusable.indexOf(el);
  if (i < 0) return {Index: -1, What: el ? el.tagName : "", Visible: false};
  const name = (el.getAttribute("aria-label") || el.textContent || el.value || el.name || "").trim().replace(/\s+/g, " ").slice(0, 40);
  return {Index: i, What: el.tagName.toLowerCase() + (el.className ? "." + el.className.split(" ")[0] : "") + " " + JSON.stringify(name),
    Visible: window.e2eLook(el) !== window.e2eUnfocused[i]};
})()`)
				if st.Index < 0 {
					t.Errorf("Tab %d put the focus on %q, which is not one of the page's controls", i+1, st.What)
					continue
				}
				if reached[st.Index] {
					break // round again
				}
				reached[st.Index] = true
				if !st.Visible {
					t.Errorf("Tab %d: %s has the focus but looks as it does without it", i+1, st.What)
				}
			}
			if len(reached) != n {
				missed := eval[[]string](tb, fmt.Sprintf(`window.e2eFocusable.filter((el, i) => !%s.includes(i)).map(el => el.outerHTML.slice(0, 80))`, jsIndexes(reached)))
				t.Errorf("Tab reached %d of %d controls; never: %q", len(reached), n, missed)
			}
		})
	}
}

// jsIndexes writes the keys of set as a JavaScript array.
func jsIndexes(set map[int]bool) string {
	var parts []string
	for i := range set {
		parts = append(parts, fmt.Sprint(i))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// body text is at least 18 px on a 375-pixel-wide phone.
func TestBaseFontIsAtLeast18pxOnAPhone(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, phone)
	for _, p := range []string{"/", "/notices/water-shutoff/", "/handbook/safety/fire/", "/feedback/", "/search?q=" + url.QueryEscape("停水")} {
		tb.open(p)
		if got := tb.fontSizes(); got.Body < 18 || got.HTML < 18 {
			t.Errorf("%s: html %gpx, body %gpx: want at least 18px", p, got.HTML, got.Body)
		}
		if got := eval[float64](tb, `parseFloat(getComputedStyle(document.querySelector("main .content p, main .lead") || document.body).fontSize)`); got < 18 {
			t.Errorf("%s: the first paragraph of the text is %gpx, want at least 18px", p, got)
		}
	}
}

// urgency is said in words, not only in red: every urgent or
// important notice, in lists, on its page, in the banner and on the lobby
// display, carries a visible label with its urgency's name.
func TestUrgencyHasAVisibleTextLabel(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, phone)
	for _, p := range []string{"/", "/notices/", "/notices/water-shutoff/", "/notices/owners-assembly/", "/display/"} {
		tb.open(p)
		if p == "/display/" {
			tb.displayLoaded()
		}
		missing := eval[[]string](tb, `(() => {
  const want = {urgent: "紧急", important: "重要"}, bad = [];
  const visible = el => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden" && el.getBoundingClientRect().width > 2;
  for (const [level, word] of Object.entries(want)) {
    for (const el of document.querySelectorAll(".notice-" + level + ", .banner li")) {
      if (!visible(el)) continue;
      const lvl = el.matches(".banner li") ? "urgent" : level;
      const label = el.querySelector(".label-" + lvl + ", .label-" + lvl + "-inverse");
      if (!visible(label) || label.textContent.trim() !== want[lvl]) bad.push(el.tagName + "." + el.className + ": " + el.textContent.trim().slice(0, 30));
    }
  }
  return bad;
})()`)
		if len(missing) > 0 {
			t.Errorf("%s: urgent or important without a visible 紧急/重要 label: %q", p, missing)
		}
		if n := tb.count(".label-urgent, .label-urgent-inverse"); n == 0 {
			t.Errorf("%s: no 紧急 label at all, but the water shut-off is urgent", p)
		}
	}
}

// The accessibility check itself: axe-core runs in the page and reports a
// broken rule, here an image without a text alternative.
func TestAxeReportsAnImageWithoutAlt(t *testing.T) {
	srv := h.demoServer(t)
	src := axeSource(t)
	tb := h.newTab(t, srv, phone)
	tb.open("/about/")
	eval[bool](tb, `(() => { const i = document.createElement("img"); i.src = "/assets/none.png"; document.querySelector("main").appendChild(i); return true; })()`)
	vs := tb.axe(src)
	if len(vs) != 1 || vs[0].ID != "image-alt" {
		t.Errorf("axe found %v, want image-alt only", vs)
	}
}
