package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// handlers returns the static handler alone and the whole server over the
// same site, for rules that both must keep.
func handlers(dir string) map[string]http.Handler {
	return map[string]http.Handler{
		"Static": Static(dir),
		"Server": New(Config{Dir: dir}),
	}
}

// no path leaves the output folder.
func TestTraversal(t *testing.T) {
	dir := newSite(t)
	paths := []string{
		"/../secret.txt",
		"/../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2e%2e/secret.txt",
		"/.%252e/.%252e/etc/passwd",
		"/..%2f..%2fsecret.txt",
		"/..%2fsecret.txt",
		"/%5c..%5csecret.txt",
		"/..%5csecret.txt",
		"/a%00.html",
		"/index.html%00.css",
		"/about/../../secret.txt",
		"/about/%2e%2e/%2e%2e/secret.txt",
		"/%c0%ae%c0%ae/secret.txt",
		"//../secret.txt",
	}
	for hname, h := range handlers(dir) {
		for _, p := range paths {
			res, body := get(t, h, "GET", p, nil)
			if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: path=%q: StatusCode=%d, want 400 or 404", hname, p, res.StatusCode)
			}
			if strings.Contains(body, secretMarker) {
				t.Errorf("%s: path=%q: body holds the file outside the root", hname, p)
			}
		}
	}
}

// a symbolic link is followed only while it stays inside.
func TestSymlinks(t *testing.T) {
	dir := newSite(t)
	tests := []struct {
		path string
		want int
	}{
		{"/inside.html", http.StatusOK},
		{"/escape.html", http.StatusNotFound},
		{"/outside/page.html", http.StatusNotFound},
		{"/outside/", http.StatusNotFound},
		{"/absolute.html", http.StatusNotFound},
		{"/loop.html", http.StatusNotFound},
	}
	for hname, h := range handlers(dir) {
		for _, tc := range tests {
			res, body := get(t, h, "GET", tc.path, nil)
			if res.StatusCode != tc.want {
				t.Errorf("%s: path=%q: StatusCode=%d, want %d", hname, tc.path, res.StatusCode, tc.want)
			}
			if strings.Contains(body, secretMarker) {
				t.Errorf("%s: path=%q: body holds the file outside the root", hname, tc.path)
			}
		}
	}
}

// hidden files and folder listings stay hidden;
// a folder with an index redirects to its slash form.
func TestHiddenAndDirectories(t *testing.T) {
	dir := newSite(t)
	notFound, _ := os.ReadFile(filepath.Join(dir, "404.html"))
	tests := []struct {
		path     string
		want     int
		location string
	}{
		{"/.git/config", http.StatusNotFound, ""},
		{"/.GIT/config", http.StatusNotFound, ""},
		{"/.git/", http.StatusNotFound, ""},
		{"/.env", http.StatusNotFound, ""},
		{"/.ENV", http.StatusNotFound, ""},
		{"/assets/.hidden.css", http.StatusNotFound, ""},
		{"/.well-known/security.txt", http.StatusOK, ""},
		{"/.well-known/.hidden", http.StatusNotFound, ""},
		{"/.WELL-KNOWN/security.txt", http.StatusNotFound, ""},
		{"/assets/", http.StatusNotFound, ""},
		{"/assets", http.StatusNotFound, ""},
		{"/api/v1/", http.StatusNotFound, ""},
		{"/missing", http.StatusNotFound, ""},
		{"/missing/", http.StatusNotFound, ""},
		{"/index.html/", http.StatusNotFound, ""},
		{"/about", http.StatusMovedPermanently, "about/"},
		{"/about?from=menu", http.StatusMovedPermanently, "about/?from=menu"},
		{"/notices/water", http.StatusMovedPermanently, "water/"},
		{"/about/", http.StatusOK, ""},
		{"/about/index.html", http.StatusOK, ""},
		{"/", http.StatusOK, ""},
	}
	for hname, h := range handlers(dir) {
		for _, tc := range tests {
			res, body := get(t, h, "GET", tc.path, nil)
			if res.StatusCode != tc.want {
				t.Errorf("%s: path=%q: StatusCode=%d, want %d", hname, tc.path, res.StatusCode, tc.want)
				continue
			}
			if got := res.Header.Get("Location"); got != tc.location {
				t.Errorf("%s: path=%q: Location=%q, want %q", hname, tc.path, got, tc.location)
			}
			if tc.want == http.StatusNotFound && body != string(notFound) {
				t.Errorf("%s: path=%q: body is not the site's 404.html: %.80q", hname, tc.path, body)
			}
			if strings.Contains(body, "<a href") || strings.Contains(body, "hidden") {
				t.Errorf("%s: path=%q: body lists or leaks a file: %.80q", hname, tc.path, body)
			}
		}
	}
}

