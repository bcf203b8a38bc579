package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// This file holds lobby's own bleve query nodes. Each wraps queries built
// from the user's words (query.go) and works by the document numbers of the
// generation it runs on, which bleve's own nodes would look up by URL, page
// by page, for every hit: recency, expiry, the section filter and the
// section counts come from a docTable, and a search restricted to a few
// pages names them by number.

// docTable holds what scoring, filtering and counting need of each page of
// one shard, by document number (bleve's internal ID).
type docTable struct {
	entries []rankEntry
	section []uint16 // index into the generation's sections; 0 for none
	// order is each page's place among all the generation's pages by URL,
	// which settles ties between equal scores: the same way in every
	// build, however bleve's builder numbered the pages, and the same way
	// as bleve's own sort by score and then ID.
	order []uint32
}

// reader opens a reader of idx's current snapshot; the caller closes it.
func reader(idx bleve.Index) (index.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// docNum returns the document number of an internal ID: scorch's internal
// IDs are 8-byte big-endian numbers.
func docNum(id index.IndexInternalID) uint64 {
	if len(id) != 8 {
		return ^uint64(0)
	}
	return binary.BigEndian.Uint64(id)
}

// newDocTable reads the document numbers of every page of idx and pairs
// them with the rank table Build wrote, and returns their URLs by number
// too, for setOrder. Sections are numbered by secIndex and named in
// sections, which the shards of a generation share.
func newDocTable(idx bleve.Index, rank rankTable, secIndex map[string]uint16, sections *[]string) (*docTable, []string, error) {
	r, err := reader(idx)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, nil, err
	}
	defer ids.Close()
	t := &docTable{}
	var urls []string
	for {
		id, err := ids.Next()
		if err != nil {
			return nil, nil, err
		}
		if id == nil {
			break
		}
		n := docNum(id)
		if n > 1<<31 {
			return nil, nil, fmt.Errorf("document number %d out of range", n)
		}
		url, err := r.ExternalID(id)
		if err != nil {
			return nil, nil, err
		}
		e, ok := rank[url]
		if !ok {
			return nil, nil, fmt.Errorf("page %s missing from %s", url, genRankFile)
		}
		s, ok := secIndex[e.Section]
		if !ok {
			if len(*sections) > 1<<16-1 {
				return nil, nil, fmt.Errorf("more than %d sections", 1<<16-1)
			}
			s = uint16(len(*sections))
			secIndex[e.Section] = s
			*sections = append(*sections, e.Section)
		}
		for uint64(len(t.entries)) <= n {
			t.entries = append(t.entries, rankEntry{})
			t.section = append(t.section, 0)
			urls = append(urls, "")
		}
		t.entries[n], t.section[n], urls[n] = e, s, url
	}
	return t, urls, nil
}

// setOrder sets the order of every page of the tables, the shards of one
// generation, by URL; urls[i] are the URLs of tables[i] by page number.
func setOrder(tables []*docTable, urls [][]string) error {
	type page struct {
		shard, num int
	}
	var pages []page
	for i, t := range tables {
		for n, u := range urls[i] {
			if u != "" {
				pages = append(pages, page{i, n})
			}
		}
		t.order = make([]uint32, len(urls[i]))
	}
	if len(pages) > 1<<32-1 {
		return fmt.Errorf("%d pages: too many", len(pages))
	}
	slices.SortFunc(pages, func(a, b page) int { return strings.Compare(urls[a.shard][a.num], urls[b.shard][b.num]) })
	for i, p := range pages {
		tables[p.shard].order[p.num] = uint32(i)
	}
	return nil
}

// corpusStats gives the search of one shard the page count, the document
// frequencies and the dictionary sizes of the whole generation, so that a
// word weighs what it would in one index: BM25 weighs a word by how few
// pages hold it and a field's length against an average (which bleve takes
// from the size of the field's dictionary), and with each shard's own
// counts, the same page would score differently in another shard.
type corpusStats struct {
	docs    uint64
	readers []index.IndexReader // one per shard, open for the generation's life
	// terms is the number of distinct terms of each field over all shards,
	// which bleve's BM25 takes for the field's length (FieldCardinality).
	terms map[string]int

	// freqs caches docFreq's answers by postingsKey, up to maxCachedFreqs.
	freqs  sync.Map
	nFreqs atomic.Int64
}

// maxCachedFreqs bounds corpusStats.freqs: about 100 bytes each.
const maxCachedFreqs = 1 << 16

// docFreq returns the number of pages of all shards that hold term in
// field. Asking each shard costs a dictionary lookup and a reader per
// shard, for every term of every search; the counts never change.
func (c *corpusStats) docFreq(ctx context.Context, term []byte, field string) (uint64, error) {
	key := postingsKey{field, string(term)}
	if n, ok := c.freqs.Load(key); ok {
		return n.(uint64), nil
	}
	var n uint64
	for _, r := range c.readers {
		tfr, err := r.TermFieldReader(ctx, term, field, false, false, false)
		if err != nil {
			return 0, err
		}
		n += tfr.Count()
		if err := tfr.Close(); err != nil {
			return 0, err
		}
	}
	if c.nFreqs.Add(1) <= maxCachedFreqs {
		c.freqs.Store(key, n)
	}
	return n, nil
}

