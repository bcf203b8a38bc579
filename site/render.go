package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"html/template"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lobby-community/lobby/survey"
)

// siteView computes what templates see of the site.
func (s *Site) siteView() *SiteView {
	v := &SiteView{Title: s.Config.Title, BaseURL: s.Config.BaseURL, Language: s.Config.Language,
		Office: s.Config.Office, Params: s.Config.Params, Now: s.Now, Home: s.byURL["/"],
		Endpoints: endpointsFor(s.base, s.Config.Server.Origin, s.Options.Static, s.Config.Feedback.Enabled), base: s.base, assets: s.assets}
	if v.Home != nil {
		v.Sections = v.Home.Sections
	}
	for _, p := range s.Pages {
		switch {
		case p.Notice != nil && !p.Notice.Expired:
			v.Notices = append(v.Notices, p)
			if p.Notice.Urgency == "urgent" {
				v.Banner = append(v.Banner, p)
			}
			if p.Notice.Urgency != "info" {
				v.Important = append(v.Important, p)
			}
		case p.Event != nil && p.Event.Upcoming:
			v.Upcoming = append(v.Upcoming, p)
		case p.Event != nil:
			v.Past = append(v.Past, p)
		case p.Newsletter != nil:
			v.Newsletters = append(v.Newsletters, p)
		case p.Kind == KindTag:
			v.Tags = append(v.Tags, p)
		}
	}
	sortPages("notices", v.Notices)
	sortPages("notices", v.Banner)
	sortPages("notices", v.Important)
	sortStable(v.Upcoming, func(a, b *Page) bool { return a.Event.Start.Before(b.Event.Start) })
	sortStable(v.Past, func(a, b *Page) bool { return a.Event.Start.After(b.Event.Start) })
	sortPages("newsletters", v.Newsletters)
	v.Archive = s.archive()
	v.Surveys = s.openSurveys()
	return v
}

// listed returns the pages a section page lists: notices that have expired
// leave the list (they are in the archive); events read upcoming first.
func (s *Site) listed(p *Page) []*Page {
	switch {
	case p.Kind == KindSection && p.Section == "notices":
		var out []*Page
		for _, q := range p.Pages {
			if q.Notice == nil || !q.Notice.Expired {
				out = append(out, q)
			}
		}
		return out
	case p.Kind == KindSection && p.Section == "events" && p.Dir == "events":
		var up, past []*Page
		for _, q := range p.Pages {
			if q.Event != nil && q.Event.Upcoming {
				up = append(up, q)
			} else {
				past = append(past, q)
			}
		}
		sortStable(up, func(a, b *Page) bool { return a.Event.Start.Before(b.Event.Start) })
		return append(up, past...)
	}
	return p.Pages
}

// A job makes one file of the output. Besides the site's pages as a list
// page or a template sees them (their titles, dates, places in the site:
// everything but their bodies), it may read page bodies (Content, Text,
// TOC): those of page and bodies, or with anyBody, those of pages it cannot
// name. A rebuild after a change to page bodies only runs the jobs that
// read a changed body.
type job struct {
	out     string
	page    *Page
	bodies  []*Page
	anyBody bool
	// layout is the template that makes the file, if one does; a rebuild
	// runs the job again when what the layout reads of .Site.Now changed.
	layout string
	// run makes the file into buf; errors name what is being made.
	run func(buf *bytes.Buffer) error
}

