package site

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lobby-community/lobby"
)

// testNow is sitetest.Now, which this package's own tests cannot import.
var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// demoFS copies the demo site's config.toml and content/ into memory, for
// tests that edit it.
func demoFS(t *testing.T) fstest.MapFS {
	t.Helper()
	demo := lobby.Demo()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && p != ConfigFile && p != ContentDir && !strings.HasPrefix(p, ContentDir+"/") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(demo, p)
		fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// edit replaces old with new in the file at p, failing the test when p
// does not hold old.
func edit(t *testing.T, fsys fstest.MapFS, p, old, new string) {
	t.Helper()
	f, ok := fsys[p]
	if !ok || !bytes.Contains(f.Data, []byte(old)) {
		t.Fatalf("%s does not contain %q", p, old)
	}
	fsys[p] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1), Mode: 0o644}
}

// diffFiles describes how got differs from want: missing, extra and
// changed files, a few of each.
func diffFiles(got, want map[string][]byte) string {
	var lines []string
	for _, name := range sortedKeys(want) {
		g, ok := got[name]
		switch {
		case !ok:
			lines = append(lines, "missing "+name)
		case !bytes.Equal(g, want[name]):
			lines = append(lines, "differs "+name)
		}
	}
	for _, name := range sortedKeys(got) {
		if _, ok := want[name]; !ok {
			lines = append(lines, "extra "+name)
		}
	}
	if len(lines) > 12 {
		lines = append(lines[:12], "…")
	}
	return strings.Join(lines, "\n")
}

