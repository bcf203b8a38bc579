package search

import (
	"context"
	"math"
	"slices"

	"github.com/bits-and-blooms/bitset"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// maxPrefilterRead is the longest word list a prefilter reads from the
// index rather than from the postings cache: past it, the prefilter gives up
// and the search runs as it would without one.
const maxPrefilterRead = 2048

// prefilter returns the pages of a shard that can match every one of terms,
// ascending, when searching only those is worth it; else nil.
//
// A page can match a term when, in one of the term's fields, it holds all of
// the term's tokens: that is what a word's clause asks, and a phrase's asks
// more. So every hit of the search is among these pages. bleve's conjunction
// moves its terms from page to page and scores each term in every field on
// the way; for words whose long lists seldom meet (游泳池 open: 261 hits
// between two lists of about 2,000 pages) that walk was about 40% of the
// search's CPU time (5.8 ms to 3.3 ms), while intersecting the lists takes
// 0.09–0.13 ms a shard once the query's lists are cached, 0.25–0.27 ms
// when some are read from the index (BenchmarkPrefilter). It is worth
// searching the pages alone when they are at most half of the shortest
// term's pages.
//
// r is the shard's reader and postings its cache.
func prefilter(ctx context.Context, r index.IndexReader, postings *postingsCache, terms []term) ([]uint64, error) {
	var all *bitset.BitSet // pages that can match every term so far
	shortest := uint(math.MaxUint)
	for _, t := range terms {
		may := new(bitset.BitSet) // pages that can match t
		tokens := phraseTokens(t.text)
		for _, f := range searchFields {
			field, tokens := f.name, tokens
			if t.char != "" && f.name == fieldTitle {
				field, tokens = fieldTitleChars, []string{t.char}
			}
			var in *bitset.BitSet // pages that hold every token in field
			for _, tok := range tokens {
				if tok == "" {
					continue
				}
				nums, ok, err := pagesOf(ctx, r, postings, field, tok)
				if err != nil || !ok {
					return nil, err
				}
				pages := new(bitset.BitSet)
				for _, p := range nums {
					pages.Set(uint(p))
				}
				if in == nil {
					in = pages
				} else {
					in.InPlaceIntersection(pages)
				}
			}
			if in != nil {
				may.InPlaceUnion(in)
			}
		}
		shortest = min(shortest, may.Count())
		if all == nil {
			all = may
		} else {
			all.InPlaceIntersection(may)
		}
	}
	if all == nil || all.Count() > shortest/2 {
		return nil, nil
	}
	pages := make([]uint64, 0, all.Count())
	for p, ok := all.NextSet(0); ok; p, ok = all.NextSet(p + 1) {
		pages = append(pages, uint64(p))
	}
	return pages, nil
}

// pagesOf returns the pages that hold tok in field, from the postings cache
// or read from r; ok is false for a list too long to read (maxPrefilterRead).
func pagesOf(ctx context.Context, r index.IndexReader, postings *postingsCache, field, tok string) ([]uint64, bool, error) {
	if l := postings.kept(field, tok); l != nil {
		return l.nums, true, nil
	}
	tfr, err := r.TermFieldReader(ctx, []byte(tok), field, false, false, false)
	if err != nil {
		return nil, false, err
	}
	defer tfr.Close()
	if tfr.Count() > maxPrefilterRead {
		return nil, false, nil
	}
	nums := make([]uint64, 0, tfr.Count())
	var tfd index.TermFieldDoc
	for {
		d, err := tfr.Next(tfd.Reset())
		if err != nil {
			return nil, false, err
		}
		if d == nil {
			return nums, true, nil
		}
		nums = append(nums, docNum(d.ID))
	}
}

// restrictSearcher passes on the matches of its searcher among pages, a
// superset of them (prefilter), moving the searcher from one page to the
// next so that the pages between cost nothing.
type restrictSearcher struct {
	bsearch.Searcher
	pages []uint64 // ascending
	next  int      // index in pages of the next page to look at
}

func (s *restrictSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if s.next >= len(s.pages) {
		return nil, nil
	}
	dm, err := s.Searcher.Advance(ctx, internalID(s.pages[s.next]))
	if err != nil || dm == nil {
		s.next = len(s.pages)
		return nil, err
	}
	// Every match is among the pages, so dm's page is one of them: the next
	// to look at is the one after it.
	i, _ := slices.BinarySearch(s.pages[s.next:], docNum(dm.IndexInternalID))
	s.next += i + 1
	return dm, nil
}

func (s *restrictSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	i, _ := slices.BinarySearch(s.pages[s.next:], docNum(id))
	s.next += i
	return s.Next(ctx)
}
