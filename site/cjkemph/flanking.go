package cjkemph

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The definitions below follow section 2.1 and 6.2 of the "CommonMark
// CJK-friendly Amendments Specification"
// (https://github.com/tats-u/markdown-cjk-friendly/blob/main/specification.md).

// isCJK reports whether r is a CJK character: East Asian Width W, F or H
// and not an emoji presentation character, or a Hangul character.
func isCJK(r rune) bool {
	// Nothing below U+1100 (the first Hangul Jamo) is CJK.
	return r >= 0x1100 && unicode.Is(cjkTable, r)
}

// isVS reports whether r is a non-emoji general-use variation selector,
// U+FE00..U+FE0E. U+FE0F asks for an emoji, which is not CJK.
func isVS(r rune) bool {
	return r >= 0xFE00 && r <= 0xFE0E
}

// isIVS reports whether r is an ideographic variation selector.
func isIVS(r rune) bool {
	return r >= 0xE0100 && r <= 0xE01EF
}

// isFullwidthPunct reports whether base followed by vs is a CJK ambiguous
// punctuation sequence: a quotation mark of ambiguous width that the
// selector turns into its fullwidth, CJK form.
func isFullwidthPunct(base, vs rune) bool {
	for _, s := range fullwidthPunctSequences {
		if s[0] == base && s[1] == vs {
			return true
		}
	}
	return false
}

// A side describes what is next to a delimiter run on one side.
type side struct {
	space bool // Unicode whitespace, or the beginning or end of the line
	punct bool // a Unicode punctuation character or sequence
	cjk   bool // a CJK character or sequence, or an ideographic variation selector
}

// nonCJKPunct reports whether s is a non-CJK punctuation character or sequence.
func (s side) nonCJKPunct() bool {
	return s.punct && !s.cjk
}

// classify describes a single character next to a delimiter run, the same
// way goldmark does for whitespace and punctuation.
func classify(r rune) side {
	return side{
		space: util.IsSpaceRune(r),
		punct: util.IsPunctRune(r),
		cjk:   isCJK(r),
	}
}

// preceding describes what precedes the delimiter run that starts at pos.
// Unlike the following side, it looks at sequences: a variation selector
// belongs to the character before it.
func preceding(block text.Reader, pos int) (side, rune) {
	r := block.PrecendingCharacter()
	switch {
	case isIVS(r):
		// Ideographic variation selectors follow ideographs only (2bδ).
		return side{cjk: true}, r
	case isVS(r):
		start := pos - utf8.RuneLen(r)
		if start <= 0 {
			break
		}
		base, _ := utf8.DecodeLastRune(block.Source()[:start])
		if util.IsSpaceRune(base) {
			// A selector after whitespace is unspecified by the
			// amendment; it stays an ordinary (non-punctuation) mark.
			break
		}
		s := classify(base)
		s.cjk = s.cjk || isFullwidthPunct(base, r)
		return s, r
	}
	return classify(r), r
}

// flanking reports whether a delimiter run between before and after is
// left-flanking and right-flanking, as amended in section 6.2.
//
// In CommonMark, punctuation just inside a run keeps it from flanking
// unless the outside is whitespace or punctuation, which is what breaks
// "**通知：**请". The amendment lets only non-CJK punctuation do that, and
// also accepts a CJK character outside it. Without CJK characters or
// variation selectors around, these are CommonMark's rules.
func flanking(before, after side) (left, right bool) {
	left = !after.space &&
		(!after.nonCJKPunct() || before.space || before.punct || before.cjk)
	right = !before.space &&
		(!before.nonCJKPunct() || after.space || after.punct || after.cjk)
	return left, right
}

// scanDelimiter scans the delimiter run at the reader's position, like
// parser.ScanDelimiter but with the amended flanking rules. It returns the
// delimiter and the character before the run.
func scanDelimiter(block text.Reader, processor *delimiterProcessor) (*parser.Delimiter, rune) {
	line, segment := block.PeekLine()
	if len(line) == 0 || !processor.IsDelimiter(line[0]) {
		return nil, 0
	}
	c := line[0]
	n := 1
	for n < len(line) && line[n] == c {
		n++
	}
	// The end of the line counts as whitespace.
	after := rune(' ')
	if n < len(line) {
		after = util.ToRune(line, n)
	}
	b, prev := preceding(block, segment.Start)
	a := classify(after)
	left, right := flanking(b, a)

	canOpen, canClose := left, right
	if c == '_' {
		// '_' must not open or close inside a word. Rules 2 and 6 look at
		// the punctuation sequence before the run; rules 4 and 8 are
		// CommonMark's.
		canOpen = left && (!right || b.punct)
		canClose = right && (!left || a.punct)
	}
	d := parser.NewDelimiter(canOpen, canClose, n, c, processor)
	d.Segment = segment.WithStop(segment.Start + n)
	return d, prev
}