// readTree reads the files below dir and reports any dot-file: an output
// folder holds only what the site publishes, and lobby keeps its manifest
// and staging folders out of it once a build is done.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, ".") || strings.Contains(rel, "/.") {
			t.Errorf("the output has a dot-file: %s", rel)
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A rebuild after edits gives the same output as a full build of the same
// files, in memory and in a folder, and a change to one page's body renders
// only what reads it.
func TestRebuildEqualsFullBuild(t *testing.T) {
	fsys := demoFS(t)
	opts := Options{Now: testNow}
	mem := NewBuilder(fsys, lobby.Theme(), opts, "")
	dest := filepath.Join(t.TempDir(), "public")
	dir := NewBuilder(fsys, lobby.Theme(), opts, dest)
	if _, err := mem.Build(); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.Build(); err != nil {
		t.Fatal(err)
	}

	const water = "content/notices/2026-11-25-water-shutoff.md"
	const fire = "content/handbook/safety/fire.md"
	const added = "content/notices/2026-11-27-new.md"
	steps := []struct {
		name    string
		change  func()
		changed []string
		now     time.Time
		// most is the most jobs the rebuild may run, as a share of all.
		most float64
		// bodies: only page bodies changed, and the site is replayed.
		bodies bool
	}{
		{"edit the last paragraph of a notice", func() {
			f := fsys[water]
			fsys[water] = &fstest.MapFile{Data: append(bytes.Clone(f.Data), "\n补充：请关好水龙头。\n"...)}
		}, []string{water}, testNow, 0.1, true},
		{"the clock moves on a minute, which the lobby display shows", func() {}, nil, testNow.Add(time.Minute), 0.1, true},
		{"the clock moves on within that minute: nothing shows it", func() {}, nil, testNow.Add(time.Minute + 20*time.Second), 0, true},
		{"edit a handbook chapter, which the printable handbook holds", func() {
			edit(t, fsys, fire, "鞋柜、纸箱", "鞋柜、快递纸箱")
		}, []string{fire}, testNow, 0.1, true},
		{"change a notice's title", func() {
			edit(t, fsys, water, "计划停水通知", "停水通知（更新）")
		}, []string{water}, testNow, 1, false},
		{"change a section's title, which every page's menu shows", func() {
			edit(t, fsys, "content/events/_index.md", `title = "社区活动"`, `title = "邻里活动"`)
		}, []string{"content/events/_index.md"}, testNow, 1, false},
		{"add pages and a folder", func() {
			fsys[added] = &fstest.MapFile{Data: []byte("+++\ntitle = \"新通知\"\ndate = 2026-11-27T09:00:00+08:00\ntags = [\"停水\", \"新标签\"]\n+++\n\n见[另一则](more/a.md)。\n")}
			fsys["content/notices/more/a.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"A\"\ndate = 2026-11-26T09:00:00+08:00\n+++\n\nA.\n")}
			fsys["content/notices/more/b.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"B\"\ndate = 2026-11-26T08:00:00+08:00\n+++\n\nB.\n")}
		}, []string{added, "content/notices/more"}, testNow, 1, false},
		{"change the slug of a page that another links to as a .md file", func() {
			edit(t, fsys, "content/notices/more/a.md", "title = ", "slug = \"a2\"\ntitle = ")
		}, []string{"content/notices/more/a.md"}, testNow, 1, false},
		{"rename a page", func() {
			fsys["content/notices/more/c.md"] = fsys["content/notices/more/b.md"]
			delete(fsys, "content/notices/more/b.md")
		}, []string{"content/notices/more/b.md", "content/notices/more/c.md"}, testNow, 1, false},
		{"change a tag", func() {
			edit(t, fsys, added, "新标签", "另一个标签")
		}, []string{added}, testNow, 1, false},
		{"delete a page", func() {
			delete(fsys, added)
		}, []string{added}, testNow, 1, false},
		{"a notice expires", func() {}, nil, time.Date(2026, 12, 6, 9, 0, 0, 0, testNow.Location()), 1, false},
		{"delete a folder", func() {
			for p := range fsys {
				if strings.HasPrefix(p, "content/notices/more/") {
					delete(fsys, p)
				}
			}
		}, []string{"content/notices/more"}, testNow, 1, false},
		{"add a static file", func() {
			fsys["static/robots.txt"] = &fstest.MapFile{Data: []byte("User-agent: *\n")}
		}, []string{"static/robots.txt"}, testNow, 1, false},
		{"remove the static file", func() {
			delete(fsys, "static/robots.txt")
		}, []string{"static/robots.txt"}, testNow, 1, false},
		{"edit the start of a page without a summary, which its summary is", func() {
			fsys["content/notices/2026-11-27-plain.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"无摘要\"\ndate = 2026-11-27T09:00:00+08:00\n+++\n\n摘要取自正文。\n")}
		}, []string{"content/notices/2026-11-27-plain.md"}, testNow, 1, false},
		{"edit that page's first words", func() {
			edit(t, fsys, "content/notices/2026-11-27-plain.md", "摘要取自正文", "摘要来自正文")
		}, []string{"content/notices/2026-11-27-plain.md"}, testNow, 1, false},
		{"override a template", func() {
			theme := lobby.Theme()
			data, _ := fs.ReadFile(theme, "partials/footer.html")
			fsys["layouts/partials/footer.html"] = &fstest.MapFile{Data: append(data, "<!-- site footer -->\n"...)}
		}, []string{"layouts/partials/footer.html"}, testNow, 1, false},
		{"override a template to show the previous chapter's body", func() {
			theme := lobby.Theme()
			data, _ := fs.ReadFile(theme, "handbook/single.html")
			fsys["layouts/handbook/single.html"] = &fstest.MapFile{Data: bytes.Replace(data, []byte("{{end}}"),
				[]byte("{{with .Page.Prev}}<aside>{{.Content}}</aside>{{end}}{{end}}"), 1)}
		}, []string{"layouts/handbook/single.html"}, testNow, 1, false},
		{"edit the body of a chapter that the next one now shows", func() {
			edit(t, fsys, fire, "鞋柜、快递纸箱", "鞋柜、纸箱")
		}, []string{fire}, testNow, 1, true},
		{"change config.toml", func() {
			edit(t, fsys, ConfigFile, "title = \"", "title = \"新·")
		}, []string{ConfigFile}, testNow, 1, false},
	}
	for _, step := range steps {
		step.change()
		mem.opts.Now = step.now
		dir.opts.Now = step.now
		got, err := mem.Rebuild(step.changed)
		if err != nil {
			t.Fatalf("%s: rebuild: %v", step.name, err)
		}
		if _, err := dir.Rebuild(step.changed); err != nil {
			t.Fatalf("%s: rebuild into a folder: %v", step.name, err)
		}
		fresh := fullBuild(t, fsys, step.now)
		if d := diffFiles(got.Files, fresh); d != "" {
			t.Errorf("%s: the rebuild differs from a full build:\n%s", step.name, d)
		}
		if d := diffFiles(readTree(t, dest), fresh); d != "" {
			t.Errorf("%s: the folder differs from a full build:\n%s", step.name, d)
		}
		if most := int(step.most * float64(got.nfiles)); got.ran > most {
			t.Errorf("%s: the rebuild made %d of %d files, want at most %d", step.name, got.ran, got.nfiles, most)
		}
		if got.replayed != step.bodies {
			t.Errorf("%s: replayed = %v, want %v", step.name, got.replayed, step.bodies)
		}
	}
}

