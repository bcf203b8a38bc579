package site_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestDemoGolden compares the demo site's notice, event, fee and handbook
// pages with the files in testdata/golden, so that a change to the theme or
// the renderer shows in the diff of a review. Run with -update to accept it.
func TestDemoGolden(t *testing.T) {
	s, err := site.Build(lobby.Demo(), lobby.Theme(), site.Options{Now: sitetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{
		"notices/water-shutoff/index.html",
		"events/winter-solstice-dumplings/index.html",
		"fees/2026-q3/index.html",
		"handbook/repairs/follow-up/index.html",
	} {
		got, ok := s.Files[page]
		if !ok {
			t.Errorf("the demo site has no %s", page)
			continue
		}
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(strings.TrimSuffix(page, "/index.html"), "/", "_")+".html")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./site -run TestDemoGolden -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test ./site -run TestDemoGolden -update and review the diff", page, golden)
		}
	}
}
