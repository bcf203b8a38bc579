package search

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// prefilterDocs holds the words of a query in every field a page can hold
// them in, and enough pages with one word but not the other for the
// prefilter to narrow the search.
func prefilterDocs() []Doc {
	docs := []Doc{
		{URL: "/title/", Title: "游泳池开放", Body: "open daily"},
		{URL: "/tags/", Title: "夏季通知", Tags: []string{"游泳池"}, Body: "now open"},
		{URL: "/extra/", Title: "活动", Extra: "地点：游泳池", Body: "doors open"},
		{URL: "/summary/", Title: "夏季", Summary: "游泳池", Body: "open all week"},
		{URL: "/body/", Title: "夏季安排", Body: "游泳池 open at nine"},
		{URL: "/tag-open/", Title: "游泳池须知", Tags: []string{"open"}, Body: "须知"},
		{URL: "/char/", Title: "水", Body: "open water"},
		{URL: "/apart/", Title: "分开", Body: "游 泳 池 open"},
	}
	for i := range 300 {
		docs = append(docs, Doc{URL: fmt.Sprintf("/open/%d/", i), Title: "English notice", Body: "the gate is open"})
		docs = append(docs, Doc{URL: fmt.Sprintf("/pool/%d/", i), Title: "泳池通知", Body: "游泳池今日清洁"})
		docs = append(docs, Doc{URL: fmt.Sprintf("/water/%d/", i), Title: "水费通知", Body: "本月水费"})
	}
	return docs
}

// The prefilter narrows a search of words whose pages seldom meet to a
// superset of its hits, whichever fields hold the words, and the search
// then finds exactly what the whole query finds.
func TestPrefilterKeepsEveryHit(t *testing.T) {
	docs := prefilterDocs()
	x := openDocs(t, docs, Options{Parts: 1})
	g := x.cur.Load()
	r := openReader(t, g.shards[0])
	ctx := context.Background()
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"游泳池 open", []string{"/title/", "/tags/", "/extra/", "/summary/", "/body/", "/tag-open/"}},
		{"open 游泳池", []string{"/title/", "/tags/", "/extra/", "/summary/", "/body/", "/tag-open/"}},
		{"水 open", []string{"/char/"}},
	} {
		pq, err := parseQuery(c.q)
		if err != nil {
			t.Fatal(err)
		}
		pages, err := prefilter(ctx, r, g.shards[0].postings, pq.terms)
		if err != nil {
			t.Fatal(err)
		}
		if pages == nil {
			t.Fatalf("%q: no prefilter", c.q)
		}
		res, err := x.Search(ctx, Request{Q: c.q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := urls(res.Hits)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) || res.Total != len(want) {
			t.Errorf("%q: %d hits %v, want %v", c.q, res.Total, got, want)
		}
	}
}

// A narrowed search split into spans of pages, each moved to its span's
// start and from page to page of the narrowing, finds what one search of
// the whole index without a postings cache finds.
func TestRestrictSearcherAdvances(t *testing.T) {
	docs := prefilterDocs()
	x := openDocs(t, docs, Options{Parts: 3, partDocs: 100})
	whole := openDocs(t, docs, Options{Parts: 1, cacheBytes: -1})
	for _, q := range []string{"游泳池 open", "水 open"} {
		res, err := x.Search(context.Background(), Request{Q: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		want, err := whole.Search(context.Background(), Request{Q: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want.Total || !slices.Equal(urls(res.Hits), urls(want.Hits)) {
			t.Errorf("%q in three spans: %d hits %v; in one: %d hits %v", q, res.Total, urls(res.Hits), want.Total, urls(want.Hits))
		}
	}
}
