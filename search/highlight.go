package search

import (
	"fmt"
	"html"
	"html/template"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/registry"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	simplefragmenter "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// Names under which the snippet highlighter and its formatter are registered
// with bleve's registry.
const (
	highlighterName = "lobby_mark"
	formatterName   = "lobby_mark"
)

// snippetRunes is the length of a snippet in characters: about three lines of
// Chinese on a phone.
const snippetRunes = 120

// registerHighlighter registers the snippet highlighter once per process.
// bleve's registry is global and refuses a second registration of a name.
var registerHighlighter = sync.OnceValue(func() error {
	err := registry.RegisterFragmentFormatter(formatterName,
		func(map[string]any, *registry.Cache) (highlight.FragmentFormatter, error) {
			return markFormatter{}, nil
		})
	if err != nil {
		return fmt.Errorf("register fragment formatter: %w", err)
	}
	err = registry.RegisterHighlighter(highlighterName,
		func(map[string]any, *registry.Cache) (highlight.Highlighter, error) {
			return newSnippetHighlighter(), nil
		})
	if err != nil {
		return fmt.Errorf("register highlighter: %w", err)
	}
	return nil
})

// newSnippetHighlighter returns the highlighter of snippets: fragments of
// snippetRunes characters, marked by markFormatter.
func newSnippetHighlighter() *simplehighlighter.Highlighter {
	return simplehighlighter.NewHighlighter(
		simplefragmenter.NewFragmenter(snippetRunes),
		markFormatter{},
		simplehighlighter.DefaultSeparator)
}

// markFormatter writes a fragment as HTML in which <mark> is the only markup.
//
// It differs from bleve's html formatter in one way that matters for Chinese:
// it merges every run of overlapping or touching term locations into one
// mark. The CJK bigram analyzer turns 停车位 into the overlapping terms 停车
// and 车位; bleve's TermLocations.MergeOverlapping never advances past the
// first merged pair, so every later occurrence came out as <mark>停车</mark>位.
type markFormatter struct{}

// span is a half-open byte range of the fragment's text to be marked.
type span struct{ start, end int }

// Format implements highlight.FragmentFormatter.
func (markFormatter) Format(f *highlight.Fragment, locations highlight.TermLocations) string {
	spans := mergeLocations(f, locations)
	var b strings.Builder
	cur := f.Start
	for _, s := range spans {
		b.WriteString(html.EscapeString(string(f.Orig[cur:s.start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(f.Orig[s.start:s.end])))
		b.WriteString("</mark>")
		cur = s.end
	}
	b.WriteString(html.EscapeString(string(f.Orig[cur:f.End])))
	return b.String()
}

// mergeLocations returns the marked spans of a fragment: the locations of its
// field value clipped to the fragment, in order, with overlapping and touching
// locations merged. Locations arrive sorted by start; nil entries are those
// that bleve already merged into an earlier one.
func mergeLocations(f *highlight.Fragment, locations highlight.TermLocations) []span {
	var spans []span
	for _, tl := range locations {
		if tl == nil || !tl.ArrayPositions.Equals(f.ArrayPositions) {
			continue
		}
		start, end := max(tl.Start, f.Start), min(tl.End, f.End)
		if start >= end || end > len(f.Orig) {
			continue
		}
		if n := len(spans); n > 0 && start <= spans[n-1].end {
			spans[n-1].end = max(spans[n-1].end, end)
			continue
		}
		spans = append(spans, span{start, end})
	}
	return spans
}

// titleHTML returns title as HTML with the words of the query marked: where
// bleve located them (locs), and each query word of one character (chars,
// queryChars), which titles hold in a field without locations
// (fieldTitleChars), wherever it is, in either script.
func titleHTML(title string, locs bsearch.TermLocationMap, chars []rune) template.HTML {
	tls := highlight.OrderTermLocations(locs)
	if chars := charLocations(title, chars); len(chars) > 0 {
		tls = append(tls, highlight.OrderTermLocations(chars)...)
		sort.Sort(tls)
	}
	f := &highlight.Fragment{Orig: []byte(title), End: len(title)}
	return template.HTML(markFormatter{}.Format(f, tls)) // escaped text and <mark>
}
