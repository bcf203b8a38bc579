package search

import (
	"fmt"
	"html/template"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/registry"
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// A query word of one Chinese character (水, 费) has no bigram to match:
// it is searched in fields that keep single characters, the title's
// (fieldTitleChars) and the body's (fieldBodyChars), in place of the title
// and the body, and as itself in the other fields, which hold it only
// where it stands alone.

// charBodyBoost weighs a character found in a body against a word found
// there. A character is a weak sign of what a page is about: 水 is in
// 停水 and in 水平, 电 in 停电 and in 电话. At a quarter of a body word's
// weight, a page that holds the character in its title, or another word
// of the query, ranks above one that only has the character somewhere in
// its text (TestOneCharacterInBodies).
const charBodyBoost = 0.25

// charField returns the field that a word of one character is searched in
// in place of f, with its weight, or false when f is searched as it is.
func charField(f searchField) (searchField, bool) {
	switch f.name {
	case fieldTitle:
		return searchField{fieldTitleChars, f.boost}, true
	case fieldBody:
		return searchField{fieldBodyChars, f.boost * charBodyBoost}, true
	}
	return f, false
}

// hanFilter keeps the tokens of one Chinese character and drops the rest:
// unigramAnalyzer's last filter.
const hanFilter = "lobby_han_chars"

func init() {
	err := registry.RegisterTokenFilter(hanFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return hanOnly{}, nil
		})
	if err != nil {
		panic(fmt.Sprintf("register token filter %s: %v", hanFilter, err))
	}
}

type hanOnly struct{}

func (hanOnly) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if isHanChar(tok.Term) {
			out = append(out, tok)
		}
	}
	return out
}

// isHanChar reports whether term is one Chinese character.
func isHanChar(term []byte) bool {
	r, size := utf8.DecodeRune(term)
	return size == len(term) && size > 1 && unicode.Is(unicode.Han, r)
}

// queryChars returns the words of one character of pq and of their
// synonyms, as the index holds them (in Simplified script).
func queryChars(pq parsedQuery) []rune {
	var chars []rune
	for i := range pq.terms {
		for _, v := range pq.variants(i) {
			if v.char != "" {
				r, _ := utf8.DecodeRuneInString(v.char)
				if !slices.Contains(chars, r) {
					chars = append(chars, r)
				}
			}
		}
	}
	return chars
}

// charLocations returns where text holds one of chars, in either script.
func charLocations(text string, chars []rune) bsearch.TermLocationMap {
	unfold, err := unfoldTable()
	if err != nil {
		return nil
	}
	// Every form of each character, and the character it folds to: a few
	// runes to compare each rune of the text with, where a lookup in the
	// fold table for each would cost more than the rest of a snippet.
	var forms, folded []rune
	for _, c := range chars {
		forms, folded = append(forms, c), append(folded, c)
		for _, t := range unfold[c] {
			forms, folded = append(forms, t), append(folded, c)
		}
	}
	var tlm bsearch.TermLocationMap
	for i, r := range text {
		if r < 0x2E80 { // below every CJK block: most of an English text
			continue
		}
		k := slices.Index(forms, r)
		if k < 0 {
			continue
		}
		if tlm == nil {
			tlm = bsearch.TermLocationMap{}
		}
		term := string(folded[k])
		tlm[term] = append(tlm[term], &bsearch.Location{Start: uint64(i), End: uint64(i + utf8.RuneLen(r))})
	}
	return tlm
}

// unfoldTable maps each Simplified character to the Traditional ones that
// foldTable folds to it.
var unfoldTable = sync.OnceValues(func() (map[rune][]rune, error) {
	table, err := foldTable()
	if err != nil {
		return nil, err
	}
	unfold := map[rune][]rune{}
	for t, s := range table {
		unfold[s] = append(unfold[s], t)
	}
	for _, ts := range unfold {
		slices.Sort(ts)
	}
	return unfold, nil
})

// charSnippet returns the snippet of a page whose body holds a word of one
// character of the query: the body's best fragment, chosen and marked as
// bleve's highlighter chooses and marks it, with the characters marked
// beside the words bleve located (words, the body's locations of the
// query's other words). fieldBodyChars keeps no locations: a page's
// snippet finds the characters in its text, for the few pages shown, at
// less cost than term vectors of every character of every page in the
// index. It reports false when the body holds none of chars.
func charSnippet(body string, words bsearch.TermLocationMap, chars []rune) (template.HTML, bool) {
	tlm := charLocations(body, chars)
	if len(tlm) == 0 {
		return "", false
	}
	for term, locs := range words {
		tlm[term] = append(tlm[term], locs...)
	}
	doc := document.NewDocument("")
	doc.AddField(document.NewTextField(fieldBody, nil, []byte(body)))
	dm := &bsearch.DocumentMatch{Locations: bsearch.FieldTermLocationMap{fieldBody: tlm}}
	frags := newSnippetHighlighter().BestFragmentsInField(dm, doc, fieldBody, 1)
	if len(frags) == 0 {
		return "", false
	}
	return template.HTML(frags[0]), true // built by markFormatter: escaped text and <mark>
}
