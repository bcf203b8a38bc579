package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// staticHost is the demo site published as a static host publishes it: a
// plain file server with the output of lobby build --no-index, whose
// config.toml names a lobby server on another port as its server origin.
type staticHost struct {
	Pages  string // the file server's URL, the site's baseURL without "/"
	Server string // the lobby server's URL, the site's server origin
}

var (
	staticOnce sync.Once
	static     *staticHost
	staticErr  error
)

// baseURLLine is the baseURL's line in config.toml.
var baseURLLine = regexp.MustCompile(`(?m)^baseURL\s*=.*$`)

// staticSite returns the demo site on a static host and its lobby server,
// started once. The lobby server is reached through a proxy on a port
// chosen before the site is built, since the built pages name it; the
// server itself listens on a port the kernel picks.
func (h *harness) staticSite(t *testing.T) *staticHost {
	t.Helper()
	needBrowser(t)
	bin := h.binary(t)
	staticOnce.Do(func() {
		var proxied struct {
			sync.Mutex
			target *url.URL
		}
		proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
			proxied.Lock()
			r.SetURL(proxied.target)
			proxied.Unlock()
			r.Out.Host = r.In.Host // the server's pages are addressed by the proxy's name
		}})
		h.cleanups = append(h.cleanups, proxy.Close)
		var dir, pages string
		if dir, pages, staticErr = h.publishStatic(t, bin, proxy.URL); staticErr != nil {
			return
		}
		srv, err := startServer(bin, dir, nil)
		if err != nil {
			staticErr = err
			return
		}
		h.cleanups = append(h.cleanups, func() { srv.stop() })
		proxied.Lock()
		proxied.target, staticErr = url.Parse(srv.URL)
		proxied.Unlock()
		static = &staticHost{Pages: pages, Server: proxy.URL}
	})
	if staticErr != nil {
		t.Fatal(staticErr)
	}
	return static
}

// publishStatic copies the demo site, builds it with lobby build
// --no-index for a plain file server it starts, naming origin as its
// server origin unless origin is empty, and returns the site's folder and
// the file server's URL.
func (h *harness) publishStatic(t *testing.T, bin, origin string) (dir, pages string, err error) {
	public, err := os.MkdirTemp(h.tempDir(t), "static-public-")
	if err != nil {
		return "", "", err
	}
	files := httptest.NewServer(http.FileServer(http.Dir(public)))
	h.cleanups = append(h.cleanups, files.Close)
	dir = h.copySite(t)
	if err := noRateLimit(dir); err != nil {
		return "", "", err
	}
	cfg := filepath.Join(dir, "config.toml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		return "", "", err
	}
	b = baseURLLine.ReplaceAll(b, []byte(`baseURL = "`+files.URL+`/"`))
	if origin != "" {
		b = append(b, "\n[server]\norigin = \""+origin+"\"\n"...)
	}
	if err := os.WriteFile(cfg, b, 0o644); err != nil {
		return "", "", err
	}
	build := exec.Command(bin, "build", "--source", dir, "--dest", public, "--no-index", "--now", siteNow, "--quiet")
	if out, err := build.CombinedOutput(); err != nil {
		return "", "", &buildError{err, string(out)}
	}
	return dir, files.URL, nil
}

var (
	noServerOnce  sync.Once
	noServerPages string
	noServerErr   error
)

// staticSiteWithoutServer returns the URL of the demo site on a static host
// whose config names no server origin.
func (h *harness) staticSiteWithoutServer(t *testing.T) string {
	t.Helper()
	needBrowser(t)
	bin := h.binary(t)
	noServerOnce.Do(func() {
		_, noServerPages, noServerErr = h.publishStatic(t, bin, "")
	})
	if noServerErr != nil {
		t.Fatal(noServerErr)
	}
	return noServerPages
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "lobby build --no-index: " + e.err.Error() + "\n" + e.out }

// onPages opens a tab whose paths are on the static host.
func (h *harness) onPages(t *testing.T, s *staticHost, vp viewport) *tab {
	return h.newTab(t, &lobbyServer{URL: s.Pages}, vp)
}

// A page on a static host searches with the lobby server its config names:
// suggestions come from the server's API as the resident types (CORS),
// and the form, with JavaScript and without, opens the server's results
// page.
func TestStaticHostSearchReachesTheServer(t *testing.T) {
	s := h.staticSite(t)
	withAndWithoutScript(t, func(t *testing.T) *tab { return h.onPages(t, s, phone) }, func(t *testing.T, tb *tab, js bool) {
		tb.open("/handbook/")
		tb.typeInto("#site-q", "停水")
		if js {
			tb.waitFor("suggestions from the server", `document.querySelector(".search-suggest:not([hidden]) .suggest-list a")`)
			got := tb.suggestions()
			if len(got) == 0 || got[0].Href != "/notices/water-shutoff/" {
				t.Fatalf("suggestions %+v, want the water shut-off first", got)
			}
			tb.do(chromedp.SendKeys(chromedp.CSS("#site-q"), kb.Enter))
			tb.waitFor("the server's results page", `location.pathname === "/search" && document.querySelector(".hits")`)
		} else {
			tb.clickAndWaitLoad(".site-search button[type=submit]")
		}
		loc := tb.location()
		if u, err := url.Parse(loc); err != nil || u.Scheme+"://"+u.Host != s.Server || u.Path != "/search" || u.Query().Get("q") != "停水" {
			t.Fatalf("the search box led to %s, want %s/search?q=停水", loc, s.Server)
		}
		checkResultsPage(t, tb)
	})
}

