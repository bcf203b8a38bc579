package site

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
)

// Site is a built site: its pages and the files of its output.
type Site struct {
	Config  *Config
	Options Options
	Now     time.Time
	// Pages are every page of the site, by URL.
	Pages []*Page
	// Files is the output of Build: slash-separated paths below the output
	// folder ("notices/water/index.html") and their contents. BuildDir
	// writes the output instead and leaves Files nil.
	Files map[string][]byte
	// View is the site as its templates see it.
	View *SiteView

	tmpl    *templates
	base    string // Config.BasePath(), the prefix of URLs in the output
	byURL   map[string]*Page
	byFile  map[string]*Page
	known   map[string]bool // every path a link may point at
	md      *markdown
	started time.Time
	assets  map[string]string // asset name → fingerprinted URL
	static  map[string][]byte // assets and static files: output path → contents
	nfiles  int               // files in the output
	written int               // files written to the output folder
	ran     int               // jobs run: files made, not kept from the last build
	// replayed: the site is a copy of the last build with new bodies.
	replayed bool
	// feed holds the feed entries this build made, for the next one;
	// prevFeed those of the last build (both nil for a build made once).
	feed, prevFeed *feedCache
}

// Build loads and renders the site in fsys (the site's folder: config.toml,
// content/, layouts/, static/) with the given theme, keeping the output in
// Files. Content errors are returned together as an ErrorList, sorted by
// file and line.
func Build(fsys, theme fs.FS, opts Options) (*Site, error) {
	return BuildContext(context.Background(), fsys, theme, opts)
}

// BuildContext is Build that stops, returning ctx's error, when ctx is
// done (see Builder.RebuildContext).
func BuildContext(ctx context.Context, fsys, theme fs.FS, opts Options) (*Site, error) {
	b := NewBuilder(fsys, theme, opts, "")
	b.once = true
	return b.BuildContext(ctx)
}

// BuildDir builds the site like Build, but writes the output into the
// folder dest as it is made instead of keeping it in memory. A folder that
// an earlier build wrote keeps the files whose bytes are the same (their
// modification times too): only new and changed files are written, each
// beside its place and renamed over it, and the files the build no longer
// makes are removed. Any other folder is replaced as a whole: the files
// are written into a new folder beside dest, which is swapped in for it at
// the end. A failed build leaves dest as it was.
func BuildDir(fsys, theme fs.FS, opts Options, dest string) (*Site, error) {
	return BuildDirContext(context.Background(), fsys, theme, opts, dest)
}

// BuildDirContext is BuildDir that stops when ctx is done, leaving dest as
// it was (see Builder.RebuildContext).
func BuildDirContext(ctx context.Context, fsys, theme fs.FS, opts Options, dest string) (*Site, error) {
	b := NewBuilder(fsys, theme, opts, dest)
	b.once = true
	return b.BuildContext(ctx)
}

// Load reads, checks and renders the Markdown of the site in fsys, without
// executing its templates into output files. It is what lobby check does.
func Load(fsys, theme fs.FS, opts Options) (*Site, error) {
	return LoadContext(context.Background(), fsys, theme, opts)
}

// LoadContext is Load that stops, returning ctx's error, when ctx is done.
func LoadContext(ctx context.Context, fsys, theme fs.FS, opts Options) (*Site, error) {
	b := NewBuilder(fsys, theme, opts, "")
	b.ctx = ctx
	err := b.reload(nil)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return b.load(time.Now())
}

// generatedPaths are paths the build or the server makes that pages may
// link to.
var generatedPaths = []string{"/feedback/", "/feedback/thanks/", "/feedback/status", "/search", "/search/",
	"/sitemap.xml", "/404.html"}

// sortStable sorts s by less, keeping equal elements in order. It makes
// the same comparisons and moves as sort.SliceStable, without reflection.
func sortStable[T any](s []T, less func(a, b T) bool) {
	slices.SortStableFunc(s, func(a, b T) int {
		if less(a, b) {
			return -1
		}
		return 0
	})
}

