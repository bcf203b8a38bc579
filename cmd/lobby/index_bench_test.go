package main

import (
	"context"
	"os"
	"testing"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/site"
)

// BenchmarkIndex builds the search index of a generated corpus:
// BENCH_CORPUS names a lobby site, such as /tmp/corpus-10000-lobby that
// bench/run.sh leaves.
//
//	BENCH_CORPUS=/tmp/corpus-10000-lobby go test ./cmd/lobby -run XXX -bench Index -benchtime 1x
func BenchmarkIndex(b *testing.B) {
	dir := os.Getenv("BENCH_CORPUS")
	if dir == "" {
		b.Skip("BENCH_CORPUS is not set")
	}
	s, err := site.Load(os.DirFS(dir), lobby.Theme(), site.Options{})
	if err != nil {
		b.Fatal(err)
	}
	docs := len(search.SiteDocs(s))
	out := b.TempDir()
	for b.Loop() {
		if err := buildIndex(context.Background(), s, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