// A rebuild that fails leaves the output as it was, and the next one after the
// fix catches up with every change since the last good build.
func TestRebuildAfterErrorCatchesUp(t *testing.T) {
	fsys := demoFS(t)
	dest := filepath.Join(t.TempDir(), "public")
	b := NewBuilder(fsys, lobby.Theme(), Options{Now: testNow}, dest)
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dest)
	const p = "content/handbook/safety/home.md"
	edit(t, fsys, p, "+++\n", "+++\ntitel = \"x\"\n")
	if _, err := b.Rebuild([]string{p}); err == nil {
		t.Fatal("a rebuild with an unknown front matter key succeeded")
	}
	if d := diffFiles(readTree(t, dest), before); d != "" {
		t.Errorf("a failed rebuild changed the output:\n%s", d)
	}
	const other = "content/handbook/safety/fire.md"
	edit(t, fsys, other, "鞋柜、纸箱", "鞋柜、快递纸箱")
	if _, err := b.Rebuild([]string{other}); err == nil {
		t.Fatal("a rebuild with the error still there succeeded")
	}
	edit(t, fsys, p, "titel = \"x\"\n", "")
	if _, err := b.Rebuild([]string{p}); err != nil {
		t.Fatal(err)
	}
	if d := diffFiles(readTree(t, dest), fullBuild(t, fsys, testNow)); d != "" {
		t.Errorf("after the fix the folder differs from a full build:\n%s", d)
	}
}