// parallelCtx calls f(0) … f(n-1) on all cores, calling none once ctx is
// done: the calls already begun run to their end.
func parallelCtx(ctx context.Context, n int, f func(i int)) {
	parallel(n, func(i int) {
		if ctx.Err() == nil {
			f(i)
		}
	})
}

// parallel calls f(0) … f(n-1) on all cores.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	var next atomic.Int64
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}

// assemble adds pages to the site: it reports pages that share a URL, makes
// the home page and a section page for every folder that lacks one, links
// pages to their sections, and builds tag pages.
func (s *Site) assemble(pages []*Page, errs *ErrorList) {
	sort.Slice(pages, func(i, j int) bool { return pages[i].File < pages[j].File })
	for _, p := range pages {
		s.add(p, errs)
	}
	if s.byURL["/"] == nil {
		s.add(&Page{Kind: KindHome, URL: "/", Title: s.Config.Title}, errs)
	}
	home := s.byURL["/"]
	// Every folder with pages gets a section page, and every section page a
	// parent.
	for _, p := range pages {
		if p.Kind == KindHome {
			continue
		}
		s.ensureSection(p.Dir)
	}
	for _, p := range s.Pages {
		if p.Kind == KindHome || p.Kind == KindTags || p.Kind == KindTag {
			continue
		}
		parentDir := p.Dir
		if p.Kind == KindSection {
			parentDir = path.Dir(p.Dir)
			if parentDir == "." {
				parentDir = ""
			}
		}
		parent := home
		if parentDir != "" {
			parent = s.byURL["/"+parentDir+"/"]
		}
		p.Parent = parent
		if p.Kind == KindSection {
			parent.Sections = append(parent.Sections, p)
		} else {
			parent.Pages = append(parent.Pages, p)
		}
	}
	for _, p := range s.Pages {
		if p.Notice != nil {
			p.Notice.Expired = !p.Notice.Expires.IsZero() && !p.Notice.Expires.After(s.Now)
		}
		if p.Event != nil {
			p.Event.Upcoming = upcoming(p.Event, s.Now)
		}
		if p.Survey != nil {
			p.Survey.State = p.Survey.StateAt(s.Now)
		}
	}
	for _, p := range s.Pages {
		if p.IsSection() {
			sortPages(p.Section, p.Pages)
			sortStable(p.Sections, func(a, b *Page) bool {
				oa, ob := sectionOrder[a.Section], sectionOrder[b.Section]
				if p.Kind == KindHome && oa != ob {
					return oa != 0 && (ob == 0 || oa < ob)
				}
				return byWeight(a, b)
			})
		}
	}
	s.assembleTags(errs)
	s.linkNeighbours()
}

// upcoming reports whether e has not ended at now.
func upcoming(e *Event, now time.Time) bool {
	end := e.End
	if end.IsZero() {
		end = e.Start
	}
	return !end.Before(now)
}

// add registers p under its URL, reporting a page that has it already.
func (s *Site) add(p *Page, errs *ErrorList) {
	s.setURLs(p)
	if q, ok := s.byURL[p.URL]; ok {
		errs.msgf(p.File, 0, 0, msgSameURL, p.URL, describe(q))
		return
	}
	s.byURL[p.URL] = p
	if p.File != "" {
		s.byFile[p.File] = p
	}
	s.Pages = append(s.Pages, p)
	s.known[p.URL] = true
}

// strings returns the UI strings of the site's language, or none when the
// templates could not be read (the build fails then all the same).
func (s *Site) strings() map[string]string {
	if s.tmpl == nil {
		return nil
	}
	return s.tmpl.strings
}

// setURLs sets the output forms of p's URL: Permalink and RelPermalink.
func (s *Site) setURLs(p *Page) {
	p.Permalink = s.Config.BaseURL + strings.TrimPrefix(p.URL, "/")
	p.RelPermalink = relURL(s.base, p.URL)
}