// plan lists the jobs that make the output, in the order in which an
// earlier one takes a name from a later one: static files and assets,
// pages, alias redirects (which give way to any file), the content API
// (which reports a clash) and then the sections' files and the sitemap.
func (s *Site) plan() ([]job, map[string]int, error) {
	jobs := make([]job, 0, 4*len(s.Pages))
	index := make(map[string]int, 4*len(s.Pages))
	add := func(j job) {
		if i, ok := index[j.out]; ok {
			jobs[i] = j // the later file wins, as when files were a map
			return
		}
		index[j.out] = len(jobs)
		jobs = append(jobs, j)
	}
	for _, name := range sortedKeys(s.static) {
		data := s.static[name]
		add(job{out: name, run: func(buf *bytes.Buffer) error { buf.Write(data); return nil }})
	}
	for _, j := range s.pageJobs() {
		add(j)
	}
	for _, j := range s.aliasJobs(index) {
		add(j)
	}
	api, err := s.apiJobs(index)
	if err != nil {
		return nil, nil, err
	}
	for _, j := range api {
		add(j)
	}
	for _, j := range s.sectionFileJobs() {
		add(j)
	}
	add(job{out: "sitemap.xml", run: s.sitemap})
	return jobs, index, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pageJobs are the jobs that execute templates: every page (list pages
// once per page of their list), the theme's own pages and the pages that
// sections add.
func (s *Site) pageJobs() []job {
	jobs := make([]job, 0, 2*len(s.Pages))
	deps := map[depsKey]layoutDeps{}
	tmpl := func(p *Page, out, layout string, pag *Paginator, sj *sectionJob) {
		what := describe(p)
		if layout != "" {
			what = out
		}
		l, lerr := layout, error(nil)
		if l == "" {
			l, lerr = s.tmpl.layoutFor(p)
		}
		var data func() (any, error)
		var dataType reflect.Type
		j := job{out: out, page: p, layout: l, anyBody: lerr != nil}
		if sj != nil {
			data, dataType, j.bodies = sj.data, sj.dataType, sj.bodies
		}
		d, ok := deps[depsKey{l, dataType}]
		if !ok {
			d = s.tmpl.depsOf(l, dataType)
			deps[depsKey{l, dataType}] = d
		}
		if d.otherBodies {
			j.anyBody = true
		} else if d.kidBodies {
			j.bodies = append(append(append([]*Page{}, j.bodies...), p.Pages...), p.Sections...)
		}
		j.run = func(buf *bytes.Buffer) error {
			if lerr != nil {
				return lerr
			}
			v := &View{Site: s.View, Page: p, Paginator: pag}
			if data != nil {
				d, err := data()
				if err != nil {
					return err
				}
				if dp, ok := d.(*Paginator); ok {
					v.Paginator = dp
				} else {
					v.Data = d
				}
			}
			return s.tmpl.execute(buf, l, v, what)
		}
		jobs = append(jobs, j)
	}
	for _, p := range s.Pages {
		switch p.Kind {
		case KindSection, KindTag:
			for _, pg := range paginate(s.base, p.URL, s.listed(p), s.Config.Paginate) {
				tmpl(p, outputPath(pg.path), "", pg, nil)
			}
		case KindPage:
			if p.Survey != nil {
				// A survey's page is its form, empty when built and
				// filled in when the server shows it again.
				tmpl(p, outputPath(p.URL), "", nil, &sectionJob{dataType: surveyFormType,
					data: func() (any, error) { return &survey.FormView{}, nil }})
				break
			}
			tmpl(p, outputPath(p.URL), "", nil, nil)
		default:
			tmpl(p, outputPath(p.URL), "", nil, nil)
		}
	}
	for _, sp := range s.specialPages() {
		tmpl(sp, outputPath(sp.URL), "", nil, nil)
	}
	for _, sj := range s.sectionPages() {
		tmpl(sj.page, sj.out, sj.layout, nil, &sj)
	}
	return jobs
}

// bufPool holds the buffers that jobs make files in.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// run runs jobs on all cores and hands each file to out; names are the
// files of all jobs. When only is not nil, the jobs it rejects are not run:
// their files are as the last build made them. Errors are returned
// together.
func (s *Site) run(ctx context.Context, jobs []job, names map[string]int, out output, only func(*job) bool) error {
	todo := make([]*job, 0, len(jobs))
	var list ErrorList
	for i := range jobs {
		if j := &jobs[i]; only == nil || only(j) {
			todo = append(todo, j)
		}
	}
	s.ran = len(todo)
	s.tmpl.resetCache()
	errs := make([]error, len(todo))
	parallelCtx(ctx, len(todo), func(i int) {
		j := todo[i]
		buf := bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		if err := j.run(buf); err != nil {
			errs[i] = err
		} else {
			errs[i] = out.put(j.out, buf.Bytes())
		}
		if buf.Cap() <= 4<<20 {
			bufPool.Put(buf)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		list.add("layouts", err)
	}
	if err := list.err(); err != nil {
		return err
	}
	return out.finish(names)
}

// specialPages are the pages the theme makes on its own: the 404 page and
// the feedback form with its thank-you page, and the lobby display (the
// page for the screen in the building's lobby, which reads the content API).
func (s *Site) specialPages() []*Page {
	mk := func(name, u string) *Page {
		p := s.themePage(name, u)
		s.setURLs(p)
		return p
	}
	return []*Page{mk("404", "/404.html"), mk("feedback", "/feedback/"), mk("thanks", "/feedback/thanks/"), mk("display", "/display/")}
}

// themePage is the page of one of the theme's own pages, name, at u: its
// title is the UI string NAME_title, and its summary, which search
// engines show as its description, NAME_description.
func (s *Site) themePage(name, u string) *Page {
	return &Page{Kind: KindSpecial, URL: u, Dir: name, Slug: name, Title: s.tmpl.strings[name+"_title"],
		Summary: s.tmpl.strings[name+"_description"], Parent: s.byURL["/"]}
}

// RenderPage renders one of the theme's pages that the server makes at run
// time (search results, a feedback form shown again, a case's status) with
// data. name is the layout without ".html": "search", "feedback", "thanks",
// "status", "404".
func (s *Site) RenderPage(name string, u string, data any) ([]byte, error) {
	p := s.themePage(name, u)
	s.setURLs(p)
	var buf bytes.Buffer
	if err := s.tmpl.execute(&buf, name+".html", &View{Site: s.View, Page: p, Data: data}, "the "+name+" page"); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// paginate splits items into pages of size n; the first is at first (a
// site path), the others at first + "page/N/". The Paginators' URLs are
// in the output form, below base.
func paginate(base, first string, items []*Page, n int) []*Paginator {
	total := max(1, (len(items)+n-1)/n)
	paths := make([]string, total)
	urls := make([]string, total)
	for i := range paths {
		if i == 0 {
			paths[i] = first
		} else {
			paths[i] = fmt.Sprintf("%spage/%d/", first, i+1)
		}
		urls[i] = relURL(base, paths[i])
	}
	out := make([]*Paginator, total)
	for i := range out {
		lo, hi := i*n, min((i+1)*n, len(items))
		pg := &Paginator{Pages: items[lo:hi], Number: i + 1, TotalPages: total, TotalItems: len(items), First: urls[0], URLs: urls, path: paths[i]}
		if i > 0 {
			pg.Prev = urls[i-1]
		}
		if i < total-1 {
			pg.Next = urls[i+1]
		}
		out[i] = pg
	}
	return out
}

// aliasJobs are the redirect pages at the aliases of pages, where no other
// file is.
func (s *Site) aliasJobs(taken map[string]int) []job {
	var jobs []job
	seen := map[string]bool{}
	for _, p := range s.Pages {
		for _, a := range p.Aliases {
			out := outputPath(a)
			if _, ok := taken[out]; ok || seen[out] {
				continue
			}
			seen[out] = true
			jobs = append(jobs, job{out: out, run: func(b *bytes.Buffer) error {
				fmt.Fprintf(b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title>"+
					"<link rel=\"canonical\" href=\"%s\"><meta http-equiv=\"refresh\" content=\"0; url=%s\"></head>"+
					"<body><p><a href=\"%s\">%s</a></p></body></html>\n",
					s.Config.Language, template.HTMLEscapeString(p.Title), p.Permalink, p.RelPermalink, p.RelPermalink, template.HTMLEscapeString(p.Title))
				return nil
			}})
		}
	}
	return jobs
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemapExtra are the pages that the theme and the sections make that a
// resident may look for: the feedback form, the expired notices and the
// printable handbook. (The 404 page, the thank-you page and the lobby
// display are not pages to look for.)
var sitemapExtra = []string{"/feedback/", "/notices/archive/", "/handbook/print/"}

// sitemap makes /sitemap.xml with the absolute URL of every page, written
// as the pages' own links write it (see hrefURL).
func (s *Site) sitemap(b *bytes.Buffer) error {
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	pages := append([]*Page{}, s.Pages...)
	made := map[string]bool{}
	for _, p := range s.specialPages() {
		made[p.URL] = true
	}
	for _, u := range s.sectionPaths() {
		made[u] = true
	}
	for _, u := range sitemapExtra {
		if made[u] {
			p := &Page{URL: u}
			s.setURLs(p)
			pages = append(pages, p)
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	for _, p := range pages {
		u := sitemapURL{Loc: hrefURL(p.Permalink)}
		if !p.Lastmod.IsZero() {
			u.Lastmod = p.Lastmod.Format(time.RFC3339)
		}
		set.URLs = append(set.URLs, u)
	}
	out, err := xml.MarshalIndent(set, "", "  ")
	if err != nil {
		return err
	}
	b.WriteString(xml.Header)
	b.Write(out)
	b.WriteByte('\n')
	return nil
}

// hrefURL writes an absolute URL as html/template writes it into an href
// attribute, so that the sitemap names a page by the URL of its canonical
// link: every byte outside the ASCII letters, digits and the characters
// that URLs allow is percent-encoded, in lower-case hex as html/template
// does ("/tags/停水/" → "/tags/%e5%81%9c%e6%b0%b4/"); an escape that is
// there already stays.
func hrefURL(u string) string {
	const hex = "0123456789abcdef"
	var b []byte
	for i := 0; i < len(u); i++ {
		c := u[i]
		keep := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0 ||
			c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]) // an escape already
		if keep {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(u)+32), u[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return u
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
