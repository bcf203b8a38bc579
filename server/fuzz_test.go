package server

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzStaticResolve checks that whatever the URL path, a name
// that resolvePath lets through is local, and when os.Root (the oracle) can
// open it, its real location is inside the output folder; the handlers never
// answer 5xx nor send the file outside. Seeds are in testdata/fuzz.
func FuzzStaticResolve(f *testing.F) {
	dir := newSite(f)
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		f.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { root.Close() })
	handlers := handlers(dir)
	for _, p := range []string{"/", "/about", "/inside.html", "/.well-known/security.txt", "/assets/app.js"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, _, status := resolvePath(p)
		if status == 0 {
			if !fs.ValidPath(name) || !filepath.IsLocal(filepath.FromSlash(name)) {
				t.Fatalf("path=%q: resolved to %q, which is not local", p, name)
			}
			for i, elem := range strings.Split(name, "/") {
				if strings.HasPrefix(elem, ".") && name != "." && !(i == 0 && elem == ".well-known") {
					t.Fatalf("path=%q: resolved to hidden %q", p, name)
				}
			}
			if _, err := root.Stat(name); err == nil {
				real, err := filepath.EvalSymlinks(filepath.Join(dir, filepath.FromSlash(name)))
				if err != nil {
					t.Fatalf("path=%q: os.Root opens %q but it does not resolve: %v", p, name, err)
				}
				if rel, err := filepath.Rel(realDir, real); err != nil || !filepath.IsLocal(rel) {
					t.Fatalf("path=%q: os.Root opens %q, which is really %q, outside %q", p, name, real, realDir)
				}
			}
		}
		for hname, h := range handlers {
			req := httptest.NewRequest("GET", "/", nil)
			req.Host = "localhost"
			req.URL.Path, req.URL.RawPath = p, ""
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s: path=%q: StatusCode=%d", hname, p, rec.Code)
			}
			if rec.Code == http.StatusOK && status != 0 {
				t.Fatalf("%s: path=%q: StatusCode=200 for a path resolvePath refused (%d)", hname, p, status)
			}
			if strings.Contains(rec.Body.String(), secretMarker) {
				t.Fatalf("%s: path=%q: body holds the file outside the root", hname, p)
			}
		}
	})
}