// ensureSection returns the section page of dir, making one up (and its
// parents) when the folder has no _index.md.
func (s *Site) ensureSection(dir string) *Page {
	if dir == "" {
		return s.byURL["/"]
	}
	u := "/" + dir + "/"
	if p := s.byURL[u]; p != nil {
		return p
	}
	s.ensureSection(strings.TrimSuffix(path.Dir(dir), "."))
	p := &Page{Kind: KindSection, Section: strings.SplitN(dir, "/", 2)[0], Dir: dir, Slug: path.Base(dir),
		URL: u, Title: sectionTitle(dir, s.strings())}
	var none ErrorList
	s.add(p, &none)
	return p
}

// assembleTags makes /tags/ and a page per tag, and reports two tags whose
// names differ but whose URLs are the same.
func (s *Site) assembleTags(errs *ErrorList) {
	byURL := map[string]*Page{}
	firstFile := map[string]string{}
	var tagPages []*Page
	for _, p := range s.Pages {
		for _, t := range p.Tags {
			tp := byURL[t.URL]
			if tp == nil {
				tp = &Page{Kind: KindTag, URL: t.URL, Title: t.Name, Slug: path.Base(t.URL), Dir: "tags"}
				byURL[t.URL] = tp
				firstFile[t.URL] = p.File
				tagPages = append(tagPages, tp)
			} else if tp.Title != t.Name {
				errs.msgf(p.File, 0, 0, msgSameTagURL, t.Name, t.URL, tp.Title, firstFile[t.URL])
			}
			tp.Pages = append(tp.Pages, p)
		}
	}
	if len(tagPages) == 0 {
		return
	}
	sort.Slice(tagPages, func(i, j int) bool { return tagPages[i].Title < tagPages[j].Title })
	title := s.strings()["all_tags"]
	if title == "" {
		title = "Tags"
	}
	tags := &Page{Kind: KindTags, URL: "/tags/", Title: title, Dir: "tags", Slug: "tags", Sections: tagPages}
	s.add(tags, errs)
	for _, tp := range tagPages {
		tp.Parent = tags
		sortStable(tp.Pages, func(a, b *Page) bool {
			if !a.Date.Equal(b.Date) {
				return a.Date.After(b.Date)
			}
			return a.URL < b.URL
		})
		s.add(tp, errs)
	}
}

// linkNeighbours sets Prev and Next: handbook pages in reading order across
// chapters, newsletters by issue.
func (s *Site) linkNeighbours() {
	var order []*Page
	var walk func(p *Page)
	walk = func(p *Page) {
		// A chapter's own page, then its pages, then its sub-chapters, all by weight.
		kids := append(append([]*Page{}, p.Pages...), p.Sections...)
		sortStable(kids, byWeight)
		for _, k := range kids {
			order = append(order, k)
			if k.Kind == KindSection {
				walk(k)
			}
		}
	}
	if hb := s.byURL["/handbook/"]; hb != nil {
		walk(hb)
		chain(order)
	}
	if nl := s.byURL["/newsletters/"]; nl != nil {
		// Newsletters list newest first; reading order is oldest first.
		var issues []*Page
		for i := len(nl.Pages) - 1; i >= 0; i-- {
			issues = append(issues, nl.Pages[i])
		}
		chain(issues)
	}
}

func chain(pages []*Page) {
	for i, p := range pages {
		if i > 0 {
			p.Prev = pages[i-1]
		}
		if i < len(pages)-1 {
			p.Next = pages[i+1]
		}
	}
}

// renderMarkdown renders every page body on all cores. A body that srcs
// holds rendered for the page's URL, with the same targets for its links
// to content files, is not rendered again.
func (s *Site) renderMarkdown(ctx context.Context, errs *ErrorList, srcs map[*Page]*source) {
	files := make(map[string]string, len(s.byFile))
	for f, p := range s.byFile {
		files[f] = p.URL
	}
	var todo []*Page
	for _, p := range s.Pages {
		if p.File == "" {
			continue
		}
		if src := srcs[p]; src == nil || !src.md.validFor(p, files) {
			todo = append(todo, p)
		}
	}
	results := make([]*rendered, len(todo))
	rerrs := make([]error, len(todo))
	parallelCtx(ctx, len(todo), func(i int) {
		results[i], rerrs[i] = s.md.render(todo[i], files)
	})
	for i, p := range todo {
		if results[i] == nil && rerrs[i] == nil {
			continue // stopped: the caller returns ctx's error
		}
		if rerrs[i] != nil {
			errs.add(p.File, rerrs[i])
			continue
		}
		if src := srcs[p]; src != nil {
			src.md = results[i]
		}
	}
	for _, p := range s.Pages {
		if p.File == "" {
			continue
		}
		src := srcs[p]
		if src == nil || src.md == nil || src.md.url != p.URL {
			continue // failed: reported above
		}
		p.setBody(src.md)
	}
}