// The 404 page has status 404, its own type, and is never cached for long;
// without a 404.html the answer is a plain line, never an error's text.
func TestNotFoundPage(t *testing.T) {
	dir := newSite(t)
	res, body := get(t, Static(dir), "GET", "/no/such/page/", nil)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "页面不存在") {
		t.Fatalf("StatusCode=%d body=%.60q, want 404 with the site's page", res.StatusCode, body)
	}
	if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type=%q", got)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control=%q, want no-cache", got)
	}
	res, body = get(t, Static(dir), "HEAD", "/missing", nil)
	if res.StatusCode != http.StatusNotFound || body != "" {
		t.Errorf("HEAD: StatusCode=%d body=%q, want 404 and no body", res.StatusCode, body)
	}
	res, _ = get(t, Static(dir), "GET", "/assets/lobby.deadbeef0.css", nil)
	if got := res.Header.Get("Cache-Control"); res.StatusCode != 404 || got != "no-cache" {
		t.Errorf("missing asset: StatusCode=%d Cache-Control=%q, want 404 no-cache", res.StatusCode, got)
	}

	if err := os.Remove(filepath.Join(dir, "404.html")); err != nil {
		t.Fatal(err)
	}
	res, body = get(t, Static(dir), "GET", "/missing", nil)
	if res.StatusCode != http.StatusNotFound || body != "404 page not found\n" {
		t.Errorf("no 404.html: StatusCode=%d body=%q", res.StatusCode, body)
	}

	res, body = get(t, Static(filepath.Join(dir, "never-built")), "GET", "/", nil)
	if res.StatusCode != http.StatusServiceUnavailable || strings.Contains(body, "never-built") {
		t.Errorf("missing output folder: StatusCode=%d body=%q, want 503 without the path", res.StatusCode, body)
	}
}

func TestContentTypes(t *testing.T) {
	dir := newSite(t)
	tests := []struct{ path, want string }{
		{"/", "text/html; charset=utf-8"},
		{"/assets/site.css", "text/css; charset=utf-8"},
		{"/assets/app.js", "text/javascript; charset=utf-8"},
		{"/api/v1/site.json", "application/json; charset=utf-8"},
		{"/notices/feed.xml", "application/xml; charset=utf-8"},
		{"/events/calendar.ics", "text/calendar; charset=utf-8"},
		{"/fees/2026-q3/disclosure.csv", "text/csv; charset=utf-8"},
		{"/.well-known/security.txt", "text/plain; charset=utf-8"},
		{"/assets/logo.png", "image/png"},
	}
	for _, tc := range tests {
		res, _ := get(t, Static(dir), "GET", tc.path, nil)
		if got := res.Header.Get("Content-Type"); res.StatusCode != 200 || got != tc.want {
			t.Errorf("path=%q: StatusCode=%d Content-Type=%q, want 200 %q", tc.path, res.StatusCode, got, tc.want)
		}
	}
}

