package site

import (
	"time"
)

// View is what a template is executed with: the site, the page being
// rendered and, on list pages, the current page of the list.
type View struct {
	Site *SiteView
	Page *Page
	// Paginator is the current page of a list (sections, tags); nil elsewhere.
	Paginator *Paginator
	// Data carries what a page made outside the build needs: search results,
	// a feedback form shown again with its errors, a case's status.
	Data any
}

// SiteView is the site as templates see it. Lists hold only published pages
// and are computed at build time ("now" is Now).
type SiteView struct {
	Title    string
	BaseURL  string // absolute, ending in "/"
	Language string // "zh-CN" or "en"
	Office   Office
	Params   map[string]any
	Now      time.Time

	Home *Page
	// Sections are the top-level sections, in the order notices, events,
	// newsletters, fees, handbook, then the rest by weight and title.
	Sections []*Page
	// Banner holds the active urgent notices, shown at the top of every page.
	Banner []*Page
	// Notices are the active notices, pinned first, then newest first.
	Notices []*Page
	// Important are the active important and urgent notices, for the home page.
	Important []*Page
	// Upcoming are the events that have not ended, soonest first.
	Upcoming []*Page
	// Past are the events that have ended, latest first.
	Past []*Page
	// Newsletters are the newsletters, newest issue first.
	Newsletters []*Page
	// Tags are all tags with their pages, by name.
	Tags []*Page
	// Archive holds the notices that have expired, most recently expired first.
	Archive []*Page
	// Surveys are the surveys open at build time, closing soonest first.
	Surveys []*Page

	// Endpoints are the URLs of the search box, the search API, the
	// feedback form's target and the status page.
	Endpoints Endpoints

	base   string            // the base URL's path, the prefix of output URLs
	assets map[string]string // asset name → fingerprinted site path
}

// remap points every list of s at the copies of its pages. A field that
// holds pages must be remapped here, or a rebuild that copies the site
// shows the pages of the last build (TestRemapLeavesNoOldPage).
func (s *SiteView) remap(c pageCopies) {
	s.Home = c[s.Home]
	s.Sections, s.Banner, s.Notices, s.Important = c.list(s.Sections), c.list(s.Banner), c.list(s.Notices), c.list(s.Important)
	s.Upcoming, s.Past, s.Newsletters = c.list(s.Upcoming), c.list(s.Past), c.list(s.Newsletters)
	s.Tags, s.Archive, s.Surveys = c.list(s.Tags), c.list(s.Archive), c.list(s.Surveys)
}

// Asset returns the URL of a theme asset such as "lobby.css": its
// fingerprinted name, below the base URL's path.
func (s *SiteView) Asset(name string) string {
	u, ok := s.assets[name]
	if !ok {
		u = "/assets/" + name
	}
	return relURL(s.base, u)
}

// AbsURL returns the absolute form of a site-relative URL.
func (s *SiteView) AbsURL(u string) string {
	if len(u) > 0 && u[0] == '/' {
		u = u[1:]
	}
	return s.BaseURL + u
}

// Paginator is one page of a paginated list. Its URLs are in the output
// form (below the base URL's path), for links.
type Paginator struct {
	Pages      []*Page
	Number     int // 1-based
	TotalPages int
	TotalItems int
	First      string
	Prev, Next string // URLs, empty at the ends
	URLs       []string

	path string // the site path of this page of the list
}

// PageLink is one entry of a pagination bar: a numbered link, or a gap
// (Number 0) standing for the pages left out between two links.
type PageLink struct {
	Number  int
	URL     string
	Current bool
}

// linkWindow is how many numbered links a pagination bar shows on each side
// of the current page, besides the first and the last.
const linkWindow = 2

// Links returns the pagination bar: the first and last pages, the pages
// within linkWindow of the current one, and a gap wherever pages are left
// out, so a list of hundreds of pages still fits on a phone's screen.
func (p *Paginator) Links() []PageLink {
	var links []PageLink
	for i := 1; i <= p.TotalPages; i++ {
		if i != 1 && i != p.TotalPages && (i < p.Number-linkWindow || i > p.Number+linkWindow) {
			if links[len(links)-1].Number != 0 {
				links = append(links, PageLink{})
			}
			continue
		}
		links = append(links, PageLink{Number: i, URL: p.URLs[i-1], Current: i == p.Number})
	}
	return links
}
