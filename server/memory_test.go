package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// a page asked for again comes from memory, with the same
// headers, bodies and conditional answers as from the disk.
func TestMemoryServesLikeTheDisk(t *testing.T) {
	dir := newSite(t)
	h := New(Config{Dir: dir})
	for _, enc := range []string{"", "gzip"} {
		hdr := map[string]string{"Accept-Encoding": enc}
		first, body1 := get(t, h, "GET", "/about/", hdr)
		second, body2 := get(t, h, "GET", "/about/", hdr)
		if first.StatusCode != 200 || second.StatusCode != 200 || body1 != body2 || (enc == "" && !strings.Contains(body1, "about")) {
			t.Fatalf("%q: %d %d, bodies equal: %v", enc, first.StatusCode, second.StatusCode, body1 == body2)
		}
		for _, k := range []string{"Content-Type", "Cache-Control", "ETag", "Content-Encoding", "Vary", "Content-Security-Policy"} {
			if first.Header.Get(k) != second.Header.Get(k) {
				t.Errorf("%q: %s %q then %q", enc, k, first.Header.Get(k), second.Header.Get(k))
			}
		}
		if enc == "gzip" && second.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("gzip asked, got Content-Encoding %q", second.Header.Get("Content-Encoding"))
		}
		res, _ := get(t, h, "GET", "/about/", map[string]string{"Accept-Encoding": enc, "If-None-Match": second.Header.Get("ETag")})
		if res.StatusCode != 304 {
			t.Errorf("%q: If-None-Match from memory: %d, want 304", enc, res.StatusCode)
		}
	}
}

// a file held in memory is checked against the disk on every
// request: a rebuild, an edit by another program or a symbolic link put in
// its place shows at once.
func TestMemoryForgetsChangedFiles(t *testing.T) {
	dir := newSite(t)
	srv := New(Config{Dir: dir})
	if _, body := get(t, srv, "GET", "/about/", nil); !strings.Contains(body, "about") {
		t.Fatalf("before: %.60q", body)
	}
	file := filepath.Join(dir, "about", "index.html")
	if err := os.WriteFile(file, []byte(page("rebuilt")), 0o644); err != nil {
		t.Fatal(err)
	}
	srv.Reloaded(nil)
	if _, body := get(t, srv, "GET", "/about/", nil); !strings.Contains(body, "rebuilt") {
		t.Errorf("after Reloaded: %.60q, want the rebuilt page", body)
	}
	if err := os.WriteFile(file, []byte(page("edited by hand, longer")), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, srv, "GET", "/about/", nil); !strings.Contains(body, "edited by hand") {
		t.Errorf("after an edit in place: %.60q, want the edited page", body)
	}
	outside := filepath.Join(t.TempDir(), "secret.html")
	if err := os.WriteFile(outside, []byte(page("secret")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, file); err != nil {
		t.Fatal(err)
	}
	if res, body := get(t, srv, "GET", "/about/", nil); res.StatusCode != 404 || strings.Contains(body, "secret") || strings.Contains(body, "edited") {
		t.Errorf("a link leading out in its place: %d %.60q, want the 404 page", res.StatusCode, body)
	}
}

// files held in memory stay within their bound: a file that would
// pass it empties the memory first, and is then served from it like the
// others.
func TestMemoryBound(t *testing.T) {
	c := memory{max: 100}
	file := func(n int) *memFile { return &memFile{data: make([]byte, n), gz: make([]byte, n/2)} }
	c.put("a", file(40)) // 60 bytes
	c.put("a", file(40)) // the same file again: still 60
	if c.bytes != 60 || len(c.m) != 1 {
		t.Fatalf("after a, a: %d bytes in %d files, want 60 in 1", c.bytes, len(c.m))
	}
	c.put("b", file(20)) // 90
	c.put("c", file(20)) // would be 120: the memory empties first
	if c.bytes != 30 || len(c.m) != 1 || c.m["c"] == nil {
		t.Errorf("past the bound: %d bytes in %d files, want only c (30)", c.bytes, len(c.m))
	}
}
