package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Limits on what a user may ask. Each bounds the work one request can cause.
const (
	// MaxQueryBytes is the longest query accepted, in bytes.
	MaxQueryBytes = 400
	// MaxTerms is the most words and quoted phrases a query may have.
	MaxTerms = 32
	// maxTermSearchers bounds the term searchers bleve may open for one
	// search. The longest accepted query (400 bytes of Chinese) analyses to
	// about 130 bigrams, searched in five fields plus the phrase boost: about
	// 1,000; anything past the bound is a bug, not a user.
	maxTermSearchers = 2048
	// maxClauses bounds one disjunction in bleve (DisjunctionMaxClauseCount).
	maxClauses = 1024
)

// term is one word or quoted phrase of a query, as typed.
type term struct {
	text   string
	phrase bool
	// char is the word's one Chinese character, when that is all it is: the
	// bigram fields have no such word, so titles and bodies are searched
	// for it in fields of single characters (charField).
	char string
}

// parsedQuery is a query after lobby's parser: the terms that analyse to at
// least one token. A query whose terms were all dropped (punctuation, stop
// words) has no terms and matches nothing.
type parsedQuery struct {
	terms []term
	// alts, when not nil, are by term the synonyms it also matches, with
	// less weight (synonymTable.expand).
	alts [][]term
}

// variant is a term or one of its synonyms, with the weight of its matches.
type variant struct {
	term
	boost float64
}

// variants returns the i-th term and its synonyms: each matches in every
// search field, and a page matches the term when it matches one of them.
func (pq parsedQuery) variants(i int) []variant {
	vs := []variant{{pq.terms[i], 1}}
	if i < len(pq.alts) && len(pq.alts[i]) > 0 {
		n := tokenCount(pq.terms[i].text)
		for _, a := range pq.alts[i] {
			// A word's score is the sum of its tokens': a synonym of more
			// tokens (暂停供水 for 停水) weighs as many times less.
			vs = append(vs, variant{a, synonymBoost * min(1, float64(n)/float64(max(1, tokenCount(a.text))))})
		}
	}
	return vs
}

// tokenCount returns the number of tokens text analyses to.
func tokenCount(text string) int {
	a, err := analyzer()
	if err != nil {
		return 1
	}
	return len(a.Analyze([]byte(text)))
}

// boosted returns f with its boost times b.
func (f searchField) boosted(b float64) searchField {
	f.boost *= b
	return f
}

// quotePairs maps each opening quote mark to its closing one: ASCII double
// quotes, Chinese curly quotes, corner brackets and the full-width quote.
var quotePairs = map[rune]rune{'"': '"', '“': '”', '「': '」', '『': '』', '＂': '＂'}

// parseQuery splits raw into words and quoted phrases. Every other character
// is text: ~, *, ?, /, :, +, -, ^ and brackets carry no meaning and are
// dropped by the analyzer like any punctuation. An unclosed quote runs to the
// end. Terms that analyse to nothing are left out.
func parseQuery(raw string) (parsedQuery, error) {
	if len(raw) > MaxQueryBytes {
		return parsedQuery{}, fmt.Errorf("%w: %d bytes, at most %d", ErrQueryTooLong, len(raw), MaxQueryBytes)
	}
	s := strings.ToValidUTF8(raw, " ")
	var terms []term
	var cur strings.Builder
	var closing rune // the quote that ends the phrase being read, or 0
	flush := func(phrase bool) {
		text := strings.Join(strings.Fields(cur.String()), " ")
		cur.Reset()
		if text != "" {
			terms = append(terms, term{text: text, phrase: phrase})
		}
	}
	for _, r := range s {
		switch {
		case closing != 0 && r == closing:
			flush(true)
			closing = 0
		case closing == 0 && quotePairs[r] != 0:
			flush(false)
			closing = quotePairs[r]
		case unicode.IsSpace(r) || unicode.IsControl(r):
			if closing != 0 {
				cur.WriteByte(' ')
			} else {
				flush(false)
			}
		default:
			cur.WriteRune(r)
		}
	}
	flush(closing != 0)
	if len(terms) > MaxTerms {
		return parsedQuery{}, fmt.Errorf("%w: %d, at most %d", ErrTooManyTerms, len(terms), MaxTerms)
	}

	a, err := analyzer()
	if err != nil {
		return parsedQuery{}, err
	}
	var pq parsedQuery
	seen := make(map[term]bool, len(terms))
	for _, t := range terms {
		toks := a.Analyze([]byte(t.text))
		n := len(toks)
		if n == 0 {
			continue
		}
		if n == 1 {
			t.phrase = false // a one-token phrase is a word
			if r, size := utf8.DecodeRune(toks[0].Term); size == len(toks[0].Term) && unicode.Is(unicode.Han, r) {
				t.char = string(toks[0].Term)
			}
		}
		if seen[t] { // as it is searched for: 水 and "水" are one word
			continue
		}
		seen[t] = true
		pq.terms = append(pq.terms, t)
	}
	return pq, nil
}

