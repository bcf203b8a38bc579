package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A site published under a path works in a browser there: the page is
// styled, the search box suggests pages under the path as the resident
// types, a suggestion opens its page, and Enter opens the results page
// under the path too.
func TestSubPathSiteWorksInTheBrowser(t *testing.T) {
	srv := h.newServer(t, nil, "--base-url", "https://example.org/cuihu/")
	tb := h.newTab(t, srv, phone)
	tb.open("/cuihu/handbook/")
	if n := eval[int](tb, `document.styleSheets.length ? document.styleSheets[0].cssRules.length : 0`); n < 10 {
		t.Errorf("the page's style sheet has %d rules: it did not load", n)
	}
	tb.typeInto("#site-q", "停水")
	tb.waitFor("results under the search box", `document.querySelector(".search-suggest:not([hidden]) .suggest-list a")`)
	got := tb.suggestions()
	if len(got) == 0 || got[0].Href != "/cuihu/notices/water-shutoff/" {
		t.Fatalf("suggestions %+v, want the water shut-off notice under /cuihu/ first", got)
	}
	tb.do(chromedp.SendKeys(chromedp.CSS("#site-q"), kb.Enter))
	tb.waitFor("the results page", `location.pathname === "/cuihu/search" && document.querySelector(".hits")`)
	if href := eval[string](tb, `document.querySelector(".hits a").getAttribute("href")`); !strings.HasPrefix(href, "/cuihu/") {
		t.Errorf("first result links %q, want a page under /cuihu/", href)
	}
}
