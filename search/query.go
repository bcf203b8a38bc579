package search

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
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
}

// parsedQuery is a query after lobby's parser: the terms that analyse to at
// least one token. A query whose terms were all dropped (punctuation, stop
// words) has no terms and matches nothing.
type parsedQuery struct {
	terms []term
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
		n := len(a.Analyze([]byte(t.text)))
		if n == 0 || seen[t] {
			continue
		}
		if n == 1 {
			t.phrase = false // a one-token phrase is a word
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
// with the summary too, queries took a fifth more CPU time.
var phraseFields = []searchField{
	{fieldTitle, 6},
	{fieldBody, 2},
}

// buildQuery turns a parsed query into a bleve query built in code from match,
// match-phrase, term (section), conjunction, disjunction, boolean and custom
// score nodes only. With relaxed false every term must match (in any field);
// with relaxed true any term may. section, when not empty, filters on the
// section keyword without changing scores. rank holds the dates and expiry
// of the served generation, and now is the moment recency is judged against.
func buildQuery(pq parsedQuery, section string, relaxed bool, rank rankTable, now time.Time) query.Query {
	clauses := make([]query.Query, 0, len(pq.terms))
	for _, t := range pq.terms {
		perField := make([]query.Query, 0, len(searchFields))
		for _, f := range searchFields {
			perField = append(perField, fieldQuery(t.text, t.phrase, f))
		}
		clauses = append(clauses, query.NewDisjunctionQuery(perField))
	}
	var main query.Query
	if relaxed {
		d := query.NewDisjunctionQuery(clauses)
		d.SetMin(1)
		main = d
	} else {
		main = query.NewConjunctionQuery(clauses)
	}
	bq := query.NewBooleanQuery([]query.Query{main}, nil, nil)
	if whole, ok := pq.wholePhrase(); ok {
		boosts := make([]query.Query, 0, len(phraseFields))
		for _, f := range phraseFields {
			boosts = append(boosts, fieldQuery(whole, true, f))
		}
		bq.AddShould(boosts...)
	}
	if section != "" {
		tq := query.NewTermQuery(section)
		tq.SetField(fieldSection)
		bq.AddFilter(tq)
	}
	return query.NewCustomScoreQueryWithScorer(bq, recencyScorer(rank, now), nil, nil)
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
	Date    int64 `json:"d,omitempty"` // Unix seconds; 0 when the page has no date
	Expired bool  `json:"x,omitempty"`
}

// rankTable maps each page's URL (its document ID) to its rankEntry. Build
// writes it beside the index, and a server loads it with the generation:
// reading dates from bleve's doc values for every hit cost about a third of
// a query's CPU time on the 10k-page benchmark.
type rankTable map[string]rankEntry

// recencyScorer returns the custom score function that applies recency and
// expiry to a hit. A page missing from rank (a generation swapped in between
// building the query and running it) keeps its score.
func recencyScorer(rank rankTable, now time.Time) func(context.Context, *search.DocumentMatch) (float64, error) {
	return func(_ context.Context, d *search.DocumentMatch) (float64, error) {
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
		age := now.Sub(time.Unix(e.Date, 0))
		if age < 0 {
			age = 0 // an upcoming event is as fresh as today's notice
		}
		f += recencyWeight * math.Exp2(-float64(age)/float64(recencyHalfLife))
	}
	if e.Expired {
		f *= expiredFactor
	}
	return f
}

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
