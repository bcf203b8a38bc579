package search

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
)

// FuzzSearchMatchesReference runs any query through Search; through Search
// of the same pages in three shards and in three spans of one, both reading
// every term's postings from the postings cache, which must answer exactly
// alike; and through the reference, buildQuery as one bleve
// query with bleve's own match-phrase nodes. The pages are the fixture, the
// phrase decoys, 60 synthetic pages and one of repeated 哈哈. Search must not
// fail on a query the parser accepts, and must find as many pages as the
// reference, the same ones when they fit on one page (lobby's phrase
// searcher, split parts and rescore against bleve). In each index, the
// candidates over the postings lists must be bleve's (compareCandidates),
// for the query's words and their synonyms alike.
func FuzzSearchMatchesReference(f *testing.F) {
	for _, s := range []string{`"垃圾分类"`, `"垃圾分类投放"`, `"哈哈哈哈"`, `"停车 停车位"`, "停车位 停车位",
		`"the bike the storage"`, `垃圾z分类`, `"分类 投放" 电梯`, `"a"`, `"3号楼电梯"`, `"of the"`,
		"停水", "物业费 电梯", "狗 电瓶车充电", `"停水" 停电`, "tingshui", "ting che wei", "冬至饺子", "交停水费",
		"水", "梯 坏", "車 停", "门 维修"} {
		f.Add(s)
	}
	docs := append(append(fixtureDocs(), phraseDecoys...), syntheticDocs(60)...)
	docs = append(docs, Doc{URL: "/decoy/laugh/", Title: "哈哈", Body: "哈哈哈哈哈，哈哈 哈哈。"})
	x := openDocs(f, docs, Options{Parts: 1, cacheBytes: -1})
	// The same pages in three shards, and in one searched in three spans.
	var others []*Index
	for _, c := range []struct {
		shards int
		opts   Options
	}{{3, Options{cacheMinDocs: 1}}, {1, Options{Parts: 3, partDocs: 20, cacheMinDocs: 1}}} {
		others = append(others, openShards(f, docs, c.shards, c.opts))
	}
	f.Fuzz(func(t *testing.T, q string) {
		pq, err := parseQuery(q)
		if err != nil {
			return // FuzzParseQuery covers the refusals
		}
		ctx := context.Background()
		res, err := x.Search(ctx, Request{Q: q})
		if err != nil {
			if errors.Is(err, ErrOverloaded) {
				return
			}
			t.Fatalf("Search(%q): %v", q, err)
		}
		res.TookMS = 0
		for i, o := range others {
			for round := range 2 { // the second reads what the first kept
				other, err := o.Search(ctx, Request{Q: q})
				if err != nil {
					t.Fatalf("Search(%q) in split index %d: %v", q, i, err)
				}
				other.TookMS = 0
				if !reflect.DeepEqual(other, res) {
					t.Fatalf("Search(%q) in split index %d, round %d: %d hits %v, one search: %d hits %v",
						q, i, round, other.Total, urls(other.Hits), res.Total, urls(res.Hits))
				}
			}
		}
		if pq.empty() {
			return
		}
		for _, o := range append(others, x) {
			compareCandidates(t, o, q, false, "")
			compareCandidates(t, o, q, true, "")
		}
		g, err := x.pin()
		if err != nil {
			t.Fatal(err)
		}
		defer g.mu.RUnlock()
		// The reference searches for the query Search searched for: with
		// synonyms, its words cut apart, or the words of its pinyin.
		pq = res.query
		ref, err := x.run(ctx, g.shards[0].idx, sortedRequest(buildQuery(pq, "", res.Relaxed, g.rank, x.opts.Now()), DefaultLimit))
		if err != nil {
			t.Fatalf("reference for %q: %v", q, err)
		}
		if int(ref.Total) != res.Total {
			t.Fatalf("Search(%q) found %d pages (relaxed %v), the reference %d", q, res.Total, res.Relaxed, ref.Total)
		}
		if res.Total <= DefaultLimit { // all on the first page: the same pages
			var want []string
			for _, dm := range ref.Hits {
				want = append(want, dm.ID)
			}
			got := urls(res.Hits)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Search(%q) found %v, the reference %v", q, got, want)
			}
		}
	})
}