// empty reports whether the query can match nothing.
func (pq parsedQuery) empty() bool { return len(pq.terms) == 0 }

// searchField is a text field that user queries search, with its weight.
type searchField struct {
	name  string
	boost float64
}

// searchFields are the only fields a query touches. Titles weigh most, then
// tags and summaries (short, chosen words), then the body and the section
// fields shown on the page.
var searchFields = []searchField{
	{fieldTitle, 4},
	{fieldTags, 2},
	{fieldSummary, 1.5},
	{fieldExtra, 1},
	{fieldBody, 1},
}

// phraseFields and their weights reward pages that contain the whole query
// as typed, in that order, over pages where its words are scattered.
// Phrases are costly to check, so only the title and the body count here:
// each more field is one more phrase check in every page rescored
// (BenchmarkQuery measures the cost).
var phraseFields = []searchField{
	{fieldTitle, 6},
	{fieldBody, 2},
}

// queryParts are the pieces of the bleve query for a parsed query, built in
// code from match, match-phrase (or lobby's phraseQuery), term (section),
// conjunction and disjunction nodes only.
type queryParts struct {
	pq  parsedQuery
	own bool // quoted terms as lobby's phraseQuery rather than bleve's node
	// main decides what matches: with relaxed false every term must match
	// (in any field); with relaxed true any term may.
	main query.Query
	// phrase, when not empty, rewards pages that contain the whole query as
	// typed, in title or body, without deciding what matches.
	phrase []query.Query
	// phraseTokens are the tokens of that phrase by position from its
	// first, "" where a stop word was dropped; the same as bleve's
	// match-phrase query searches for.
	phraseTokens []string
	// filter, when not nil, keeps only the pages of one section without
	// changing scores.
	filter query.Query
	// relaxed is main's: any term may match rather than all.
	relaxed bool
}

// newQueryParts builds the parts of pq. With own false, a quoted term is
// bleve's match-phrase query (buildQuery, the reference); with own true,
// lobby's phraseQuery, which finds the same pages with the same scores and
// locations at less cost (TestRescoreMatchesFullQuery compares them).
func newQueryParts(pq parsedQuery, section string, relaxed, own bool) queryParts {
	p := queryParts{pq: pq, own: own, relaxed: relaxed}
	clauses := make([]query.Query, 0, len(pq.terms))
	for i := range pq.terms {
		vs := pq.variants(i)
		perField := make([]query.Query, 0, len(searchFields)*len(vs))
		for _, v := range vs {
			for _, f := range searchFields {
				perField = append(perField, p.termQuery(v.term, f.boosted(v.boost), nil))
			}
		}
		clauses = append(clauses, query.NewDisjunctionQuery(perField))
	}
	if relaxed {
		d := query.NewDisjunctionQuery(clauses)
		d.SetMin(1)
		p.main = d
	} else {
		p.main = query.NewConjunctionQuery(clauses)
	}
	if whole, ok := pq.wholePhrase(); ok {
		for _, f := range phraseFields {
			p.phrase = append(p.phrase, fieldQuery(whole, true, f))
		}
		p.phraseTokens = phraseTokens(whole)
	}
	if section != "" {
		tq := query.NewTermQuery(section)
		tq.SetField(fieldSection)
		p.filter = tq
	}
	return p
}