// TestCaching checks ETags, conditional requests and the cache headers of
// HTML and fingerprinted assets.
func TestCaching(t *testing.T) {
	dir := newSite(t)
	h := New(Config{Dir: dir})
	tests := []struct {
		path, cache string
	}{
		{"/", "no-cache"},
		{"/about/", "no-cache"},
		{"/api/v1/site.json", "no-cache"},
		{"/assets/site.css", "no-cache"},
		{"/assets/lobby.3f2a9c1e.css", "public, max-age=31536000, immutable"},
	}
	for _, tc := range tests {
		for _, ae := range []string{"", "gzip"} {
			hdr := map[string]string{"Accept-Encoding": ae}
			res, body := get(t, h, "GET", tc.path, hdr)
			etag := res.Header.Get("ETag")
			if res.StatusCode != 200 || body == "" {
				t.Fatalf("path=%q ae=%q: StatusCode=%d, want 200 with a body", tc.path, ae, res.StatusCode)
			}
			if got := res.Header.Get("Cache-Control"); got != tc.cache {
				t.Errorf("path=%q ae=%q: Cache-Control=%q, want %q", tc.path, ae, got, tc.cache)
			}
			if !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
				t.Errorf("path=%q ae=%q: ETag=%q, want a strong ETag", tc.path, ae, etag)
			}
			hdr["If-None-Match"] = etag
			res, body = get(t, h, "GET", tc.path, hdr)
			if res.StatusCode != http.StatusNotModified || body != "" {
				t.Errorf("path=%q ae=%q: If-None-Match: StatusCode=%d body=%d bytes, want 304 and none", tc.path, ae, res.StatusCode, len(body))
			}
			if got := res.Header.Get("ETag"); got != etag {
				t.Errorf("path=%q ae=%q: 304 ETag=%q, want %q", tc.path, ae, got, etag)
			}
			hdr["If-None-Match"] = `"something-else"`
			if res, _ = get(t, h, "GET", tc.path, hdr); res.StatusCode != 200 {
				t.Errorf("path=%q ae=%q: stale If-None-Match: StatusCode=%d, want 200", tc.path, ae, res.StatusCode)
			}
		}
	}
}

