// Package sitetest builds whole sites written as txtar archives in memory,
// for tests that assert what a user finds in public/.
//
// A test writes the site's files in a txtar string:
//
//	-- config.toml --
//	title = "Test"
//	baseURL = "https://example.org/"
//	-- content/notices/water.md --
//	+++
//	title = "停水通知"
//	+++
//
// and asserts on the output with AssertFile(path, lines...), where each
// line is a substring that must appear, or, after "! ", must not.
package sitetest

import (
	"errors"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/site"
)

// Now is the moment test builds are judged against, unless a test sets
// another with Options.
var Now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Result is a built site with assertions on its files.
type Result struct {
	t    testing.TB
	Site *site.Site
}

// FS returns the files of a txtar archive as a file system.
func FS(archive string) fstest.MapFS {
	a := txtar.Parse([]byte(archive))
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[strings.TrimPrefix(f.Name, "/")] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// Build builds the site in archive at Now with the default theme, failing
// the test on any error.
func Build(t testing.TB, archive string) *Result {
	t.Helper()
	return BuildWith(t, archive, site.Options{Now: Now})
}

// BuildWith builds the site in archive with opts, failing the test on any
// error.
func BuildWith(t testing.TB, archive string, opts site.Options) *Result {
	t.Helper()
	s, err := site.Build(FS(archive), lobby.Theme(), opts)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return &Result{t: t, Site: s}
}

// BuildE builds the site in archive at Now and returns its errors, one
// "path:line:col: message" string each, sorted; it fails the test when the
// build succeeds.
func BuildE(t testing.TB, archive string) []string {
	t.Helper()
	return BuildEIn(t, archive, msg.En)
}

// BuildEIn is BuildE with the messages in lang.
func BuildEIn(t testing.TB, archive string, lang msg.Lang) []string {
	t.Helper()
	_, err := site.Build(FS(archive), lobby.Theme(), site.Options{Now: Now})
	if err == nil {
		t.Fatal("build succeeded, want errors")
	}
	var list site.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("build failed with %T, want site.ErrorList: %v", err, err)
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.In(lang)
	}
	return out
}

// File returns the contents of an output file, failing the test if there
// is none.
func (r *Result) File(path string) string {
	r.t.Helper()
	data, ok := r.Site.Files[strings.TrimPrefix(path, "/")]
	if !ok {
		r.t.Fatalf("no output file %s; have:\n%s", path, strings.Join(r.Paths(), "\n"))
	}
	return string(data)
}

// Exists reports whether the output has a file at path.
func (r *Result) Exists(path string) bool {
	_, ok := r.Site.Files[strings.TrimPrefix(path, "/")]
	return ok
}

// Paths returns every output path, sorted.
func (r *Result) Paths() []string {
	var out []string
	for p := range r.Site.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// AssertFile checks that the output file at path contains each line as a
// substring, or, for a line starting with "! ", does not contain the rest.
func (r *Result) AssertFile(path string, lines ...string) {
	r.t.Helper()
	content := r.File(path)
	for _, l := range lines {
		if neg, ok := strings.CutPrefix(l, "! "); ok {
			if strings.Contains(content, neg) {
				r.t.Errorf("%s contains %q, want it not to:\n%s", path, neg, excerpt(content, neg))
			}
			continue
		}
		if !strings.Contains(content, l) {
			r.t.Errorf("%s does not contain %q:\n%s", path, l, clip(content))
		}
	}
}

// Page returns the page at URL u, failing the test if there is none.
func (r *Result) Page(u string) *site.Page {
	r.t.Helper()
	for _, p := range r.Site.Pages {
		if p.URL == u {
			return p
		}
	}
	r.t.Fatalf("no page with URL %s", u)
	return nil
}

func excerpt(content, s string) string {
	i := strings.Index(content, s)
	lo, hi := max(0, i-200), min(len(content), i+len(s)+200)
	return content[lo:hi]
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "\n…"
	}
	return s
}

// Overlay returns fsys with the files of over in place of its own, for a
// test that builds a real site (the demo) with a file or two changed.
func Overlay(fsys fs.FS, over fstest.MapFS) fs.FS { return overlay{fsys, over} }

type overlay struct {
	fs.FS
	over fstest.MapFS
}

func (o overlay) Open(name string) (fs.File, error) {
	if _, ok := o.over[name]; ok {
		return o.over.Open(name)
	}
	return o.FS.Open(name)
}
