package search

import (
	"context"
	"errors"
	"math"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery is bleve's match-phrase query on one field, with the same
// hits, scores and word locations, optionally restricted to the pages ids:
// the phrase tokens' term searchers moved together (phraseSearcher), with
// its boost, whose hits must hold the tokens one after another, and whose
// locations are then those of the phrase's occurrences.
//
// bleve's phrase searcher builds a map of every hit's locations to check
// the phrase, which on common words cost most of a quoted search; this one
// checks them where they are. And moved to a page, bleve's checks every
// later candidate until one holds the phrase, so it cannot be restricted to
// a few pages; this one can.
type phraseQuery struct {
	field  string
	tokens []string // by position; "" for a gap (phraseTokens)
	boost  float64
	ids    []index.IndexInternalID // the pages to look at, or nil for all
}

func (q *phraseQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	locations := options.IncludeTermVectors
	options.IncludeTermVectors = true // as bleve's phrase searcher
	var implied []bool
	if !locations {
		implied = impliedBigrams(q.tokens)
	}
	ps := &phraseSearcher{tokens: q.tokens, implied: implied, locations: locations, field: q.field,
		termAt: make([]int, len(q.tokens))}
	if !locations {
		ps.lists = keptLists(i, q.field, q.tokens, implied)
	}
	for k, tok := range q.tokens {
		ps.termAt[k] = -1
		if tok == "" {
			continue
		}
		opts := options
		opts.IncludeTermVectors = ps.lists == nil && (implied == nil || !implied[k])
		ts, err := searcher.NewTermSearcher(ctx, i, tok, q.field, q.boost, opts)
		if err != nil {
			ps.Close()
			return nil, err
		}
		ps.termAt[k] = len(ps.terms)
		ps.terms = append(ps.terms, phraseTerm{Searcher: ts})
	}
	if len(ps.terms) == 0 {
		return searcher.NewMatchNoneSearcher(i)
	}
	ps.SetQueryNorm(1 / math.Sqrt(ps.Weight())) // as bleve's conjunction searcher
	if q.ids != nil {
		ps.ids = sortIDs(q.ids)
	}
	return ps, nil
}

// impliedBigrams marks the tokens of a phrase whose place in a page
// follows from their neighbours', so that a phrase checked without
// locations (phraseSearcher) need not read theirs: a Chinese bigram between
// two others that share its characters, every other one. 垃圾分类 is 垃圾
// 圾分 分类; where 垃圾 stands at one position and 分类 two further on,
// starting where 垃圾 ends, the text there is 垃圾分类, and the CJK bigram
// filter, which pairs only characters that touch, put 圾分 between them.
// Reading positions is much of a quoted search's work, and this skips
// those of every other inner bigram of a Chinese phrase.
func impliedBigrams(tokens []string) []bool {
	implied := make([]bool, len(tokens))
	pair := func(t string) (rune, rune, bool) {
		a, n := utf8.DecodeRuneInString(t)
		b, m := utf8.DecodeRuneInString(t[n:])
		return a, b, n+m == len(t) && unicode.Is(unicode.Han, a) && unicode.Is(unicode.Han, b)
	}
	for i := 1; i+1 < len(tokens); i++ {
		if implied[i-1] {
			continue
		}
		_, a1, ok0 := pair(tokens[i-1])
		b0, b1, ok1 := pair(tokens[i])
		c0, _, ok2 := pair(tokens[i+1])
		implied[i] = ok0 && ok1 && ok2 && a1 == b0 && b1 == c0
	}
	return implied
}

// keptLists returns the postings lists of the phrase's tokens in field, by
// token, if r, a shard's reader, keeps every one whose positions are
// checked (neither a gap nor implied); else nil.
func keptLists(r index.IndexReader, field string, tokens []string, implied []bool) []*postingList {
	sr, ok := r.(shardReader)
	if !ok {
		return nil
	}
	lists := make([]*postingList, len(tokens))
	for k, tok := range tokens {
		if tok == "" || implied != nil && implied[k] {
			continue
		}
		if lists[k] = sr.postings.kept(field, tok); lists[k] == nil {
			return nil
		}
	}
	return lists
}

// phraseSearcher moves the term searchers of a phrase's tokens together,
// as bleve's conjunction searcher does, and checks the positions of each
// page they all reach: its hits are those of the conjunction that hold the
// phrase, with the conjunction's scores (the sum of the terms'). With
// locations set, a hit carries the locations of the phrase's occurrences;
// else none, as a search that asked for no locations (counting and scoring)
// has no use for them. It checks each term's locations where its searcher
// left them, rather than merging every hit's locations into one list first
// as bleve's phrase searcher does.
type phraseSearcher struct {
	field     string
	tokens    []string
	termAt    []int  // per token: its index in terms, or -1 for a gap
	implied   []bool // per token: its place is implied (impliedBigrams), or nil
	locations bool
	terms     []phraseTerm
	// ids, when not nil, are the only pages looked at, in order; pos is
	// the next of them.
	ids []index.IndexInternalID
	pos int

	started bool
	done    bool
	at      index.IndexInternalID // the page all terms stand on or beyond
	out     []bsearch.FieldTermLocation

	// lists, when not nil, are the tokens' postings lists from the
	// postings cache (keptLists), where a search that wants no locations
	// checks positions instead of in the terms' matches, which then carry
	// none; cursor is where each list was last read.
	lists  []*postingList
	cursor []int
}

// phraseTerm is the term searcher of one token and its current match.
type phraseTerm struct {
	bsearch.Searcher
	cur *bsearch.DocumentMatch // nil before the start, at the end, or when given out
}

func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	if s.ids != nil {
		return s.nextOfIDs(ctx)
	}
	for k := range s.terms {
		t := &s.terms[k]
		if s.started && t.cur != nil && !t.cur.IndexInternalID.Equals(s.at) {
			continue // already beyond the last page
		}
		if t.cur != nil {
			ctx.DocumentMatchPool.Put(t.cur)
		}
		var err error
		if t.cur, err = t.Next(ctx); err != nil {
			return nil, err
		}
	}
	s.started = true
	return s.align(ctx)
}

