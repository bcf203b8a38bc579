package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// echoPath answers with its name and the path it was given.
func echoPath(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"handler":%q,"path":%q}`, name, r.URL.Path)
	})
}

// A site published under a path is served there, handlers and all, with
// the paths below it handed to the handlers as from the site's root; "/"
// leads to it and nothing else outside it answers.
func TestPrefixMountsTheSite(t *testing.T) {
	h := New(Config{Dir: newSite(t), Prefix: "/cuihu/", Search: echoPath("search"), SearchPage: echoPath("page"), Feedback: echoPath("feedback")})
	for _, tc := range []struct {
		method, path string
		status       int
		want         string // in the body, or the Location of a redirect
	}{
		{"GET", "/", 302, "/cuihu/"},
		{"GET", "/cuihu", 307, "/cuihu/"},
		{"GET", "/cuihu/", 200, "home 首页"},
		{"GET", "/cuihu/about/", 200, "about"},
		{"GET", "/cuihu/api/v1/site.json", 200, `"title"`},
		{"GET", "/cuihu/api/v1/search?q=x", 200, `"handler":"search"`},
		{"GET", "/cuihu/search?q=x", 200, `"handler":"page"`},
		{"POST", "/cuihu/api/v1/feedback", 200, `"handler":"feedback","path":"/api/v1/feedback"`},
		{"GET", "/cuihu/feedback/status?ref=A", 200, `"path":"/feedback/status"`},
		{"GET", "/cuihu/staff/", 200, `"path":"/staff/"`},
		{"GET", "/cuihu/healthz", 200, "ok"},
		{"GET", "/healthz", 200, "ok"},
		{"GET", "/cuihu/nowhere/", 404, "not found 页面不存在"},
		{"GET", "/about/", 404, ""},
		{"GET", "/api/v1/search?q=x", 404, ""},
		{"POST", "/api/v1/feedback", 404, ""},
		{"GET", "/cuihuabout/", 404, ""},
	} {
		res, body := get(t, h, tc.method, tc.path, nil)
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: StatusCode=%d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
			continue
		}
		if loc := res.Header.Get("Location"); res.StatusCode/100 == 3 && loc != tc.want {
			t.Errorf("%s %s: Location=%q, want %q", tc.method, tc.path, loc, tc.want)
		} else if res.StatusCode/100 != 3 && !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: body=%.80q, want %q in it", tc.method, tc.path, body, tc.want)
		}
	}
}

// In watch mode the server's own routes stay at the host's root, outside
// the site's path, and the pages under it still get the reload script.
func TestPrefixKeepsWatchRoutesAtTheRoot(t *testing.T) {
	h := New(Config{Dir: newSite(t), Prefix: "/cuihu/", Watch: true})
	if res, body := get(t, h, "GET", "/cuihu/", nil); res.StatusCode != 200 || !strings.Contains(body, reloadTag) {
		t.Errorf("GET /cuihu/: StatusCode=%d, reload script in it: %v", res.StatusCode, strings.Contains(body, reloadTag))
	}
	if res, _ := get(t, h, "GET", "/_lobby/reload.js", nil); res.StatusCode != 200 {
		t.Errorf("GET /_lobby/reload.js: StatusCode=%d, want 200", res.StatusCode)
	}
}
