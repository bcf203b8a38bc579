package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// searchPage answers like the theme's search page: HTML made at run time.
func searchPage(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, body)
	})
}

// The search results page, made at run time, is sent gzipped to a client
// that accepts gzip, as the built pages are, and as it is to one that
// does not; either way the answer varies by Accept-Encoding.
func TestSearchPageIsGzipped(t *testing.T) {
	body := page("“停水”的搜索结果")
	h := New(Config{Dir: newSite(t), SearchPage: searchPage(body)})
	for _, tc := range []struct {
		method, accept, encoding string
	}{
		{"GET", "gzip, deflate, br", "gzip"},
		{"GET", "br;q=1, gzip;q=0.5", "gzip"},
		{"GET", "", ""},
		{"GET", "gzip;q=0", ""},
		{"HEAD", "gzip", ""},
	} {
		req := httptest.NewRequest(tc.method, "/search?q=%E5%81%9C%E6%B0%B4", nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Encoding", tc.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		what := tc.method + " Accept-Encoding=" + tc.accept
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", what, res.StatusCode)
		}
		if got := res.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("%s: Content-Encoding=%q, want %q", what, got, tc.encoding)
		}
		if vary := strings.Join(res.Header.Values("Vary"), ","); !strings.Contains(vary, "Accept-Encoding") {
			t.Errorf("%s: Vary=%q, want Accept-Encoding", what, vary)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type=%q", what, ct)
		}
		if tc.method == "HEAD" {
			continue
		}
		got := rec.Body.Bytes()
		if tc.encoding == "gzip" {
			if res.Header.Get("Content-Length") != "" && res.Header.Get("Content-Length") != strconv.Itoa(len(got)) {
				t.Errorf("%s: Content-Length=%s for %d bytes", what, res.Header.Get("Content-Length"), len(got))
			}
			zr, err := gzip.NewReader(bytes.NewReader(got))
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if got, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		if string(got) != body {
			t.Errorf("%s: body = %q, want the page", what, got)
		}
	}
}

// A page too short to gain from gzip, and an answer that is not text, go
// out as they are.
func TestSearchPageGzipOnlyWhenItPays(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{
		{"short", searchPage("<p>短</p>")},
		{"not text", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write(bytes.Repeat([]byte{0x89}, 4096))
		})},
	} {
		h := New(Config{Dir: newSite(t), SearchPage: tc.h})
		req := httptest.NewRequest("GET", "/search?q=x", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if enc := rec.Result().Header.Get("Content-Encoding"); enc != "" {
			t.Errorf("%s: Content-Encoding=%q, want none", tc.name, enc)
		}
	}
}

// In the authors' watch mode the page still gets its live-reload script,
// which needs the page uncompressed.
func TestSearchPageInWatchModeGetsReloadScript(t *testing.T) {
	h := New(Config{Dir: newSite(t), SearchPage: searchPage(page("结果")), Watch: true})
	req := httptest.NewRequest("GET", "http://localhost:1313/search?q=x", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if enc := rec.Result().Header.Get("Content-Encoding"); enc != "" || !strings.Contains(rec.Body.String(), "/_lobby/reload.js") {
		t.Errorf("watch mode: Content-Encoding=%q, body:\n%s", enc, rec.Body.String())
	}
}
