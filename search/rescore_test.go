package search

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Search scores every hit without the phrase bonus and then rescores the
// best rescoreWindow of them with it, in place of one bleve query
// (buildQuery) that checks the phrase in every hit. The pages it rescores
// must get exactly buildQuery's scores, and when every hit fits in the
// window, Search must return buildQuery's order.
//
// Quoted phrases run as lobby's phraseQuery and are compared with bleve's
// match-phrase query here too: repeated tokens, stop-word gaps, phrases
// across two tags (never a match), phrases at the start and end of a field.
func TestRescoreMatchesFullQuery(t *testing.T) {
	quoted := []string{`"停车 停车位"`, `"the bike the storage"`, `"bike storage room"`, `"消防 safety"`,
		`"停水 维修"`, `"电梯 维修"`, `"water shutoff"`, `"the elevator repair"`, `"停车位 停车位"`,
		`"parking garage" 电梯`, `"管理 管理"`, `"pets pets"`, `"3号楼电梯"`, `"of the"`}
	ctx := context.Background()
	corpora := []struct {
		name    string
		docs    []Doc
		queries []string
	}{
		{"fixture", append(fixtureDocs(), phraseDecoys...), append([]string{`"垃圾分类"`, `"垃圾分类投放"`, `"类投放点"`, "停车位", "bike storage", `"bike storage"`, "垃圾分类", "充电桩",
			"停水通知", "电梯 xylophone", "visitor 登记", "the bike storage room", "停车 停车位", "水", "费 公示", "水 停车位"}, quoted...)},
		{"pessimistic", syntheticDocs(300), append(benchQueries, quoted...)},
		{"realistic", realisticDocs(400), append(benchQueries, quoted...)},
	}
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			x := openDocs(t, c.docs, Options{})
			now := x.opts.Now()
			for _, q := range c.queries {
				pq, err := parseQuery(q)
				if err != nil {
					t.Fatal(err)
				}
				g, err := x.pin()
				if err != nil {
					t.Fatal(err)
				}
				pq = g.synonyms.expand(pq) // as Search expands it
				// The whole query in one search: the reference.
				full, err := x.run(ctx, g.shards[0].idx, sortedRequest(buildQuery(pq, "", false, g.rank, now), len(c.docs)))
				if err != nil {
					t.Fatal(err)
				}
				relaxed := full.Total == 0 && len(pq.terms) > 1
				if relaxed {
					if full, err = x.run(ctx, g.shards[0].idx, sortedRequest(buildQuery(pq, "", true, g.rank, now), len(c.docs))); err != nil {
						t.Fatal(err)
					}
				}
				want := map[string]float64{}
				for _, dm := range full.Hits {
					want[dm.ID] = dm.Score
				}
				parts := newQueryParts(pq, "", relaxed, true)
				cand := parts.candidates(g.shards[0].table, now, -1, nil, newTopHits(len(c.docs)))
				sr, err := x.run(ctx, g.shards[0].idx, countRequest(cand))
				if err != nil {
					t.Fatal(err)
				}
				if sr.Total != full.Total || len(cand.top.heap) != int(full.Total) {
					t.Errorf("%q: %d candidates (%d kept), %d hits of the full query", q, sr.Total, len(cand.top.heap), full.Total)
				}
				if hits := cand.top.sorted(); parts.phrase != nil && len(hits) > 0 {
					// Rescore's scores, for every page of the window, are
					// the full query's times one factor.
					got, err := x.rescore(ctx, g, parts, cand.weight, hits, now)
					if err != nil {
						t.Fatal(err)
					}
					window := got[:min(rescoreWindow, len(got))]
					factor := window[0].score / want[urlOf(t, g, window[0].num)]
					for _, h := range window {
						u := urlOf(t, g, h.num)
						if d := math.Abs(h.score/want[u]-factor) / factor; !(d < 1e-9) {
							t.Errorf("%q: %s scores %v in rescore, %v × %v in the full query", q, u, h.score, factor, want[u])
						}
					}
				}
				// Each hit shows what the full query, highlighted, shows.
				hreq := sortedRequest(buildQuery(pq, "", relaxed, g.rank, now), len(c.docs))
				hreq.Fields = shownFields(queryChars(pq))
				hreq.Highlight = bleve.NewHighlightWithStyle(highlighterName)
				for _, f := range snippetFields {
					hreq.Highlight.AddField(f)
				}
				shown, err := x.run(ctx, g.shards[0].idx, hreq)
				if err != nil {
					t.Fatal(err)
				}
				wantHit := map[string]Hit{}
				for _, dm := range shown.Hits {
					wantHit[dm.ID] = toHit(dm, queryChars(pq))
				}
				g.mu.RUnlock()
				for _, off := range []int{0, 10, 95} {
					res, err := x.Search(ctx, Request{Q: q, Offset: off})
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range res.Hits {
						w := wantHit[h.URL]
						if h.URL != w.URL || h.Title != w.Title || h.Section != w.Section || !h.Date.Equal(w.Date) ||
							h.Snippet != w.Snippet || h.Expired != w.Expired {
							t.Errorf("%q: hit\n%+v\nwant what the full query shows\n%+v", q, h, wantHit[h.URL])
						}
					}
				}

				// The order Search returns, page after page, is the full
				// query's (up to ties) when every hit fits in the window.
				if full.Total <= rescoreWindow {
					var order []string
					for off := 0; off < int(full.Total); off += MaxLimit {
						res, err := x.Search(ctx, Request{Q: q, Limit: MaxLimit, Offset: off})
						if err != nil {
							t.Fatal(err)
						}
						order = append(order, urls(res.Hits)...)
					}
					ok := len(order) == int(full.Total)
					for i := range order {
						if _, found := want[order[i]]; !found || i > 0 && want[order[i]] > want[order[i-1]]*(1+1e-9) {
							ok = false
						}
					}
					if !ok {
						t.Errorf("%q: Search order %v is not the full query's", q, order)
					}
				}
			}
		})
	}
}