// The ETag is computed once per file version, not per request: a change
// that keeps size and time is not seen until Reloaded drops the cache.
func TestETagCachedUntilReloaded(t *testing.T) {
	dir := newSite(t)
	s := New(Config{Dir: dir})
	p := filepath.Join(dir, "about/index.html")
	res, _ := get(t, s, "GET", "/about/", nil)
	first := res.Header.Get("ETag")
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(p)
	changed := bytes.Replace(old, []byte("about"), []byte("ABOUT"), 1)
	if err := os.WriteFile(p, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	res, _ = get(t, s, "GET", "/about/", nil)
	if got := res.Header.Get("ETag"); got != first {
		t.Errorf("ETag=%q after a same-size same-time change, want the cached %q", got, first)
	}
	s.Reloaded(nil)
	res, _ = get(t, s, "GET", "/about/", nil)
	if got := res.Header.Get("ETag"); got == first {
		t.Errorf("ETag=%q after Reloaded, want a new one", got)
	}
}

// TestCompression checks Accept-Encoding negotiation, precompressed
// sidecars, and that images and tiny files are sent as they are.
func TestCompression(t *testing.T) {
	dir := newSite(t)
	h := New(Config{Dir: dir})
	css, _ := os.ReadFile(filepath.Join(dir, "assets/site.css"))
	sidecar, _ := os.ReadFile(filepath.Join(dir, "assets/app.js.gz"))
	tests := []struct {
		path, accept string
		gzip         bool
		vary         bool
	}{
		{"/assets/site.css", "gzip", true, true},
		{"/assets/site.css", "gzip, deflate, br, zstd", true, true},
		{"/assets/site.css", "", false, true},
		{"/assets/site.css", "br", false, true},
		{"/assets/site.css", "gzip;q=0", false, true},
		{"/assets/site.css", "gzip;q=0, *", false, true},
		{"/assets/site.css", "*", true, true},
		{"/assets/site.css", "identity", false, true},
		{"/assets/site.css", "deflate, GZIP;q=0.5", true, true},
		{"/", "gzip", true, true},
		{"/api/v1/site.json", "gzip", true, true},
		{"/notices/feed.xml", "gzip", true, true},
		{"/assets/app.js", "gzip", true, true},
		{"/assets/app.js", "", false, true},
		{"/assets/logo.png", "gzip", false, false},
		{"/api/v1/notices.json", "gzip", false, true}, // too small to pay
	}
	for _, tc := range tests {
		res, body := get(t, h, "GET", tc.path, map[string]string{"Accept-Encoding": tc.accept})
		if res.StatusCode != 200 {
			t.Fatalf("path=%q ae=%q: StatusCode=%d, want 200", tc.path, tc.accept, res.StatusCode)
		}
		enc := res.Header.Get("Content-Encoding")
		if got := enc == "gzip"; got != tc.gzip {
			t.Errorf("path=%q ae=%q: Content-Encoding=%q, want gzip=%v", tc.path, tc.accept, enc, tc.gzip)
		}
		if got := res.Header.Get("Vary") == "Accept-Encoding"; got != tc.vary {
			t.Errorf("path=%q ae=%q: Vary=%q, want Accept-Encoding=%v", tc.path, tc.accept, res.Header.Get("Vary"), tc.vary)
		}
		if enc == "gzip" && tc.path != "/assets/app.js" {
			zr, err := gzip.NewReader(strings.NewReader(body))
			if err != nil {
				t.Fatalf("path=%q: %v", tc.path, err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("path=%q: %v", tc.path, err)
			}
			if tc.path == "/assets/site.css" && !bytes.Equal(plain, css) {
				t.Errorf("path=%q: gunzipped body differs from the file", tc.path)
			}
		}
		if tc.path == "/assets/app.js" && tc.gzip && body != string(sidecar) {
			t.Errorf("path=%q: body is not the precompressed sidecar", tc.path)
		}
		if got := res.Header.Get("Content-Type"); tc.path == "/assets/app.js" && got != "text/javascript; charset=utf-8" {
			t.Errorf("path=%q: Content-Type=%q, want the original's", tc.path, got)
		}
	}

	// Each encoding has its own ETag, and a Range on an encoded body is ignored.
	for _, p := range []string{"/assets/site.css", "/assets/app.js"} {
		plain, _ := get(t, h, "GET", p, nil)
		gz, _ := get(t, h, "GET", p, map[string]string{"Accept-Encoding": "gzip"})
		if a, b := plain.Header.Get("ETag"), gz.Header.Get("ETag"); a == "" || a == b {
			t.Errorf("path=%q: identity ETag=%q gzip ETag=%q, want two different ones", p, a, b)
		}
		res, _ := get(t, h, "GET", p, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": plain.Header.Get("ETag")})
		if res.StatusCode != 200 {
			t.Errorf("path=%q: gzip with the identity ETag: StatusCode=%d, want 200", p, res.StatusCode)
		}
		res, body := get(t, h, "GET", p, map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || len(body) <= 10 {
			t.Errorf("path=%q: gzip Range: StatusCode=%d len=%d, want 200 and the whole body", p, res.StatusCode, len(body))
		}
		res, body = get(t, h, "GET", p, map[string]string{"Range": "bytes=0-9"})
		if res.StatusCode != http.StatusPartialContent || len(body) != 10 {
			t.Errorf("path=%q: identity Range: StatusCode=%d len=%d, want 206 and 10 bytes", p, res.StatusCode, len(body))
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZip", true},
		{"x-gzip", true},
		{"deflate, gzip", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"gzip;q=0.001", true},
		{"gzip;q=abc", false},
		{"gzip;q=2", false},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"gzip;q=0.5, *;q=0", true},
		{"br, zstd", false},
		{"identity", false},
	}
	for _, tc := range tests {
		var values []string
		if tc.header != "" {
			values = []string{tc.header}
		}
		if got := acceptsGzip(values); got != tc.want {
			t.Errorf("Accept-Encoding=%q: acceptsGzip=%v, want %v", tc.header, got, tc.want)
		}
	}
}

// The content API is public: any origin may read it.
func TestContentAPICORS(t *testing.T) {
	dir := newSite(t)
	h := New(Config{Dir: dir})
	tests := []struct {
		method, path string
		status       int
		acao         string
	}{
		{"GET", "/api/v1/site.json", 200, "*"},
		{"HEAD", "/api/v1/site.json", 200, "*"},
		{"GET", "/api/v1/missing.json", 404, "*"},
		{"OPTIONS", "/api/v1/site.json", 204, "*"},
		{"GET", "/about/", 200, ""},
		{"POST", "/api/v1/site.json", 405, ""},
	}
	for _, tc := range tests {
		res, _ := get(t, h, tc.method, tc.path, map[string]string{"Origin": "https://elsewhere.example"})
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: StatusCode=%d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
		}
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != tc.acao {
			t.Errorf("%s %s: Access-Control-Allow-Origin=%q, want %q", tc.method, tc.path, got, tc.acao)
		}
	}
}

// A build swaps a new output folder in by renaming; the next request
// serves it, with no restart and no call to Reloaded.
func TestServesReplacedFolder(t *testing.T) {
	dir := newSite(t)
	h := New(Config{Dir: dir})
	if _, body := get(t, h, "GET", "/about/", nil); !strings.Contains(body, "about") {
		t.Fatalf("before: %.60q", body)
	}
	next := dir + ".tmp"
	writeTree(t, next, map[string]string{"about/index.html": page("新版本 new build"), "404.html": "gone"})
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, dir); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir + ".old"); err != nil {
		t.Fatal(err)
	}
	if res, body := get(t, h, "GET", "/about/", nil); res.StatusCode != 200 || !strings.Contains(body, "new build") {
		t.Errorf("after: StatusCode=%d body=%.60q, want the new build", res.StatusCode, body)
	}
	if res, body := get(t, h, "GET", "/assets/site.css", nil); res.StatusCode != 404 || body != "gone" {
		t.Errorf("after: removed file: StatusCode=%d body=%q, want the new 404", res.StatusCode, body)
	}
}

func TestMethods(t *testing.T) {
	dir := newSite(t)
	h := Static(dir)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		res, _ := get(t, h, m, "/", nil)
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") == "" {
			t.Errorf("method=%s: StatusCode=%d Allow=%q, want 405 with Allow", m, res.StatusCode, res.Header.Get("Allow"))
		}
	}
	res, body := get(t, h, "HEAD", "/about/", nil)
	if res.StatusCode != 200 || body != "" || res.Header.Get("ETag") == "" {
		t.Errorf("HEAD: StatusCode=%d body=%q ETag=%q", res.StatusCode, body, res.Header.Get("ETag"))
	}
}

