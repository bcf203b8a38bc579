package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lobby-community/lobby"
)

// The benchmarks build a generated community corpus, so that their figures
// come from a site the size and shape of a large office's and not from a
// fixture committed here. BENCH_CORPUS names a generated lobby site to reuse
// (bench/run.sh leaves one at /tmp/corpus-N-lobby); otherwise
// BENCH_GENCORPUS names the generator that bench/run.sh uses, run with
// --pages BENCH_PAGES (default 1000). Without either they skip.
//
//	BENCH_CORPUS=/tmp/corpus-10000-lobby go test ./site -run XXX -bench . -benchtime 3x

// benchCorpus generates the corpus of BENCH_PAGES pages into a temporary
// folder, with a lobby config.toml, or returns BENCH_CORPUS.
func benchCorpus(b *testing.B) string {
	if dir := os.Getenv("BENCH_CORPUS"); dir != "" {
		return dir
	}
	n := 1000
	if s := os.Getenv("BENCH_PAGES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	gen := os.Getenv("BENCH_GENCORPUS")
	if gen == "" {
		b.Skip("set BENCH_CORPUS to a generated site, or BENCH_GENCORPUS to the corpus generator")
	}
	dir := b.TempDir()
	out, err := exec.Command("python3", gen, "--pages", strconv.Itoa(n), "--out", dir, "--seed", "1", "--force").CombinedOutput()
	if err != nil {
		b.Fatalf("gencorpus: %v\n%s", err, out)
	}
	// The generator writes a Hugo site; lobby builds its content with the
	// default theme and a config of its own.
	if err := os.RemoveAll(filepath.Join(dir, "layouts")); err != nil {
		b.Fatal(err)
	}
	cfg := "title = \"Bench\"\nbaseURL = \"https://example.org/\"\nlanguage = \"zh-CN\"\ntimezone = \"Asia/Shanghai\"\n"
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

var benchNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// regularPages counts the pages made from content files.
func regularPages(s *Site) int {
	n := 0
	for _, p := range s.Pages {
		if p.IsPage() {
			n++
		}
	}
	return n
}

// BenchmarkBuild builds the corpus in memory (no index, no writing) and
// reports pages per second.
func BenchmarkBuild(b *testing.B) {
	fsys := os.DirFS(benchCorpus(b))
	var pages int
	for b.Loop() {
		s, err := Build(fsys, lobby.Theme(), Options{Now: benchNow})
		if err != nil {
			b.Fatal(err)
		}
		pages = regularPages(s)
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkStages times the stages of a build one by one: reading the
// content files, parsing them (front matter), assembling the site,
// rendering Markdown, executing templates, making the other files
// (content API, feeds, calendars, sitemap) and writing the output into a
// folder, afresh and over an earlier build of the same site.
func BenchmarkStages(b *testing.B) {
	dir := benchCorpus(b)
	fsys := os.DirFS(dir)
	cfg, err := LoadConfig(fsys)
	if err != nil {
		b.Fatal(err)
	}
	files, _ := readContent(fsys, ContentDir)
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			readContent(fsys, ContentDir)
		}
	})
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			parallel(len(files), func(i int) { loadPage(files[i], cfg) })
		}
	})
	bld := NewBuilder(fsys, lobby.Theme(), Options{Now: benchNow}, "")
	if err := bld.reload(nil); err != nil {
		b.Fatal(err)
	}
	b.Run("assemble", func(b *testing.B) {
		for b.Loop() {
			s := &Site{Config: cfg, Now: benchNow, byURL: map[string]*Page{}, byFile: map[string]*Page{}, known: map[string]bool{}}
			var pages []*Page
			for _, src := range bld.sources {
				if src.page != nil && published(src.page, Options{}, benchNow) {
					pages = append(pages, clonePage(src.page))
				}
			}
			var errs ErrorList
			s.assemble(pages, &errs)
		}
	})
	s, err := bld.load(time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("markdown", func(b *testing.B) {
		files := map[string]string{}
		for f, p := range s.byFile {
			files[f] = p.URL
		}
		var todo []*Page
		for _, p := range s.Pages {
			if p.File != "" {
				todo = append(todo, p)
			}
		}
		for b.Loop() {
			parallel(len(todo), func(i int) { s.md.render(todo[i], files) })
		}
	})
	jobs, names, err := s.plan()
	if err != nil {
		b.Fatal(err)
	}
	byKind := func(j *job) string {
		switch {
		case j.layout != "":
			return "templates"
		case strings.HasPrefix(j.out, apiDir):
			return "api"
		default:
			return "other"
		}
	}
	for _, kind := range []string{"templates", "api", "other"} {
		b.Run(kind, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n = 0
				err := s.run(context.Background(), jobs, names, discard{}, func(j *job) bool {
					if byKind(j) == kind {
						n++
						return true
					}
					return false
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "files")
		})
	}
	mem := newMemOutput(map[string][]byte{}, nil)
	if err := s.run(context.Background(), jobs, names, mem, nil); err != nil {
		b.Fatal(err)
	}
	dest := filepath.Join(b.TempDir(), "public")
	b.Run("write-afresh", func(b *testing.B) {
		for b.Loop() {
			os.RemoveAll(dest)
			if err := writeFiles(mem.files, dest); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write-unchanged", func(b *testing.B) {
		for b.Loop() {
			if err := writeFiles(mem.files, dest); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// discard is an output that drops every file.
type discard struct{}

func (discard) put(string, []byte) error    { return nil }
func (discard) finish(map[string]int) error { return nil }

// overlayFS is a site folder with some of its files replaced in memory.
type overlayFS struct {
	fs.FS
	files fstest.MapFS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	return o.FS.Open(name)
}

func (o overlayFS) Stat(name string) (fs.FileInfo, error) {
	if _, ok := o.files[name]; ok {
		return fs.Stat(o.files, name)
	}
	return fs.Stat(o.FS, name)
}

// BenchmarkRebuild times a watch-mode rebuild after an edit of one file
// into a folder that holds the previous build: the last paragraph of a
// notice (its body only), and the title of a notice, which shows in lists
// on many pages.
func BenchmarkRebuild(b *testing.B) {
	dir := benchCorpus(b)
	names, _ := fs.Glob(os.DirFS(dir), "content/notices/notice-*.md")
	if len(names) == 0 {
		b.Skip("no notices in the corpus")
	}
	// The first notice that is published (not expired).
	var target string
	var orig []byte
	for _, n := range names {
		data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if !bytes.Contains(data, []byte("expiryDate")) {
			target, orig = n, data
			break
		}
	}
	for _, bc := range []struct {
		name string
		edit func(i int) []byte
	}{
		{"body", func(i int) []byte { return fmt.Appendf(bytes.Clone(orig), "\nEdited %d.\n", i) }},
		{"title", func(i int) []byte {
			return bytes.Replace(orig, []byte("title = \""), fmt.Appendf(nil, "title = \"%d ", i), 1)
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			files := fstest.MapFS{}
			fsys := overlayFS{os.DirFS(dir), files}
			bld := NewBuilder(fsys, lobby.Theme(), Options{Now: benchNow}, filepath.Join(b.TempDir(), "public"))
			if _, err := bld.Build(); err != nil {
				b.Fatal(err)
			}
			ran, i := 0, 0
			for b.Loop() {
				i++
				files[target] = &fstest.MapFile{Data: bc.edit(i), Mode: 0o644}
				s, err := bld.Rebuild([]string{path.Clean(target)})
				if err != nil {
					b.Fatal(err)
				}
				ran = s.ran
			}
			b.ReportMetric(float64(ran), "files-made")
		})
	}
}

// writeFiles writes files (slash-separated paths → contents) to dest as
// BuildDir does, for measuring the writing alone.
func writeFiles(files map[string][]byte, dest string) error {
	out, err := newDirOutput(dest, nil)
	if err != nil {
		return err
	}
	names := sortedKeys(files)
	all := make(map[string]int, len(names))
	for i, name := range names {
		all[name] = i
	}
	errs := make([]error, len(names))
	parallel(len(names), func(i int) { errs[i] = out.put(names[i], files[names[i]]) })
	if err := errors.Join(append(errs, out.finish(all))...); err != nil {
		out.abort()
		return err
	}
	return out.commit(true)
}
