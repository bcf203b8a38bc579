package feedback_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/feedback"
)

// A site served under a path gets its redirects and links there: the
// handler sees site paths, and answers with the base path in front.
func TestRedirectsAndLinksCarryTheBasePath(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) { c.BasePath = "/cuihu/" })
	w := e.postForm(goodForm())
	loc := w.Header().Get("Location")
	if w.Code != 303 || !strings.HasPrefix(loc, "/cuihu/feedback/thanks/?ref=") {
		t.Fatalf("form post: %d, Location %q, want 303 to /cuihu/feedback/thanks/?ref=REF", w.Code, loc)
	}
	ref := strings.TrimPrefix(loc, "/cuihu/feedback/thanks/?ref=")
	w = e.postJSON(goodJSON())
	if loc := w.Header().Get("Location"); w.Code != 201 || !strings.HasPrefix(loc, "/cuihu/feedback/status?ref=") {
		t.Errorf("JSON post: %d, Location %q, want 201 with /cuihu/feedback/status?ref=REF", w.Code, loc)
	}
	w = e.do("GET", "/feedback/thanks/?ref="+url.QueryEscape(ref), "", "")
	if body := w.Body.String(); !strings.Contains(body, `href="/cuihu/feedback/status?ref=`+ref) {
		t.Errorf("thanks page has no status link below /cuihu/:\n%s", body)
	}
}
