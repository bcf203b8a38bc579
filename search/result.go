package search

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Paging limits: Limit is clamped to 1..MaxLimit (0 means DefaultLimit) and
// Offset to 0..MaxOffset.
const (
	// DefaultLimit is the number of hits per page when none is asked for.
	DefaultLimit = 10
	// MaxLimit is the most hits one page may have.
	MaxLimit = 50
	// MaxOffset is the most hits a request may skip.
	MaxOffset = 1000
)

// Request is one search as a user asked it.
type Request struct {
	Q       string // the words and "quoted phrases" typed
	Section string // only pages of this section, or "" for all
	Limit   int    // hits per page
	Offset  int    // hits to skip
}

// normalized returns r with Limit and Offset clamped to their ranges.
func (r Request) normalized() Request {
	if r.Limit == 0 {
		r.Limit = DefaultLimit
	}
	r.Limit = min(max(r.Limit, 1), MaxLimit)
	r.Offset = min(max(r.Offset, 0), MaxOffset)
	return r
}

// Result is the answer to a Request, ready for the JSON API and for the HTML
// results page.
type Result struct {
	Query   string // the query as asked
	Section string // the section filter, or ""
	Total   int    // pages that match
	TookMS  int64  // time taken, in milliseconds
	Hits    []Hit  // this page of the matches, best first
	// Facets counts matches by facet and term: Facets["section"]["notices"].
	// Counts ignore the section filter, so a page can offer every section.
	Facets map[string]map[string]int
	// Relaxed reports that no page had every word, so these pages have some.
	Relaxed bool
	// Pinyin, when not empty, are the words of the site's titles and tags
	// whose pinyin the query was: it found nothing as typed, and these
	// hits are theirs.
	Pinyin []string
	Page   Page // where this page of hits lies among all of them

	// query is the query the hits are of: the one asked with its
	// synonyms, its words cut apart, or the words its pinyin reads as.
	query parsedQuery
}

// Hit is one matching page.
type Hit struct {
	URL     string
	Title   string
	Section string
	Date    time.Time // zero if the page has none
	// Snippet is a piece of the page's text, HTML-escaped, in which <mark>
	// elements around the matched words are the only markup.
	Snippet template.HTML
	// TitleHTML is Title, HTML-escaped, with the matched words in <mark>
	// elements, its only markup.
	TitleHTML template.HTML
	Expired   bool // an expired notice: still found, shown as such
}

// Page locates one page of hits among all of them.
type Page struct {
	Offset     int  // hits skipped
	Limit      int  // hits per page
	Number     int  // 1-based page number
	Count      int  // number of pages, at most enough to reach MaxOffset
	HasPrev    bool // a previous page exists
	HasNext    bool // a next page exists
	PrevOffset int  // Offset of the previous page
	NextOffset int  // Offset of the next page
}

func newPage(offset, limit, total int) Page {
	p := Page{Offset: offset, Limit: limit, Number: offset/limit + 1}
	reachable := min(total, MaxOffset+limit)
	p.Count = (reachable + limit - 1) / limit
	p.HasPrev = offset > 0
	p.PrevOffset = max(offset-limit, 0)
	p.NextOffset = offset + limit
	p.HasNext = p.NextOffset < total && p.NextOffset <= MaxOffset
	return p
}

// facetSection is the one facet of a Result.
const facetSection = "section"

