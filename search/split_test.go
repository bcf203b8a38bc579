package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	index "github.com/blevesearch/bleve_index_api"
)

// TestSplitSearchAgrees checks that a search split into parts by document
// number answers exactly as one search: the same total, section counts,
// hits in the same order with the same snippets, on every page and with a
// section filter.
func TestSplitSearchAgrees(t *testing.T) {
	dir := t.TempDir()
	if err := Build(context.Background(), dir, append(fixtureDocs(), syntheticDocs(300)...)); err != nil {
		t.Fatal(err)
	}
	open := func(opts Options) *Index {
		opts.Now = func() time.Time { return testNow }
		x, err := OpenWithOptions(dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		return x
	}
	whole := open(Options{Parts: 1})
	split := open(Options{Parts: 3, partDocs: 50})
	g, err := split.pin()
	if err != nil {
		t.Fatal(err)
	}
	parts := split.parts(g)
	g.mu.RUnlock()
	if parts != 3 {
		t.Fatalf("split index searches in %d parts, want 3", parts)
	}

	queries := append(benchQueries, "停水", `"bike storage"`, "停车位", "水", "xylophone", "garage 维修")
	for _, q := range queries {
		for _, req := range []Request{
			{Q: q, Limit: 50},
			{Q: q, Limit: 10, Offset: 90},
			{Q: q, Limit: 20, Section: "notices"},
		} {
			var res [2]*Result
			for i, x := range []*Index{whole, split} {
				r, err := x.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("Search(%+v): %v", req, err)
				}
				r.TookMS = 0
				res[i] = r
			}
			if !reflect.DeepEqual(res[0], res[1]) {
				t.Errorf("Search(%+v):\none search: %d hits %v %v\nin parts:   %d hits %v %v", req,
					res[0].Total, urls(res[0].Hits), res[0].Facets, res[1].Total, urls(res[1].Hits), res[1].Facets)
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