// setBody sets the fields of p that its rendered body makes.
func (p *Page) setBody(r *rendered) {
	p.Content, p.Text, p.TOC, p.ids, p.links = r.html, r.text, r.toc, r.ids, r.links
	if p.Summary == "" {
		p.Summary = r.summary
	}
}

// summarize cuts text to at most n characters at a sentence or word end.
func summarize(text string, n int) string {
	end, count := len(text), 0
	for i := range text {
		if count == n {
			end = i
			break
		}
		count++
	}
	if end == len(text) {
		return text
	}
	cut := []rune(text[:end])
	for i := len(cut) - 1; i > n/2; i-- {
		switch cut[i] {
		case '。', '！', '？', '.', '!', '?', '；':
			return string(cut[:i+1])
		}
	}
	return strings.TrimSpace(string(cut)) + "…"
}

// checkLinks reports every internal link to a page, file or heading that
// does not exist.
func (s *Site) checkLinks(errs *ErrorList) {
	for _, p := range s.Pages {
		s.checkPageLinks(p, errs)
	}
}

// checkPageLinks reports the links of p to nothing.
func (s *Site) checkPageLinks(p *Page, errs *ErrorList) {
	for _, l := range p.links {
		target, frag, _ := strings.Cut(l.dest, "#")
		if strings.HasSuffix(target, ".md") {
			errs.msgf(p.File, l.line, l.col, msgNoContentFile, target)
			continue
		}
		tp := s.byURL[target]
		if tp == nil && !strings.HasSuffix(target, "/") && path.Ext(target) == "" {
			tp = s.byURL[target+"/"]
		}
		if tp == nil && !s.known[target] {
			if rest, ok := strings.CutPrefix(target, s.base); ok && s.base != "/" && (s.byURL["/"+rest] != nil || s.known["/"+rest]) {
				// A link written with the base path: it would get it twice.
				errs.msgf(p.File, l.line, l.col, msgNoPageRoot, target, rest)
				continue
			}
			errs.msgf(p.File, l.line, l.col, msgNoPage, target)
			continue
		}
		if frag != "" && tp != nil && tp.File != "" && !tp.ids[frag] {
			errs.msgf(p.File, l.line, l.col, msgNoHeading, target, frag, describe(tp), frag)
		}
	}
}

// outputPath is the file that holds the page at URL u.
func outputPath(u string) string {
	u = strings.TrimPrefix(u, "/")
	if u == "" || strings.HasSuffix(u, "/") {
		return u + "index.html"
	}
	return u
}

// Written is how many files the build wrote to its output folder: those
// whose bytes changed.
func (s *Site) Written() int { return s.written }

// Summary is the one-line account of a build: pages per section, files
// written and the time it took.
func (s *Site) Summary() string { return s.SummaryIn(msg.En) }

// SummaryIn is Summary in lang; sections keep their folders' names.
func (s *Site) SummaryIn(lang msg.Lang) string {
	counts := map[string]int{}
	total := 0
	for _, p := range s.Pages {
		if p.Kind == KindPage {
			name := p.Section
			if name == "" {
				name = "pages"
			}
			counts[name]++
			total++
		}
	}
	var names []string
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		oi, oj := sectionOrder[names[i]], sectionOrder[names[j]]
		if oi != oj {
			return oi != 0 && (oj == 0 || oi < oj)
		}
		return names[i] < names[j]
	})
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %d", n, counts[n]))
	}
	return msgSummary.In(lang, total, strings.Join(parts, ", "), s.nfiles, time.Since(s.started).Round(time.Millisecond))
}
