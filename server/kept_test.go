package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// A page of a build replaced a moment ago names its own build's
// stylesheet and script: they are still served, with their own build's
// bytes, whether the server had sent them before or not, while the new
// build's are served from the new folder.
func TestAssetsOfAReplacedBuildStayServed(t *testing.T) {
	top := t.TempDir()
	pub := filepath.Join(top, "public")
	writeTree(t, pub, map[string]string{
		"index.html":                   page("build 1"),
		"assets/lobby.1111aaaa.css":    long("/* build 1 */"),
		"assets/lobby.1111bbbb.js":     long("// build 1"),
		"assets/unhashed.css":          long("/* build 1 */"),
		"assets/img/logo.1111cccc.svg": "<svg><!-- build 1 --></svg>",
	})
	srv := New(Config{Dir: pub})
	get := func(p string) (int, string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		body, _ := io.ReadAll(rec.Result().Body)
		return rec.Code, string(body)
	}
	if code, body := get("/assets/lobby.1111aaaa.css"); code != 200 || body != long("/* build 1 */") {
		t.Fatalf("build 1's stylesheet = %d %q", code, body)
	}

	// Build 2 replaces the folder, as a build or an upload renamed into
	// place does; its assets have other hashes.
	next := filepath.Join(top, "next")
	writeTree(t, next, map[string]string{
		"index.html":                page("build 2"),
		"assets/lobby.2222aaaa.css": long("/* build 2 */"),
		"assets/unhashed.css":       long("/* build 2 */"),
	})
	if err := os.Rename(pub, filepath.Join(top, "old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, pub); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(top, "old")); err != nil {
		t.Fatal(err)
	}
	srv.Reloaded(nil)

	for _, tc := range []struct {
		path, want string
		code       int
	}{
		{"/", page("build 2"), 200},
		{"/assets/lobby.2222aaaa.css", long("/* build 2 */"), 200},
		{"/assets/lobby.1111aaaa.css", long("/* build 1 */"), 200},            // served before
		{"/assets/lobby.1111bbbb.js", long("// build 1"), 200},                // never asked for
		{"/assets/img/logo.1111cccc.svg", "<svg><!-- build 1 --></svg>", 200}, // in a subfolder
		{"/assets/unhashed.css", long("/* build 2 */"), 200},                  // its name says nothing of its build
	} {
		if code, body := get(tc.path); code != tc.code || body != tc.want {
			t.Errorf("GET %s = %d %q, want %d %q", tc.path, code, body, tc.code, tc.want)
		}
	}
	// Build 3 keeps build 2's assets available too.
	writeTree(t, pub, map[string]string{"assets/lobby.3333aaaa.css": long("/* build 3 */")})
	srv.Reloaded(nil)
	if err := os.Remove(filepath.Join(pub, "assets/lobby.2222aaaa.css")); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/assets/lobby.2222aaaa.css"); code != 200 || body != long("/* build 2 */") {
		t.Errorf("build 2's stylesheet after build 3 = %d %q", code, body)
	}
	if code, _ := get("/assets/lobby.9999aaaa.css"); code != 404 {
		t.Errorf("an asset no build had = %d, want 404", code)
	}
}

func TestKeptAssetsAreBounded(t *testing.T) {
	var k keptAssets
	big := make([]byte, keptBytes/3+1)
	for _, name := range []string{"a.11111111.css", "b.22222222.css", "c.33333333.css", "d.44444444.css"} {
		k.put(name, &memFile{data: big})
	}
	if k.bytes > keptBytes {
		t.Errorf("kept %d bytes, bound %d", k.bytes, keptBytes)
	}
	if k.get("a.11111111.css") != nil || k.get("d.44444444.css") == nil {
		t.Error("the oldest asset should go first, the newest stay")
	}
}
