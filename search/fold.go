package search

import (
	"fmt"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/longbridgeapp/opencc"
)

// scriptFilter folds Traditional Chinese characters to Simplified ones in
// every token, at index and at query time, so that 停車 finds a page that
// says 停车 and the reverse. It runs before the CJK bigram filter and
// changes only the term: a token's place in
// the text is the original's, so snippets and titles are shown in the
// page's own script.
const scriptFilter = "lobby_t2s"

func init() {
	err := registry.RegisterTokenFilter(scriptFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			if _, err := foldTable(); err != nil {
				return nil, err
			}
			return foldFilter{}, nil
		})
	if err != nil {
		panic(fmt.Sprintf("register token filter %s: %v", scriptFilter, err))
	}
}

// foldTable maps each Traditional character of the Basic Multilingual
// Plane to the Simplified one OpenCC's t2s conversion gives it alone; the
// characters it leaves as they are, or turns into more than one or into
// one of another length in UTF-8, are not in it. Folding by character, not by OpenCC's phrases, folds a word the
// same wherever the tokenizer cuts it; matching needs one script, not the
// best conversion. Building it converts each ideograph once, a fraction
// of a second at the first analysis of a process.
var foldTable = sync.OnceValues(func() (map[rune]rune, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, fmt.Errorf("load OpenCC t2s: %w", err)
	}
	table := map[rune]rune{}
	for _, rg := range unicode.Han.R16 {
		for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
			out, err := cc.Convert(string(r))
			if err != nil {
				return nil, fmt.Errorf("OpenCC t2s of %q: %w", r, err)
			}
			// Only a rune of the same length in UTF-8: see foldFilter.
			if o, size := utf8.DecodeRuneInString(out); size == len(out) && o != r && o != utf8.RuneError &&
				utf8.RuneLen(o) == utf8.RuneLen(r) {
				table[r] = o
			}
		}
	}
	return table, nil
})

// foldScript returns s with its Traditional characters folded to
// Simplified ones, as scriptFilter folds tokens.
func foldScript(s string) string {
	table, err := foldTable()
	if err != nil {
		return s
	}
	out := []rune(nil)
	for i, r := range s {
		if o, ok := table[r]; ok {
			if out == nil {
				out = []rune(s[:i])
			}
			r = o
		}
		if out != nil {
			out = append(out, r)
		}
	}
	if out == nil {
		return s
	}
	return string(out)
}

// foldFilter is scriptFilter's token filter.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	table, _ := foldTable() // checked when the filter was made
	for _, tok := range input {
		if tok.Type != analysis.Ideographic {
			continue
		}
		// The term is a slice of the text: fold into a copy. Each rune
		// keeps its length, so the CJK bigram filter, which finds each
		// character's place in the text from its place in the term,
		// still finds it.
		var out []byte
		for i, r := range string(tok.Term) {
			if o, ok := table[r]; ok {
				if out == nil {
					out = append(make([]byte, 0, len(tok.Term)), tok.Term[:i]...)
				}
				out = utf8.AppendRune(out, o)
			} else if out != nil {
				out = utf8.AppendRune(out, r)
			}
		}
		if out != nil {
			tok.Term = out
		}
	}
	return input
}
