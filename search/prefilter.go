package search

import (
	"context"
	"math/bits"
	"slices"

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
// between two lists of about 2,000 pages) that walk was most of a search,
// while the lists' intersection, from the postings cache, costs a few
// microseconds. It is worth searching the pages alone when they are at most
// half of the shortest term's pages.
//
// r is the shard's reader, n its number of pages (document numbers are 0 to
// n-1), and postings its cache.
func prefilter(ctx context.Context, r index.IndexReader, postings *postingsCache, terms []term, n int) ([]uint64, error) {
	words := (n + 63) / 64
	ones := make([]uint64, words)
	for i := range ones {
		ones[i] = ^uint64(0)
	}
	all := slices.Clone(ones) // pages that can match every term so far
	shortest := n
	for _, t := range terms {
		may := make([]uint64, words) // pages that can match t
		for _, f := range searchFields {
			field, tokens := f.name, phraseTokens(t.text)
			if t.char != "" && f.name == fieldTitle {
				field, tokens = fieldTitleChars, []string{t.char}
			}
			in := slices.Clone(ones) // pages that hold every token in field
			for _, tok := range tokens {
				if tok == "" {
					continue
				}
				nums, ok, err := pagesOf(ctx, r, postings, field, tok)
				if err != nil || !ok {
					return nil, err
				}
				and(in, nums, n)
			}
			for i := range may {
				may[i] |= in[i]
			}
		}
		count := 0
		for i := range all {
			all[i] &= may[i]
			count += bits.OnesCount64(may[i])
		}
		shortest = min(shortest, count)
	}
	var pages []uint64
	for i, w := range all {
		for ; w != 0; w &= w - 1 {
			pages = append(pages, uint64(i*64+bits.TrailingZeros64(w)))
		}
	}
	if len(pages) > shortest/2 {
		return nil, nil
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

// and keeps in set (a bitset of n pages) only the pages of nums.
func and(set []uint64, nums []uint64, n int) {
	keep := make([]uint64, len(set))
	for _, p := range nums {
		if p < uint64(n) {
			keep[p/64] |= 1 << (p % 64)
		}
	}
	for i := range set {
		set[i] &= keep[i]
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
