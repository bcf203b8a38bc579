package search

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// idsQuery makes every page of ids a hit, with its query's match where
// there is one (its score and locations) and nothing else where not. Its
// searcher moves the query's searcher from one of those pages to the next,
// so the pages between them cost nothing.
type idsQuery struct {
	query.Query
	g     *generation // searched; nil in tests of the query alone
	shard int
	ids   []index.IndexInternalID // ascending
}

// sortIDs returns ids in ascending order without repeats.
func sortIDs(ids []index.IndexInternalID) []index.IndexInternalID {
	sorted := slices.Clone(ids)
	slices.SortFunc(sorted, func(a, b index.IndexInternalID) int { return a.Compare(b) })
	return slices.CompactFunc(sorted, index.IndexInternalID.Equals)
}

func (q *idsQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := q.Query.Searcher(ctx, q.g.reader(i, q.shard), m, options)
	if err != nil {
		return nil, err
	}
	return &idsSearcher{Searcher: s, ids: q.ids}, nil
}

type idsSearcher struct {
	bsearch.Searcher
	ids []index.IndexInternalID
	pos int                    // next of ids to look at
	cur *bsearch.DocumentMatch // where the inner searcher stands, not yet returned
	end bool                   // the inner searcher is exhausted
}

func (s *idsSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if s.pos == len(s.ids) {
		return nil, nil
	}
	id := s.ids[s.pos]
	s.pos++
	dm, err := s.match(ctx, id)
	if err != nil || dm != nil {
		return dm, err
	}
	dm = ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = append(dm.IndexInternalID[:0], id...)
	return dm, nil
}

// match returns the inner searcher's match at id, or nil.
func (s *idsSearcher) match(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if s.end {
		return nil, nil
	}
	if s.cur != nil {
		switch c := s.cur.IndexInternalID.Compare(id); {
		case c == 0:
			dm := s.cur
			s.cur = nil
			return dm, nil
		case c > 0:
			return nil, nil // the inner searcher is past id: id does not match
		}
		ctx.DocumentMatchPool.Put(s.cur)
		s.cur = nil
	}
	dm, err := s.Searcher.Advance(ctx, id)
	if err != nil {
		return nil, err
	}
	if dm == nil {
		s.end = true
		return nil, nil
	}
	if dm.IndexInternalID.Equals(id) {
		return dm, nil
	}
	s.cur = dm
	return nil, nil
}

func (s *idsSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	for s.pos < len(s.ids) && s.ids[s.pos].Compare(id) < 0 {
		s.pos++
	}
	return s.Next(ctx)
}

func (s *idsSearcher) Count() uint64 { return uint64(len(s.ids)) }

func (s *idsSearcher) DocumentMatchPoolSize() int { return s.Searcher.DocumentMatchPoolSize() + 1 }
