package site

import (
	"fmt"
	"html/template"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	goldmarkrenderer "github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/lobby-community/lobby/site/cjkemph"
)

// markdown renders page bodies: GFM, footnotes, CJK line breaks and
// CJK-friendly emphasis, heading IDs that keep Chinese, and links that are
// resolved and recorded for checking.
type markdown struct {
	md   goldmark.Markdown
	base string // the base URL's path, which internal links get in front
}

// newMarkdown returns a renderer for a site published under base (a
// Config.BasePath).
func newMarkdown(unsafe bool, lang, base string) *markdown {
	rendererOpts := []goldmarkrenderer.Option{
		goldmarkrenderer.WithNodeRenderers(util.Prioritized(taskLabels(lang), 100)),
	}
	if unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.CJK, cjkemph.Extension),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 100)),
			parser.WithBlockParsers(util.Prioritized(depthGuard{}, 0)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &markdown{md: md, base: base}
}

// link is an internal link found in a page, to be checked once every page
// is known.
type link struct {
	dest      string // the resolved site path, with any fragment
	line, col int
}

// docState is what the link transformer needs and records for one document.
type docState struct {
	page    *Page
	base    string // the base URL's path
	src     []byte
	files   map[string]string // content file path → URL, for links to .md files
	lookups map[string]string // what it found in files ("" for nothing)
	links   []link
	tooDeep int // offset of the line that nests deeper than maxBlockNesting, or -1
}

var stateKey = parser.NewContextKey()

// rendered is the result of rendering one page body. It depends on the
// body, the page's URL and the URLs its links to content files found.
type rendered struct {
	html    template.HTML
	text    string
	summary string // the start of text, for a page without a summary
	toc     []Heading
	ids     map[string]bool
	links   []link
	url     string
	lookups map[string]string
}

// validFor reports whether r is what rendering p's body with files would
// give; r is from an earlier build of the same source file.
func (r *rendered) validFor(p *Page, files map[string]string) bool {
	if r == nil || r.url != p.URL {
		return false
	}
	for f, u := range r.lookups {
		if files[f] != u {
			return false
		}
	}
	return true
}

// render renders p's body. files maps content files to URLs for .md links.
func (m *markdown) render(p *Page, files map[string]string) (*rendered, error) {
	st := &docState{page: p, base: m.base, src: p.body, files: files, tooDeep: -1}
	ids := newHeadingIDs()
	ctx := parser.NewContext(parser.WithIDs(ids))
	ctx.Set(stateKey, st)
	doc := m.md.Parser().Parse(text.NewReader(p.body), parser.WithContext(ctx))
	if st.tooDeep >= 0 {
		line, _ := lineCol(p.body, st.tooDeep)
		return nil, newError(p.File, p.bodyLine+line-1, 0, msgBlocksTooDeep, maxBlockNesting)
	}
	// The HTML is a little longer than the Markdown: room for it at once,
	// and no copy to make a string of it.
	var buf strings.Builder
	buf.Grow(len(p.body) + len(p.body)/4)
	if err := m.md.Renderer().Render(&buf, p.body, doc); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	r := &rendered{html: template.HTML(buf.String()), links: st.links, ids: ids.used, url: p.URL, lookups: st.lookups}
	r.toc, r.text = outline(doc, p.body)
	r.summary = summarize(r.text, 120)
	return r, nil
}

// linkTransformer rewrites internal links into the URLs a browser follows
// and records each with its position, for checking. A link to a .md file
// becomes its page's URL; a relative link is resolved against the page;
// a link that starts with "/" is a site-root link, as staff write them
// ("/handbook/repairs/"), and gets the base URL's path in front, like
// every other URL of the output. Links to a place in the same page
// ("#water") stay as they are.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*docState)
	if st == nil {
		return
	}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		switch n := n.(type) {
		case *ast.Link:
			dest = &n.Destination
		case *ast.Image:
			dest = &n.Destination
		default:
			return ast.WalkContinue, nil
		}
		resolved, internal := st.resolve(string(*dest))
		if !internal {
			return ast.WalkContinue, nil
		}
		if out := relURL(st.base, resolved); out != string(*dest) && !strings.HasPrefix(string(*dest), "#") {
			*dest = []byte(out)
		}
		line, col := st.position(n)
		st.links = append(st.links, link{dest: resolved, line: line, col: col})
		return ast.WalkContinue, nil
	})
}

