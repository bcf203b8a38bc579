package feedback_test

import (
	"strings"
	"testing"

	"github.com/lobby-community/lobby/feedback"
)

// siteOrigin is where the site's pages are published in these tests, apart
// from the server (httptest's requests are for example.com).
const siteOrigin = "https://cuihu.example.org"

// The site's pages on a static host post their form to the server from
// another origin: that origin, and no other, is let through.
func TestFormFromTheSiteOriginIsAccepted(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		{"site origin, cross-site", []string{"Sec-Fetch-Site", "cross-site", "Origin", siteOrigin}, 303},
		{"site origin, same-site", []string{"Sec-Fetch-Site", "same-site", "Origin", siteOrigin}, 303},
		{"site origin, no Sec-Fetch-Site", []string{"Origin", siteOrigin}, 303},
		{"same origin", []string{"Sec-Fetch-Site", "same-origin", "Origin", "http://example.com"}, 303},
		{"other origin, cross-site", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, 403},
		{"site origin over http", []string{"Sec-Fetch-Site", "cross-site", "Origin", "http://cuihu.example.org"}, 403},
		{"site origin on another port", []string{"Sec-Fetch-Site", "same-site", "Origin", siteOrigin + ":8443"}, 403},
		{"a sibling host", []string{"Sec-Fetch-Site", "same-site", "Origin", "https://evil.cuihu.example.org"}, 403},
		{"cross-site without Origin", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"Origin null", []string{"Sec-Fetch-Site", "cross-site", "Origin", "null"}, 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *feedback.Config) { c.SiteOrigin = siteOrigin })
			w := e.postForm(goodForm(), tc.headers...)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d\n%s", w.Code, tc.want, w.Body)
			}
			if n := len(e.cases(t)); (n == 1) != (tc.want == 303) {
				t.Errorf("%d cases stored", n)
			}
			if tc.want == 303 && !strings.HasPrefix(w.Header().Get("Location"), "/feedback/thanks/?ref=") {
				t.Errorf("Location %q, want the server's own thanks page", w.Header().Get("Location"))
			}
		})
	}
}

// Without a site origin configured, a post from the site's would-be origin
// is as foreign as any other.
func TestNoSiteOriginTrustsNone(t *testing.T) {
	e := newEnv(t, nil)
	if w := e.postJSON(goodJSON(), "Sec-Fetch-Site", "cross-site", "Origin", siteOrigin); w.Code != 403 {
		t.Errorf("status %d, want 403", w.Code)
	}
}

// The site's origin may send residents' feedback, never staff actions: a
// page on a static host is not the staff's own server.
func TestSiteOriginIsNotTrustedForStaff(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) { c.SiteOrigin = siteOrigin })
	w := e.postForm(goodForm())
	if w.Code != 303 {
		t.Fatalf("submit: %d", w.Code)
	}
	ref := e.cases(t)[0].Ref
	from := []string{"Sec-Fetch-Site", "cross-site", "Origin", siteOrigin}
	if w := e.do("POST", "/api/v1/staff/feedback/"+ref+"/status", jsonType, `{"status":"in_progress"}`,
		append(from, "Authorization", "Bearer "+staffToken)...); w.Code != 403 {
		t.Errorf("staff API from the site origin: %d, want 403\n%s", w.Code, w.Body)
	}
	if w := e.do("POST", "/staff/login", formType, "name=Zhang&token="+staffToken, from...); w.Code != 403 {
		t.Errorf("staff login from the site origin: %d, want 403\n%s", w.Code, w.Body)
	}
	if got := e.cases(t)[0].Status; got != feedback.StatusReceived {
		t.Errorf("status %q after a refused change, want received", got)
	}
}
