package server

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// testDebounce is long enough that the steps of one simulated save, made
// back to back by the test, always fall in one batch on a busy machine.
const testDebounce = 300 * time.Millisecond

// rebuildCall is one call of the RebuildFunc, with paths relative to the site.
type rebuildCall struct {
	changed []string
	full    bool
}

// watchedSite is a site folder under a running Watcher.
type watchedSite struct {
	dir     string
	w       *Watcher
	calls   chan rebuildCall
	rebuilt chan error
}

// newWatchedSite writes a small site, starts a Watcher on its content,
// layouts, static and config.toml, and stops it when the test ends.
// rebuild, if not nil, runs inside each Rebuild call and gives its result.
func newWatchedSite(t *testing.T, rebuild func() error) *watchedSite {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"config.toml":               "title = \"翠湖花园\"\n",
		"content/notices/a.md":      "+++\ntitle = \"停水\"\n+++\n",
		"content/events/e.md":       "+++\ntitle = \"e\"\n+++\n",
		"content/events/old/o.md":   "+++\ntitle = \"o\"\n+++\n",
		"layouts/base.html":         "<html></html>",
		"static/site.css":           "p{}",
		"public/index.html":         "built",
		".git/HEAD":                 "ref: refs/heads/main\n",
		"content/.drafts/secret.md": "x",
	})
	ws := &watchedSite{dir: dir, calls: make(chan rebuildCall, 16), rebuilt: make(chan error, 16)}
	var roots []string
	for _, r := range []string{"content", "layouts", "static", "config.toml"} {
		roots = append(roots, filepath.Join(dir, r))
	}
	w, err := NewWatcher(WatchConfig{
		Roots:    roots,
		Exclude:  []string{filepath.Join(dir, "public")},
		Debounce: testDebounce,
		Rebuild: func(ctx context.Context, changed []string, full bool) error {
			call := rebuildCall{full: full}
			for _, p := range changed {
				rel, err := filepath.Rel(dir, p)
				if err != nil {
					rel = "OUTSIDE:" + p
				}
				call.changed = append(call.changed, filepath.ToSlash(rel))
			}
			ws.calls <- call
			if rebuild != nil {
				return rebuild()
			}
			return nil
		},
		Rebuilt: func(err error) { ws.rebuilt <- err },
	})
	if err != nil {
		t.Fatal(err)
	}
	ws.w = w
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run=%v, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return")
		}
	})
	return ws
}

func (ws *watchedSite) path(name string) string {
	return filepath.Join(ws.dir, filepath.FromSlash(name))
}

func (ws *watchedSite) write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(ws.path(name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ws.path(name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (ws *watchedSite) rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(ws.path(from), ws.path(to)); err != nil {
		t.Fatal(err)
	}
}

func (ws *watchedSite) remove(t *testing.T, name string) {
	t.Helper()
	if err := os.RemoveAll(ws.path(name)); err != nil {
		t.Fatal(err)
	}
}

// expect waits for the next Rebuild call and checks it.
func (ws *watchedSite) expect(t *testing.T, full bool, changed ...string) {
	t.Helper()
	select {
	case call := <-ws.calls:
		if !slices.Equal(call.changed, changed) || call.full != full {
			t.Errorf("Rebuild(changed=%q, full=%v), want (changed=%q, full=%v)", call.changed, call.full, changed, full)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no Rebuild within 5 s, want changed=%q", changed)
	}
}

// Each way an editor or a tool saves a file is one batch naming the file.
func TestWatchSaves(t *testing.T) {
	tests := []struct {
		name string
		save func(t *testing.T, ws *watchedSite)
		want []string
	}{
		{"write in place", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/notices/a.md", "+++\ntitle = \"停水通知\"\n+++\n")
		}, []string{"content/notices/a.md"}},
		{"write twice (O_TRUNC)", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/notices/a.md", "1")
			ws.write(t, "content/notices/a.md", "2")
		}, []string{"content/notices/a.md"}},
		{"temporary file renamed over", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/notices/a.md.tmp.8812", "new")
			ws.rename(t, "content/notices/a.md.tmp.8812", "content/notices/a.md")
		}, []string{"content/notices/a.md"}},
		{"sed -i", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/notices/sedX1b2C3", "new")
			ws.rename(t, "content/notices/sedX1b2C3", "content/notices/a.md")
		}, []string{"content/notices/a.md"}},
		{"vim with backup and swap files", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/notices/.a.md.swp", "swap")
			ws.write(t, "content/notices/4913", "")
			ws.remove(t, "content/notices/4913")
			ws.rename(t, "content/notices/a.md", "content/notices/a.md~")
			ws.write(t, "content/notices/a.md", "new")
			ws.remove(t, "content/notices/a.md~")
			ws.write(t, "content/notices/.a.md.swx", "swap")
			ws.remove(t, "content/notices/.a.md.swp")
		}, []string{"content/notices/a.md"}},
		{"a burst across roots", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "layouts/base.html", "<html><body></body></html>")
			ws.write(t, "static/site.css", "p{margin:0}")
			ws.write(t, "content/events/e.md", "changed")
		}, []string{"content/events/e.md", "layouts/base.html", "static/site.css"}},
		{"config.toml saved by rename", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "config.toml.new", "title = \"x\"\n")
			ws.rename(t, "config.toml.new", "config.toml")
		}, []string{"config.toml"}},
		{"new folder with a file", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/events/2026/03/meeting.md", "+++\ntitle = \"业主大会\"\n+++\n")
		}, []string{"content/events/2026/03/meeting.md"}},
		{"delete a file and a folder", func(t *testing.T, ws *watchedSite) {
			ws.remove(t, "content/notices/a.md")
			ws.remove(t, "content/events/old")
		}, []string{"content/events/old", "content/events/old/o.md", "content/notices/a.md"}},
		{"move a file", func(t *testing.T, ws *watchedSite) {
			ws.rename(t, "content/notices/a.md", "content/events/a.md")
		}, []string{"content/events/a.md", "content/notices/a.md"}},
		{"a file created and removed again", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/notices/draft.md", "x")
			ws.remove(t, "content/notices/draft.md")
			ws.write(t, "static/site.css", "p{}")
		}, []string{"static/site.css"}},
		{"swap, backup, hidden and output files ignored", func(t *testing.T, ws *watchedSite) {
			ws.write(t, "content/notices/.a.md.swp", "swap")
			ws.write(t, "content/notices/a.md~", "backup")
			ws.write(t, "content/notices/#a.md#", "emacs")
			ws.write(t, "content/notices/4913", "")
			ws.write(t, "content/.drafts/secret.md", "y")
			ws.write(t, "content/.newdir/x.md", "y")
			ws.write(t, "public/index.html", "rebuilt")
			ws.write(t, ".git/index", "x")
			ws.write(t, "README.md", "not a root")
			ws.write(t, "layouts/base.html", "<html></html>")
		}, []string{"layouts/base.html"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ws := newWatchedSite(t, nil)
			tc.save(t, ws)
			ws.expect(t, false, tc.want...)
			// A sentinel change is the next batch: nothing was left over.
			ws.write(t, "static/sentinel.css", "x")
			ws.expect(t, false, "static/sentinel.css")
		})
	}
}