// A repair request sent from the feedback form of a page on a static host
// is taken by the lobby server its config names, with JavaScript and
// without: the resident sees the server's thank-you page with a reference
// number, and its status page.
func TestStaticHostFeedbackReachesTheServer(t *testing.T) {
	s := h.staticSite(t)
	withAndWithoutScript(t, func(t *testing.T) *tab { return h.onPages(t, s, phone) }, func(t *testing.T, tb *tab, js bool) {
		tb.open("/feedback/")
		if action := eval[string](tb, `document.querySelector("form[data-feedback]").action`); action != s.Server+"/api/v1/feedback" {
			t.Fatalf("the form posts to %s, want the server %s", action, s.Server)
		}
		tb.fillRepair(leak)
		tb.submitForm()
		if loc := tb.location(); !strings.HasPrefix(loc, s.Server+"/feedback/thanks/") {
			t.Fatalf("after sending, the page is %s, want the server's thank-you page; it says:\n%s", loc, tb.bodyText())
		}
		ref := tb.thanksRef()
		tb.clickAndWaitLoad(`.ref-box a[href*="/feedback/status"]`)
		if st := tb.text(".status-current strong"); st != "已受理" {
			t.Errorf("status of %s = %q, want 已受理", ref, st)
		}

		// The footer's status link on the static pages leads to the server too.
		tb.open("/")
		if href := eval[string](tb, `(() => { const a = document.querySelector('.footer-nav a[href*="/feedback/status"]'); return a ? a.href : ""; })()`); href != s.Server+"/feedback/status" {
			t.Errorf("the footer's status link is %q, want %s/feedback/status", href, s.Server)
		}
	})
}

// On a static host without a server, a resident finds the office's
// telephone and e-mail where the search box and the form would be, and
// nothing that leads to a server.
func TestStaticHostWithoutServerOffersTheOffice(t *testing.T) {
	pages := h.staticSiteWithoutServer(t)
	tb := h.newTab(t, &lobbyServer{URL: pages}, phone)
	tb.open("/handbook/")
	if n := tb.count("form"); n != 0 {
		t.Errorf("%d forms on a page that no server answers", n)
	}
	if tel := eval[string](tb, `(() => { const a = document.querySelector(".site-header .site-call a.tel"); return a ? a.getAttribute("href") : ""; })()`); !strings.HasPrefix(tel, "tel:") {
		t.Errorf("the header offers %q, want the office's hotline where the search box was", tel)
	}
	if b := tb.rect(".site-header .site-call"); !b.Visible {
		t.Errorf("the office's numbers in the header are not shown: %+v", b)
	}
	tb.open("/feedback/")
	if n := tb.count("form, textarea"); n != 0 {
		t.Errorf("the feedback page has %d forms or text boxes", n)
	}
	for _, sel := range []string{`.office-contact a[href^="tel:"]`, `.office-contact a[href^="mailto:"]`} {
		if tb.count(sel) == 0 {
			t.Errorf("the feedback page has no %s; it says:\n%s", sel, tb.bodyText())
		}
	}
	if n := tb.count(`a[href*="/feedback/status"], a[href*="/search"]`); n != 0 {
		t.Errorf("%d links to what only a server answers", n)
	}
}

// The pages of a static host, with and without a server, meet WCAG 2.1 AA
// as far as axe-core can tell: the office's numbers in the header, the
// feedback page without a form, and the form that posts to the server.
func TestStaticHostPagesHaveNoWCAGViolations(t *testing.T) {
	src := axeSource(t)
	sites := map[string]string{"without a server": h.staticSiteWithoutServer(t), "with a server": h.staticSite(t).Pages}
	for name, pages := range sites {
		// On a phone only: the header strip and the feedback page lay
		// out alike at every width, and the demo's pages are checked at
		// both sizes by TestEveryPageTypeHasNoWCAGViolations.
		for _, vp := range []viewport{phone} {
			t.Run(name+"/"+vp.name, func(t *testing.T) {
				tb := h.newTab(t, &lobbyServer{URL: pages}, vp)
				for _, p := range []string{"/", "/feedback/", "/404.html"} {
					tb.open(p)
					if vs := tb.axe(src); len(vs) > 0 {
						var b strings.Builder
						for _, v := range vs {
							b.WriteString("\n\t" + v.String())
						}
						t.Errorf("%s: %d WCAG 2.1 AA violations:%s", p, len(vs), b.String())
					}
				}
			})
		}
	}
}
