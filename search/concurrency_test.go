package search

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// Queries in flight never see a half-built index: while generations are
// built and swapped in, of one, two or three shards, every search of a word
// every generation has succeeds with hits. Each generation's postings
// cache keeps every term, so concurrent searches fill and read it.
func TestSearchDuringRebuilds(t *testing.T) {
	dir := t.TempDir()
	if err := Build(context.Background(), dir, fixtureDocs(), nil); err != nil {
		t.Fatal(err)
	}
	x, err := OpenWithOptions(dir, Options{MaxConcurrent: 4, QueueWait: -1, cacheMinDocs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()

	const searchers = 4
	var (
		stop     atomic.Bool
		wg       sync.WaitGroup
		searches atomic.Int64
		failures = make(chan error, searchers)
	)
	for i := range searchers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := []string{"停水", "parking", "电梯", `"bike storage"`}[i]
			for !stop.Load() {
				res, err := x.Search(context.Background(), Request{Q: q})
				if err == nil && res.Total == 0 {
					err = fmt.Errorf("Search(%q): no hits", q)
				}
				if err != nil {
					failures <- err
					return
				}
				searches.Add(1)
			}
		}()
	}

	const rebuilds = 6
	for i := range rebuilds {
		docs := fixtureDocs()
		for j := range 50 * (i + 1) {
			docs = append(docs, Doc{URL: fmt.Sprintf("/filler/%d-%d/", i, j), Title: "物业公告", Body: "其他内容 other text"})
		}
		if err := build(context.Background(), dir, docs, nil, defaultBuildMethod, 1+i%3); err != nil {
			t.Fatalf("Build %d: %v", i, err)
		}
		if err := x.Reload(); err != nil {
			t.Fatalf("Reload %d: %v", i, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Error(err)
	}
	if searches.Load() == 0 {
		t.Error("no search ran during the rebuilds")
	}
	t.Logf("%d searches across %d swaps", searches.Load(), rebuilds)
}