func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	if s.ids != nil {
		for s.pos < len(s.ids) && s.ids[s.pos].Compare(id) < 0 {
			s.pos++
		}
		return s.nextOfIDs(ctx)
	}
	for k := range s.terms {
		t := &s.terms[k]
		if s.started && t.cur != nil && t.cur.IndexInternalID.Compare(id) >= 0 {
			continue
		}
		if t.cur != nil {
			ctx.DocumentMatchPool.Put(t.cur)
		}
		var err error
		if t.cur, err = t.Searcher.Advance(ctx, id); err != nil {
			return nil, err
		}
	}
	s.started = true
	return s.align(ctx)
}

// nextOfIDs moves the terms to each of ids in turn and returns the match
// of the first page where every term is and that holds the phrase; the
// pages between cost nothing.
func (s *phraseSearcher) nextOfIDs(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for s.pos < len(s.ids) {
		id := s.ids[s.pos]
		s.pos++
		all := true
		for k := range s.terms {
			t := &s.terms[k]
			if t.cur == nil || t.cur.IndexInternalID.Compare(id) < 0 {
				if t.cur != nil {
					ctx.DocumentMatchPool.Put(t.cur)
				}
				var err error
				if t.cur, err = t.Searcher.Advance(ctx, id); err != nil {
					return nil, err
				}
				if t.cur == nil { // no later page has every term
					s.done = true
					return nil, nil
				}
			}
			all = all && t.cur.IndexInternalID.Equals(id)
		}
		if all {
			s.at = append(s.at[:0], id...)
			if dm := s.match(); dm != nil {
				return dm, nil
			}
		}
	}
	s.done = true
	return nil, nil
}

// align moves the terms until they stand on one page that holds the
// phrase, and returns its match; or nil at the end.
func (s *phraseSearcher) align(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for {
		s.at = s.at[:0]
		for _, t := range s.terms {
			if t.cur == nil {
				s.done = true
				return nil, nil
			}
			if len(s.at) == 0 || t.cur.IndexInternalID.Compare(s.at) > 0 {
				s.at = append(s.at[:0], t.cur.IndexInternalID...)
			}
		}
		behind := false
		for k := range s.terms {
			t := &s.terms[k]
			if t.cur.IndexInternalID.Compare(s.at) < 0 {
				behind = true
				ctx.DocumentMatchPool.Put(t.cur)
				var err error
				if t.cur, err = t.Searcher.Advance(ctx, s.at); err != nil {
					return nil, err
				}
			}
		}
		if behind {
			continue // a term may have gone past s.at
		}
		if dm := s.match(); dm != nil {
			return dm, nil
		}
		t := &s.terms[0]
		ctx.DocumentMatchPool.Put(t.cur)
		var err error
		if t.cur, err = t.Next(ctx); err != nil {
			return nil, err
		}
	}
}