// resolve turns a link destination into a site path with its fragment, and
// reports whether it is internal (to be checked).
func (st *docState) resolve(dest string) (string, bool) {
	if dest == "" {
		return "", false
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") {
		return dest, false
	}
	frag := ""
	if u.Fragment != "" {
		frag = "#" + u.Fragment
	}
	if u.Path == "" {
		return st.page.URL + frag, true
	}
	p := u.Path
	if strings.HasSuffix(p, ".md") || strings.Contains(p, ".md#") {
		// A link to a content file, relative to this file's folder or to content/.
		var file string
		if strings.HasPrefix(p, "/") {
			file = path.Join(ContentDir, p)
		} else {
			file = path.Join(path.Dir(st.page.File), p)
		}
		u, ok := st.files[file]
		if st.lookups == nil {
			st.lookups = map[string]string{}
		}
		st.lookups[file] = u
		if ok {
			return u + frag, true
		}
		return file + frag, true // reported as a link to nothing
	}
	if !strings.HasPrefix(p, "/") {
		p = path.Join(st.page.URL, p)
		if strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(p, "/") {
			p += "/"
		}
	}
	return p + frag, true
}

// position returns the file line and column of a link: where its text
// starts, less one for the "[".
func (st *docState) position(n ast.Node) (int, int) {
	off := -1
	for c := n.FirstChild(); c != nil && off < 0; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			off = t.Segment.Start - 1
		}
	}
	if off < 0 {
		for b := n.Parent(); b != nil; b = b.Parent() {
			if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
				off = b.Lines().At(0).Start
				break
			}
		}
	}
	if off < 0 {
		return st.page.bodyLine, 0
	}
	if n.Kind() == ast.KindImage && off > 0 {
		off-- // the "!" of "![…]"
	}
	line, col := lineCol(st.src, max(off, 0))
	return st.page.bodyLine + line - 1, col
}

// outline returns the table of contents (headings of level 2 to 4) and the
// plain text of a document.
func outline(doc ast.Node, src []byte) ([]Heading, string) {
	var toc []Heading
	var b strings.Builder
	b.Grow(len(src)) // the text is shorter than its Markdown
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Heading:
			if entering && n.Level >= 2 && n.Level <= 4 {
				id, _ := n.AttributeString("id")
				idb, _ := id.([]byte)
				toc = append(toc, Heading{Level: n.Level, ID: string(idb), Text: nodeText(n, src)})
			}
		case *ast.Text:
			if entering {
				b.Write(n.Segment.Value(src))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			if entering {
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					b.Write(seg.Value(src))
				}
			}
		}
		if !entering && n.Type() == ast.TypeBlock {
			b.WriteByte('\n')
		}
		return ast.WalkContinue, nil
	})
	return toc, collapseSpace(b.String())
}

// collapseSpace is strings.Join(strings.Fields(s), " ") without a string
// per word: runs of white space become one space, and none is left at
// either end. Words are copied whole.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	word := -1 // start of the word being read
	for i := 0; i < len(s); {
		c, size := s[i], 1
		var isSpace bool
		switch {
		case c < utf8.RuneSelf:
			isSpace = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		case c >= 0xE4 && c != 0xED && c < 0xF0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			// A whole three-byte character at U+4000 or above (most of
			// Chinese): no space there, the last being U+3000.
			size = 3
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		switch {
		case isSpace && word >= 0:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[word:i])
			word = -1
		case !isSpace && word < 0:
			word = i
		}
		i += size
	}
	if word >= 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[word:])
	}
	return b.String()
}

// nodeText is the text of an inline container such as a heading.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tx, ok := t.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// headingIDs makes heading IDs that keep letters and digits of every
// script: "## 物业管理费" gets id="物业管理费", "## Parking 停车" gets
// "parking-停车". Repeated IDs get "-1", "-2".
type headingIDs struct {
	used map[string]bool
}

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

// Generate implements parser.IDs.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range string(value) {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '-' || unicode.IsSpace(r):
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	base := id
	for i := 1; h.used[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	h.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
