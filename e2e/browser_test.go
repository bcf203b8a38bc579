package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The viewports the journeys run at: a phone held upright and a laptop.
var (
	phone   = viewport{"phone", 375, 812}
	desktop = viewport{"desktop", 1280, 800}
	tv      = viewport{"tv", 1920, 1080}
)

// viewport is a screen size in CSS pixels.
type viewport struct {
	name          string
	width, height int64
}

// tabTimeout bounds everything one tab does; waitTimeout one wait for the
// page to reach a state.
const (
	tabTimeout  = 5 * time.Minute
	waitTimeout = 20 * time.Second
)

// browser is one Chromium for the whole run; each tab has a browser
// context of its own, so cookies and localStorage do not leak between
// tests.
type browser struct {
	ctx    context.Context // holds the browser
	cancel []context.CancelFunc
}

func (b *browser) close() {
	chromedp.Cancel(b.ctx) // closes the browser and waits for it
	for i := len(b.cancel) - 1; i >= 0; i-- {
		b.cancel[i]()
	}
}

// startBrowser starts Chromium headless with the flags that keep it off the
// network (the machine has none) and a fresh profile.
func (h *harness) startBrowser(t testing.TB) *browser {
	t.Helper()
	needBrowser(t)
	tmp := h.tempDir(t)
	h.browserOnce.Do(func() {
		exe, _ := chromiumPath()
		profile, err := os.MkdirTemp(tmp, "chromium-profile-")
		if err != nil {
			h.browserErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe),
			chromedp.Headless,
			chromedp.NoSandbox, // root in CI
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.UserDataDir(profile),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("lang", "zh-CN"),
			chromedp.WindowSize(int(desktop.width), int(desktop.height)),
		)
		b := &browser{}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		b.cancel = append(b.cancel, acancel)
		bctx, bcancel := chromedp.NewContext(actx)
		b.cancel = append(b.cancel, bcancel)
		b.ctx = bctx
		// The first Do starts the browser and must have no deadline (it
		// binds the browser's life to its context); a watchdog bounds it.
		started := make(chan error, 1)
		go func() { started <- chromedp.Do(bctx) }()
		select {
		case err = <-started:
		case <-time.After(60 * time.Second):
			err = errors.New("Chromium did not start within 60s")
		}
		if err != nil {
			b.close()
			h.browserErr = fmt.Errorf("start %s: %w", exe, err)
			return
		}
		h.browser = b
	})
	if h.browserErr != nil {
		t.Fatal(h.browserErr)
	}
	return h.browser
}

// tab is one browser tab of a test, at one server.
type tab struct {
	t    testing.TB
	ctx  context.Context
	base string // the server's URL
	vp   viewport
}

// newTab opens a tab in a new browser context at the size of vp, whose
// clock reads siteNow when each page loads, for pages of srv.
func (h *harness) newTab(t testing.TB, srv *lobbyServer, vp viewport) *tab {
	t.Helper()
	b := h.startBrowser(t)
	tctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// As with the browser, the first Do opens the tab and has no deadline.
	if err := chromedp.Do(tctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tctx, tabTimeout)
	t.Cleanup(cancelTimeout)
	tb := &tab{t: t, ctx: ctx, base: srv.URL, vp: vp}
	now, err := time.Parse(time.RFC3339, siteNow)
	if err != nil {
		t.Fatal(err)
	}
	_, err = chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: fmt.Sprintf(fakeClock, now.UnixMilli()),
	})
	if err != nil {
		t.Fatalf("install the clock: %v", err)
	}
	tb.resize(vp)
	return tb
}

// fakeClock makes Date read the given Unix milliseconds when a document
// starts, and run on from there: the server builds the site at siteNow,
// and lobby.js hides notices whose expiry has passed on the browser's
// clock, so without it the tests would start failing on 5 December 2026.
const fakeClock = `(() => {
  const Real = Date, shift = %d - Real.now();
  const now = () => Real.now() + shift;
  globalThis.Date = new Proxy(Real, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length ? args : [now()], newTarget);
    },
    apply() { return new Real(now()).toString(); },
    get(target, key, receiver) { return key === "now" ? now : Reflect.get(target, key, receiver); },
  });
})();`

// resize sets the tab's viewport; a phone is emulated as a mobile device.
func (tb *tab) resize(vp viewport) {
	tb.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if vp.width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	tb.do(chromedp.EmulateViewport(vp.width, vp.height, opts...))
	tb.vp = vp
}

// do runs actions and fails the test on an error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", tb.where(), err)
	}
}

// open loads path (or an absolute URL) and waits for its load event.
func (tb *tab) open(path string) {
	tb.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = tb.base + path
	}
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(u)); err != nil {
		tb.t.Fatalf("open %s: %v", u, err)
	}
}

// disableScript turns JavaScript off in the tab, for pages loaded after.
func (tb *tab) disableScript() {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		tb.t.Fatalf("disable JavaScript: %v", err)
	}
}

