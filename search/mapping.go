package search

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// textAnalyzer is the one analyzer of every text field, at index and at query
// time. The unicode tokenizer emits each ideograph as its own token; the CJK
// bigram filter joins neighbours into overlapping two-character words, so any
// two-character word of a Chinese text matches without a dictionary. English
// gets possessive and stop-word removal before the bigram filter (which must
// see ideographs unchanged) and Porter stemming after it (bigrams pass through
// the stemmer untouched). Width folding comes first so full-width ＡＢＣ and
// half-width katakana read like their ordinary forms, and Traditional
// characters are folded to Simplified ones before they are paired.
const textAnalyzer = "lobby_zh_en"

// charsAnalyzer is textAnalyzer that also keeps every Chinese character as a
// word of its own, beside the bigrams. It analyses titles only, into
// fieldTitleChars, so that a query of one character (水, 费) finds the pages
// whose titles hold it. On every text field it would make the index far
// larger and phrase searches several times slower, as every character of a
// body would be a word with a long postings list; titles are short, and
// there it costs little (BenchmarkBuild's index-MB).
const charsAnalyzer = "lobby_zh_en_chars"

// bigramUnigramFilter is bleve's CJK bigram filter that keeps unigrams too.
const bigramUnigramFilter = "lobby_cjk_bigram_unigram"

// unigramAnalyzer keeps only the Chinese characters of a text, each a word
// of its own, folded to Simplified script as textAnalyzer folds them. It
// analyses bodies into fieldBodyChars, a field of its own rather than
// unigrams beside the bigrams in fieldBody, so that phrase searches,
// which check every token of a phrase in fieldBody, never read the long
// lists of single characters; and without term vectors, as a snippet
// finds the characters in the text itself (charSnippet). A separate field
// and answering a character from the bigrams that begin or end with it
// were measured side by side (docs/performance.md).
const unigramAnalyzer = "lobby_han_unigrams"

// formatVersion names the layout of the documents and the mapping. A server
// refuses a generation written with another version rather than answering
// with a mapping it does not understand; bump it on any change to newMapping.
const formatVersion = 7

// Field names of the mapping. Only the text fields are ever searched with user
// input; the rest are filters, facets, scoring inputs and display values.
const (
	fieldTitle = "title"
	// fieldTitleChars is the title analysed with charsAnalyzer, searched
	// only for a query word of one Chinese character.
	fieldTitleChars = "title_chars"
	fieldBody       = "body"
	// fieldBodyChars is the body analysed with unigramAnalyzer, searched
	// only for a query word of one Chinese character.
	fieldBodyChars = "body_chars"
	fieldSummary   = "summary" // searched: a summary written for the page
	// fieldSummaryShown is the summary shown when no snippet matches:
	// stored, not searched.
	fieldSummaryShown = "summary_shown"
	fieldExtra        = "extra"
	fieldTags         = "tags"    // text: words of the tags, searchable
	fieldTag          = "tag"     // keyword: whole tags, for filters and facets
	fieldSection      = "section" // keyword
	fieldDate         = "date"    // datetime: scoring and ranges
	fieldDateStr      = "date_rfc3339"
	fieldExpired      = "expired"
	fieldURL          = "url"
)

// newMapping returns the explicit, static mapping of a lobby index: nothing
// that is not named here is indexed or stored, whatever a document carries.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	err := im.AddCustomTokenFilter(bigramUnigramFilter, map[string]any{
		"type":           cjk.BigramName,
		"output_unigram": true,
	})
	if err != nil {
		return nil, fmt.Errorf("define token filter %s: %w", bigramUnigramFilter, err)
	}
	// The two analyzers differ only in their CJK filter.
	for name, cjkFilter := range map[string]string{textAnalyzer: cjk.BigramName, charsAnalyzer: bigramUnigramFilter} {
		err := im.AddCustomAnalyzer(name, map[string]any{
			"type":      custom.Name,
			"tokenizer": unicode.Name,
			"token_filters": []any{
				widthFilter, // cjk.WidthName, faster (filters.go)
				lowercase.Name,
				scriptFilter, // Traditional to Simplified (fold.go)
				en.PossessiveName,
				en.StopName,
				cjkFilter,
				porterFilter, // porter.Name, faster (filters.go)
			},
		})
		if err != nil {
			return nil, fmt.Errorf("define analyzer %s: %w", name, err)
		}
	}
	err = im.AddCustomAnalyzer(unigramAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{widthFilter, scriptFilter, hanFilter},
	})
	if err != nil {
		return nil, fmt.Errorf("define analyzer %s: %w", unigramAnalyzer, err)
	}
	im.DefaultAnalyzer = textAnalyzer
	im.ScoringModel = index.BM25Scoring
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	// text is a searchable field. Title, body, summary and extra are stored
	// with term vectors because highlighting needs both; tags are only
	// searched.
	text := func(store bool) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = textAnalyzer
		fm.Store = store
		fm.IncludeTermVectors = true
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	kw := func() *mapping.FieldMapping {
		fm := mapping.NewKeywordFieldMapping()
		fm.Analyzer = keyword.Name
		fm.Store = true
		fm.IncludeInAll = false
		fm.DocValues = true
		return fm
	}

	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldTitle, text(true))
	titleChars := text(false)
	titleChars.Analyzer = charsAnalyzer
	titleChars.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fieldTitleChars, titleChars)
	dm.AddFieldMappingsAt(fieldBody, text(true))
	bodyChars := text(false)
	bodyChars.Analyzer = unigramAnalyzer
	bodyChars.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fieldBodyChars, bodyChars)
	dm.AddFieldMappingsAt(fieldSummary, text(true))
	shown := text(true) // stored, not searched
	shown.Index = false
	shown.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fieldSummaryShown, shown)
	dm.AddFieldMappingsAt(fieldExtra, text(true))
	tags := text(false)
	tags.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fieldTags, tags)
	tag := kw()
	tag.Store = false
	dm.AddFieldMappingsAt(fieldTag, tag)
	dm.AddFieldMappingsAt(fieldSection, kw())

	date := mapping.NewDateTimeFieldMapping()
	date.Store = false
	date.IncludeInAll = false
	date.DocValues = true
	dm.AddFieldMappingsAt(fieldDate, date)

	expired := mapping.NewBooleanFieldMapping()
	expired.Store = true
	expired.IncludeInAll = false
	expired.DocValues = true
	dm.AddFieldMappingsAt(fieldExpired, expired)

	// display is stored for the result list and never indexed.
	display := func() *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = keyword.Name
		fm.Index = false
		fm.Store = true
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	dm.AddFieldMappingsAt(fieldDateStr, display())
	dm.AddFieldMappingsAt(fieldURL, display())

	im.DefaultMapping = dm
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("validate mapping: %w", err)
	}
	return im, nil
}

// analyzer returns the text analyzer, built once from the same definition
// the index stores, so the query parser sees the tokens the index saw.
var analyzer = sync.OnceValues(func() (analysis.Analyzer, error) {
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	a := im.AnalyzerNamed(textAnalyzer)
	if a == nil {
		return nil, fmt.Errorf("analyzer %s not defined", textAnalyzer)
	}
	return a, nil
})