// A folder created while watching is watched too.
func TestWatchNewFolderIsWatched(t *testing.T) {
	ws := newWatchedSite(t, nil)
	ws.write(t, "content/handbook/rules/pets.md", "a")
	ws.expect(t, false, "content/handbook/rules/pets.md")
	ws.write(t, "content/handbook/rules/parking.md", "b")
	ws.expect(t, false, "content/handbook/rules/parking.md")
	// Moved in from outside the roots, with files already inside.
	if err := os.MkdirAll(ws.path("tmp/garden"), 0o755); err != nil {
		t.Fatal(err)
	}
	ws.write(t, "tmp/garden/trees.md", "c")
	ws.rename(t, "tmp/garden", "content/garden")
	ws.expect(t, false, "content/garden/trees.md")
	ws.write(t, "content/garden/flowers.md", "d")
	ws.expect(t, false, "content/garden/flowers.md")
}

// A root that does not exist at the start is watched once created.
func TestWatchRootCreatedLater(t *testing.T) {
	ws := newWatchedSite(t, nil)
	ws.remove(t, "layouts")
	ws.expect(t, false, "layouts", "layouts/base.html")
	ws.write(t, "layouts/partials/head.html", "<head>")
	ws.expect(t, false, "layouts/partials/head.html")
	ws.write(t, "layouts/partials/head.html", "<head></head>")
	ws.expect(t, false, "layouts/partials/head.html")
}

// Lost events (the kernel queue overflowed) ask for a full rebuild.
func TestWatchOverflowIsFullRebuild(t *testing.T) {
	ws := newWatchedSite(t, nil)
	ws.w.fsw.Errors <- fsnotify.ErrEventOverflow
	ws.expect(t, true)
}

// A failed rebuild is reported through Rebuilt and does not stop the
// watcher; rebuilds never overlap, and changes made during one make the next.
func TestWatchRebuildErrorsAndOverlap(t *testing.T) {
	var running, overlapped atomic.Int32
	release := make(chan struct{})
	first := true
	ws := newWatchedSite(t, func() error {
		if running.Add(1) > 1 {
			overlapped.Add(1)
		}
		defer running.Add(-1)
		if first {
			first = false
			<-release
			return errors.New("content/notices/a.md:2:1: bad front matter")
		}
		return nil
	})
	ws.write(t, "content/notices/a.md", "broken")
	ws.expect(t, false, "content/notices/a.md")
	// The first rebuild is still running: these changes wait for it.
	ws.write(t, "content/events/e.md", "x")
	ws.write(t, "static/site.css", "y")
	time.Sleep(2 * testDebounce) // let the quiet time pass during the rebuild
	close(release)
	select {
	case err := <-ws.rebuilt:
		if err == nil {
			t.Error("Rebuilt(nil), want the first rebuild's error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Rebuilt was not called")
	}
	ws.expect(t, false, "content/events/e.md", "static/site.css")
	select {
	case err := <-ws.rebuilt:
		if err != nil {
			t.Errorf("Rebuilt(%v), want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Rebuilt was not called for the second rebuild")
	}
	if n := overlapped.Load(); n != 0 {
		t.Errorf("%d rebuilds overlapped", n)
	}
}

func TestEditorTemp(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a.md", false},
		{"sedan.md", false},
		{"sed.md", false},
		{"4913.md", false},
		{"notes.swift", false},
		{".a.md.swp", true},
		{"a.md.swp", true},
		{"a.md.swx", true},
		{"a.md.swo", true},
		{"a.md~", true},
		{"4913", true},
		{"sedAb12Cd", true},
		{"#a.md#", true},
		{"a.md___jb_tmp___", true},
		{".env", true},
	}
	for _, tc := range tests {
		if got := editorTemp(tc.name); got != tc.want {
			t.Errorf("name=%q: editorTemp=%v, want %v", tc.name, got, tc.want)
		}
	}
}
