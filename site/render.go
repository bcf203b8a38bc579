package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"
)

func htmlString(b []byte) template.HTML { return template.HTML(b) }

// siteView computes what templates see of the site.
func (s *Site) siteView() *SiteView {
	v := &SiteView{Title: s.Config.Title, BaseURL: s.Config.BaseURL, Language: s.Config.Language,
		Office: s.Config.Office, Params: s.Config.Params, Now: s.Now, Home: s.byURL["/"], assets: s.assets}
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
	sort.SliceStable(v.Upcoming, func(i, j int) bool { return v.Upcoming[i].Event.Start.Before(v.Upcoming[j].Event.Start) })
	sort.SliceStable(v.Past, func(i, j int) bool { return v.Past[i].Event.Start.After(v.Past[j].Event.Start) })
	sortPages("newsletters", v.Newsletters)
	v.Archive = s.archive()
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
		sort.SliceStable(up, func(i, j int) bool { return up[i].Event.Start.Before(up[j].Event.Start) })
		return append(up, past...)
	}
	return p.Pages
}

// render executes the templates of every page into the output, on all
// cores, and adds the sitemap, the 404 page and alias redirects.
func (s *Site) render() error {
	type job struct {
		page   *Page
		pag    *Paginator
		out    string
		layout string
		data   any
	}
	var jobs []job
	for _, p := range s.Pages {
		switch p.Kind {
		case KindSection, KindTag:
			items := s.listed(p)
			for _, pg := range paginate(p.URL, items, s.Config.Paginate) {
				out := p.URL
				if pg.Number > 1 {
					out = pg.URLs[pg.Number-1]
				}
				jobs = append(jobs, job{page: p, pag: pg, out: outputPath(out)})
			}
		default:
			jobs = append(jobs, job{page: p, out: outputPath(p.URL)})
		}
	}
	for _, sp := range s.specialPages() {
		jobs = append(jobs, job{page: sp, out: outputPath(sp.URL)})
	}
	extra, err := s.sectionPages()
	if err != nil {
		return err
	}
	for _, sj := range extra {
		pag, _ := sj.data.(*Paginator)
		j := job{page: sj.page, out: sj.out, layout: sj.layout, data: sj.data}
		if pag != nil {
			j.pag, j.data = pag, nil
		}
		jobs = append(jobs, j)
	}
	errs := make([]error, len(jobs))
	parallel(len(jobs), func(i int) {
		j := jobs[i]
		layout := j.layout
		if layout == "" {
			var err error
			if layout, err = s.tmpl.layoutFor(j.page); err != nil {
				errs[i] = err
				return
			}
		}
		what := describe(j.page)
		if j.layout != "" {
			what = j.out
		}
		var buf bytes.Buffer
		if err := s.tmpl.execute(&buf, layout, &View{Site: s.View, Page: j.page, Paginator: j.pag, Data: j.data}, what); err != nil {
			errs[i] = err
			return
		}
		s.write(j.out, buf.Bytes())
	})
	var list ErrorList
	for _, err := range errs {
		list.add("layouts", err)
	}
	if err := list.err(); err != nil {
		return err
	}
	s.writeAliases()
	if err := s.writeAPI(); err != nil {
		return err
	}
	if err := s.writeSections(); err != nil {
		return err
	}
	return s.writeSitemap()
}

// specialPages are the pages the theme makes on its own: the 404 page, the
// feedback form with its thank-you page, and the lobby display (issue 4).
func (s *Site) specialPages() []*Page {
	mk := func(name, u string) *Page {
		return &Page{Kind: KindSpecial, URL: u, Dir: name, Slug: name, Title: s.tmpl.strings[name+"_title"],
			Parent: s.byURL["/"], Permalink: s.Config.BaseURL + strings.TrimPrefix(u, "/")}
	}
	return []*Page{mk("404", "/404.html"), mk("feedback", "/feedback/"), mk("thanks", "/feedback/thanks/"), mk("display", "/display/")}
}

// RenderPage renders one of the theme's pages that the server makes at run
// time (search results, a feedback form shown again, a case's status) with
// data. name is the layout without ".html": "search", "feedback", "thanks",
// "status", "404".
func (s *Site) RenderPage(name string, u string, data any) ([]byte, error) {
	p := &Page{Kind: KindSpecial, URL: u, Dir: name, Slug: name, Title: s.tmpl.strings[name+"_title"],
		Parent: s.byURL["/"], Permalink: s.Config.BaseURL + strings.TrimPrefix(u, "/")}
	var buf bytes.Buffer
	err := s.tmpl.execute(&buf, name+".html", &View{Site: s.View, Page: p, Data: data}, "the "+name+" page")
	return buf.Bytes(), err
}

// paginate splits items into pages of size n; the first is at base, the
// others at base + "page/N/".
func paginate(base string, items []*Page, n int) []*Paginator {
	total := max(1, (len(items)+n-1)/n)
	urls := make([]string, total)
	for i := range urls {
		if i == 0 {
			urls[i] = base
		} else {
			urls[i] = fmt.Sprintf("%spage/%d/", base, i+1)
		}
	}
	out := make([]*Paginator, total)
	for i := range out {
		lo, hi := i*n, min((i+1)*n, len(items))
		pg := &Paginator{Pages: items[lo:hi], Number: i + 1, TotalPages: total, TotalItems: len(items), First: base, URLs: urls}
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

// writeAliases writes a redirect page at each alias of a page.
func (s *Site) writeAliases() {
	for _, p := range s.Pages {
		for _, a := range p.Aliases {
			out := outputPath(a)
			if _, taken := s.Files[out]; taken {
				continue
			}
			var b bytes.Buffer
			fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title>"+
				"<link rel=\"canonical\" href=\"%s\"><meta http-equiv=\"refresh\" content=\"0; url=%s\"></head>"+
				"<body><p><a href=\"%s\">%s</a></p></body></html>\n",
				s.Config.Language, template.HTMLEscapeString(p.Title), p.Permalink, p.URL, p.URL, template.HTMLEscapeString(p.Title))
			s.Files[out] = b.Bytes()
		}
	}
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

// writeSitemap writes /sitemap.xml with the absolute URL of every page.
func (s *Site) writeSitemap() error {
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	pages := append([]*Page{}, s.Pages...)
	sort.Slice(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	for _, p := range pages {
		u := sitemapURL{Loc: p.Permalink}
		if !p.Lastmod.IsZero() {
			u.Lastmod = p.Lastmod.Format(time.RFC3339)
		}
		set.URLs = append(set.URLs, u)
	}
	out, err := xml.MarshalIndent(set, "", "  ")
	if err != nil {
		return err
	}
	s.Files["sitemap.xml"] = append([]byte(xml.Header), append(out, '\n')...)
	return nil
}
