package search

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/registry"
)

// Token filters of the text analyzer that give exactly the tokens of
// bleve's filters of the same purpose (TestFastFiltersMatchBleve), but pass
// over the tokens those would leave unchanged instead of decoding each one
// into runes and encoding it again: most tokens of lobby's text are Chinese
// bigrams and plain ASCII words, which neither filter ever changes, and
// every token of every page goes through both (BenchmarkBuild).
const (
	widthFilter  = "lobby_cjk_width"
	porterFilter = "lobby_porter"
)

func init() {
	register := func(name string, inner analysis.TokenFilter, changes func([]byte) bool) {
		err := registry.RegisterTokenFilter(name,
			func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
				return skipFilter{inner: inner, changes: changes}, nil
			})
		if err != nil {
			panic(fmt.Sprintf("register token filter %s: %v", name, err))
		}
	}
	register(widthFilter, cjk.NewCJKWidthFilter(), widthMayChange)
	register(porterFilter, porter.NewPorterStemmer(), porterMayChange)
}

// skipFilter runs inner on the tokens that changes reports it may change,
// one at a time (both filters treat each token on its own), and leaves the
// rest as they are.
type skipFilter struct {
	inner   analysis.TokenFilter
	changes func(term []byte) bool
}

func (f skipFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for i, tok := range input {
		if f.changes(tok.Term) {
			f.inner.Filter(input[i : i+1])
		}
	}
	return input
}

// widthMayChange reports whether bleve's CJK width filter may change term:
// it folds only full-width ASCII (U+FF01–U+FF5E) and half-width katakana
// (U+FF65–U+FF9F), all encoded with a leading byte 0xEF, and it re-encodes
// invalid UTF-8 as U+FFFD.
func widthMayChange(term []byte) bool {
	return bytes.IndexByte(term, 0xEF) >= 0 || !utf8.Valid(term)
}

// porterMayChange reports whether bleve's Porter stemmer may change term:
// every rule of the algorithm removes or replaces a suffix that ends in a
// lower-case ASCII letter (the stemmer does not fold case), and it
// re-encodes invalid UTF-8 as U+FFFD.
func porterMayChange(term []byte) bool {
	if len(term) == 0 {
		return false
	}
	last := term[len(term)-1]
	return last >= 'a' && last <= 'z' || !utf8.Valid(term)
}
