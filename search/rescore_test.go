package search

import (
	"context"
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
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
				// The whole query in one search: the reference.
				full, err := x.run(ctx, g, sortedRequest(buildQuery(pq, "", false, g.rank, now), len(c.docs)))
				if err != nil {
					t.Fatal(err)
				}
				relaxed := full.Total == 0 && len(pq.terms) > 1
				if relaxed {
					if full, err = x.run(ctx, g, sortedRequest(buildQuery(pq, "", true, g.rank, now), len(c.docs))); err != nil {
						t.Fatal(err)
					}
				}
				want := map[string]float64{}
				for _, dm := range full.Hits {
					want[dm.ID] = dm.Score
				}
				parts := newQueryParts(pq, "", relaxed)
				cand, err := x.run(ctx, g, candidatesRequest(parts, Request{Limit: 10}, g.table, now, -1, nil))
				if err != nil {
					t.Fatal(err)
				}
				if cand.Total != full.Total {
					t.Errorf("%q: %d candidates, %d hits of the full query", q, cand.Total, full.Total)
				}
				var ids []index.IndexInternalID
				for _, dm := range cand.Hits {
					ids = append(ids, dm.IndexInternalID)
				}
				if w := min(rescoreWindow, len(ids)); parts.phrase != nil && w > 0 {
					// Rescore's scores, for every page of the window.
					got, err := x.run(ctx, g, bleve.NewSearchRequestOptions(parts.rescore(ids[:w], g.table, now), w, 0, false))
					if err != nil {
						t.Fatal(err)
					}
					if len(got.Hits) != w {
						t.Errorf("%q: rescore found %d of %d pages", q, len(got.Hits), w)
					}
					for _, dm := range got.Hits {
						if d := math.Abs(dm.Score-want[dm.ID]) / want[dm.ID]; !(d < 1e-9) {
							t.Errorf("%q: %s scores %v in rescore, %v in the full query", q, dm.ID, dm.Score, want[dm.ID])
						}
					}
				}
				g.mu.RUnlock()

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

// sortedRequest asks for the best size hits of q in Search's order.
func sortedRequest(q query.Query, size int) *bleve.SearchRequest {
	r := bleve.NewSearchRequestOptions(q, size, 0, false)
	r.SortBy([]string{"-_score", "_id"})
	return r
}
