package search

import (
	"context"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/highlight"
)

// bleve's own merging of overlapping locations stops after the first pair
// of overlapping bigrams, so a second 停车位 would come out as
// <mark>停车</mark>位 (markFormatter).
func TestHighlightMarksWholeWord(t *testing.T) {
	x := openFixture(t, Options{})
	res, err := x.Search(context.Background(), Request{Q: "停车位"})
	if err != nil {
		t.Fatal(err)
	}
	i := indexOf(res.Hits, "/notices/new-spaces/")
	if i < 0 {
		t.Fatalf("no /notices/new-spaces/ in %v", urls(res.Hits))
	}
	s := string(res.Hits[i].Snippet)
	if n := strings.Count(s, "<mark>停车位</mark>"); n != 2 {
		t.Errorf("snippet %q: %d whole marks, want 2", s, n)
	}
	if strings.Contains(s, "<mark>停车</mark>") || strings.Contains(s, "<mark>车位</mark>") {
		t.Errorf("snippet %q marks half a word", s)
	}
}

func TestSnippetEscapesHTML(t *testing.T) {
	x := openFixture(t, Options{})
	res, err := x.Search(context.Background(), Request{Q: "停车位 rules"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].URL != "/notices/markup/" {
		t.Fatalf("hits %v", urls(res.Hits))
	}
	s := string(res.Hits[0].Snippet)
	if !strings.Contains(s, "&lt;script&gt;") || !strings.Contains(s, "&amp;") {
		t.Errorf("snippet %q: HTML not escaped", s)
	}
	if !strings.Contains(s, "<mark>停车位</mark>") {
		t.Errorf("snippet %q: no mark", s)
	}
	rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	if strings.ContainsAny(rest, "<>") {
		t.Errorf("snippet %q has markup other than <mark>", s)
	}
}

func TestMarkFormatter(t *testing.T) {
	text := []byte("新增停车位，停车位<b>按序</b>")
	loc := func(start, end int) *highlight.TermLocation {
		return &highlight.TermLocation{Start: start, End: end}
	}
	// 停车 6-12, 车位 9-15 at both occurrences; bleve's own merge leaves the
	// second pair apart.
	tls := highlight.TermLocations{loc(6, 12), loc(9, 15), loc(18, 24), loc(21, 27)}
	tls.MergeOverlapping()
	f := &highlight.Fragment{Orig: text, Start: 0, End: len(text)}
	got := markFormatter{}.Format(f, tls)
	want := "新增<mark>停车位</mark>，<mark>停车位</mark>&lt;b&gt;按序&lt;/b&gt;"
	if got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
	// A fragment that cuts a mark keeps the part inside it.
	f = &highlight.Fragment{Orig: text, Start: 9, End: 21}
	if got, want := (markFormatter{}).Format(f, tls), "<mark>车位</mark>，<mark>停</mark>"; got != want {
		t.Errorf("cut fragment: Format = %q, want %q", got, want)
	}
}

// The title of a hit is shown with the query's words marked, synonyms and
// single characters too, and escaped.
func TestTitleHTMLMarksMatches(t *testing.T) {
	docs := []Doc{
		{URL: "/a/", Title: "<b>停车位</b> 暂停供水通知", Body: "正文。"},
		{URL: "/b/", Title: "饮水机", Body: "正文。"},
	}
	x := openDocs(t, docs, Options{})
	for _, tc := range []struct{ q, want string }{
		{"停车位", "&lt;b&gt;<mark>停车位</mark>&lt;/b&gt; 暂停供水通知"},
		{"停水", "&lt;b&gt;停车位&lt;/b&gt; <mark>暂停供水</mark>通知"},
		{"機", "饮水<mark>机</mark>"},
	} {
		res, err := x.Search(context.Background(), Request{Q: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || string(res.Hits[0].TitleHTML) != tc.want {
			var got []string
			for _, h := range res.Hits {
				got = append(got, string(h.TitleHTML))
			}
			t.Errorf("%s: titles %q, want %q", tc.q, got, tc.want)
		}
	}
}
