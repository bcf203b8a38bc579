package cjkemph

import (
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// touchesAmendment reports whether src has a character that the amendment
// treats differently from CommonMark: a CJK character or a variation
// selector, which joins the character before it.
func touchesAmendment(src string) bool {
	for _, r := range src {
		if isCJK(r) || isVS(r) || isIVS(r) {
			return true
		}
	}
	return false
}

// FuzzCJKEmphasis checks that any input renders without panicking and that
// input without CJK characters renders exactly as without the extension.
func FuzzCJKEmphasis(f *testing.F) {
	for _, e := range emphasisExamples {
		f.Add(e.markdown)
	}
	for _, e := range strikethroughExamples {
		f.Add(e.markdown)
	}
	f.Add("*foo**bar**baz*")
	f.Add("__foo, __bar__, baz__")
	f.Add("a ~~~b~~ c~ d\n> *e\n> f*")

	plain := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	cjk := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, New(WithStrikethrough())))
	f.Fuzz(func(t *testing.T, src string) {
		got := render(t, cjk, src)
		if touchesAmendment(src) {
			return
		}
		if want := render(t, plain, src); got != want {
			t.Errorf("markdown: %q\n got: %q\nwant: %q", src, got, want)
		}
	})
}
