package site

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Front matter is checked against these limits before it is decoded. Both
// decoders take time and memory that grow faster than their input: with
// the square of the nesting depth (20,000 nested TOML tables or YAML lists
// take minutes and gigabytes), and, for YAML, with every alias expanded
// into a copy. Real front matter is a few kilobytes and nests three or four
// levels; BenchmarkFrontMatterLimits parses front matter at these limits.
const (
	// maxFrontMatterBytes bounds the front matter of one file. At this size
	// the slowest legal front matter takes about a tenth of a second.
	maxFrontMatterBytes = 64 << 10
	// maxNesting bounds how deep front matter nests: tables (or mappings)
	// and arrays (or lists) inside one another, the page itself not
	// counted.
	maxNesting = 16
	// maxKeyErrors is how many unknown keys one file reports, each found
	// by reading the whole front matter.
	maxKeyErrors = 10
)

// frontMatterTooLarge is the error for front matter over the limit.
func frontMatterTooLarge(n int) *Error {
	return newError("", 1, 1, msgFrontMatterTooLarge, (n+1023)>>10, maxFrontMatterBytes>>10)
}

func tooDeep(line, col int) *Error {
	return newError("", line, col, msgTooDeep, maxNesting)
}

// checkTOMLNesting reports, at its line (counted within src), the first
// place where the TOML text src nests deeper than maxNesting. It counts
// what makes a table or an array: the parts of a table header, the parts
// of a dotted key, and brackets and braces in values. It reads strings and
// comments as the decoder does, so a bracket in a string does not count,
// in one pass, before the decoder has a chance to go deep.
func checkTOMLNesting(src string) *Error {
	line := 1
	var added []int // per open bracket or brace: the depth it adds, with the dotted keys inside it
	var kinds []byte
	table := 0    // depth of the current table header
	depth := 0    // table, plus open brackets and the dotted keys inside them
	inKey := true // dots separate the parts of a key
	lineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '\n':
			line++
			lineStart = true
			if len(kinds) == 0 {
				depth, inKey = table, true
			}
			continue
		case ' ', '\t', '\r':
			continue
		}
		atStart := lineStart
		lineStart = false
		switch c {
		case '#':
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j - 1
			} else {
				i = len(src)
			}
		case '"', '\'':
			n, lines := tomlStringLen(src[i:])
			i += n - 1
			line += lines
		case '[':
			if atStart && len(kinds) == 0 {
				n, parts := tomlHeader(src[i:])
				i += n - 1
				table, depth, inKey = parts, parts, false
				break
			}
			kinds, added = append(kinds, '['), append(added, 1)
			depth++
			inKey = false
		case '{':
			kinds, added = append(kinds, '{'), append(added, 1)
			depth++
			inKey = true
		case ']', '}':
			if n := len(kinds); n > 0 {
				depth -= added[n-1]
				kinds, added = kinds[:n-1], added[:n-1]
			}
			inKey = false
		case ',':
			if n := len(kinds); n > 0 && kinds[n-1] == '{' {
				// The next key of an inline table: the dots of the last
				// one no longer count.
				depth -= added[n-1] - 1
				added[n-1] = 1
				inKey = true
			}
		case '=':
			inKey = false
		case '.':
			if inKey {
				depth++
				if n := len(added); n > 0 {
					added[n-1]++
				}
			}
		}
		if depth > maxNesting {
			return tooDeep(line, 0)
		}
	}
	return nil
}

// tomlHeader reads the table header at the start of s ("[a.b]" or
// "[[a.b]]") and returns its length up to the closing bracket and how deep
// it nests: one per part, and one more for an array of tables.
func tomlHeader(s string) (n, depth int) {
	i := 1
	depth = 1
	if strings.HasPrefix(s, "[[") {
		i, depth = 2, 2
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case '\n':
			return i, depth // not closed: the decoder reports it
		case '"', '\'':
			m, _ := tomlStringLen(s[i:])
			i += m - 1
		case '.':
			depth++
		case ']':
			if strings.HasPrefix(s[i:], "]]") {
				return i + 2, depth
			}
			return i + 1, depth
		}
	}
	return len(s), depth
}