// media emulates a CSS media type ("print"; "" for the default).
func (tb *tab) media(m string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
		tb.t.Fatalf("emulate media %q: %v", m, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its
// value into T. It works with the page's scripts disabled too.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: evaluate %s: %v", tb.where(), abbrev(js), err)
	}
	return v
}

// waitFor polls the JavaScript condition js until it is true, and fails
// the test after waitTimeout with what, the page's URL and its text.
func (tb *tab) waitFor(what, js string) {
	tb.t.Helper()
	tb.waitForWithin(waitTimeout, what, js)
}

func (tb *tab) waitForWithin(d time.Duration, what, js string) {
	tb.t.Helper()
	if !waitUntil(tb, d, js) {
		tb.t.Fatalf("%s: waited %v for %s; the page says:\n%s", tb.where(), d, what, tb.bodyText())
	}
}

// waitUntil polls the JavaScript condition js for up to d and reports
// whether it became true. Errors (a page still loading) count as false.
func waitUntil(tb *tab, d time.Duration, js string) bool {
	deadline := time.Now().Add(d)
	expr := "!!(" + js + ")"
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return true
		}
		if time.Now().After(deadline) || tb.ctx.Err() != nil {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// where names the tab's page for messages.
func (tb *tab) where() string {
	u, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		u = "(no page)"
	}
	return fmt.Sprintf("[%s %dx%d] %s", tb.vp.name, tb.vp.width, tb.vp.height, strings.TrimPrefix(u, tb.base))
}

// bodyText is the start of the page's visible text.
func (tb *tab) bodyText() string {
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return abbrev(s)
}

// location is the page's URL without the server's address.
func (tb *tab) location() string {
	tb.t.Helper()
	u, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return strings.TrimPrefix(u, tb.base)
}

// box is an element's border box in CSS pixels, relative to the viewport.
type box struct {
	Found                    bool
	Top, Bottom, Left, Right float64
	Visible                  bool // rendered with a size, not display:none or visibility:hidden
}

// rect returns the box of the first element matching the CSS selector sel.
func (tb *tab) rect(sel string) box {
	tb.t.Helper()
	return eval[box](tb, fmt.Sprintf(`(() => {
  const el = document.querySelector(%s);
  if (!el) return {Found: false};
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {Found: true, Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right,
    Visible: r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"};
})()`, strconv.Quote(sel)))
}

// text returns the trimmed textContent of the first match of sel, or "".
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(() => { const el = document.querySelector(%s); return el ? el.textContent.trim() : ""; })()`, strconv.Quote(sel)))
}

// count returns the number of elements matching sel.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return eval[int](tb, fmt.Sprintf(`document.querySelectorAll(%s).length`, strconv.Quote(sel)))
}

// click clicks the first element matching sel, as a person would, with
// the mouse at its centre.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// typeInto focuses the element matching sel and types s, key by key.
func (tb *tab) typeInto(sel, s string) {
	tb.t.Helper()
	tb.do(chromedp.Focus(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), s, chromedp.NodeVisible))
}

// clickAndWaitLoad clicks sel and waits for the page it leads to.
func (tb *tab) clickAndWaitLoad(sel string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))); err != nil {
		tb.t.Fatalf("%s: click %s and wait for the next page: %v", tb.where(), sel, err)
	}
}

// interceptor answers the tab's requests whose URL matches a pattern.
type interceptor func(req *fetch.EventRequestPaused) (status int, contentType, body string, fail bool)

// intercept routes the tab's requests matching the URL pattern (with *
// wildcards) to answer: a status and body to fulfil, or fail to make the
// request fail as a network error would. It lasts as long as the tab.
func (tb *tab) intercept(pattern string, answer interceptor) {
	tb.t.Helper()
	events := chromedp.Events(tb.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}}); err != nil {
		tb.t.Fatalf("intercept %s: %v", pattern, err)
	}
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			status, ct, body, fail := answer(&ev)
			if fail {
				chromedp.Call(tb.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
				continue
			}
			chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: int64(status), Body: []byte(body),
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: ct}},
			})
		}
	}()
}

// abbrev shortens s for a message.
func abbrev(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 600 {
		return string(r[:600]) + "…"
	}
	return s
}

// shot saves a screenshot of the viewport as NAME.png in the folder
// LOBBY_E2E_SHOTS names, for a person to look at; without it, nothing.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	dir := os.Getenv("LOBBY_E2E_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
	}
}

// withAndWithoutScript runs f as two subtests, each in a new tab from open:
// one with JavaScript and one with it disabled, since every journey of a
// resident must work both ways.
func withAndWithoutScript(t *testing.T, open func(t *testing.T) *tab, f func(t *testing.T, tb *tab, js bool)) {
	for _, js := range []bool{true, false} {
		name := "with JavaScript"
		if !js {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			tb := open(t)
			if !js {
				tb.disableScript()
			}
			f(t, tb, js)
		})
	}
}
