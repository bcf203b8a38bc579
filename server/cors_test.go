package server

import (
	"strings"
	"testing"
)

const siteOrigin = "https://cuihu.example.org"

// corsServer is a server whose site is published at siteOrigin, with
// stand-ins for search and feedback.
func corsServer(t *testing.T) *Server {
	return New(Config{Dir: newSite(t), Search: answer("search"), Feedback: answer("feedback"), SiteOrigin: siteOrigin})
}

// Scripts on the site's pages may read the search, feedback and status
// answers; scripts anywhere else may not.
func TestCORSAllowsTheSiteOriginOnly(t *testing.T) {
	h := corsServer(t)
	tests := []struct {
		method, path, origin string
		allowed              bool
	}{
		{"GET", "/api/v1/search?q=停水", siteOrigin, true},
		{"GET", "/api/v1/search?q=停水", "https://evil.example", false},
		{"GET", "/api/v1/search?q=停水", "http://cuihu.example.org", false},
		{"GET", "/api/v1/search?q=停水", "null", false},
		{"GET", "/api/v1/search?q=停水", "", false},
		{"POST", "/api/v1/feedback", siteOrigin, true},
		{"POST", "/api/v1/feedback", "https://evil.example", false},
		{"GET", "/feedback/status?ref=X", siteOrigin, true},
		{"GET", "/feedback/status?ref=X", "https://evil.example", false},
		// Staff routes and the thanks page are for this server's pages only.
		{"GET", "/api/v1/staff/feedback", siteOrigin, false},
		{"GET", "/staff/", siteOrigin, false},
		{"GET", "/feedback/thanks/", siteOrigin, false},
	}
	for _, tc := range tests {
		res, body := get(t, h, tc.method, tc.path, map[string]string{"Origin": tc.origin})
		if !strings.Contains(body, `"handler"`) {
			t.Errorf("%s %s from %q: the handler did not answer: %d %s", tc.method, tc.path, tc.origin, res.StatusCode, body)
		}
		acao := res.Header.Get("Access-Control-Allow-Origin")
		if tc.allowed && acao != siteOrigin || !tc.allowed && acao != "" {
			t.Errorf("%s %s from %q: Access-Control-Allow-Origin=%q, want allowed=%v", tc.method, tc.path, tc.origin, acao, tc.allowed)
		}
		if tc.allowed && res.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s %s: credentials allowed", tc.method, tc.path)
		}
		if _, ok := siteRoutes[strings.SplitN(tc.path, "?", 2)[0]]; ok && !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Origin") {
			t.Errorf("%s %s: Vary=%q, want Origin: caches must keep the answers to each origin apart", tc.method, tc.path, res.Header.Values("Vary"))
		}
	}
	res, _ := get(t, h, "POST", "/api/v1/feedback", map[string]string{"Origin": siteOrigin})
	if got := res.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "Location") || !strings.Contains(got, "Retry-After") {
		t.Errorf("feedback: Access-Control-Expose-Headers=%q, want Location and Retry-After", got)
	}
}

// A JSON post and an Idempotency-Key header make the browser ask first.
func TestCORSPreflight(t *testing.T) {
	h := corsServer(t)
	tests := []struct {
		name, path, origin, method, headers string
		want                                int
	}{
		{"feedback JSON with a key", "/api/v1/feedback", siteOrigin, "POST", "content-type, idempotency-key", 204},
		{"feedback, no extra header", "/api/v1/feedback", siteOrigin, "POST", "", 204},
		{"search", "/api/v1/search", siteOrigin, "GET", "", 204},
		{"status", "/feedback/status", siteOrigin, "GET", "", 204},
		{"another origin", "/api/v1/feedback", "https://evil.example", "POST", "content-type", 403},
		{"a method not offered", "/api/v1/feedback", siteOrigin, "DELETE", "", 403},
		{"a header not offered", "/api/v1/feedback", siteOrigin, "POST", "content-type, authorization", 403},
		{"search by POST", "/api/v1/search", siteOrigin, "POST", "", 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hdr := map[string]string{"Origin": tc.origin, "Access-Control-Request-Method": tc.method}
			if tc.headers != "" {
				hdr["Access-Control-Request-Headers"] = tc.headers
			}
			res, body := get(t, h, "OPTIONS", tc.path, hdr)
			if res.StatusCode != tc.want {
				t.Fatalf("StatusCode=%d, want %d\n%s", res.StatusCode, tc.want, body)
			}
			if strings.Contains(body, `"handler"`) {
				t.Errorf("the preflight reached the handler")
			}
			acao := res.Header.Get("Access-Control-Allow-Origin")
			if tc.want != 204 {
				if acao != "" {
					t.Errorf("refused preflight has Access-Control-Allow-Origin=%q", acao)
				}
				return
			}
			want := map[string]string{
				"Access-Control-Allow-Origin":  siteOrigin,
				"Access-Control-Allow-Methods": tc.method,
				"Access-Control-Max-Age":       corsMaxAge,
			}
			if tc.path == "/api/v1/feedback" {
				want["Access-Control-Allow-Headers"] = "Content-Type, Idempotency-Key"
			}
			for k, v := range want {
				if got := res.Header.Get(k); !strings.Contains(got, v) {
					t.Errorf("%s=%q, want %q", k, got, v)
				}
			}
		})
	}
}

// Without a site origin the server behaves as before: no CORS at all, and
// an OPTIONS request is the handler's to answer.
func TestNoSiteOriginNoCORS(t *testing.T) {
	h := New(Config{Dir: newSite(t), Search: answer("search"), Feedback: answer("feedback")})
	for _, p := range []string{"/api/v1/search", "/api/v1/feedback", "/feedback/status"} {
		res, body := get(t, h, "OPTIONS", p, map[string]string{"Origin": siteOrigin, "Access-Control-Request-Method": "GET"})
		if res.Header.Get("Access-Control-Allow-Origin") != "" || !strings.Contains(body, `"handler"`) {
			t.Errorf("OPTIONS %s: %d Access-Control-Allow-Origin=%q %s", p, res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"), body)
		}
	}
}
