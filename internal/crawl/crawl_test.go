package crawl

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

// buildDemo builds the demo site of the repository with baseURL into a
// temporary folder, with the files of replace in place of its own.
func buildDemo(t *testing.T, baseURL string, replace fstest.MapFS) (string, *site.Site) {
	t.Helper()
	public := filepath.Join(t.TempDir(), "public")
	s, err := site.BuildDir(sitetest.Overlay(lobby.Demo(), replace), lobby.Theme(), site.Options{Now: sitetest.Now, BaseURL: baseURL}, public)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return public, s
}

// serveStatic serves public under the path of baseURL with a plain file
// server, as a static host does, and nothing outside it.
func serveStatic(t *testing.T, public, baseURL string) string {
	t.Helper()
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(u.Path, http.StripPrefix(strings.TrimSuffix(u.Path, "/"), http.FileServer(http.Dir(public))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + u.EscapedPath()
}

func mustSeeds(t *testing.T, public, root string) []string {
	t.Helper()
	seeds, err := FileSeeds(public, root)
	if err != nil {
		t.Fatal(err)
	}
	return seeds
}

// serverOnly reports the references that only lobby serve answers: the
// search box, the search API, the feedback form's target and the status
// page. A file server has none of them.
func serverOnly(e site.Endpoints) func(*url.URL) bool {
	paths := []string{e.Search, e.SearchAPI, e.Feedback, e.Status}
	return func(u *url.URL) bool { return slices.Contains(paths, u.EscapedPath()) }
}

// crawlStatic builds the demo with baseURL, serves it from a file server
// and crawls it.
func crawlStatic(t *testing.T, baseURL string, replace fstest.MapFS) *Report {
	t.Helper()
	public, s := buildDemo(t, baseURL, replace)
	root := serveStatic(t, public, baseURL)
	rep, err := Run(Config{Root: root, Canonical: baseURL, Seeds: mustSeeds(t, public, root), Skip: serverOnly(s.View.Endpoints)})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The demo site, built for a base URL at the root of its host or below a
// path and served from a plain file server there, has no broken
// reference in any page, style sheet, feed, calendar, sitemap or API
// document, fragments included.
func TestStaticSiteHasNoBrokenReference(t *testing.T) {
	for _, base := range []string{"https://example.org/cuihu/", "https://example.org/"} {
		t.Run(base, func(t *testing.T) {
			rep := crawlStatic(t, base, nil)
			t.Logf("%d resources, %d references followed, %d skipped, %d broken", len(rep.Fetched), rep.Refs, len(rep.Skipped), len(rep.Broken))
			for _, b := range rep.Broken {
				t.Error(b)
			}
			if len(rep.Fetched) < 200 || rep.Refs < 2000 {
				t.Errorf("fetched %d resources with %d references: the crawl did not reach the site", len(rep.Fetched), rep.Refs)
			}
			if len(rep.Skipped) == 0 {
				t.Error("no reference to the server's endpoints: is the search box gone?")
			}
			for _, r := range rep.Skipped {
				if u, _ := url.Parse(r.URL); !strings.HasPrefix(u.Path, strings.TrimPrefix(base, "https://example.org")) {
					t.Errorf("%s: %s is outside the site", r.From, r.Raw)
				}
			}
		})
	}
}

// The crawl finds a link that a layout writes at the host's root instead
// of the site's, which is what a layout that forgets relURL does.
func TestStaticCrawlFindsARootLink(t *testing.T) {
	rep := crawlStatic(t, "https://example.org/cuihu/", fstest.MapFS{
		"layouts/tags.html": {Data: []byte(`{{define "main"}}<a href="/notices/">x</a><a href="{{relURL "/notices/"}}#nowhere">y</a>{{end}}`)},
	})
	want := []string{"/notices/ leads outside", `/cuihu/notices/#nowhere has no element with id "nowhere"`}
	for _, w := range want {
		found := false
		for _, b := range rep.Broken {
			found = found || strings.Contains(b, w)
		}
		if !found {
			t.Errorf("no broken reference %q among %q", w, rep.Broken)
		}
	}
}

func TestScanners(t *testing.T) {
	for _, tc := range []struct {
		name string
		scan func(string) []string
		in   string
		want []string
	}{
		{"html", func(s string) []string { r, _ := scanHTML(s); return r },
			`<a href="/a/?x=1&amp;y=2">a</a><img src='/b.png' srcset="/c.png 2x, /d.png 3x"><form action=/e method=get>` +
				`<div data-notices-url="/f.json" data-x="/no"></div><meta http-equiv="refresh" content="0; url=/g/">` +
				`<script src="/h.js">var s = "<a href='/no'>";</script><!-- <a href="/no"> --><p style="background:url(/i.png)">`,
			[]string{"/a/?x=1&y=2", "/b.png", "/c.png", "/d.png", "/e", "/f.json", "/g/", "/h.js", "/i.png"}},
		{"css", scanCSS, `a{background:url("/a.png")} b{background:url( '/b.png' )} @import "/c.css"; c{mask:url(#m)}`,
			[]string{"/a.png", "/b.png", "/c.css"}},
		{"xml", scanXML, `<urlset><url><loc>https://x/a/</loc></url></urlset><feed><link href="https://x/b/"/>` +
			`<content type="html">&lt;a href=&#34;/c/&#34;&gt;c&lt;/a&gt;</content></feed>`,
			[]string{"/c/", "https://x/a/", "https://x/b/"}},
		{"ical", scanICal, "BEGIN:VEVENT\r\nURL:https://x/a/very-long\r\n -name/\r\nURL;VALUE=URI:https://x/b/\r\nEND:VEVENT\r\n",
			[]string{"https://x/a/very-long-name/", "https://x/b/"}},
		{"json", func(s string) []string { return scanJSON([]byte(s)) },
			`{"url":"/a/","api":"/b.json","title":"/no","prev":{"url":"/c/"},"tags":[{"pages":["/d/"]}],"html":"<a href=\"/e/\">e</a><a href=\"#f\">f</a>"}`,
			[]string{"/a/", "/a/#f", "/b.json", "/c/", "/d/", "/e/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.scan(tc.in)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
