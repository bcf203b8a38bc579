package site_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

// benchCorpus generates the shared benchmark corpus of n pages (with
// ../shared/bench/gencorpus.py) into a temporary folder and adds a lobby
// config.toml. BENCH_PAGES sets n (default 1000); BENCH_CORPUS names a
// generated lobby site to reuse.
func benchCorpus(b *testing.B) string {
	if dir := os.Getenv("BENCH_CORPUS"); dir != "" {
		return dir
	}
	n := 1000
	if s := os.Getenv("BENCH_PAGES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	gen, err := filepath.Abs("../../shared/bench/gencorpus.py")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(gen); err != nil {
		b.Skip("no corpus generator at ../shared/bench/gencorpus.py")
	}
	dir := b.TempDir()
	out, err := exec.Command("python3", gen, "--pages", strconv.Itoa(n), "--out", dir, "--seed", "1", "--force").CombinedOutput()
	if err != nil {
		b.Fatalf("gencorpus: %v\n%s", err, out)
	}
	cfg := "title = \"Bench\"\nbaseURL = \"https://example.org/\"\nlanguage = \"zh-CN\"\ntimezone = \"Asia/Shanghai\"\n"
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild builds the generated corpus in memory (no index, no
// writing) and reports pages per second.
func BenchmarkBuild(b *testing.B) {
	dir := benchCorpus(b)
	fsys := os.DirFS(dir)
	var pages int
	b.ResetTimer()
	for b.Loop() {
		s, err := site.Build(fsys, lobby.Theme(), site.Options{Now: sitetest.Now})
		if err != nil {
			b.Fatal(err)
		}
		pages = 0
		for _, p := range s.Pages {
			if p.IsPage() {
				pages++
			}
		}
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
