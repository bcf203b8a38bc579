package site_test

import (
	"html"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

// withConfig is fsys with config.toml replaced by the demo's plus extra.
func withConfig(t *testing.T, fsys fs.FS, extra string) fs.FS {
	t.Helper()
	cfg, err := fs.ReadFile(fsys, "config.toml")
	if err != nil {
		t.Fatal(err)
	}
	return sitetest.Overlay(fsys, fstest.MapFS{"config.toml": {Data: append(cfg, "\n"+extra...)}})
}

// refRE finds the references a browser follows or submits to in HTML: links,
// sources, form targets and the search API that lobby.js asks.
var refRE = regexp.MustCompile(`\s(href|src|action|data-search-api)="([^"]*)"`)

// ref is one reference found in an output file.
type ref struct{ file, attr, raw string }

// checkRefs checks that every reference in the HTML files of a build for a
// static host published at baseURL leads to a file of the build, or to the
// lobby server at origin (when there is one) below the base path; and
// returns those that lead to origin.
func checkRefs(t *testing.T, s *site.Site, baseURL, origin string) (toServer []ref) {
	t.Helper()
	base, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	exists := func(p string) bool {
		rest, ok := strings.CutPrefix(p, base.Path)
		if !ok {
			return false
		}
		rest, _ = url.PathUnescape(rest)
		if rest == "" || strings.HasSuffix(rest, "/") {
			rest += "index.html"
		}
		_, ok = s.Files[rest]
		return ok
	}
	n := 0
	for name, data := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		page := base.ResolveReference(&url.URL{Path: path.Join(base.Path, strings.TrimSuffix(name, "index.html")) + "/"})
		if !strings.HasSuffix(name, "index.html") {
			page = base.ResolveReference(&url.URL{Path: path.Join(base.Path, name)})
		}
		for _, m := range refRE.FindAllStringSubmatch(string(data), -1) {
			n++
			r := ref{name, m[1], html.UnescapeString(m[2])}
			if strings.TrimSpace(r.raw) == "" {
				t.Errorf("%s: an empty %s, which leads nowhere", r.file, r.attr)
				continue
			}
			u, err := url.Parse(r.raw)
			if err != nil {
				t.Errorf("%s: %s=%q is not a URL", r.file, r.attr, r.raw)
				continue
			}
			switch u.Scheme {
			case "mailto", "tel":
				continue
			case "", "http", "https":
			default:
				t.Errorf("%s: %s=%q", r.file, r.attr, r.raw)
				continue
			}
			abs := page.ResolveReference(u)
			switch {
			case origin != "" && abs.Scheme+"://"+abs.Host == origin:
				if !strings.HasPrefix(abs.Path, base.Path) {
					t.Errorf("%s: %s=%q is on the server but outside the base path %s", r.file, r.attr, r.raw, base.Path)
				}
				toServer = append(toServer, r)
			case abs.Host != base.Host || abs.Scheme != base.Scheme:
				t.Errorf("%s: %s=%q leads neither into the site nor to its server", r.file, r.attr, r.raw)
			case !exists(abs.Path):
				t.Errorf("%s: %s=%q is no file of the build", r.file, r.attr, r.raw)
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d references in the whole site: is the scan broken?", n)
	}
	return toServer
}

// The demo site built for a static host (lobby build --no-index) with no
// server origin has no search box, feedback form or status link: every
// reference leads to a file of the build, and the office's telephone and
// e-mail stand where the box and the form were.
func TestStaticBuildWithoutServer(t *testing.T) {
	const baseURL = "https://example.org/cuihu/"
	s, err := site.Build(lobby.Demo(), lobby.Theme(), site.Options{Now: sitetest.Now, BaseURL: baseURL, Static: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := s.View.Endpoints; e != (site.Endpoints{}) {
		t.Errorf("endpoints %+v, want none", e)
	}
	checkRefs(t, s, baseURL, "")
	for name, data := range s.Files {
		if strings.HasSuffix(name, ".html") && strings.Contains(string(data), "<form") {
			t.Errorf("%s has a form", name)
		}
	}
	home := string(s.Files["index.html"])
	for _, want := range []string{`<p class="site-call wrap">`, `href="tel:`, `href="mailto:service@cuihu.example.org"`} {
		if !strings.Contains(home, want) {
			t.Errorf("the home page lacks %q where the search box was", want)
		}
	}
	fb := string(s.Files["feedback/index.html"])
	for _, want := range []string{"本网站暂不能在线留言", `href="tel:`, `href="mailto:service@cuihu.example.org"`} {
		if !strings.Contains(fb, want) {
			t.Errorf("the feedback page lacks %q", want)
		}
	}
	if strings.Contains(fb, "data-feedback") || strings.Contains(home, "查询留言处理进度") {
		t.Error("a form or status link that no server answers")
	}
}

// With a server origin, the same build sends the search box, the feedback
// form and the status link to that server, below the base path, and
// nothing else leaves the site.
func TestStaticBuildWithServerOrigin(t *testing.T) {
	const baseURL = "https://example.org/cuihu/"
	const origin = "https://lobby.example.org"
	fsys := withConfig(t, lobby.Demo(), "[server]\norigin = \""+origin+"/\"\n")
	s, err := site.Build(fsys, lobby.Theme(), site.Options{Now: sitetest.Now, BaseURL: baseURL, Static: true})
	if err != nil {
		t.Fatal(err)
	}
	want := site.Endpoints{
		Search:    origin + "/cuihu/search",
		SearchAPI: origin + "/cuihu/api/v1/search",
		Feedback:  origin + "/cuihu/api/v1/feedback",
		Status:    origin + "/cuihu/feedback/status",
		Surveys:   origin + "/cuihu/api/v1/surveys/",
	}
	if got := s.View.Endpoints; got != want {
		t.Errorf("endpoints %+v, want %+v", got, want)
	}
	seen := map[string]bool{}
	for _, r := range checkRefs(t, s, baseURL, origin) {
		seen[r.attr+" "+r.raw] = true
	}
	for _, w := range []string{"action " + want.Search, "data-search-api " + want.SearchAPI, "action " + want.Feedback, "href " + want.Status} {
		if !seen[w] {
			t.Errorf("no %s among the references to the server: %v", w, seen)
		}
	}
	if len(seen) != 4 {
		t.Errorf("references to the server %v, want the 4 endpoints only", seen)
	}
}

// A site served by lobby serve (no --no-index) keeps its search box, form
// and status link on its own host, with or without a server origin for
// copies elsewhere; feedback turned off removes the form and status link.
func TestEndpointsOfAServedSite(t *testing.T) {
	tests := []struct {
		name, extra string
		want        site.Endpoints
	}{
		{"no origin", "", site.Endpoints{Search: "/search", SearchAPI: "/api/v1/search", Feedback: "/api/v1/feedback", Status: "/feedback/status", Surveys: "/api/v1/surveys/"}},
		{"an origin", "[server]\norigin = \"https://lobby.example.org\"\n", site.Endpoints{Search: "https://lobby.example.org/search",
			SearchAPI: "https://lobby.example.org/api/v1/search", Feedback: "https://lobby.example.org/api/v1/feedback", Status: "https://lobby.example.org/feedback/status",
			Surveys: "https://lobby.example.org/api/v1/surveys/"}},
		{"feedback off", "[feedback]\nenabled = false\n", site.Endpoints{Search: "/search", SearchAPI: "/api/v1/search"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sitetest.Build(t, config+tc.extra)
			if got := r.Site.View.Endpoints; got != tc.want {
				t.Errorf("endpoints %+v, want %+v", got, tc.want)
			}
			if tc.want.Feedback == "" {
				r.AssertFile("feedback/index.html", "! data-feedback", "0571-0000-0000")
				r.AssertFile("index.html", "! 查询留言处理进度")
			} else {
				r.AssertFile("feedback/index.html", `action="`+tc.want.Feedback+`"`)
				r.AssertFile("index.html", `href="`+tc.want.Status+`"`, `action="`+tc.want.Search+`"`)
			}
		})
	}
}
