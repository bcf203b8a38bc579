package site

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/feeds"
)

// feedUpdated is the newest date among pages, so that a feed changes only
// when its pages do.
func feedUpdated(pages []*Page) time.Time {
	var t time.Time
	for _, p := range pages {
		if p.Lastmod.After(t) {
			t = p.Lastmod
		}
		if p.Date.After(t) {
			t = p.Date
		}
	}
	return t
}

// feedItem is what a page's entry in a feed is made of.
type feedItem struct {
	title, link, summary, content string
	created, updated              time.Time
}

func (s *Site) itemOf(p *Page, full bool) feedItem {
	it := feedItem{title: p.Title, link: p.Permalink, summary: p.Summary, created: p.Date, updated: p.Lastmod}
	if full {
		it.content = absoluteLinks(string(p.Content), s.hostRoot(), p.Permalink)
	}
	return it
}

// hostRoot is the scheme and host of the base URL ("https://example.org"),
// which the links of the output, written from the host's root, go after.
func (s *Site) hostRoot() string {
	u, err := url.Parse(s.Config.BaseURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// absoluteLinks makes the links of a page's rendered body absolute, for a
// feed: a feed reader resolves a relative link against the feed's own URL
// at best, so a link from the host's root ("/cuihu/notices/water/") gets
// the host in front, and a link to a place in the page ("#fn-1") the
// page's URL. The body is the Markdown renderer's, which writes every
// attribute in double quotes and escapes quotes in text, so that
// ` href="` starts an attribute wherever it appears.
func absoluteLinks(html, host, page string) string {
	if !strings.Contains(html, `="/`) && !strings.Contains(html, `="#`) {
		return html
	}
	var b strings.Builder
	b.Grow(len(html) + 256)
	for {
		i := strings.Index(html, `="`)
		if i < 0 {
			break
		}
		attr := html[:i]
		rest := html[i+2:]
		b.WriteString(html[:i+2])
		html = rest
		if !strings.HasSuffix(attr, " href") && !strings.HasSuffix(attr, " src") {
			continue
		}
		switch {
		case strings.HasPrefix(rest, "/") && !strings.HasPrefix(rest, "//"):
			b.WriteString(host)
		case strings.HasPrefix(rest, "#"):
			b.WriteString(page)
		}
	}
	b.WriteString(html)
	return b.String()
}

// feedEntry is the XML of a page's entry, kept for the next build: a
// notice feed holds the full text of every active notice, and a rebuild
// after an edit encodes again only the entry that changed.
type feedEntry struct {
	item feedItem
	xml  []byte
}

// feedCache holds the entries of the feeds of one build, by page URL.
type feedCache struct{ m sync.Map }

// atom renders an Atom feed of pages into buf, with their full content
// when full, as gorilla/feeds does (WriteAtom): the feed without entries,
// then each entry encoded alone at the depth it has in the feed. Entries
// are taken from prev when their page did not change, and put in next.
func (s *Site) atom(buf *bytes.Buffer, section *Page, pages []*Page, full bool) error {
	f := &feeds.Feed{Title: section.Title + " · " + s.Config.Title, Link: &feeds.Link{Href: section.Permalink},
		Id: section.Permalink, Updated: feedUpdated(pages), Description: section.Summary}
	if s.Config.Office.Name != "" {
		f.Author = &feeds.Author{Name: s.Config.Office.Name, Email: s.Config.Office.Email}
	}
	head, err := xml.MarshalIndent((&feeds.Atom{Feed: f}).AtomFeed(), "", "  ")
	if err != nil {
		return err
	}
	head, err = withSelfLink(head, section.Permalink+"feed.xml")
	if err != nil {
		return err
	}
	end := bytes.LastIndex(head, []byte("\n</feed>"))
	if s.feed == nil {
		// A build made once: the entries go straight into buf, one by
		// one (other jobs keep the cores busy), without a second copy.
		buf.WriteString(xml.Header[:len(xml.Header)-1])
		buf.Write(head[:end])
		for _, p := range pages {
			buf.WriteByte('\n')
			if err := s.encodeEntry(buf, s.itemOf(p, full)); err != nil {
				return err
			}
		}
		buf.Write(head[end:])
		return nil
	}
	entries := make([][]byte, len(pages))
	errs := make([]error, len(pages))
	parallel(len(pages), func(i int) { entries[i], errs[i] = s.atomEntry(pages[i], full) })
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	size := len(xml.Header) + len(head) + len(entries)
	for _, e := range entries {
		size += len(e)
	}
	buf.Grow(size)
	buf.WriteString(xml.Header[:len(xml.Header)-1])
	buf.Write(head[:end])
	for _, e := range entries {
		buf.WriteByte('\n')
		buf.Write(e)
	}
	buf.Write(head[end:])
	return nil
}

// withSelfLink adds to the XML of a feed without entries the link to the
// feed's own URL, which gorilla/feeds has no field for: feed readers
// and validators find the feed's address by it.
func withSelfLink(head []byte, self string) ([]byte, error) {
	link, err := xml.Marshal(feeds.AtomLink{Href: self, Rel: "self", Type: "application/atom+xml"})
	if err != nil {
		return nil, err
	}
	at := bytes.Index(head, []byte("\n  <link "))
	if at < 0 {
		at = bytes.LastIndex(head, []byte("\n</feed>"))
	} else {
		at += bytes.IndexByte(head[at+1:], '\n') + 1
	}
	out := make([]byte, 0, len(head)+len(link)+3)
	out = append(out, head[:at]...)
	out = append(out, "\n  "...)
	out = append(out, link...)
	return append(out, head[at:]...), nil
}

// atomEntry returns the XML of p's entry in a feed, indented for its place,
// from the last build's feeds when p did not change.
func (s *Site) atomEntry(p *Page, full bool) ([]byte, error) {
	it := s.itemOf(p, full)
	key := p.URL
	if full {
		key += "\x00full"
	}
	if s.prevFeed != nil {
		if e, ok := s.prevFeed.m.Load(key); ok && e.(*feedEntry).item == it {
			s.feed.m.Store(key, e)
			return e.(*feedEntry).xml, nil
		}
	}
	var b bytes.Buffer
	if err := s.encodeEntry(&b, it); err != nil {
		return nil, err
	}
	s.feed.m.Store(key, &feedEntry{item: it, xml: b.Bytes()})
	return b.Bytes(), nil
}

// encodeEntry writes the entry of it into b, indented for its place in a
// feed, as gorilla/feeds makes it.
func (s *Site) encodeEntry(b *bytes.Buffer, it feedItem) error {
	f := &feeds.Feed{Items: []*feeds.Item{{Title: it.title, Link: &feeds.Link{Href: it.link}, Id: it.link,
		Created: it.created, Updated: it.updated, Description: it.summary, Content: it.content}}}
	enc := xml.NewEncoder(b)
	enc.Indent("  ", "  ")
	return enc.Encode((&feeds.Atom{Feed: f}).AtomFeed().Entries[0])
}