// buildQuery returns the query that defines the score of a hit: main must
// match, the phrase raises the score, the section filters, and recency and
// expiry adjust the result (recencyScorer). rank holds the dates and expiry
// of the served generation, and now is the moment recency is judged against.
//
// It is the definition of a hit's score. Search does not run it as one
// query: checking the phrase in every hit would read the positions of its
// words in every page that matches, and recency would look up each hit's
// URL. It runs candidates, then rescore on the best of them, which gives
// these same scores to the pages that can reach the top (see
// rescoreWindow); TestRescoreMatchesFullQuery compares the two.
func buildQuery(pq parsedQuery, section string, relaxed bool, rank rankTable, now time.Time) query.Query {
	p := newQueryParts(pq, section, relaxed, false)
	return p.scored(p.main, p.phrase, rank, now)
}

// scored wraps must, should and the filter in a boolean query with recency
// scoring.
func (p queryParts) scored(must query.Query, should []query.Query, rank rankTable, now time.Time) query.Query {
	bq := query.NewBooleanQuery([]query.Query{must}, should, nil)
	if p.filter != nil {
		bq.AddFilter(p.filter)
	}
	return query.NewCustomScoreQueryWithScorer(bq, recencyScorer(rank, now), nil, nil)
}

// candidates is the query Search runs first: every match, scored without
// the phrase bonus and adjusted for recency, filtered by section (index in
// table, or -1 for all), counted by section into counts, and the best kept
// in top. Its total and counts are those of buildQuery, and its order
// differs from buildQuery's only by the phrase bonus.
func (p queryParts) candidates(table *docTable, now time.Time, section int, counts []int, top *topHits) *rankedQuery {
	return &rankedQuery{Query: p.main, table: table, now: now, section: section, counts: counts, top: top}
}

// phraseBonus is the should part of buildQuery, the phrase bonus, adjusted
// for recency, on the pages ids only; their scores go to top.
//
// bleve normalises the scores of a query by the square root of the sum of
// its clauses' squared weights (rankedQuery.weight), so that buildQuery's
// score of a page is, up to one factor for all pages,
//
//	candidates score × √(candidates weight) + phraseBonus score × √(phraseBonus weight)
//
// which is what rescore computes; TestRescoreMatchesFullQuery checks it.
func (p queryParts) phraseBonus(ids []index.IndexInternalID, table *docTable, now time.Time, top *topHits) *rankedQuery {
	should := make([]query.Query, 0, len(phraseFields))
	for _, f := range phraseFields {
		should = append(should, &phraseQuery{field: f.name, tokens: p.phraseTokens, boost: f.boost, ids: ids})
	}
	return &rankedQuery{Query: query.NewDisjunctionQuery(should), table: table, now: now, section: -1, top: top}
}

// display matches the pages ids with the main clauses, so that bleve
// reports where the query's words are in them, for snippets and titles.
//
// Only the title and the fields a snippet comes from are searched: every page of ids is
// a hit, and each term's clause of each snippet field adds where it matches,
// as in main, whose locations in those fields are the union of the same
// clauses'. (Not a boolean query of match-all and those clauses: moving
// bleve's match-all searcher to a page reads every page before it, and
// bleve's boolean searcher, moved forward while its should clause stands
// further on, puts back into the pool a hit that clause still holds.)
func (p queryParts) display(ids []index.IndexInternalID) *idsQuery {
	var clauses []query.Query
	for i := range p.pq.terms {
		for _, v := range p.pq.variants(i) {
			for _, f := range searchFields {
				if f.name == fieldTitle || slices.Contains(snippetFields, f.name) {
					clauses = append(clauses, p.termQuery(v.term, f.boosted(v.boost), ids))
				}
			}
		}
	}
	return &idsQuery{Query: query.NewDisjunctionQuery(clauses), ids: sortIDs(ids)}
}

// termQuery matches term t in field f: fieldQuery, or with own set and t a
// phrase, lobby's phraseQuery, restricted to ids when not nil.
func (p queryParts) termQuery(t term, f searchField, ids []index.IndexInternalID) query.Query {
	if cf, ok := charField(f); ok && t.char != "" {
		q := query.NewTermQuery(t.char)
		q.SetField(cf.name)
		q.SetBoost(cf.boost)
		return q
	}
	if !p.own || !t.phrase {
		return fieldQuery(t.text, t.phrase, f)
	}
	return &phraseQuery{field: f.name, tokens: phraseTokens(t.text), boost: f.boost, ids: ids}
}