func newCorpusStats(shards []*shard) (*corpusStats, error) {
	c := &corpusStats{terms: map[string]int{}}
	for _, sh := range shards {
		r, err := reader(sh.idx)
		if err != nil {
			return nil, err
		}
		c.readers = append(c.readers, r)
		n, err := r.DocCount()
		if err != nil {
			return nil, err
		}
		c.docs += n
	}
	fields, err := shards[0].idx.Fields()
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		if c.terms[f], err = distinctTerms(c.readers, f); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// distinctTerms counts the terms of field in the union of the readers'
// dictionaries.
func distinctTerms(readers []index.IndexReader, field string) (int, error) {
	seen := map[string]struct{}{}
	for _, r := range readers {
		d, err := r.FieldDict(field)
		if err != nil {
			return 0, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return 0, err
			}
			if e == nil {
				break
			}
			seen[e.Term] = struct{}{}
		}
		if err := d.Close(); err != nil {
			return 0, err
		}
	}
	return len(seen), nil
}

// reader returns the reader a search of shard i of g goes through: it
// reads common terms from the shard's postings cache, and for a generation
// of several shards answers with their statistics (corpusStats). A nil g
// gives r itself.
func (g *generation) reader(r index.IndexReader, i int) index.IndexReader {
	if g == nil {
		return r
	}
	return g.shardReader(r, i)
}

// shardReader returns r, the reader of shard i, as a search of g sees it.
func (g *generation) shardReader(r index.IndexReader, i int) shardReader {
	return shardReader{IndexReader: r, postings: g.shards[i].postings, stats: g.stats, shard: i}
}

// shardReader is the reader of one shard of a generation (generation.reader).
type shardReader struct {
	index.IndexReader // of shard
	postings          *postingsCache
	stats             *corpusStats // nil for a generation of one shard
	shard             int
}

func (r shardReader) DocCount() (uint64, error) {
	if r.stats == nil {
		return r.IndexReader.DocCount()
	}
	return r.stats.docs, nil
}

// FieldCardinality is bleve's BM25Reader's: the size of field's dictionary.
func (r shardReader) FieldCardinality(field string) (int, error) {
	if r.stats == nil {
		br, ok := r.IndexReader.(index.BM25Reader)
		if !ok {
			return 0, fmt.Errorf("search: %T has no field cardinality", r.IndexReader)
		}
		return br.FieldCardinality(field)
	}
	return r.stats.terms[field], nil
}

func (r shardReader) TermFieldReader(ctx context.Context, term []byte, field string,
	includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	tfr, err := r.postings.reader(ctx, r.IndexReader, term, field, includeFreq, includeNorm, includeTermVectors)
	if err != nil || r.stats == nil {
		return tfr, err
	}
	count, err := r.stats.docFreq(ctx, term, field)
	if err != nil {
		tfr.Close()
		return nil, err
	}
	return countedTermReader{TermFieldReader: tfr, count: count}, nil
}

// countedTermReader reports count as the number of pages holding its term.
type countedTermReader struct {
	index.TermFieldReader
	count uint64
}

func (r countedTermReader) Count() uint64 { return r.count }

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

// hit is a page found, by shard and document number, with its score and
// its order by URL (docTable.order).
type hit struct {
	shard int
	num   uint64
	order uint32
	score float64
}

// pageKey identifies a page of a generation.
type pageKey struct {
	shard int
	num   uint64
}

func (a hit) key() pageKey { return pageKey{a.shard, a.num} }

// better reports whether a ranks above b: higher score, then the lower URL.
func (a hit) better(b hit) bool {
	return a.score > b.score || a.score == b.score && a.order < b.order
}

// topHits keeps the best n hits offered to it.
type topHits struct {
	n    int
	heap []hit // a min-heap by better: heap[0] is the worst kept
}

func newTopHits(n int) *topHits { return &topHits{n: n, heap: make([]hit, 0, min(n, 1024))} }

func (t *topHits) add(h hit) {
	if len(t.heap) < t.n {
		t.heap = append(t.heap, h)
		for i := len(t.heap) - 1; i > 0; { // up
			p := (i - 1) / 2
			if !t.heap[p].better(t.heap[i]) {
				break
			}
			t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
			i = p
		}
		return
	}
	if len(t.heap) == 0 || !h.better(t.heap[0]) {
		return
	}
	t.heap[0] = h
	for i := 0; ; { // down
		l, r, worst := 2*i+1, 2*i+2, i
		if l < len(t.heap) && t.heap[worst].better(t.heap[l]) {
			worst = l
		}
		if r < len(t.heap) && t.heap[worst].better(t.heap[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.heap[i], t.heap[worst] = t.heap[worst], t.heap[i]
		i = worst
	}
}

// sorted returns the hits kept, best first.
func (t *topHits) sorted() []hit {
	out := slices.Clone(t.heap)
	slices.SortFunc(out, func(a, b hit) int {
		if a.better(b) {
			return -1
		}
		return 1
	})
	return out
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

// internalID returns the internal ID of document number n.
func internalID(n uint64) index.IndexInternalID {
	return binary.BigEndian.AppendUint64(make(index.IndexInternalID, 0, 8), n)
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
// Positions took about a seventh of a quoted search's CPU time (readLocation,
// 0.70 of 5.0 s in the profile); this took about 8% off its time.
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
		a0, a1, ok0 := pair(tokens[i-1])
		b0, b1, ok1 := pair(tokens[i])
		c0, c1, ok2 := pair(tokens[i+1])
		_, _ = a0, c1
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
// has no use for them. Checking each term's locations where its searcher
// left them, rather than in the conjunction's merged list, took a fifth off
// a quoted search (9.7–10.1 to 7.3–8.6 ms for 垃圾分类 at 10k pages).
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
