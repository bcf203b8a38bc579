package search

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	index "github.com/blevesearch/bleve_index_api"
)

// TestSplitSearchAgrees checks that a search split into parts, by spans of
// document numbers or by shards, answers exactly as one search of one
// index: the same total, section counts, hits in the same order with the
// same snippets, on every page and with a section filter. The split
// searches read postings from their caches, which keep every term's or,
// with a small budget, the first few; the one search reads none.
func TestSplitSearchAgrees(t *testing.T) {
	docs := append(fixtureDocs(), syntheticDocs(300)...)
	open := func(shards int, opts Options) *Index { return openShards(t, docs, shards, opts) }
	parts := func(x *Index) int {
		g, err := x.pin()
		if err != nil {
			t.Fatal(err)
		}
		defer g.mu.RUnlock()
		return len(x.parts(g))
	}
	whole := open(1, Options{Parts: 1, cacheBytes: -1})
	spans := open(1, Options{Parts: 3, partDocs: 50, cacheMinDocs: 1})
	shards := open(3, Options{cacheMinDocs: 1, cacheBytes: 12 << 10})
	if n := parts(spans); n != 3 {
		t.Fatalf("index of one shard searches in %d parts, want 3", n)
	}
	if n := parts(shards); n != 3 {
		t.Fatalf("index of three shards searches in %d parts, want 3", n)
	}

	queries := append(benchQueries, "停水", `"bike storage"`, "停车位", "水", "xylophone", "garage 维修", `"垃圾分类"`)
	for _, q := range queries {
		for _, req := range []Request{
			{Q: q, Limit: 50},
			{Q: q, Limit: 10, Offset: 90},
			{Q: q, Limit: 20, Section: "notices"},
		} {
			want, err := whole.Search(context.Background(), req)
			if err != nil {
				t.Fatalf("Search(%+v): %v", req, err)
			}
			want.TookMS = 0
			for name, x := range map[string]*Index{"spans": spans, "shards": shards} {
				got, err := x.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("Search(%+v) in %s: %v", req, name, err)
				}
				got.TookMS = 0
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Search(%+v):\none search: %d hits %v %v\nin %s: %d hits %v %v", req,
						want.Total, urls(want.Hits), want.Facets, name, got.Total, urls(got.Hits), got.Facets)
				}
			}
		}
	}
}

// TestSplitIDs checks that splitIDs sorts, drops repeats and cuts into
// runs that cover every ID once.
func TestSplitIDs(t *testing.T) {
	ids := []uint64{9, 3, 7, 3, 1, 8, 2}
	for k, want := range map[int]string{
		1:  "[[1 2 3 7 8 9]]",
		2:  "[[1 2 3] [7 8 9]]",
		4:  "[[1] [2 3] [7] [8 9]]",
		10: "[[1] [2] [3] [7] [8] [9]]",
	} {
		in := make([]index.IndexInternalID, 0, len(ids))
		for _, n := range ids {
			in = append(in, internalID(n))
		}
		var got [][]uint64
		for _, run := range splitIDs(in, k) {
			var nums []uint64
			for _, id := range run {
				nums = append(nums, docNum(id))
			}
			got = append(got, nums)
		}
		if s := fmt.Sprint(got); s != want {
			t.Errorf("splitIDs(%v, %d) = %s, want %s", ids, k, s, want)
		}
	}
}

// Pages of equal score come in the order of their URLs, whatever shard or
// document number they have, as in bleve's own sort by score and then ID.
func TestTiesFollowURLs(t *testing.T) {
	var docs []Doc
	for _, u := range []string{"/z/", "/a/", "/m/", "/b/", "/y/", "/c/"} {
		docs = append(docs, Doc{URL: u, Title: "电梯检修", Body: "电梯检修安排。", Date: testNow.AddDate(0, 0, -3)})
	}
	for _, shards := range []int{1, 3} {
		dir := t.TempDir()
		if err := build(context.Background(), dir, docs, nil, defaultBuildMethod, shards); err != nil {
			t.Fatal(err)
		}
		x, err := OpenWithOptions(dir, Options{Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Search(context.Background(), Request{Q: "电梯"})
		x.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := urls(res.Hits), []string{"/a/", "/b/", "/c/", "/m/", "/y/", "/z/"}; !slices.Equal(got, want) {
			t.Errorf("%d shards: %v, want %v", shards, got, want)
		}
	}
}

// The statistics a shard searches with are those of one index of all the
// pages: page count, pages per word, and dictionary size per field (which
// bleve's BM25 takes for field length).
func TestShardStatisticsMatchOneIndex(t *testing.T) {
	docs := append(fixtureDocs(), syntheticDocs(300)...)
	open := func(shards int) *generation {
		dir := t.TempDir()
		if err := build(context.Background(), dir, docs, nil, defaultBuildMethod, shards); err != nil {
			t.Fatal(err)
		}
		x, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		return x.cur.Load()
	}
	one, three := open(1), open(3)
	if three.stats == nil || len(three.shards) != 3 {
		t.Fatalf("%d shards, stats %v", len(three.shards), three.stats)
	}
	want := openReader(t, one.shards[0])
	r := openReader(t, three.shards[1])
	got := three.reader(r, 1)

	wantDocs, _ := want.DocCount()
	if n, _ := got.DocCount(); n != wantDocs {
		t.Errorf("DocCount = %d, want %d", n, wantDocs)
	}
	fields, err := one.shards[0].idx.Fields()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		w, err := want.(index.BM25Reader).FieldCardinality(f)
		if err != nil {
			t.Fatal(err)
		}
		if g, _ := got.(index.BM25Reader).FieldCardinality(f); g != w {
			t.Errorf("FieldCardinality(%s) = %d, want %d", f, g, w)
		}
	}
	// Twice: the second time, the counts come from the cache of them.
	for _, term := range []string{"停水", "电梯", "parking", "xylophone", "停水", "电梯", "parking", "xylophone"} {
		for _, f := range []string{fieldTitle, fieldBody} {
			wr, err := want.TermFieldReader(context.Background(), []byte(term), f, false, false, false)
			if err != nil {
				t.Fatal(err)
			}
			gr, err := got.TermFieldReader(context.Background(), []byte(term), f, false, false, false)
			if err != nil {
				t.Fatal(err)
			}
			if gr.Count() != wr.Count() {
				t.Errorf("pages with %q in %s: %d, want %d", term, f, gr.Count(), wr.Count())
			}
			wr.Close()
			gr.Close()
		}
	}
}
