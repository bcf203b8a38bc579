package site

import (
	"fmt"
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

// frontMatterAtLimits are front matters just under maxFrontMatterBytes
// that make the decoders work hardest: many fee items, and keys nested
// maxNesting levels deep.
func frontMatterAtLimits() map[string][]byte {
	fill := func(head, item func(i int) string, tail string) []byte {
		var b strings.Builder
		b.WriteString(head(0))
		for i := 0; ; i++ {
			s := item(i)
			if b.Len()+len(s)+len(tail) > maxFrontMatterBytes {
				break
			}
			b.WriteString(s)
		}
		return []byte(b.String() + tail)
	}
	deepKey := strings.TrimSuffix(strings.Repeat("a.", maxNesting-1), ".")
	return map[string][]byte{
		"yaml-items": fill(func(int) string { return "---\ntitle: 费用\nparams:\n  items:\n" },
			func(i int) string {
				return "    - item: 电费 " + strings.Repeat("x", i%7) + "\n      amount: \"1200.50\"\n"
			}, "---\n"),
		"toml-items": fill(func(int) string { return "+++\ntitle = \"费用\"\n" },
			func(int) string { return "[[params.items]]\nitem = \"电费\"\namount = \"1200.50\"\n" }, "+++\n"),
		"toml-deep-keys": fill(func(int) string { return "+++\ntitle = \"x\"\n[params]\n" },
			func(i int) string { return fmt.Sprintf("k%d.%s = 1\n", i, deepKey) }, "+++\n"),
		"yaml-deep-flow": fill(func(int) string { return "---\ntitle: x\nparams:\n" },
			func(i int) string {
				return fmt.Sprintf("  k%d: %s%s\n", i, strings.Repeat("[", maxNesting-2), strings.Repeat("]", maxNesting-2))
			}, "---\n"),
	}
}

// BenchmarkFrontMatterLimits parses front matter at the limits; each
// should take well under a second.
func BenchmarkFrontMatterLimits(b *testing.B) {
	for name, src := range frontMatterAtLimits() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, _, err := parseFrontMatter(src, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
