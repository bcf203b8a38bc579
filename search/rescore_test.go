package search

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Search scores every hit without the phrase bonus and then rescores the
// best rescoreWindow of them with it, in place of one bleve query
// (buildQuery) that checks the phrase in every hit. The pages it rescores
// must get exactly buildQuery's scores, and when every hit fits in the
// window, Search must return buildQuery's order.
func TestRescoreMatchesFullQuery(t *testing.T) {
	ctx := context.Background()
	corpora := []struct {
		name    string
		docs    []Doc
		queries []string
	}{
		{"fixture", fixtureDocs(), []string{"停车位", "bike storage", `"bike storage"`, "垃圾分类", "充电桩",
			"停水通知", "电梯 xylophone", "visitor 登记", "the bike storage room", "停车 停车位"}},
		{"pessimistic", syntheticDocs(300), benchQueries},
		{"realistic", realisticDocs(400), benchQueries},
	}
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			x := openDocs(t, c.docs, Options{})
			now, rank := x.opts.Now(), *x.rank.Load()
			for _, q := range c.queries {
				pq, err := parseQuery(q)
				if err != nil {
					t.Fatal(err)
				}
				// The whole query in one search: the reference.
				full, err := x.run(ctx, sortedRequest(buildQuery(pq, "", false, rank, now), len(c.docs)))
				if err != nil {
					t.Fatal(err)
				}
				relaxed := full.Total == 0 && len(pq.terms) > 1
				if relaxed {
					if full, err = x.run(ctx, sortedRequest(buildQuery(pq, "", true, rank, now), len(c.docs))); err != nil {
						t.Fatal(err)
					}
				}
				parts := newQueryParts(pq, "", relaxed)
				if parts.phrase == nil {
					continue
				}
				want := map[string]float64{}
				var wantOrder []string
				for _, dm := range full.Hits {
					want[dm.ID] = dm.Score
					wantOrder = append(wantOrder, dm.ID)
				}
				cand, err := x.run(ctx, candidatesRequest(parts, Request{Limit: 10}, rank, now))
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, dm := range cand.Hits {
					ids = append(ids, dm.ID)
				}
				w := min(rescoreWindow, len(ids))
				if w == 0 {
					continue
				}
				// Rescore's scores, for every page of the window.
				lreq := bleve.NewSearchRequestOptions(parts.phraseLocations(ids[:w]), w, 0, false)
				lreq.IncludeLocations = true
				lsr, err := x.run(ctx, lreq)
				if err != nil {
					t.Fatal(err)
				}
				holds := make([][]string, len(phraseFields))
				for _, dm := range lsr.Hits {
					for i, f := range phraseFields {
						if phraseIn(dm.Locations[f.name], parts.phraseTokens) {
							holds[i] = append(holds[i], dm.ID)
						}
					}
				}
				got, err := x.run(ctx, sortedRequest(parts.rescore(ids[:w], holds, rank, now), w))
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Hits) != w {
					t.Errorf("%q: rescore found %d of %d pages", q, len(got.Hits), w)
				}
				for _, dm := range got.Hits {
					if d := math.Abs(dm.Score-want[dm.ID]) / want[dm.ID]; !(d < 1e-6) {
						t.Errorf("%q: %s scores %v in rescore, %v in the full query", q, dm.ID, dm.Score, want[dm.ID])
					}
				}
				// The order Search returns, page after page.
				if full.Total <= rescoreWindow {
					var order []string
					for off := 0; off < int(full.Total); off += MaxLimit {
						res, err := x.Search(ctx, Request{Q: q, Limit: MaxLimit, Offset: off})
						if err != nil {
							t.Fatal(err)
						}
						order = append(order, urls(res.Hits)...)
					}
					if !slices.Equal(order, wantOrder) {
						t.Errorf("%q: Search order\n%v\nwant the full query's\n%v", q, order, wantOrder)
					}
				}
			}
		})
	}
}

// sortedRequest asks for the best size hits of q in Search's order.
func sortedRequest(q query.Query, size int) *bleve.SearchRequest {
	r := bleve.NewSearchRequestOptions(q, size, 0, false)
	r.SortBy([]string{"-_score", "_id"})
	return r
}
