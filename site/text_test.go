package site

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lobby-community/lobby"
)

// collapseSpace must give what strings.Fields and Join give, which the
// plain text of pages (search, summaries, the content API) was made with.
func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a  b\n\tc ", "停水\u3000通知\u00a0 x", "\u2028a\u0085b\x00 c\xff d ",
		"水\xe4 \x80水", "x\xe4\x80", "\xed\xa0\x80 y", "\xe4\x80\x20 z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// BenchmarkPlainText compares collapseSpace with the Fields and Join it
// replaced, on the text of a page of the corpus (a mix of Chinese and
// English, about 5,000 bytes).
func BenchmarkPlainText(b *testing.B) {
	text := strings.Repeat("维修班组承诺紧急报修两小时内到场处理，非紧急报修将在三个工作日内安排上门。\n Lifts are  serviced\tmonthly; report faults to the office.\n\n", 24)
	b.Run("collapseSpace", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			collapseSpace(text)
		}
	})
	b.Run("FieldsJoin", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = strings.Join(strings.Fields(text), " ")
		}
	})
}

// A page's API document encoded with its HTML and text apart is the document
// encodeAPI makes.
func TestEncodeDocument(t *testing.T) {
	s, err := Build(demoFS(t), lobby.Theme(), Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range s.Pages {
		e := s.apiDocument(p)
		if p.URL == "/about/" {
			e.Title = htmlMark // the slow way
		}
		var got, want bytes.Buffer
		if err := encodeDocument(&got, e); err != nil {
			t.Fatal(err)
		}
		if err := encodeAPI(&want, e); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: encodeDocument differs from encodeAPI", p.URL)
		}
		n++
	}
	if n < 50 {
		t.Errorf("only %d pages", n)
	}
}
