package site

import (
	"html/template"
	"time"
)

// Kind says what a page is.
type Kind string

// The kinds of page in a site.
const (
	KindHome    Kind = "home"    // the home page, "/"
	KindSection Kind = "section" // a folder's list page, from its _index.md or made up
	KindPage    Kind = "page"    // a regular Markdown page
	KindTags    Kind = "tags"    // the list of all tags, "/tags/"
	KindTag     Kind = "tag"     // the pages of one tag, "/tags/TAG/"
	KindSpecial Kind = "special" // a page the theme makes on its own: 404, feedback, print views
)

// Page is one page of the site: a Markdown file, or a page the build makes
// (home, section lists, tag pages). Templates read its exported fields.
//
// Pages link to each other (Parent, Pages, Sections, Prev, Next). A field
// that links to a page must be remapped by remap, or a rebuild that copies
// the site leaves the copy linked to the pages of the last build.
type Page struct {
	Kind Kind
	// File is the source file relative to the site folder, such as
	// "content/notices/water.md"; empty for made-up pages.
	File string
	// Section is the top-level section ("notices"), or "" for the home page
	// and pages at the top of content/.
	Section string
	// Dir is the page's folder below content/ ("handbook/safety"); for a
	// section page, the section's own folder.
	Dir string
	// Slug is the last element of the URL.
	Slug string
	// URL is the site-relative URL, always ending in "/" for pages ("/notices/water/").
	URL string
	// Permalink is the absolute URL (baseURL + URL).
	Permalink string
	// RelPermalink is the URL as links in the output write it: URL below
	// the base URL's path ("/cuihu/notices/water/" for a site published
	// under /cuihu/; the same as URL for a site at the root of its host).
	RelPermalink string

	Title   string
	Summary string
	// OwnSummary reports that Summary was written in the front matter;
	// otherwise it is the first words of Text.
	OwnSummary  bool
	Date        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Draft       bool
	Tags        []Tag
	Weight      int
	Aliases     []string
	Params      map[string]any

	// Notice, Event, Newsletter and Fee hold the section keys of pages in
	// those sections; nil elsewhere.
	Notice     *Notice
	Event      *Event
	Newsletter *Newsletter
	Fee        *Fee
	// Survey holds the questions of a page in surveys/; nil elsewhere.
	Survey *Survey

	// Content is the rendered body.
	Content template.HTML
	// Text is the body as plain text, for search, summaries and the API.
	Text string
	// TOC is the table of contents: the page's headings of level 2 to 4.
	TOC []Heading

	// Parent is the section page a page belongs to; nil for the home page.
	Parent *Page
	// Pages are a section's regular pages, and Sections its child sections,
	// both in the section's order. Empty for regular pages.
	Pages    []*Page
	Sections []*Page
	// Prev and Next are the neighbours in reading order, where a section has
	// one (handbook chapters, newsletter issues).
	Prev, Next *Page

	body     []byte // Markdown source of the body
	bodyLine int    // line number of the body's first line in File
	ids      map[string]bool
	links    []link
	cardSum  [32]byte // the sum of the fields loadPage set (see siteSig)
	hasCard  bool
}

// Tag is a tag of a page, with the URL of its tag page (a site path:
// links write {{relURL .URL}}).
type Tag struct {
	Name string
	URL  string
}

// Heading is an entry of a table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// pageCopies maps each page of a site to its copy in a copy of the site.
type pageCopies map[*Page]*Page

// list returns the copies of ps, or nil for a nil list. A nil page maps to nil.
func (c pageCopies) list(ps []*Page) []*Page {
	if ps == nil {
		return nil
	}
	out := make([]*Page, len(ps))
	for i, p := range ps {
		out[i] = c[p]
	}
	return out
}

// remap points every link of p to another page at that page's copy.
// TestRemapLeavesNoOldPage fails when a field that links to a page is
// missing here.
func (p *Page) remap(c pageCopies) {
	p.Parent, p.Prev, p.Next = c[p.Parent], c[p.Prev], c[p.Next]
	p.Pages, p.Sections = c.list(p.Pages), c.list(p.Sections)
}

// IsPage reports whether p is a regular page from a Markdown file.
func (p *Page) IsPage() bool { return p.Kind == KindPage }

// IsSection reports whether p lists other pages.
func (p *Page) IsSection() bool { return p.Kind == KindSection || p.Kind == KindHome }

// Ancestors returns the section pages above p, outermost (home) first, for breadcrumbs.
func (p *Page) Ancestors() []*Page {
	var out []*Page
	for q := p.Parent; q != nil; q = q.Parent {
		out = append([]*Page{q}, out...)
	}
	return out
}

// Notice holds the keys of a page in notices/.
type Notice struct {
	Urgency string // "info", "important" or "urgent"
	Expires time.Time
	Pinned  bool
	// Expired reports whether Expires has passed at build time.
	Expired bool
}

// Active reports whether the notice has not expired at build time.
func (n *Notice) Active() bool { return !n.Expired }

// Event holds the keys of a page in events/.
type Event struct {
	Start     time.Time
	End       time.Time
	Location  string
	Organizer string
	// Upcoming reports whether the event has not ended at build time.
	Upcoming bool
}

// Newsletter holds the keys of a page in newsletters/.
type Newsletter struct {
	Issue int
}

// Fee holds a fee and maintenance-fund disclosure of a page in fees/.
type Fee struct {
	Period       string
	Currency     string
	Income       []FeeItem
	Expense      []FeeItem
	TotalIncome  Amount
	TotalExpense Amount
	Fund         Fund
}

// FeeItem is one line of income or expense.
type FeeItem struct {
	Item   string `toml:"item" yaml:"item"`
	Amount Amount `toml:"amount" yaml:"amount"`
}

// Fund is the maintenance fund's balance at the start and end of the period.
type Fund struct {
	Opening Amount `toml:"opening" yaml:"opening"`
	Closing Amount `toml:"closing" yaml:"closing"`
}