// Search runs req against the served generation. Errors are ErrQueryTooLong,
// ErrTooManyTerms and ErrBadParameter for requests a user can fix, and
// ErrOverloaded, ErrTimeout and ErrClosed for a server that cannot answer
// now; StatusOf and Message turn them into answers.
func (x *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	req = req.normalized()
	if !validSection(req.Section) {
		return nil, fmt.Errorf("%w: section %q", ErrBadParameter, req.Section)
	}
	pq, err := parseQuery(req.Q)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Query:   req.Q,
		Section: req.Section,
		Facets:  map[string]map[string]int{facetSection: {}},
		Page:    newPage(req.Offset, req.Limit, 0),
	}
	if pq.empty() {
		res.TookMS = time.Since(start).Milliseconds()
		return res, nil
	}

	ctx, cancel := context.WithTimeout(ctx, x.opts.Timeout)
	defer cancel()
	release, err := x.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx = context.WithValue(ctx, bsearch.MaxTermSearchersKey, maxTermSearchers)

	g, err := x.pin()
	if err != nil {
		return nil, err
	}
	defer g.mu.RUnlock()
	now := x.opts.Now()
	pq = g.synonyms.expand(pq)

	section := -1
	if req.Section != "" {
		if section = g.sectionIndex(req.Section); section < 0 {
			section = len(g.sections) // no page has it: keep none
		}
	}
	need := req.Offset + req.Limit
	parts := newQueryParts(pq, "", false, true)
	if parts.phrase != nil {
		need = max(rescoreWindow, need)
	}
	cand, err := x.candidates(ctx, g, parts, now, section, need)
	if err != nil {
		return nil, err
	}
	if cand.total == 0 {
		// Words typed together that no page holds together may be found
		// apart.
		split, cut, err := g.splitUnheld(ctx, pq)
		if err != nil {
			return nil, searchError(ctx, err)
		}
		if cut {
			pq = g.synonyms.expand(split)
			parts = newQueryParts(pq, "", false, true)
			if parts.phrase != nil {
				need = max(rescoreWindow, need)
			}
			if cand, err = x.candidates(ctx, g, parts, now, section, need); err != nil {
				return nil, err
			}
		}
	}
	if cand.total == 0 && len(pq.terms) > 1 {
		res.Relaxed = true
		parts = newQueryParts(pq, "", true, true)
		if cand, err = x.candidates(ctx, g, parts, now, section, need); err != nil {
			return nil, err
		}
	}
	if cand.total == 0 {
		// Letters that found nothing may be pinyin: search for the words
		// of titles and tags that read so.
		if py, ok := pinyinQuery(req.Q); ok {
			if words := g.pinyin.words(py); len(words) > 0 {
				pq = pinyinWords(words)
				res.Relaxed = false
				parts = newQueryParts(pq, "", false, true)
				if cand, err = x.candidates(ctx, g, parts, now, section, need); err != nil {
					return nil, err
				}
				res.Pinyin = words
			}
		}
	}
	res.query = pq
	res.Total = cand.total
	res.Page = newPage(req.Offset, req.Limit, res.Total)
	// The counts are taken before the section filter, so a page can offer
	// every section.
	for i, n := range cand.counts {
		if n > 0 && g.sections[i] != "" {
			res.Facets[facetSection][g.sections[i]] = n
		}
	}

	hits := cand.hits
	if parts.phrase != nil && req.Offset < min(rescoreWindow, len(hits)) {
		// The window is rescored with the phrase bonus; below it, matches
		// stay in candidate order, whose scores are all lower.
		if hits, err = x.rescore(ctx, g, parts, cand.weight, hits, now); err != nil {
			return nil, err
		}
	}
	hits = hits[min(req.Offset, len(hits)):]
	hits = hits[:min(req.Limit, len(hits))]
	res.Hits, err = x.display(ctx, g, parts, hits)
	if err != nil {
		return nil, err
	}
	res.TookMS = time.Since(start).Milliseconds()
	return res, nil
}

// found is the outcome of the candidates query of a search.
type found struct {
	total  int
	counts []int // matches by section index, before the section filter
	hits   []hit // the best, best first
	weight float64
}

// minPartDocs is the fewest pages a part of a split search has: below it,
// starting a goroutine and a bleve search costs more than it saves.
const minPartDocs = 1000

// searchPart is a part of a split search: the pages of one shard, or of a
// span of its document numbers.
type searchPart struct {
	shard int
	span  *docSpan // nil for the whole shard
}

// parts returns the parts a search of g is split into: each shard, and for
// a generation of one shard, spans of its pages.
func (x *Index) parts(g *generation) []searchPart {
	if len(g.shards) > 1 {
		parts := make([]searchPart, len(g.shards))
		for i := range parts {
			parts[i].shard = i
		}
		return parts
	}
	n := len(g.shards[0].table.entries)
	k := max(1, min(x.opts.Parts, n/x.opts.partDocs))
	if k == 1 {
		return []searchPart{{}}
	}
	parts := make([]searchPart, k)
	for i := range parts {
		parts[i].span = &docSpan{lo: uint64(i * n / k), hi: uint64((i + 1) * n / k)}
	}
	return parts
}