// phraseDecoys hold every bigram of Chinese phrases, for the phrase check
// that skips implied bigrams (impliedBigrams), some in order and some not:
// the first and last bigrams of 垃圾分类 at the right positions but apart
// (垃圾z分类, z taking the position between them), and the same for 分类 投放.
var phraseDecoys = []Doc{
	{URL: "/decoy/1/", Title: "分类", Body: "请把垃圾z分类后投放，圾分。"},
	{URL: "/decoy/2/", Title: "投放", Body: "垃圾分类z投放点在东门，类投。"},
	{URL: "/decoy/3/", Title: "投放点", Body: "生活垃圾分类投放点在北门，垃圾，分类。"},
	{URL: "/decoy/4/", Title: "分 类", Body: "垃圾分 类投放 类投放点"},
}

// urlOf returns the URL of document number n of g.
func urlOf(t *testing.T, g *generation, n uint64) string {
	t.Helper()
	r, err := reader(g.shards[0].idx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	u, err := r.ExternalID(internalID(n))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sortedRequest asks for the best size hits of q in Search's order.
func sortedRequest(q query.Query, size int) *bleve.SearchRequest {
	r := bleve.NewSearchRequestOptions(q, size, 0, false)
	r.SortBy([]string{"-_score", "_id"})
	return r
}

func TestImpliedBigrams(t *testing.T) {
	for _, c := range []struct {
		tokens []string
		want   string
	}{
		{[]string{"垃圾", "圾分", "分类"}, "[false true false]"},
		{[]string{"垃圾", "圾分", "分类", "类投", "投放"}, "[false true false true false]"},
		{[]string{"垃圾", "圾分", "分类", "类站"}, "[false true false false]"},
		{[]string{"停车", "车位"}, "[false false]"},
		{[]string{"停车", "", "车位"}, "[false false false]"},
		{[]string{"停车", "车位", "停车"}, "[false false false]"}, // not a chain: 车位 停车
		{[]string{"ab", "bc", "cd"}, "[false false false]"}, // words apart, not bigrams
		{[]string{"垃圾", "圾x", "x分"}, "[false false false]"},
	} {
		if got := fmt.Sprint(impliedBigrams(c.tokens)); got != c.want {
			t.Errorf("impliedBigrams(%q) = %s, want %s", c.tokens, got, c.want)
		}
	}
}