// tomlStringLen returns the length of the TOML string that starts s (basic
// or literal, on one line or several) and the line breaks in it. A string
// that is not closed runs to the end of its line (or of s, for a
// multi-line one): the decoder reports it.
func tomlStringLen(s string) (n, lines int) {
	q := s[0]
	if len(s) >= 3 && s[1] == q && s[2] == q {
		for i := 3; i < len(s); i++ {
			switch {
			case s[i] == '\n':
				lines++
			case s[i] == '\\' && q == '"':
				if i+1 < len(s) && s[i+1] == '\n' {
					lines++
				}
				i++
			case s[i] == q && strings.HasPrefix(s[i:], string([]byte{q, q, q})):
				// Up to two more quotes belong to the string: """a"""" is a".
				end := i + 3
				for k := 0; k < 2 && end < len(s) && s[end] == q; k++ {
					end++
				}
				return end, lines
			}
		}
		return len(s), lines
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\n':
			return i, 0
		case '\\':
			if q == '"' {
				i++
			}
		case q:
			return i + 1, 0
		}
	}
	return len(s), 0
}

// parseYAMLLimited parses YAML front matter, refusing what could make it
// expensive: an alias (every alias is decoded as a copy of its anchor's
// value, so nine levels of ten aliases each make a billion values of 400
// bytes of text), and nesting deeper than maxNesting. Lines are counted
// within src. The tokens are checked before they are parsed, since the
// parser's work grows with the square of the depth: flow collections
// ([[[…) and compact lists (- - - …) are counted there; nesting by
// indentation cannot go deep enough within maxFrontMatterBytes to be
// expensive, and is counted on the parsed document.
func parseYAMLLimited(src []byte) (*ast.File, *Error) {
	tokens := lexer.Tokenize(string(src))
	flow, line, onLine := 0, 0, 0
	for i, tk := range tokens {
		pos := tk.Position
		switch tk.Type {
		case token.AliasType:
			name := ""
			if i+1 < len(tokens) {
				name = tokens[i+1].Value
			}
			return nil, newError("", pos.Line, pos.Column, msgYAMLAlias, name)
		case token.SequenceStartType, token.MappingStartType:
			flow++
			if flow > maxNesting {
				return nil, tooDeep(pos.Line, pos.Column)
			}
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		case token.SequenceEntryType, token.MappingKeyType:
			if pos.Line != line {
				line, onLine = pos.Line, 0
			}
			onLine++
			if onLine > maxNesting {
				return nil, tooDeep(pos.Line, pos.Column)
			}
		}
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, yamlError(err, string(src), 0)
	}
	for _, doc := range file.Docs {
		if e := yamlDepth(doc.Body, 0); e != nil {
			return nil, e
		}
	}
	return file, nil
}

// yamlDepth reports the first node of n nested deeper than maxNesting;
// depth is the number of mappings and sequences around n, the page's own
// mapping not counted.
func yamlDepth(n ast.Node, depth int) *Error {
	if n == nil {
		return nil
	}
	var kids []ast.Node
	switch n := n.(type) {
	case *ast.MappingNode:
		depth++
		for _, v := range n.Values {
			kids = append(kids, v.Value)
		}
	case *ast.MappingValueNode:
		depth++
		kids = append(kids, n.Value)
	case *ast.SequenceNode:
		depth++
		kids = n.Values
	case *ast.TagNode:
		kids = append(kids, n.Value)
	case *ast.AnchorNode:
		kids = append(kids, n.Value)
	}
	if depth > maxNesting+1 {
		tk := n.GetToken()
		return tooDeep(tk.Position.Line, tk.Position.Column)
	}
	for _, k := range kids {
		if e := yamlDepth(k, depth); e != nil {
			return e
		}
	}
	return nil
}

// yamlTopKeys returns the keys of the top-level mapping of a parsed YAML
// document.
func yamlTopKeys(file *ast.File) []string {
	if len(file.Docs) == 0 {
		return nil
	}
	var keys []string
	switch body := file.Docs[0].Body.(type) {
	case *ast.MappingNode:
		for _, v := range body.Values {
			keys = append(keys, v.Key.GetToken().Value)
		}
	case *ast.MappingValueNode:
		keys = append(keys, body.Key.GetToken().Value)
	}
	return keys
}
