package site

import (
	"maps"
	"time"
)

// replay returns the site of a rebuild in which only page bodies changed,
// made from the last build without assembling the site again: every page
// is copied, the copies are linked as the pages they copy were, and the
// pages whose files changed get their new bodies. Assembling 10,000 pages
// (sorting sections, tags and lists) costs a hundred times more.
//
// It returns nil when the rebuild may have changed more than bodies: a file
// added, removed or unreadable, a page's fields (its front matter or the
// summary taken from its text), or which pages are published, expired or
// upcoming at the new time. The caller then assembles the site.
func (b *Builder) replay(started time.Time) *Site {
	last := b.last
	if last == nil || last.site.Config != b.cfg || last.layout != b.layout {
		return nil
	}
	old := last.site
	now := b.opts.Now
	if now.IsZero() {
		now = started
	}
	now = now.In(b.cfg.Location)

	// Every file still gives the page it gave, published as it was.
	pages := 0
	for name, src := range b.sources {
		if src.errs != nil {
			return nil
		}
		p := old.byFile[name]
		if pub := src.page != nil && published(src.page, b.opts, now); pub != (p != nil) {
			return nil
		}
		if p != nil {
			if p.cardSum != src.page.cardSum || !p.hasCard {
				return nil
			}
			pages++
		}
	}
	if pages != len(old.byFile) {
		return nil // a file is gone
	}
	for _, p := range old.Pages {
		if p.Notice != nil && p.Notice.Expired != (!p.Notice.Expires.IsZero() && !p.Notice.Expires.After(now)) {
			return nil
		}
		if p.Event != nil && p.Event.Upcoming != upcoming(p.Event, now) {
			return nil
		}
	}
	// The files read again since then, rendered; a summary taken from the
	// text must not have changed.
	files := make(map[string]string, len(old.byFile))
	for f, p := range old.byFile {
		files[f] = p.URL
	}
	var todo []string
	for name := range b.dirty {
		if _, ok := old.byFile[name]; ok && !b.sources[name].md.validFor(old.byFile[name], files) {
			todo = append(todo, name)
		}
	}
	results := make([]*rendered, len(todo))
	errs := make([]error, len(todo))
	parallel(len(todo), func(i int) {
		p := b.sources[todo[i]].page
		results[i], errs[i] = b.md.render(p, files)
	})
	for i, name := range todo {
		if errs[i] != nil {
			return nil // the full path reports it
		}
		b.sources[name].md = results[i]
	}
	for name := range b.dirty {
		src, p := b.sources[name], old.byFile[name]
		if p != nil && src.page.Summary == "" && src.md.summary != p.Summary {
			return nil
		}
	}

	// Copy and link.
	s := &Site{Config: b.cfg, Options: b.opts, Now: now, started: started, tmpl: old.tmpl, md: old.md,
		assets: old.assets, static: old.static, known: old.known,
		byURL: make(map[string]*Page, len(old.byURL)), byFile: make(map[string]*Page, len(old.byFile))}
	copies := make(map[*Page]*Page, len(old.Pages))
	for _, p := range old.Pages {
		q := *p
		if src := b.sources[p.File]; p.File != "" && b.dirty[p.File] {
			// The page of a file read again: its new fields (the same
			// card, a new body) with the old page's place in the site.
			q = *src.page
			q.Permalink, q.Summary, q.Notice, q.Event = p.Permalink, p.Summary, p.Notice, p.Event
			q.Parent, q.Pages, q.Sections, q.Prev, q.Next = p.Parent, p.Pages, p.Sections, p.Prev, p.Next
			r := src.md
			q.Content, q.Text, q.TOC, q.ids, q.links = r.html, r.text, r.toc, r.ids, r.links
		}
		copies[p] = &q
	}
	to := func(p *Page) *Page {
		if p == nil {
			return nil
		}
		return copies[p]
	}
	list := func(ps []*Page) []*Page {
		if ps == nil {
			return nil
		}
		out := make([]*Page, len(ps))
		for i, p := range ps {
			out[i] = copies[p]
		}
		return out
	}
	s.Pages = list(old.Pages)
	for _, q := range s.Pages {
		q.Parent, q.Prev, q.Next = to(q.Parent), to(q.Prev), to(q.Next)
		q.Pages, q.Sections = list(q.Pages), list(q.Sections)
		s.byURL[q.URL] = q
		if q.File != "" {
			s.byFile[q.File] = q
		}
	}
	// Links from the pages read again; and links to them, when their
	// headings changed.
	var errList ErrorList
	idsChanged := false
	for name := range b.dirty {
		if q := s.byFile[name]; q != nil {
			s.checkPageLinks(q, &errList)
			idsChanged = idsChanged || !maps.Equal(q.ids, old.byFile[name].ids)
		}
	}
	if idsChanged {
		s.checkLinks(&errList)
	}
	if len(errList) > 0 {
		return nil // the full path reports them
	}
	v := *old.View
	v.Now, v.Home = now, to(v.Home)
	v.Sections, v.Banner, v.Notices, v.Important = list(v.Sections), list(v.Banner), list(v.Notices), list(v.Important)
	v.Upcoming, v.Past, v.Newsletters, v.Tags, v.Archive = list(v.Upcoming), list(v.Past), list(v.Newsletters), list(v.Tags), list(v.Archive)
	s.View = &v
	return s
}
