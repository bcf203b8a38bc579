// Package cjkemph is a goldmark extension that applies the CommonMark
// CJK-friendly emphasis amendment
// (https://github.com/tats-u/markdown-cjk-friendly/blob/main/specification.md).
//
// Plain CommonMark leaves the asterisks of "**重要通知：**请按时缴费" as they
// are, because the closing run follows punctuation and precedes a letter.
// The amendment changes the left- and right-flanking rules so that CJK
// characters and CJK punctuation next to a delimiter run do not get in
// the way. Text without CJK characters parses exactly as in CommonMark.
// Which characters are CJK comes from Unicode 16.0 data (tables.go, written
// by gen.go).
//
//	md := goldmark.New(goldmark.WithExtensions(
//		extension.GFM,
//		cjkemph.New(cjkemph.WithStrikethrough()),
//	))
package cjkemph

//go:generate go run gen.go -ucd ${UCD}

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// priority puts our parsers just ahead of goldmark's emphasis and
// strikethrough parsers (500). goldmark stops at the first inline parser
// that accepts a trigger character, so those never see a delimiter run.
const priority = 499

// A delimiterProcessor is a parser.DelimiterProcessor for one kind of span.
type delimiterProcessor struct {
	chars   string
	onMatch func(consumes int) ast.Node
}

func (p *delimiterProcessor) IsDelimiter(b byte) bool {
	return strings.IndexByte(p.chars, b) >= 0
}

func (p *delimiterProcessor) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (p *delimiterProcessor) OnMatch(consumes int) ast.Node {
	return p.onMatch(consumes)
}

var emphasisDelimiters = &delimiterProcessor{
	chars: "*_",
	onMatch: func(consumes int) ast.Node {
		return ast.NewEmphasis(consumes)
	},
}

var strikethroughDelimiters = &delimiterProcessor{
	chars: "~",
	onMatch: func(int) ast.Node {
		return east.NewStrikethrough()
	},
}

// A delimiterParser is an inline parser that pushes delimiter runs for
// its processor onto the delimiter stack.
type delimiterParser struct {
	processor *delimiterProcessor
	// maxLength, if not zero, is the longest run that makes a delimiter.
	maxLength int
}

func (s *delimiterParser) Trigger() []byte {
	return []byte(s.processor.chars)
}

func (s *delimiterParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	d, before := scanDelimiter(block, s.processor)
	if d == nil {
		return nil
	}
	if s.maxLength > 0 && (d.OriginalLength > s.maxLength || before == rune(d.Char)) {
		// A run that is too long stays text; goldmark then tries again one
		// character later, which the check on before turns down too.
		return nil
	}
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// An Option configures the extension returned by New.
type Option func(*cjkEmphasis)

// WithStrikethrough applies the amendment to GFM strikethrough ("~~") too;
// use it together with extension.Strikethrough or extension.GFM, which
// render the strikethrough nodes.
func WithStrikethrough() Option {
	return func(e *cjkEmphasis) {
		e.strikethrough = true
	}
}

type cjkEmphasis struct {
	strikethrough bool
}

// Extension is the extension with default options: it applies the
// amendment to "*" and "_" emphasis.
var Extension = New()

// New returns a goldmark extension that parses emphasis with the
// CJK-friendly amendment.
func New(opts ...Option) goldmark.Extender {
	e := &cjkEmphasis{}
	for _, opt := range opts {
		opt(e)
	}
	return e
}

// Extend implements goldmark.Extender.
func (e *cjkEmphasis) Extend(m goldmark.Markdown) {
	parsers := []util.PrioritizedValue{
		util.Prioritized(&delimiterParser{processor: emphasisDelimiters}, priority),
	}
	if e.strikethrough {
		// goldmark's strikethrough parser takes runs of one or two tildes.
		parsers = append(parsers, util.Prioritized(
			&delimiterParser{processor: strikethroughDelimiters, maxLength: 2}, priority))
	}
	m.Parser().AddOptions(parser.WithInlineParsers(parsers...))
}
