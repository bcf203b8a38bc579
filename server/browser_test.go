package server

import (
	"context"
	"errors"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// findBrowser returns a Chromium to drive, or "" when there is none:
// $LOBBY_CHROME, then the usual names on PATH.
func findBrowser() string {
	if p := os.Getenv("LOBBY_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// The reload script, in a real browser under the site's CSP: a failed
// build shows its error as text over the page without reloading it; the
// next good build reloads the page at the same scroll position and removes
// the error; the CSP is never violated.
func TestLiveReloadInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	exe := findBrowser()
	if exe == "" {
		t.Skip("no Chromium found (set LOBBY_CHROME)")
	}
	dir := newSite(t)
	writeTree(t, dir, map[string]string{
		"long/index.html": "<!doctype html><html><head><title>long</title></head><body>" +
			strings.Repeat("<p>翠湖花园 3 号楼停水通知。Water is off on Tuesday.</p>\n", 400) + "</body></html>",
	})
	s := New(Config{Dir: dir, Watch: true})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close) // after the browser has gone and closed its streams

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	// The first Run starts the browser and must have no deadline.
	err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
			// Chromium restores the scroll position of a reload by itself;
			// turn that off so the test sees the script's own restoring,
			// which browsers that do not restore it rely on.
			Source: `history.scrollRestoration = "manual";
				window.__csp = []; document.addEventListener("securitypolicyviolation",
				e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
		})
		return err
	}))
	if err != nil {
		t.Skipf("cannot start %s: %v", exe, err)
	}
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/long/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the page's event stream", func() bool {
		s.hub.mu.Lock()
		defer s.hub.mu.Unlock()
		return len(s.hub.subs) > 0
	})
	y, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.scrollTo(0, 1500); window.__marker = "before"; window.scrollY`))
	if err != nil || y < 1000 {
		t.Fatalf("scroll: y=%v err=%v", y, err)
	}

	buildErr := errors.New(`content/notices/water.md:3:9: unknown front matter key "titel" <b>not bold</b>`)
	s.Reloaded(buildErr)
	shown, err := chromedp.Run(ctx, chromedp.Poll[string](`(document.querySelector('[role=alert] pre') || {}).textContent`))
	if err != nil || shown != buildErr.Error() {
		t.Fatalf("overlay text = %q (err %v), want %q", shown, err, buildErr.Error())
	}
	html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[role=alert] pre').innerHTML`))
	if !strings.Contains(html, "&lt;b&gt;") {
		t.Errorf("overlay markup = %q, want the error escaped", html)
	}
	if marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker`)); err != nil || marker != "before" {
		t.Errorf("the page reloaded on a failed build (marker %q, err %v)", marker, err)
	}
	checkCSP(t, ctx)

	s.Reloaded(nil)
	// The reload destroys the page the poll runs in; poll again in the new one.
	for attempt := 0; attempt < 10; attempt++ {
		y, err = chromedp.Run(ctx, chromedp.Poll[float64](
			`window.__marker === undefined && document.readyState === "complete" && window.scrollY`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if err == nil {
			break
		}
	}
	if err != nil || math.Abs(y-1500) > 2 {
		t.Errorf("after the good build: scrollY=%v (err %v), want the page reloaded at 1500", y, err)
	}
	if gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[role=alert]') === null`)); err != nil || !gone {
		t.Errorf("the error overlay is still shown after a good build (err %v)", err)
	}
	checkCSP(t, ctx)
}

// checkCSP fails the test if the page reported a CSP violation.
func checkCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`))
	if err != nil || len(v) > 0 {
		t.Errorf("CSP violations %q (err %v), want none", v, err)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