// match returns the match of the page the terms stand on if it holds the
// phrase, giving out the first term's match for it; else nil.
func (s *phraseSearcher) match() *bsearch.DocumentMatch {
	if s.lists != nil {
		if !s.occursInLists() {
			return nil
		}
		return s.give(nil)
	}
	at := func(k int, ap bsearch.ArrayPositions, pos uint64) *bsearch.Location {
		ftls := s.terms[s.termAt[k]].cur.FieldTermLocations
		for j := range ftls {
			if l := &ftls[j].Location; l.Pos == pos && l.ArrayPositions.Equals(ap) {
				return l
			}
		}
		return nil
	}
	// occurs reports whether the phrase occurs from first, its first
	// token's location.
	occurs := func(first *bsearch.Location) bool {
		prev := first
		for k := 1; k < len(s.tokens); k++ {
			if s.tokens[k] == "" || s.implied != nil && s.implied[k] {
				continue
			}
			l := at(k, first.ArrayPositions, first.Pos+uint64(k))
			if l == nil || s.implied != nil && s.implied[k-1] && l.Start != prev.End {
				return false
			}
			prev = l
		}
		return true
	}
	firsts := s.terms[0].cur.FieldTermLocations // token 0 is never a gap
	found := false
	out := s.out[:0]
	for j := range firsts {
		first := &firsts[j].Location
		if !occurs(first) {
			continue
		}
		found = true
		if !s.locations {
			break
		}
		for k, tok := range s.tokens {
			if tok == "" {
				continue
			}
			loc := *at(k, first.ArrayPositions, first.Pos+uint64(k))
			if len(loc.ArrayPositions) > 0 {
				loc.ArrayPositions = slices.Clone(loc.ArrayPositions)
			}
			out = append(out, bsearch.FieldTermLocation{Field: s.field, Term: tok, Location: loc})
		}
	}
	s.out = out
	if !found {
		return nil
	}
	return s.give(out)
}

// give gives out the first term's match of the page the terms stand on, as
// the phrase's: with the terms' scores summed and locs for locations.
func (s *phraseSearcher) give(locs []bsearch.FieldTermLocation) *bsearch.DocumentMatch {
	dm := s.terms[0].cur
	s.terms[0].cur = nil
	for _, t := range s.terms[1:] {
		dm.Score += t.cur.Score
	}
	dm.FieldTermLocations = append(dm.FieldTermLocations[:0], locs...)
	return dm
}

// occursInLists reports whether the page the terms stand on holds the
// phrase, by the positions in s.lists: match's check, without reading the
// terms' locations.
func (s *phraseSearcher) occursInLists() bool {
	num := docNum(s.at)
	if s.cursor == nil {
		s.cursor = make([]int, len(s.lists))
	}
	for k, l := range s.lists {
		if l == nil {
			continue
		}
		c := s.cursor[k]
		if c >= len(l.nums) || l.nums[c] > num { // moved back: search it all
			c = 0
		}
		i, found := slices.BinarySearch(l.nums[c:], num)
		if !found {
			return false // cannot happen: the term's searcher stands on the page
		}
		s.cursor[k] = c + i
	}
	return phraseOccurs(s.lists, s.cursor, s.implied)
}

// phraseOccurs reports whether a phrase occurs on one page, given by
// position from its first token the postings lists of the tokens whose
// place is checked (nil for a gap or an implied token) and where in each
// list that page is (at). The token after an implied one (impliedBigrams;
// implied may be nil) must start where the one before it ended. The
// phraseSearcher and the candidates plan both check phrases with it.
func phraseOccurs(lists []*postingList, at []int, implied []bool) bool {
	first, i := lists[0], at[0] // a phrase's first token is never a gap
	for j := first.locs[i]; j < first.locs[i+1]; j++ {
		pos, prevEnd, holds := first.pos[j], first.end[j], true
		for k := 1; k < len(lists) && holds; k++ {
			l := lists[k]
			if l == nil {
				continue
			}
			lo, hi := l.locs[at[k]], l.locs[at[k]+1]
			m := slices.Index(l.pos[lo:hi], pos+uint32(k))
			holds = m >= 0 && (implied == nil || !implied[k-1] || l.start[int(lo)+m] == prevEnd)
			if holds {
				prevEnd = l.end[int(lo)+m]
			}
		}
		if holds {
			return true
		}
	}
	return false
}

func (s *phraseSearcher) Weight() float64 {
	w := 0.0
	for _, t := range s.terms {
		w += t.Weight()
	}
	return w
}

func (s *phraseSearcher) SetQueryNorm(norm float64) {
	for _, t := range s.terms {
		t.SetQueryNorm(norm)
	}
}

func (s *phraseSearcher) Count() uint64 {
	var n uint64
	for _, t := range s.terms {
		n += t.Count()
	}
	return n
}

func (s *phraseSearcher) Min() int { return 0 }

func (s *phraseSearcher) Size() int {
	n := 0
	for _, t := range s.terms {
		n += t.Size()
	}
	return n
}

func (s *phraseSearcher) DocumentMatchPoolSize() int {
	n := len(s.terms)
	for _, t := range s.terms {
		n += t.DocumentMatchPoolSize()
	}
	return n
}

func (s *phraseSearcher) Close() error {
	var errs []error
	for _, t := range s.terms {
		errs = append(errs, t.Close())
	}
	return errors.Join(errs...)
}