func TestResolvePath(t *testing.T) {
	tests := []struct {
		path   string
		name   string
		slash  bool
		status int
	}{
		{"/", ".", true, 0},
		{"", ".", true, 0},
		{"/a/b.html", "a/b.html", false, 0},
		{"/a/b/", "a/b", true, 0},
		{"//a//b", "a/b", false, 0},
		{"/./a", "a", false, 0},
		{"/通知/停水/", "通知/停水", true, 0},
		{"/.well-known/x", ".well-known/x", false, 0},
		{"/a/.well-known/x", "", false, 404},
		{"/.git/config", "", false, 404},
		{"/.", ".", false, 0},
		{"/..", "", false, 400},
		{"/a/../b", "", false, 400},
		{"/a\\b", "", false, 400},
		{"/a\x00b", "", false, 400},
		{"/\xff", "", false, 400},
		{"a", "", false, 400},
	}
	for _, tc := range tests {
		name, slash, status := resolvePath(tc.path)
		if name != tc.name || slash != tc.slash || status != tc.status {
			t.Errorf("path=%q: resolvePath=(%q, %v, %d), want (%q, %v, %d)", tc.path, name, slash, status, tc.name, tc.slash, tc.status)
		}
	}
}

// BenchmarkStatic measures one request for a page through the whole
// handler, identity and gzip (from the cache).
func BenchmarkStatic(b *testing.B) {
	dir := newSite(b)
	h := New(Config{Dir: dir})
	for _, ae := range []string{"", "gzip"} {
		b.Run("ae="+ae, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/notices/water/", nil)
			req.Header.Set("Accept-Encoding", ae)
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// BenchmarkOpenRoot measures what opening the output folder for each
// request costs, against keeping one os.Root open (which would serve a
// replaced folder's old files).
func BenchmarkOpenRoot(b *testing.B) {
	dir := newSite(b)
	for b.Loop() {
		root, err := os.OpenRoot(dir)
		if err != nil {
			b.Fatal(err)
		}
		root.Close()
	}
}

// Static returns the static file handler alone, without the server's
// headers and routes around it.
func Static(dir string) http.Handler { return newStatic(dir) }
