package site

import (
	"bytes"
	"encoding/xml"
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

func itemOf(p *Page, full bool) feedItem {
	it := feedItem{title: p.Title, link: p.Permalink, summary: p.Summary, created: p.Date, updated: p.Lastmod}
	if full {
		it.content = string(p.Content)
	}
	return it
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
	end := bytes.LastIndex(head, []byte("\n</feed>"))
	if s.feed == nil {
		// A build made once: the entries go straight into buf, one by
		// one (other jobs keep the cores busy), without a second copy.
		buf.WriteString(xml.Header[:len(xml.Header)-1])
		buf.Write(head[:end])
		for _, p := range pages {
			buf.WriteByte('\n')
			if err := s.encodeEntry(buf, itemOf(p, full)); err != nil {
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

// atomEntry returns the XML of p's entry in a feed, indented for its place,
// from the last build's feeds when p did not change.
func (s *Site) atomEntry(p *Page, full bool) ([]byte, error) {
	it := itemOf(p, full)
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
