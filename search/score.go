package search

import (
	"context"
	"errors"
	"math"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// This file runs the candidates pass of a search (queryParts.candidates:
// every page that matches the main query, scored, counted by section, the
// best kept) over the terms' postings lists, without bleve's searchers.
// Why it exists, which of bleve's scoring it copies and which of bleve's
// internals it relies on is told in the package comment.

// errNoPlan reports a query the candidates plan cannot run: a field whose
// positions lie in arrays, which a postingList does not keep. lobby's
// mapping gives positions only to fields of one value, so only a change
// of the mapping can bring it (TestFastCandidatesMatchBleve would fail).
var errNoPlan = errors.New("search: positions in an array field: no candidates plan")

// candidatesPlan is the main query of a search, for one shard: per term a
// clause, per clause its fields, per field its tokens' lists and weights.
type candidatesPlan struct {
	clauses []clausePlan // in bleve's order of summing (by count)
	relaxed bool         // a hit needs one clause, not all
	weight  float64      // sum of squared weights (rankedQuery.weight)
}

// clausePlan is one term of the query in every search field: a page
// matches it when it matches one field, and scores the fields' sum times
// the share of fields it matches.
type clausePlan struct {
	fields []fieldPlan // those that can match, in bleve's order of summing
	count  uint64      // bleve's searcher Count: the sum of its fields' counts
	weight float64
	// children is the number of the clause's disjunction in bleve: every
	// search field of every variant of the term, those that can match
	// or not, for the coordination factor.
	children int
}

// fieldPlan is a term in one field: every token must be on the page, and
// for a phrase at its place.
type fieldPlan struct {
	boost  float64
	tokens []tokenPlan // in bleve's order of summing
	// phrase, when true, requires the tokens at their places: tokens are
	// then in the phrase's order, with gaps for dropped stop words left
	// out. By position in the phrase, lists are the lists of the tokens
	// whose place is checked and implied marks those whose place follows
	// from their neighbours' (phraseOccurs); at is room for where a page
	// is in each list.
	phrase  bool
	lists   []*postingList
	implied []bool
	at      []int
	count   uint64
	weight  float64
}

// tokenPlan is one token's list in a field and what its BM25 score needs.
type tokenPlan struct {
	list        *postingList
	offset      int // position from the phrase's first token
	idf, avg    float64
	queryWeight float64
	count       uint64 // pages holding it in the generation
}

// planCandidates builds the plan of p's main query for one shard: r is its
// reader, and sr the same reader as a search of the generation sees it.
func planCandidates(ctx context.Context, p queryParts, r index.IndexReader, sr shardReader) (*candidatesPlan, error) {
	a, err := analyzer()
	if err != nil {
		return nil, err
	}
	docs, err := sr.DocCount()
	if err != nil {
		return nil, err
	}
	avgs := map[string]float64{}
	avgOf := func(field string) (float64, error) {
		if avg, ok := avgs[field]; ok {
			return avg, nil
		}
		card, err := sr.FieldCardinality(field)
		if err != nil {
			return 0, err
		}
		avg := 0.0 // as bleve's bm25ScoreMetrics
		if docs > 0 || card > 0 {
			avg = math.Ceil(float64(card) / float64(docs))
		}
		avgs[field] = avg
		return avg, nil
	}
	plan := &candidatesPlan{relaxed: p.relaxed}
	for i := range p.pq.terms {
		var c clausePlan
		for _, v := range p.pq.variants(i) {
			t := v.term
			var termTokens []string // a phrase's by position, a word's as analysed
			if t.phrase {
				termTokens = phraseTokens(t.text)
			} else {
				for _, tok := range a.Analyze([]byte(t.text)) {
					termTokens = append(termTokens, string(tok.Term))
				}
			}
			c.children += len(searchFields)
			for _, f := range searchFields {
				field, boost, phrase, tokens := f.name, f.boost, t.phrase, termTokens
				if cf, ok := charField(f); ok && t.char != "" {
					field, boost, phrase, tokens = cf.name, cf.boost, false, []string{t.char}
				}
				avg, err := avgOf(field)
				if err != nil {
					return nil, err
				}
				fp := fieldPlan{boost: boost * v.boost, phrase: phrase}
				if phrase {
					fp.implied = impliedBigrams(tokens)
					fp.lists = make([]*postingList, len(tokens))
					fp.at = make([]int, len(tokens))
				}
				for k, tok := range tokens {
					if tok == "" {
						continue
					}
					checked := phrase && !fp.implied[k]
					l, count, err := sr.tokenList(ctx, r, field, tok, checked)
					if err != nil {
						return nil, err
					}
					fp.tokens = append(fp.tokens, tokenPlan{list: l, offset: k, idf: bm25IDF(avg, docs, count), avg: avg, count: count})
					if checked {
						fp.lists[k] = l
					}
					fp.count += count
				}
				if len(fp.tokens) == 0 {
					continue // bleve's match-none searcher, which never matches
				}
				if !phrase {
					sortByCount(fp.tokens, func(t tokenPlan) uint64 { return t.count })
				}
				for _, tp := range fp.tokens {
					w := fp.boost * tp.idf // TermQueryScorer.Weight
					fp.weight += w * w
				}
				c.fields = append(c.fields, fp)
				c.count += fp.count
			}
		}
		sortByCount(c.fields, func(f fieldPlan) uint64 { return f.count })
		for _, fp := range c.fields {
			c.weight += fp.weight
		}
		plan.clauses = append(plan.clauses, c)
	}
	sortByCount(plan.clauses, func(c clausePlan) uint64 { return c.count })
	for _, c := range plan.clauses {
		plan.weight += c.weight
	}
	norm := 1 / math.Sqrt(plan.weight)
	for i := range plan.clauses {
		for j := range plan.clauses[i].fields {
			fp := &plan.clauses[i].fields[j]
			for k := range fp.tokens {
				fp.tokens[k].queryWeight = fp.boost * fp.tokens[k].idf * norm
			}
		}
	}
	return plan, nil
}

// tokenList returns tok's postings in field of this shard (r), with
// positions if vectors is set, and the number of pages of the generation
// that hold it. A token no page holds is read from no shard: a word's
// synonyms are searched in every field, and most of their tokens are in
// few fields, so opening a reader for each of the others was a visible
// part of a search's CPU time (BenchmarkQuery).
func (sr shardReader) tokenList(ctx context.Context, r index.IndexReader, field, tok string, vectors bool) (*postingList, uint64, error) {
	if sr.stats == nil {
		l, err := sr.postings.list(ctx, r, field, tok, vectors)
		if err != nil {
			return nil, 0, err
		}
		return l, uint64(len(l.nums)), nil
	}
	count, err := sr.stats.docFreq(ctx, []byte(tok), field)
	if err != nil || count == 0 {
		return &postingList{}, 0, err
	}
	l, err := sr.postings.list(ctx, r, field, tok, vectors)
	return l, count, err
}

// sortByCount sorts s by count, ascending, keeping the order of equals: the
// order of bleve's sorted searchers, whose sort is an insertion sort for
// the dozen or fewer a clause has.
func sortByCount[T any](s []T, count func(T) uint64) {
	slices.SortStableFunc(s, func(a, b T) int {
		switch ca, cb := count(a), count(b); {
		case ca < cb:
			return -1
		case ca > cb:
			return 1
		}
		return 0
	})
}

// bm25IDF is bleve's TermQueryScorer's inverse document frequency.
func bm25IDF(avg float64, docs, docTerm uint64) float64 {
	if avg > 0 {
		return math.Log(1 + (float64(docs)-float64(docTerm)+0.5)/(float64(docTerm)+0.5))
	}
	return 1.0 + math.Log(float64(docs)/float64(docTerm+1))
}

// score is bleve's TermQueryScorer's score of the token on a page where it
// occurs freq times in a field of norm.
func (t *tokenPlan) score(freq uint32, norm float32) float64 {
	tf := math.Sqrt(float64(freq))
	var s float64
	if t.avg > 0 {
		n := float64(norm)
		fieldLength := 1 / (n * n)
		s = t.idf * (tf * bsearch.BM25_k1) /
			(tf + bsearch.BM25_k1*(1-bsearch.BM25_b+(bsearch.BM25_b*fieldLength/t.avg)))
	} else {
		s = tf * float64(norm) * t.idf
	}
	if t.queryWeight != 1.0 {
		s *= t.queryWeight
	}
	return s
}

// run finds the pages of the span lo to hi that match the plan, in order,
// and offers each with its score to keep, returning how many it kept.
func (plan *candidatesPlan) run(ctx context.Context, lo, hi uint64, keep func(num uint64, score float64) bool) (int, error) {
	size := int(hi - lo)
	if size <= 0 || len(plan.clauses) == 0 {
		return 0, nil
	}
	n := len(plan.clauses)
	scores := make([]float64, n*size) // per clause, per page: the fields' sum
	fields := make([]uint8, n*size)   // per clause, per page: fields matched
	at := make([]int, 0, 8)
	for i, c := range plan.clauses {
		sc, fc := scores[i*size:(i+1)*size], fields[i*size:(i+1)*size]
		for j := range c.fields {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			at = c.fields[j].each(lo, hi, at, func(num uint64, s float64) {
				sc[num-lo] += s
				fc[num-lo]++
			})
		}
	}
	kept := 0
	for d := range size {
		sum, matched := 0.0, 0
		for i := range plan.clauses {
			m := fields[i*size+d]
			if m == 0 {
				continue
			}
			// A disjunction of the search fields: the sum times the
			// share that matched.
			sum += scores[i*size+d] * (float64(m) / float64(plan.clauses[i].children))
			matched++
		}
		if matched == 0 || !plan.relaxed && matched < n {
			continue
		}
		if plan.relaxed {
			sum *= float64(matched) / float64(n)
		}
		if keep(lo+uint64(d), sum) {
			kept++
		}
	}
	return kept, nil
}

// each calls fn with every page from lo up to hi that holds all of the
// field's tokens (at their places, for a phrase), in order, and the sum of
// their scores there. at is scratch space, returned for reuse.
func (f *fieldPlan) each(lo, hi uint64, at []int, fn func(num uint64, score float64)) []int {
	at = at[:0]
	for _, t := range f.tokens {
		i, _ := slices.BinarySearch(t.list.nums, lo)
		at = append(at, i)
	}
	if len(f.tokens) == 1 && !f.phrase {
		t := &f.tokens[0]
		l := t.list
		for i := at[0]; i < len(l.nums) && l.nums[i] < hi; i++ {
			fn(l.nums[i], t.score(l.freqs[i], l.norms[i]))
		}
		return at
	}
	target := lo
	for {
		// Move each list to target or past it until all stand on one page.
		for agreed, k := 0, 0; agreed < len(f.tokens); k = (k + 1) % len(f.tokens) {
			nums := f.tokens[k].list.nums
			i := seek(nums, at[k], target)
			at[k] = i
			if i == len(nums) {
				return at
			}
			if nums[i] == target {
				agreed++
			} else {
				target, agreed = nums[i], 1
			}
		}
		if target >= hi {
			return at
		}
		if !f.phrase || f.occurs(at) {
			s := 0.0
			for k := range f.tokens {
				t, i := &f.tokens[k], at[k]
				s += t.score(t.list.freqs[i], t.list.norms[i])
			}
			fn(target, s)
		}
		target++
	}
}

// seek returns the index of the first of nums, from i on, at target or
// after it: a few steps forward, as the lists of a field's tokens mostly
// meet soon, and a binary search past them.
func seek(nums []uint64, i int, target uint64) int {
	for range 8 {
		if i == len(nums) || nums[i] >= target {
			return i
		}
		i++
	}
	j, _ := slices.BinarySearch(nums[i:], target)
	return i + j
}

// occurs reports whether the phrase occurs on the page each token's list
// stands on (at).
func (f *fieldPlan) occurs(at []int) bool {
	for k, t := range f.tokens {
		f.at[t.offset] = at[k]
	}
	return phraseOccurs(f.lists, f.at, f.implied)
}

// list returns term's postings in field of r, a shard's reader: kept in
// the cache, or read from the index (and kept if common enough), with
// positions if vectors is set or the list is kept anyway.
func (c *postingsCache) list(ctx context.Context, r index.IndexReader, field, term string, vectors bool) (*postingList, error) {
	if l := c.kept(field, term); l != nil {
		return l, nil
	}
	tfr, err := c.reader(ctx, r, []byte(term), field, true, true, vectors)
	if err != nil {
		return nil, err
	}
	if cr, ok := tfr.(*cachedReader); ok {
		return cr.list, nil
	}
	l, err := decodePostings(tfr)
	if cerr := tfr.Close(); err == nil {
		err = cerr
	}
	if err == nil && l == nil {
		err = errNoPlan
	}
	return l, err
}
