package e2e

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// suggestion is one result listed under the header's search box.
type suggestion struct {
	Href, Title, Snippet string
	Marks                []string // the text of each <mark> in the snippet
	Other                []string // tag names of any other element in it
}

func (tb *tab) suggestions() []suggestion {
	tb.t.Helper()
	return eval[[]suggestion](tb, `Array.from(document.querySelectorAll(".search-suggest .suggest-list a")).map(a => {
  const sn = a.querySelector(".suggest-snippet");
  return {Href: a.getAttribute("href"), Title: (a.querySelector(".suggest-title") || a).textContent,
    Snippet: sn ? sn.textContent : "",
    Marks: sn ? Array.from(sn.querySelectorAll("mark")).map(m => m.textContent) : [],
    Other: sn ? Array.from(sn.querySelectorAll("*")).filter(e => e.tagName !== "MARK").map(e => e.tagName) : []};
})`)
}

// typing 停水 in the header's search box lists
// results under it as you type, the water shut-off first with the word
// marked, and says so in a live region; Enter still opens the results page.
func TestSearchAsYouTypeListsResultsUnderTheBox(t *testing.T) {
	srv := h.demoServer(t)
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := h.newTab(t, srv, vp)
			tb.open("/handbook/")
			if n := tb.count(".search-suggest:not([hidden])"); n != 0 {
				t.Fatalf("%d result panels shown before typing", n)
			}
			tb.typeInto("#site-q", "停水")
			tb.waitFor("results under the search box", `document.querySelector(".search-suggest:not([hidden]) .suggest-list a")`)

			tb.shot("search-as-you-type-" + vp.name)
			got := tb.suggestions()
			if len(got) == 0 || len(got) > 5 {
				t.Fatalf("%d suggestions, want 1 to 5", len(got))
			}
			if got[0].Href != "/notices/water-shutoff/" || !strings.Contains(got[0].Title, "停水") {
				t.Errorf("first suggestion = %s %q, want the water shut-off notice", got[0].Href, got[0].Title)
			}
			marked := false
			for _, s := range got {
				for _, m := range s.Marks {
					marked = marked || m == "停水"
				}
				if len(s.Other) > 0 {
					t.Errorf("snippet of %s has elements %v besides <mark>", s.Href, s.Other)
				}
			}
			if !marked {
				t.Errorf("no snippet marks 停水: %+v", got)
			}
			if live := eval[string](tb, `(() => { const s = document.querySelector(".site-header [aria-live=polite]"); return s ? s.textContent : ""; })()`); !strings.Contains(live, "条结果") {
				t.Errorf("live region says %q, want the number of results", live)
			}
			if b, box := tb.rect(".search-suggest"), tb.rect("#site-q"); b.Top < box.Bottom-1 {
				t.Errorf("results start at %.0f px, above the bottom of the box (%.0f px)", b.Top, box.Bottom)
			}

			// Enter submits the form as before: the full results page.
			tb.do(chromedp.SendKeys(chromedp.CSS("#site-q"), kb.Enter))
			tb.waitFor("the results page", `location.pathname === "/search" && document.querySelector(".hits")`)
			if q := eval[string](tb, `new URLSearchParams(location.search).get("q")`); q != "停水" {
				t.Errorf("results page for q=%q, want 停水", q)
			}
		})
	}
}

// titles and snippets from the search API go in as
// text. Only <mark> in a snippet becomes an element; anything else that
// looks like markup (which the API never sends) shows as the characters.
func TestSearchAsYouTypeShowsTitlesAndSnippetsAsText(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, phone)
	body, _ := json.Marshal(map[string]any{
		"query": "停水", "total": 1,
		"hits": []map[string]any{{
			"url":     "/notices/water-shutoff/",
			"title":   `<img src=x id=bad-title>停水 & "引号"`,
			"snippet": `&lt;b&gt;不是粗体&lt;/b&gt; <mark>停水</mark> <img src=x id=bad-snippet> a &amp; b`,
			"section": "notices",
		}, {
			"url": "javascript:alert(1)", "title": "not a site link", "snippet": "",
		}},
	})
	tb.intercept("*/api/v1/search*", func(*fetch.EventRequestPaused) (int, string, string, bool) {
		return 200, "application/json", string(body), false
	})
	tb.open("/")
	tb.typeInto("#site-q", "停水")
	tb.waitFor("results under the search box", `document.querySelector(".search-suggest:not([hidden]) .suggest-list a")`)
	if n := tb.count("#bad-title, #bad-snippet, .search-suggest img, .search-suggest b"); n != 0 {
		t.Errorf("%d elements made from the API's text", n)
	}
	got := tb.suggestions()
	if len(got) != 1 {
		t.Fatalf("%d suggestions, want 1 (the javascript: link left out): %+v", len(got), got)
	}
	if want := `<img src=x id=bad-title>停水 & "引号"`; got[0].Title != want {
		t.Errorf("title shows %q, want %q", got[0].Title, want)
	}
	if want := `<b>不是粗体</b> 停水 <img src=x id=bad-snippet> a & b`; got[0].Snippet != want {
		t.Errorf("snippet shows %q, want %q", got[0].Snippet, want)
	}
	if len(got[0].Marks) != 1 || got[0].Marks[0] != "停水" {
		t.Errorf("snippet marks %q, want [停水]", got[0].Marks)
	}
}

// the header's box submits to the
// results page, which lists the water shut-off with 停水 marked.
func TestSearchWithoutJavaScriptUsesTheResultsPage(t *testing.T) {
	srv := h.demoServer(t)
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := h.newTab(t, srv, vp)
			tb.disableScript()
			tb.open("/handbook/")
			tb.typeInto("#site-q", "停水")
			tb.clickAndWaitLoad(".site-search button[type=submit]")
			loc := tb.location()
			if u, err := url.Parse(loc); err != nil || u.Path != "/search" || u.Query().Get("q") != "停水" {
				t.Fatalf("the form led to %s, want /search?q=停水", loc)
			}
			checkResultsPage(t, tb)

			tb.open("/search?q=" + url.QueryEscape("停水"))
			checkResultsPage(t, tb)
			if n := tb.count(".search-suggest"); n != 0 {
				t.Errorf("%d search-as-you-type panels with JavaScript off", n)
			}
		})
	}
}

func checkResultsPage(t *testing.T, tb *tab) {
	t.Helper()
	first := eval[string](tb, `(() => { const a = document.querySelector(".hits .item-title a"); return a ? a.getAttribute("href") : ""; })()`)
	if first != "/notices/water-shutoff/" {
		t.Errorf("first result links to %q, want /notices/water-shutoff/", first)
	}
	if marks := eval[[]string](tb, `Array.from(document.querySelectorAll(".hits .snippet mark")).map(m => m.textContent)`); !slices.Contains(marks, "停水") {
		t.Errorf("snippets mark %q, want 停水 among them", marks)
	}
	if h := tb.text("#results-title"); !strings.Contains(h, "停水") {
		t.Errorf("results heading = %q, want it to name the query", h)
	}
}
