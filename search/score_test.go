package search

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestFastCandidatesMatchBleve runs the candidates of queries of every kind
// (Chinese words, words of one character, English words, phrases, words in
// no page, relaxed) both
// over the postings lists (Index.candidates) and through bleve's searchers
// (bleveCandidates), in one shard, in three, and in spans of one, with the
// cache and without: they must find the same pages, count the same by
// section, and score each page the same, up to rounding.
func TestFastCandidatesMatchBleve(t *testing.T) {
	queries := append([]string{`"垃圾分类"`, `"垃圾分类投放"`, `"类投放点"`, "停车位", "bike storage", `"bike storage"`,
		"垃圾分类", "充电桩", "停水通知", "电梯 xylophone", "visitor 登记", "the bike storage room", "停车 停车位",
		"水", "费 公示", "水 停车位", `"停车 停车位"`, `"the bike the storage"`, `"消防 safety"`, `"3号楼电梯"`,
		`"of the"`, "哈哈哈哈", `"哈哈哈哈"`, `垃圾z分类`, `"分类 投放" 电梯`,
		// Words with synonyms, which each term's clause holds too.
		"停水", "物业费 电梯", "狗", "电瓶车充电", `"停水" 停电`, "维修 停车 xylophone",
		// Words of one character, in titles and bodies.
		"梯", "水 停", "電", "门 维修", "修 xylophone", `"停水" 费`}, append(benchQueries, benchCharQueries...)...)
	docs := append(append(fixtureDocs(), phraseDecoys...), syntheticDocs(300)...)
	for _, d := range realisticDocs(200) {
		d.URL = "/realistic" + d.URL
		docs = append(docs, d)
	}
	docs = append(docs, Doc{URL: "/decoy/laugh/", Title: "哈哈", Body: "哈哈哈哈哈，哈哈 哈哈。"})
	for _, c := range []struct {
		name   string
		shards int
		opts   Options
	}{
		{"one shard", 1, Options{Parts: 1, cacheBytes: -1}},
		{"three shards", 3, Options{cacheMinDocs: 1}},
		{"spans", 1, Options{Parts: 3, partDocs: 50, cacheMinDocs: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := openShards(t, docs, c.shards, c.opts)
			for _, q := range queries {
				for _, relaxed := range []bool{false, true} {
					for _, section := range []string{"", "notices"} {
						compareCandidates(t, x, q, relaxed, section)
					}
				}
			}
		})
	}
}

// openShards builds docs in an index of that many shards and opens it.
func openShards(t testing.TB, docs []Doc, shards int, opts Options) *Index {
	t.Helper()
	dir := t.TempDir()
	if err := build(context.Background(), dir, docs, nil, defaultBuildMethod, shards); err != nil {
		t.Fatal(err)
	}
	opts.Now = func() time.Time { return testNow }
	x, err := OpenWithOptions(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// compareCandidates checks that the candidates of q over the postings
// lists are bleve's.
func compareCandidates(t *testing.T, x *Index, q string, relaxed bool, section string) {
	t.Helper()
	pq, err := parseQuery(q)
	if err != nil || pq.empty() {
		return
	}
	ctx := context.Background()
	g, err := x.pin()
	if err != nil {
		t.Fatal(err)
	}
	defer g.mu.RUnlock()
	pq = g.synonyms.expand(pq)
	sec := -1
	if section != "" {
		if sec = g.sectionIndex(section); sec < 0 {
			t.Fatalf("no section %q", section)
		}
	}
	p := newQueryParts(pq, "", relaxed, true)
	const all = 1 << 20
	got, err := x.candidates(ctx, g, p, x.opts.Now(), sec, all)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	want, err := x.bleveCandidates(ctx, g, p, x.opts.Now(), sec, all)
	if err != nil {
		t.Fatalf("%q through bleve: %v", q, err)
	}
	what := q
	if relaxed {
		what += " (relaxed)"
	}
	if got.total != want.total || len(got.hits) != len(want.hits) {
		t.Fatalf("%q in section %q: %d pages (%d kept), bleve %d (%d)", what, section, got.total, len(got.hits), want.total, len(want.hits))
	}
	for s := range want.counts {
		if got.counts[s] != want.counts[s] {
			t.Errorf("%q: %d pages in section %q, bleve %d", what, got.counts[s], g.sections[s], want.counts[s])
		}
	}
	if !nearly(got.weight, want.weight) {
		t.Errorf("%q: weight %v, bleve %v", what, got.weight, want.weight)
	}
	scores := map[pageKey]float64{}
	for _, h := range want.hits {
		scores[h.key()] = h.score
	}
	for _, h := range got.hits {
		w, ok := scores[h.key()]
		if !ok {
			t.Errorf("%q: page %v is not bleve's", what, h.key())
		} else if !nearly(h.score, w) {
			t.Errorf("%q: page %v scores %v, bleve %v", what, h.key(), h.score, w)
		}
	}
}

// nearly reports whether a and b are equal up to rounding.
func nearly(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

// bleveCandidates is Index.candidates through bleve's searchers, each part
// a rankedQuery run by bleve: the reference the plan is held to.
func (x *Index) bleveCandidates(ctx context.Context, g *generation, p queryParts, now time.Time,
	section, need int) (found, error) {
	parts := x.parts(g)
	queries := make([]*rankedQuery, len(parts))
	reqs := make([]shardRequest, len(parts))
	for i, part := range parts {
		q := p.candidates(g.shards[part.shard].table, now, section, make([]int, len(g.sections)), newTopHits(need))
		q.g, q.shard, q.span = g, part.shard, part.span
		queries[i], reqs[i] = q, shardRequest{part.shard, countRequest(q)}
	}
	results, err := x.runAll(ctx, g, reqs)
	if err != nil {
		return found{}, err
	}
	totals := make([]int, len(results))
	for i, r := range results {
		totals[i] = int(r.Total)
	}
	return merge(queries, totals, need), nil
}
