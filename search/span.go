package search

import (
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// docSpan is the document numbers from lo up to hi, not including hi.
type docSpan struct{ lo, hi uint64 }

// spanSearcher passes on the matches of its searcher within a span: it
// moves the searcher to the span's start first and stops at its end.
type spanSearcher struct {
	bsearch.Searcher
	span    docSpan
	started bool
	done    bool
}

func (s *spanSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		return s.Advance(ctx, internalID(s.span.lo))
	}
	if s.done {
		return nil, nil
	}
	dm, err := s.Searcher.Next(ctx)
	return s.within(ctx, dm, err)
}

func (s *spanSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	s.started = true
	if s.done {
		return nil, nil
	}
	if docNum(id) < s.span.lo {
		id = internalID(s.span.lo)
	}
	dm, err := s.Searcher.Advance(ctx, id)
	return s.within(ctx, dm, err)
}

// within returns dm if it lies in the span; past its end, it puts dm back
// and ends the search.
func (s *spanSearcher) within(ctx *bsearch.SearchContext, dm *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	if err != nil || dm == nil {
		return nil, err
	}
	if docNum(dm.IndexInternalID) >= s.span.hi {
		ctx.DocumentMatchPool.Put(dm)
		s.done = true
		return nil, nil
	}
	return dm, nil
}