// shardRequest is a bleve request for one shard.
type shardRequest struct {
	shard int
	req   *bleve.SearchRequest
}

// runAll runs the bleve requests on g at once (atOnce) and returns their
// results in order.
func (x *Index) runAll(ctx context.Context, g *generation, reqs []shardRequest) ([]*bleve.SearchResult, error) {
	results := make([]*bleve.SearchResult, len(reqs))
	err := atOnce(len(reqs), func(i int) (err error) {
		results[i], err = x.run(ctx, g.shards[reqs[i].shard].idx, reqs[i].req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// atOnce runs part(0) to part(n-1) at once, part(0) on this goroutine, and
// returns the first part's error of those that failed: a timeout stops
// every part.
//
// A search is split into parts (candidates, rescore, display), each part
// searching the pages of one shard or of a span of one, with the term
// statistics of the whole generation, so that a search on several cores
// takes little more than its share of one search's time, with the scores,
// counts and order of one search (TestSplitSearchAgrees). Lucene's
// searcher splits the same way, by segments.
func atOnce(n int, part func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := n - 1; i >= 0; i-- {
		if i == 0 {
			errs[i] = part(i)
		} else {
			wg.Go(func() { errs[i] = part(i) })
		}
	}
	wg.Wait()
	return cmp.Or(errs...)
}

// idsByPart returns hits' internal IDs in runs searched at once: by shard,
// and for a generation of one shard in at most k runs of about the same
// length, each in ascending order.
func idsByPart(hits []hit, shards, k int) []shardIDs {
	byShard := make([][]index.IndexInternalID, shards)
	for _, h := range hits {
		byShard[h.shard] = append(byShard[h.shard], internalID(h.num))
	}
	var out []shardIDs
	for sh, ids := range byShard {
		if len(ids) == 0 {
			continue
		}
		if shards > 1 {
			k = 1
		}
		for _, run := range splitIDs(ids, k) {
			out = append(out, shardIDs{shard: sh, ids: run})
		}
	}
	return out
}

// shardIDs are pages of one shard.
type shardIDs struct {
	shard int
	ids   []index.IndexInternalID
}

// splitIDs returns ids in ascending order, split into at most k runs of
// about the same length.
func splitIDs(ids []index.IndexInternalID, k int) [][]index.IndexInternalID {
	ids = sortIDs(ids)
	k = max(1, min(k, len(ids)))
	out := make([][]index.IndexInternalID, k)
	for i := range out {
		out[i] = ids[i*len(ids)/k : (i+1)*len(ids)/k]
	}
	return out
}

// candidates runs the candidates query of p on g in parts, each over the
// terms' postings lists (candidatesPlan), keeping the best need hits.
func (x *Index) candidates(ctx context.Context, g *generation, p queryParts, now time.Time,
	section, need int) (found, error) {
	parts := x.parts(g)
	queries := make([]*rankedQuery, len(parts))
	for i, part := range parts {
		q := p.candidates(g.shards[part.shard].table, now, section, make([]int, len(g.sections)), newTopHits(need))
		q.g, q.shard, q.span = g, part.shard, part.span
		queries[i] = q
	}
	totals := make([]int, len(parts))
	err := atOnce(len(parts), func(i int) (err error) {
		totals[i], err = x.runPlan(ctx, g, p, queries[i])
		return err
	})
	if err != nil {
		return found{}, searchError(ctx, err)
	}
	return merge(queries, totals, need), nil
}

// runPlan runs the candidates of q's part, as q's searcher would, and
// returns how many pages it kept.
func (x *Index) runPlan(ctx context.Context, g *generation, p queryParts, q *rankedQuery) (int, error) {
	r, err := reader(g.shards[q.shard].idx)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	plan, err := planCandidates(ctx, p, r, g.shardReader(r, q.shard))
	if err != nil {
		return 0, err
	}
	q.weight = plan.weight
	lo, hi := uint64(0), uint64(len(q.table.entries))
	if q.span != nil {
		lo, hi = q.span.lo, q.span.hi
	}
	return plan.run(ctx, lo, hi, func(n uint64, score float64) bool {
		_, ok := q.offer(n, score)
		return ok
	})
}

// merge adds up the parts of a candidates search: their totals, their
// counts by section and their best need hits.
func merge(queries []*rankedQuery, totals []int, need int) found {
	f := found{counts: queries[0].counts, weight: queries[0].weight}
	top := newTopHits(need)
	for i, q := range queries {
		f.total += totals[i]
		if i > 0 {
			for s, c := range q.counts {
				f.counts[s] += c
			}
		}
		for _, h := range q.top.heap {
			top.add(h)
		}
	}
	f.hits = top.sorted()
	return f
}

// countRequest runs q, a rankedQuery that keeps its best hits itself, and
// asks bleve only to count the matches: no hit, stored field or snippet, so
// that bleve neither sorts hits nor looks up their URLs nor reads word
// positions.
func countRequest(q query.Query) *bleve.SearchRequest {
	return bleve.NewSearchRequestOptions(q, 0, 0, false)
}

// rescoreWindow is the number of best candidates that Search rescores with
// the phrase bonus. Checking a phrase needs the positions of its words in
// every page it is checked in, which over all of the thousands of matches
// of a common word would cost as much as the rest of the search; only pages
// near the top can be lifted into view by it. The candidates' order below the window is
// kept, so paging stays consistent: every page in the window scores at
// least as much as any below it, with or without the bonus. Lucene's
// rescorer and Elasticsearch's rescore window work the same way.
const rescoreWindow = 100

// run executes one bleve request on idx, a shard of a pinned generation.
func (x *Index) run(ctx context.Context, idx bleve.Index, sreq *bleve.SearchRequest) (*bleve.SearchResult, error) {
	sr, err := idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	if sr.Status != nil && sr.Status.Failed > 0 {
		for _, e := range sr.Status.Errors {
			return nil, searchError(ctx, e)
		}
		return nil, searchError(ctx, fmt.Errorf("%d index searches failed", sr.Status.Failed))
	}
	return sr, nil
}

// rescore gives the first rescoreWindow of hits, the candidates best first
// with their candidates scores, their full score (buildQuery, up to a
// factor common to all; see phraseBonus) and returns all of hits in the new
// order. weight is the candidates query's.
func (x *Index) rescore(ctx context.Context, g *generation, parts queryParts, weight float64,
	hits []hit, now time.Time) ([]hit, error) {
	window := slices.Clone(hits[:min(rescoreWindow, len(hits))])
	var bonuses []*rankedQuery
	var reqs []shardRequest
	for _, part := range idsByPart(window, len(g.shards), len(x.parts(g))) {
		b := parts.phraseBonus(part.ids, g.shards[part.shard].table, now, newTopHits(len(part.ids)))
		b.g, b.shard = g, part.shard
		bonuses, reqs = append(bonuses, b), append(reqs, shardRequest{part.shard, countRequest(b)})
	}
	if _, err := x.runAll(ctx, g, reqs); err != nil {
		return nil, err
	}
	scores := make(map[pageKey]float64, len(window))
	for _, b := range bonuses {
		for _, h := range b.top.heap {
			scores[h.key()] = h.score
		}
	}
	wc, wb := math.Sqrt(weight), math.Sqrt(bonuses[0].weight)
	for i, h := range window {
		window[i].score = h.score*wc + scores[h.key()]*wb
	}
	slices.SortFunc(window, func(a, b hit) int {
		if a.better(b) {
			return -1
		}
		return 1
	})
	return append(window, hits[len(window):]...), nil
}

// display loads the stored fields and snippets of the pages and returns
// them as hits in the same order.
func (x *Index) display(ctx context.Context, g *generation, parts queryParts, page []hit) ([]Hit, error) {
	hits := make([]Hit, 0, len(page))
	if len(page) == 0 {
		return hits, nil
	}
	chars := queryChars(parts.pq)
	var reqs []shardRequest
	for _, part := range idsByPart(page, len(g.shards), len(x.parts(g))) {
		q := parts.display(part.ids)
		q.g, q.shard = g, part.shard
		sreq := bleve.NewSearchRequestOptions(q, len(part.ids), 0, false)
		sreq.Fields = shownFields(chars)
		sreq.Highlight = bleve.NewHighlightWithStyle(highlighterName)
		for _, f := range snippetFields {
			sreq.Highlight.AddField(f)
		}
		reqs = append(reqs, shardRequest{part.shard, sreq})
	}
	results, err := x.runAll(ctx, g, reqs)
	if err != nil {
		return nil, err
	}
	byID := make(map[pageKey]*bsearch.DocumentMatch, len(page))
	for i, sr := range results {
		for _, dm := range sr.Hits {
			byID[pageKey{reqs[i].shard, docNum(dm.IndexInternalID)}] = dm
		}
	}
	for _, h := range page {
		dm, ok := byID[h.key()]
		if !ok { // cannot happen: every candidate matches again
			return nil, fmt.Errorf("search: page %d of shard %d of the candidates not found again", h.num, h.shard)
		}
		h := toHit(dm, chars)
		h.TitleHTML = titleHTML(h.Title, dm.Locations[fieldTitle], chars)
		hits = append(hits, h)
	}
	return hits, nil
}

// snippetFields are the fields a snippet may come from, in order of
// preference when several contain a match.
var snippetFields = []string{fieldBody, fieldExtra, fieldSummary}

// shownFields are the stored fields a hit is shown with: for a query with
// words of one character (chars), the body too, for charSnippet.
func shownFields(chars []rune) []string {
	fields := []string{fieldURL, fieldTitle, fieldSection, fieldDateStr, fieldExpired, fieldSummaryShown}
	if len(chars) > 0 {
		fields = append(fields, fieldBody)
	}
	return fields
}

// toHit converts a bleve hit, with its stored fields (shownFields) and
// fragments, of a query whose words of one character are chars.
func toHit(dm *bsearch.DocumentMatch, chars []rune) Hit {
	str := func(name string) string { s, _ := dm.Fields[name].(string); return s }
	h := Hit{
		URL:     str(fieldURL),
		Title:   str(fieldTitle),
		Section: str(fieldSection),
	}
	if h.URL == "" {
		h.URL = dm.ID
	}
	if e, ok := dm.Fields[fieldExpired].(bool); ok {
		h.Expired = e
	}
	if s := str(fieldDateStr); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			h.Date = t
		}
	}
	h.Snippet = snippet(dm, str(fieldSummaryShown))
	if len(chars) > 0 {
		if s, ok := charSnippet(str(fieldBody), dm.Locations[fieldBody], chars); ok {
			h.Snippet = s
		}
	}
	return h
}

// snippet picks the text shown under a hit: a fragment with marked words
// from the body, the section fields or the summary, in that order; else the
// summary; else the start of the body.
func snippet(dm *bsearch.DocumentMatch, summary string) template.HTML {
	for _, f := range snippetFields {
		if len(dm.Locations[f]) == 0 {
			continue
		}
		if frags := dm.Fragments[f]; len(frags) > 0 && strings.Contains(frags[0], "<mark>") {
			return template.HTML(frags[0]) // built by markFormatter: escaped text and <mark>
		}
	}
	if s := strings.TrimSpace(summary); s != "" {
		return template.HTML(html.EscapeString(truncateRunes(s, snippetRunes)))
	}
	if frags := dm.Fragments[fieldBody]; len(frags) > 0 {
		return template.HTML(frags[0])
	}
	return ""
}

// truncateRunes cuts s to at most n characters, marking a cut with "…".
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos] + "…"
		}
		i++
	}
	return s
}

// SectionCounts returns the section facet as a list, largest first, for
// templates that want an order.
func (r *Result) SectionCounts() []FacetCount {
	out := make([]FacetCount, 0, len(r.Facets[facetSection]))
	for term, n := range r.Facets[facetSection] {
		out = append(out, FacetCount{Term: term, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Term < out[j].Term
	})
	return out
}

// FacetCount is one term of a facet and the number of matches that have it.
type FacetCount struct {
	Term  string
	Count int
}
