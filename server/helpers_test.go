package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretMarker is the content of a file outside the output folder: no
// response may ever contain it.
const secretMarker = "TOP-SECRET-MARKER-7f3c"

// long pads s past minCompress, so that it is worth compressing.
func long(s string) string {
	return s + strings.Repeat("<!-- padding to make compression pay -->\n", 20)
}

// page is a small HTML page with the given text in its body.
func page(text string) string {
	return "<!doctype html><html><head><title>" + text + "</title></head><body><p>" + text + "</p>" +
		long("") + "</body></html>\n"
}

// writeTree writes files (slash-separated names relative to dir) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newSite writes a built site into a temporary folder and returns the
// output folder, with a secret file beside it and symbolic links leading
// inside and out.
func newSite(t testing.TB) string {
	t.Helper()
	top := t.TempDir()
	writeTree(t, top, map[string]string{
		"secret.txt":        secretMarker,
		"outside/page.html": secretMarker,
	})
	pub := filepath.Join(top, "public")
	writeTree(t, pub, map[string]string{
		"index.html":                  page("home 首页"),
		"404.html":                    page("not found 页面不存在"),
		"about/index.html":            page("about"),
		"notices/water/index.html":    page("停水通知"),
		"assets/lobby.3f2a9c1e.css":   long("body { color: #333; }\n"),
		"assets/site.css":             long("p { margin: 0; }\n"),
		"assets/app.js":               long("console.log('app');\n"),
		"assets/logo.png":             "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 600),
		"api/v1/site.json":            long(`{"title":"Lobby"}`),
		"api/v1/notices.json":         `{"section":"notices","pages":[]}`,
		"notices/feed.xml":            long(`<?xml version="1.0" encoding="utf-8"?><feed></feed>`),
		"events/calendar.ics":         "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
		"fees/2026-q3/disclosure.csv": "item,amount\r\n",
		".well-known/security.txt":    "Contact: mailto:office@example.org\n",
		".well-known/.hidden":         "hidden",
		".git/config":                 "[core]\n",
		".env":                        "TOKEN=x\n",
		"assets/.hidden.css":          "hidden",
	})
	// A precompressed sidecar whose bytes differ from what the server would
	// make, so tests can tell which one was sent.
	if err := os.WriteFile(filepath.Join(pub, "assets/app.js.gz"), gzipOf(t, "// from the sidecar\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"inside.html":   "about/index.html",
		"escape.html":   "../secret.txt",
		"outside":       "../outside",
		"absolute.html": filepath.Join(top, "secret.txt"),
		"loop.html":     "loop.html",
	} {
		if err := os.Symlink(target, filepath.Join(pub, link)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	return pub
}

// gzipOf compresses s.
func gzipOf(t testing.TB, s string) []byte {
	t.Helper()
	b, err := gzipBytes(strings.NewReader(s+strings.Repeat(" ", 300)), int64(len(s)+300))
	if err != nil || b == nil {
		t.Fatalf("gzip: %v", err)
	}
	return b
}

// get sends a request to h and returns the response with its body read.
func get(t testing.TB, h http.Handler, method, target string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.Host = "localhost:1313"
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}
