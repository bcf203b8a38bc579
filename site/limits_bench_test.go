package site

import (
	"strings"
	"testing"
)

// deepList is a body whose list nests n levels, each indented two more
// spaces than the last.
func deepList(n int) []byte {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return []byte(b.String())
}

// BenchmarkDeepList renders a list nested 2,800 levels deep (7.8 MB), which
// stops at maxBlockNesting with an error.
func BenchmarkDeepList(b *testing.B) {
	body := deepList(2800)
	md := newMarkdown(false, "en", "/")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p := &Page{File: "content/deep.md", URL: "/deep/", body: body, bodyLine: 4}
		if _, err := md.render(p, nil); err == nil {
			b.Fatal("no error")
		}
	}
}

// BenchmarkWideNestedList renders a list nested maxBlockNesting levels deep
// whose deepest item goes on for 7.8 MB of lines indented to stay in it:
// the most a body can make goldmark do, each line read through every open
// block.
func BenchmarkWideNestedList(b *testing.B) {
	var s strings.Builder
	for i := range maxBlockNesting {
		s.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	line := strings.Repeat("  ", maxBlockNesting) + "x\n"
	for s.Len() < 7800000 {
		s.WriteString(line)
	}
	body := []byte(s.String())
	md := newMarkdown(false, "en", "/")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p := &Page{File: "content/deep.md", URL: "/deep/", body: body, bodyLine: 4}
		if _, err := md.render(p, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFlatParagraph renders one paragraph of 7.8 MB of short lines,
// for comparison with BenchmarkWideNestedList.
func BenchmarkFlatParagraph(b *testing.B) {
	body := []byte(strings.Repeat("x\n", 3900000))
	md := newMarkdown(false, "en", "/")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p := &Page{File: "content/flat.md", URL: "/flat/", body: body, bodyLine: 4}
		if _, err := md.render(p, nil); err != nil {
			b.Fatal(err)
		}
	}
}