// A build into a folder that an earlier build wrote rewrites only the files
// that changed, and removes the ones that went away.
func TestBuildDirWritesOnlyChangedFiles(t *testing.T) {
	fsys := demoFS(t)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := BuildDir(fsys, lobby.Theme(), Options{Now: testNow}, dest); err != nil {
		t.Fatal(err)
	}
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for name := range readTree(t, dest) {
		os.Chtimes(filepath.Join(dest, filepath.FromSlash(name)), stamp, stamp)
	}
	edit(t, fsys, "content/handbook/safety/fire.md", "鞋柜、纸箱", "鞋柜、快递纸箱")
	delete(fsys, "content/notices/2026-09-20-holiday-service.md")
	s, err := BuildDir(fsys, lobby.Theme(), Options{Now: testNow}, dest)
	if err != nil {
		t.Fatal(err)
	}
	var touched []string
	for name := range readTree(t, dest) {
		info, err := os.Stat(filepath.Join(dest, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(stamp) {
			touched = append(touched, name)
		}
	}
	sort.Strings(touched)
	if len(touched) != s.written || len(touched) == 0 || len(touched) > s.nfiles/2 {
		t.Errorf("%d of %d files rewritten (written = %d):\n%s", len(touched), s.nfiles, s.written, strings.Join(touched, "\n"))
	}
	if _, err := os.Stat(filepath.Join(dest, "notices/holiday-service/index.html")); !os.IsNotExist(err) {
		t.Errorf("the page of a deleted file is still there: %v", err)
	}
	if d := diffFiles(readTree(t, dest), fullBuild(t, fsys, testNow)); d != "" {
		t.Errorf("the folder differs from a full build:\n%s", d)
	}
}

// The manifest is kept beside the output folder, not in it, and a folder
// emptied or made again since it was written is written afresh.
func TestManifestOutsideTheOutput(t *testing.T) {
	fsys := demoFS(t)
	dest, manifest := outputFolder(t)
	if _, err := BuildDir(fsys, lobby.Theme(), Options{Now: testNow}, dest); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(manifest); err != nil {
		t.Fatalf("no manifest beside the output: %v", err)
	}
	fresh := fullBuild(t, fsys, testNow)
	for name, change := range map[string]func(){
		"made again": func() {
			os.RemoveAll(dest)
			os.Mkdir(dest, 0o755)
		},
		"emptied at its top": func() {
			os.Remove(filepath.Join(dest, "index.html"))
			os.Remove(filepath.Join(dest, "sitemap.xml"))
		},
	} {
		change()
		if _, err := BuildDir(fsys, lobby.Theme(), Options{Now: testNow}, dest); err != nil {
			t.Fatal(err)
		}
		if d := diffFiles(readTree(t, dest), fresh); d != "" {
			t.Errorf("folder %s: the next build differs from a full build:\n%s", name, d)
		}
	}
}

// A manifest that cannot be written fails no build; the next one writes the
// folder afresh.
func TestManifestUnwritable(t *testing.T) {
	fsys := demoFS(t)
	dest, manifest := outputFolder(t)
	if err := os.WriteFile(filepath.Dir(manifest), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := BuildDir(fsys, lobby.Theme(), Options{Now: testNow}, dest); err != nil {
			t.Fatalf("build: %v", err)
		}
	}
	if d := diffFiles(readTree(t, dest), fullBuild(t, fsys, testNow)); d != "" {
		t.Errorf("the folder differs from a full build:\n%s", d)
	}
}

// A rebuild removes the manifest and leaves writing it to SaveManifest (a
// server calls it when the author pauses); until then the next process writes
// the folder afresh, and after it that process writes nothing that did not
// change.
func TestRebuildDefersTheManifest(t *testing.T) {
	fsys := demoFS(t)
	dest, manifest := outputFolder(t)
	b := NewBuilder(fsys, lobby.Theme(), Options{Now: testNow}, dest)
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(manifest); err != nil {
		t.Fatalf("the first build wrote no manifest: %v", err)
	}
	const fire = "content/handbook/safety/fire.md"
	edit(t, fsys, fire, "鞋柜、纸箱", "鞋柜、快递纸箱")
	if _, err := b.Rebuild([]string{fire}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(manifest); !os.IsNotExist(err) {
		t.Fatalf("a manifest of the build before the rebuild is still there: %v", err)
	}
	b.SaveManifest()
	sums := readManifest(dest)
	files := readTree(t, dest)
	if len(sums) != len(files) {
		t.Fatalf("the saved manifest lists %d files, the folder holds %d", len(sums), len(files))
	}
	for name, data := range files {
		if sums[name] != sumOf(data) {
			t.Errorf("the manifest's sum of %s is not the file's", name)
		}
	}
	s, err := BuildDir(fsys, lobby.Theme(), Options{Now: testNow}, dest)
	if err != nil {
		t.Fatal(err)
	}
	if s.written != 0 {
		t.Errorf("a build after the saved manifest wrote %d files, want 0", s.written)
	}
}

// fullBuild builds fsys whole at now, in memory, for a rebuild's output to
// be compared with.
func fullBuild(t *testing.T, fsys fs.FS, now time.Time) map[string][]byte {
	t.Helper()
	s, err := Build(fsys, lobby.Theme(), Options{Now: now})
	if err != nil {
		t.Fatalf("full build: %v", err)
	}
	return s.Files
}

// outputFolder returns an output folder in a new temporary folder, not yet
// made, and where its manifest is kept.
func outputFolder(t *testing.T) (dest, manifest string) {
	root := t.TempDir()
	return filepath.Join(root, "public"), filepath.Join(root, ".lobby", "public.files")
}

// A watch-mode rebuild whose context is cancelled (the server got SIGINT or
// SIGTERM) stops with the context's error and leaves the output as it was;
// the next rebuild still catches up with every edit.
func TestCancelledRebuildLeavesOutput(t *testing.T) {
	fsys := demoFS(t)
	dest := filepath.Join(t.TempDir(), "public")
	b := NewBuilder(fsys, lobby.Theme(), Options{Now: testNow}, dest)
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dest)
	const p = "content/handbook/safety/fire.md"
	edit(t, fsys, p, "鞋柜、纸箱", "鞋柜、快递纸箱")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.RebuildContext(ctx, []string{p}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a rebuild with a cancelled context returned %v, want context.Canceled", err)
	}
	if d := diffFiles(readTree(t, dest), before); d != "" {
		t.Errorf("a cancelled rebuild changed the output:\n%s", d)
	}
	if _, err := b.Rebuild([]string{p}); err != nil {
		t.Fatal(err)
	}
	if d := diffFiles(readTree(t, dest), fullBuild(t, fsys, testNow)); d != "" {
		t.Errorf("after the cancelled rebuild the next one differs from a full build:\n%s", d)
	}
}
