package search

import (
	"context"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// rankedQuery applies recency and expiry to the scores of its query's hits
// (recencyFactor), keeps only the pages of one section if asked, and counts
// the hits of every section, before that filter, when counts is not nil.
// It is the outermost node of a search, and takes the place of bleve's
// custom-score query, boolean filter and facet, each of which looked up
// every hit's URL or doc values.
//
// It also keeps the best hits itself (top), by score and then document
// number, which is bleve's order: a search of it asks bleve for no hit, so
// that bleve neither sorts hits nor looks up their URLs, and only counts.
type rankedQuery struct {
	query.Query
	g       *generation // searched; nil in tests of the query alone
	shard   int
	table   *docTable // the shard's
	now     time.Time
	section int   // index of the section to keep, or -1 for all
	counts  []int // hits by section index, or nil
	top     *topHits
	span    *docSpan // the pages searched, or nil for all

	// weight is the sum of squared weights of the query's searcher, from
	// which bleve's query normalisation divides every score by its square
	// root.
	weight float64
}

func (q *rankedQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := q.Query.Searcher(ctx, q.g.reader(i, q.shard), m, options)
	if err != nil {
		return nil, err
	}
	q.weight = s.Weight()
	if q.span != nil {
		s = &spanSearcher{Searcher: s, span: *q.span}
	}
	return &filterSearcher{Searcher: s, keep: (&ranker{q: q}).keep}, nil
}

// ranker scores the matches of a rankedQuery and filters them by section.
type ranker struct {
	q *rankedQuery
}

// keep scores dm and reports whether it passes the section filter; it puts
// back a hit it drops.
func (s *ranker) keep(ctx *bsearch.SearchContext, dm *bsearch.DocumentMatch) bool {
	n := docNum(dm.IndexInternalID)
	score, ok := s.q.offer(n, dm.Score)
	if !ok {
		ctx.DocumentMatchPool.Put(dm)
		return false
	}
	dm.Score = score
	return true
}

// offer counts page n of the shard by section, and if it passes the section
// filter keeps it in top with its score adjusted for recency, which it
// returns.
func (q *rankedQuery) offer(n uint64, score float64) (float64, bool) {
	t := q.table
	var e rankEntry
	sec, order := 0, uint32(0)
	if n < uint64(len(t.entries)) { // always: a search pins its generation
		e, sec, order = t.entries[n], int(t.section[n]), t.order[n]
	}
	if q.counts != nil {
		q.counts[sec]++
	}
	if q.section != -1 && sec != q.section {
		return 0, false
	}
	score *= recencyFactor(e, q.now)
	if q.top != nil {
		q.top.add(hit{shard: q.shard, num: n, order: order, score: score})
	}
	return score, true
}

// filterSearcher passes on the matches of its searcher that keep accepts;
// keep may change a match (its score, its locations), and puts back in the
// pool a match it refuses.
type filterSearcher struct {
	bsearch.Searcher
	keep func(*bsearch.SearchContext, *bsearch.DocumentMatch) bool
}

func (s *filterSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for {
		dm, err := s.Searcher.Next(ctx)
		if err != nil || dm == nil {
			return nil, err
		}
		if s.keep(ctx, dm) {
			return dm, nil
		}
	}
}

func (s *filterSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if err != nil || dm == nil {
		return nil, err
	}
	if s.keep(ctx, dm) {
		return dm, nil
	}
	return s.Next(ctx)
}
