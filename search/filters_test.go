package search

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// bleveChain is the text analyzer built from bleve's own width and Porter
// filters: the reference for the analyzer of the mapping.
func bleveChain(t testing.TB) analysis.Analyzer {
	t.Helper()
	im := mapping.NewIndexMapping()
	err := im.AddCustomAnalyzer("reference", map[string]any{
		"type":      custom.Name,
		"tokenizer": unicode.Name,
		"token_filters": []any{cjk.WidthName, lowercase.Name, scriptFilter, en.PossessiveName, en.StopName,
			cjk.BigramName, porter.Name},
	})
	if err != nil {
		t.Fatal(err)
	}
	return im.AnalyzerNamed("reference")
}

// randomText mixes what the filters treat differently: ASCII words with
// every ending, digits, ideographs, full-width letters and half-width
// katakana with their voicing marks, long s, apostrophes, and invalid UTF-8.
func randomText(r *rand.Rand, n int) string {
	pieces := []string{"a", "e", "i", "o", "u", "y", "s", "ed", "ing", "ies", "sses", "ational", "ll", "ss",
		"park", "run", "happy", "relational", "Z", "Q", "0", "42", "停", "车", "位", "管", "理", "费",
		"ＡＢＣ", "ｐａｒｋｉｎｇ", "ｶﾞ", "ﾊﾟ", "ｳﾞ", "ﾞ", "ｱ", "ſ", "'s", "’s", "\xff", "\xe6\x9c", " ", " ", " ", "。", "-"}
	var b strings.Builder
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// The analyzer with lobby's width and Porter filters gives exactly the
// tokens of the one with bleve's, on the corpora and on random text.
func TestFastFiltersMatchBleve(t *testing.T) {
	ours, err := analyzer()
	if err != nil {
		t.Fatal(err)
	}
	ref := bleveChain(t)
	var texts []string
	for _, d := range append(append(fixtureDocs(), syntheticDocs(30)...), realisticDocs(30)...) {
		texts = append(texts, d.Title, d.Summary, d.Body, d.Extra)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		texts = append(texts, randomText(r, 1+r.IntN(12)))
	}
	for _, s := range texts {
		a, b := ours.Analyze([]byte(s)), ref.Analyze([]byte(s))
		if len(a) != len(b) {
			t.Fatalf("Analyze(%q): %d tokens, bleve's filters %d", s, len(a), len(b))
		}
		for i := range a {
			if string(a[i].Term) != string(b[i].Term) || a[i].Start != b[i].Start || a[i].End != b[i].End ||
				a[i].Position != b[i].Position || a[i].Type != b[i].Type || a[i].KeyWord != b[i].KeyWord {
				t.Fatalf("Analyze(%q) token %d = %+v, bleve's filters %+v", s, i, a[i], b[i])
			}
		}
	}
	// Each filter alone, on tokens no tokenizer would make.
	cache := registry.NewCache()
	for _, names := range [][2]string{{widthFilter, cjk.WidthName}, {porterFilter, porter.Name}} {
		fast, err := cache.TokenFilterNamed(names[0])
		if err != nil {
			t.Fatal(err)
		}
		slow, err := cache.TokenFilterNamed(names[1])
		if err != nil {
			t.Fatal(err)
		}
		for range 20000 {
			term := randomText(r, 1+r.IntN(4))
			a := fast.Filter(analysis.TokenStream{{Term: []byte(term)}})
			b := slow.Filter(analysis.TokenStream{{Term: []byte(term)}})
			if string(a[0].Term) != string(b[0].Term) {
				t.Fatalf("%s(%q) = %q, %s gives %q", names[0], term, a[0].Term, names[1], b[0].Term)
			}
		}
	}
}
