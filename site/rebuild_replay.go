package site

import (
	"errors"
	"io/fs"
	"maps"
	"strings"
	"time"
)

// replay returns the site of a rebuild in which only page bodies changed,
// made from the last build without assembling the site again: every page
// is copied, the copies are linked as the pages they copy were, and the
// pages whose files changed get their new bodies. Copying is linear in the
// pages and sorts nothing, where assembling sorts every section, tag and
// list of the site again (BenchmarkRebuild measures both kinds of edit).
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

	if len(misspeltSections(maps.Keys(b.sources), b.cfg.Sections)) > 0 {
		return nil // a draft in a misspelt folder: assembling reports it
	}
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
		if p.Survey != nil && p.Survey.State != p.Survey.StateAt(now) {
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
	s := &Site{Config: b.cfg, Options: b.opts, Now: now, started: started, base: old.base, tmpl: old.tmpl, md: old.md,
		assets: old.assets, static: old.static, known: old.known,
		byURL: make(map[string]*Page, len(old.byURL)), byFile: make(map[string]*Page, len(old.byFile))}
	s.Pages, s.View = copyGraph(old.Pages, old.View, func(p *Page) *Page {
		q := *p
		if p.File != "" && b.dirty[p.File] {
			// A file read again with the same card: the old page, in its
			// old place, with the new body.
			src := b.sources[p.File]
			q.body, q.bodyLine = src.page.body, src.page.bodyLine
			q.setBody(src.md)
		}
		return &q
	})
	s.View.Now = now
	for _, q := range s.Pages {
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
	return s
}

// copyGraph returns copies of pages, made by copyPage and linked to each
// other as pages are, and a copy of view that lists the copies. No copy
// links to a page of pages, so the site they belong to stays as it was.
func copyGraph(pages []*Page, view *SiteView, copyPage func(*Page) *Page) ([]*Page, *SiteView) {
	copies := make(pageCopies, len(pages))
	for _, p := range pages {
		copies[p] = copyPage(p)
	}
	out := copies.list(pages)
	for _, q := range out {
		q.remap(copies)
	}
	v := *view
	v.remap(copies)
	return out, &v
}

// reread reads the content file or folder at p again, or forgets it when
// it is gone.
func (b *Builder) reread(p string) {
	for k := range b.sources {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(b.sources, k)
			b.dirty[k] = true
		}
	}
	if hiddenPath(p) {
		return
	}
	b.dirty[p] = true
	info, err := fs.Lstat(b.fsys, p)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			b.sources[p] = &source{errs: newError(p, 0, 0, msgCannotRead, unwrapAll(err))}
		}
		return
	}
	if info.IsDir() {
		b.readTree(p)
		return
	}
	if f, ok, rerr := readSource(b.fsys, p, fs.FileInfoToDirEntry(info)); rerr != nil {
		b.sources[p] = &source{errs: rerr}
	} else if ok {
		b.parse(f)
	}
}

// hiddenPath reports whether a path below content/ is in a hidden folder
// or is a hidden or backup file, which builds skip.
func hiddenPath(p string) bool {
	rest, ok := strings.CutPrefix(p, ContentDir+"/")
	if !ok {
		return false
	}
	for _, el := range strings.Split(rest, "/") {
		if strings.HasPrefix(el, ".") || strings.HasSuffix(el, "~") {
			return true
		}
	}
	return false
}

func unwrapAll(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}
