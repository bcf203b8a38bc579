package site

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// maxBlockNesting bounds how deep lists, block quotes and footnotes nest
// in a page body. goldmark reads each line through every block open around
// it, so a body's parse takes its length times its depth: a list nested
// 2,800 levels deep (7.8 MB) took 38 s and 642 MB. At a hundred levels,
// the costliest body (BenchmarkWideNestedList) costs about what a flat
// paragraph of the same size does (BenchmarkFlatParagraph), and no page
// needs more.
const maxBlockNesting = 100

// depthGuard is a block parser tried before every block that can hold
// others. Below maxBlockNesting it opens nothing; at that depth it records
// the line in the document's state and skips the rest of the body, so the
// parser goes no deeper and the build reports the line.
type depthGuard struct{}

// Trigger implements parser.BlockParser: the first characters of list
// items, block quotes and footnote definitions.
func (depthGuard) Trigger() []byte {
	return []byte{'-', '+', '*', '>', '[', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'}
}

// Open implements parser.BlockParser.
func (depthGuard) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() == ast.KindList {
		return nil, parser.NoChildren // a list holds items only: the guard waits inside the item
	}
	depth := 0 // a list and its item are one level
	for n := parent; n != nil && n.Kind() != ast.KindDocument; n = n.Parent() {
		if n.Kind() != ast.KindListItem {
			depth++
		}
	}
	if depth < maxBlockNesting {
		return nil, parser.NoChildren
	}
	if st, _ := pc.Get(stateKey).(*docState); st != nil && st.tooDeep < 0 {
		_, seg := reader.PeekLine()
		st.tooDeep = seg.Start
	}
	// The page fails: skip the rest of the body, which would take each
	// open block's time line by line.
	for line, _ := reader.PeekLine(); line != nil; line, _ = reader.PeekLine() {
		reader.AdvanceLine()
	}
	return ast.NewCodeBlock(), parser.NoChildren
}

// Continue implements parser.BlockParser; Open left no line to continue
// with.
func (depthGuard) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

// Close implements parser.BlockParser.
func (depthGuard) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

// CanInterruptParagraph implements parser.BlockParser: a list item may
// interrupt a paragraph, so the guard must be tried there too.
func (depthGuard) CanInterruptParagraph() bool { return true }

// CanAcceptIndentedLine implements parser.BlockParser: an indented line
// opens no container.
func (depthGuard) CanAcceptIndentedLine() bool { return false }