// phraseTokens returns the tokens of text by position from the first, with
// "" where the analyzer left a position empty (a stop word), as bleve's
// match-phrase query arranges them.
func phraseTokens(text string) []string {
	a, err := analyzer()
	if err != nil {
		return nil
	}
	toks := a.Analyze([]byte(text))
	if len(toks) == 0 {
		return nil
	}
	first := toks[0].Position
	out := make([]string, toks[len(toks)-1].Position-first+1)
	for _, t := range toks {
		out[t.Position-first] = string(t.Term)
	}
	return out
}

// wholePhrase returns the query's words as one phrase when that phrase says
// more than its terms: several terms, or one word of several tokens (停车位
// is 停车 车位, and as a phrase those must be adjacent).
func (pq parsedQuery) wholePhrase() (string, bool) {
	if len(pq.terms) == 1 && pq.terms[0].phrase {
		return "", false // already a phrase
	}
	texts := make([]string, len(pq.terms))
	for i, t := range pq.terms {
		texts[i] = t.text
	}
	whole := strings.Join(texts, " ")
	if len(pq.terms) > 1 {
		return whole, true
	}
	a, err := analyzer()
	if err != nil {
		return "", false
	}
	return whole, len(a.Analyze([]byte(whole))) > 1
}

// fieldQuery matches text in one field: a phrase as a phrase, a word with
// every one of its tokens required (a Chinese word is several bigrams).
func fieldQuery(text string, phrase bool, f searchField) query.Query {
	if phrase {
		q := query.NewMatchPhraseQuery(text)
		q.SetField(f.name)
		q.Analyzer = textAnalyzer
		q.SetBoost(f.boost)
		return q
	}
	q := query.NewMatchQuery(text)
	q.SetField(f.name)
	q.Analyzer = textAnalyzer
	q.SetOperator(query.MatchQueryOperatorAnd)
	q.SetBoost(f.boost)
	return q
}

// Recency and expiry adjust relevance only a little: a page dated today
// scores up to recencyWeight more than an undated one, the bonus halving
// every recencyHalfLife; an expired notice scores expiredFactor of itself, so
// it is still found but yields to a current one on the same subject.
const (
	recencyWeight   = 0.2
	recencyHalfLife = 60 * 24 * time.Hour
	expiredFactor   = 0.8
)

// rankEntry is what recency scoring needs of one page.
type rankEntry struct {
	Date    int64  `json:"d,omitempty"` // Unix seconds; 0 when the page has no date
	Expired bool   `json:"x,omitempty"`
	Section string `json:"s,omitempty"`
}

// rankTable maps each page's URL (its document ID) to its rankEntry. Build
// writes it beside the index, and a server loads it with the generation
// (into each shard's docTable), so that scoring a hit reads no doc values
// from the index.
type rankTable map[string]rankEntry

// recencyScorer returns the custom score function that applies recency and
// expiry to a hit. A page missing from rank (a generation swapped in between
// building the query and running it) keeps its score.
func recencyScorer(rank rankTable, now time.Time) func(context.Context, *bsearch.DocumentMatch) (float64, error) {
	return func(_ context.Context, d *bsearch.DocumentMatch) (float64, error) {
		e, ok := rank[d.ID]
		if !ok {
			return d.Score, nil
		}
		return d.Score * recencyFactor(e, now), nil
	}
}

func recencyFactor(e rankEntry, now time.Time) float64 {
	f := 1.0
	if e.Date != 0 {
		// An upcoming event is as fresh as today's notice.
		if days := max(0, now.Unix()-e.Date) / 86400; days < int64(len(recencyBonus)) {
			f += recencyBonus[days]
		}
	}
	if e.Expired {
		f *= expiredFactor
	}
	return f
}

// recencyBonus is the recency bonus of a page by its age in whole days,
// for ten years, after which it is less than 1e-18. Every hit needs one,
// and math.Exp2 for each would be a visible part of a query's CPU time
// (BenchmarkQuery) where a lookup is not.
var recencyBonus = func() []float64 {
	days := make([]float64, 3650)
	for d := range days {
		days[d] = recencyWeight * math.Exp2(-float64(d)*24*float64(time.Hour)/float64(recencyHalfLife))
	}
	return days
}()

// validSection reports whether s can be a section name: short, printable, no
// spaces. An unknown but valid name simply matches nothing.
func validSection(s string) bool {
	if len(s) > 64 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}
