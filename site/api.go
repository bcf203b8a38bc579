package site

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lobby-community/lobby/survey"
)

// The content API is a set of static JSON documents below api/v1/ in the
// output, with the JSON Schemas that describe them, for programs that show
// the site's content elsewhere (the lobby display, a mini-program). Its
// field names are a public contract: rename nothing, only add.

// apiDir is the folder of the content API in the output.
const apiDir = "api/v1/"

// apiSchemas are the JSON Schemas of the API's documents, written to
// api/v1/schema/ as they are.
//
//go:embed schema/*.schema.json
var apiSchemas embed.FS

// apiSite is site.json.
type apiSite struct {
	Title    string      `json:"title"`
	BaseURL  string      `json:"base_url"`
	Language string      `json:"language"`
	Timezone string      `json:"timezone"`
	Office   apiOffice   `json:"office"`
	Sections []apiSecRef `json:"sections"`
	// Pages are the pages at the top of content/, which belong to no section.
	Pages []apiLink `json:"pages"`
}

type apiOffice struct {
	Name    string `json:"name"`
	Hotline string `json:"hotline"`
	Repairs string `json:"repairs"`
	Manager string `json:"manager"`
	Email   string `json:"email"`
	Hours   string `json:"hours"`
	Address string `json:"address"`
}

type apiSecRef struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	URL   string `json:"url"`
	API   string `json:"api"`
	Count int    `json:"count"`
}

// apiSection is SECTION.json.
type apiSection struct {
	Section   string      `json:"section"`
	Title     string      `json:"title"`
	URL       string      `json:"url"`
	Permalink string      `json:"permalink"`
	API       string      `json:"api"`
	Summary   string      `json:"summary"`
	Pages     []*apiEntry `json:"pages"`
}

// apiEntry is a page without its body, as a section lists it; with body
// set, it is the page's own document. The embedded parts that are nil are
// left out of the JSON, so each section has exactly its own fields.
type apiEntry struct {
	Kind        string         `json:"kind"`
	Path        string         `json:"path"`
	Section     string         `json:"section"`
	URL         string         `json:"url"`
	Permalink   string         `json:"permalink"`
	API         string         `json:"api"`
	Title       string         `json:"title"`
	Slug        string         `json:"slug"`
	Summary     string         `json:"summary"`
	Date        string         `json:"date,omitempty"`
	Lastmod     string         `json:"lastmod,omitempty"`
	PublishDate string         `json:"publish_date,omitempty"`
	ExpiryDate  string         `json:"expiry_date,omitempty"`
	Draft       bool           `json:"draft,omitempty"`
	Weight      int            `json:"weight"`
	Tags        []string       `json:"tags"`
	Aliases     []string       `json:"aliases"`
	Params      map[string]any `json:"params"`
	*apiNotice
	*apiEvent
	*apiNewsletter
	*apiFee
	*apiSurvey
	*apiNeighbours
	*apiBody
}

type apiNotice struct {
	Urgency string `json:"urgency"`
	Expires string `json:"expires,omitempty"`
	Pinned  bool   `json:"pinned"`
	Active  bool   `json:"active"`
	Expired bool   `json:"expired"`
}

type apiEvent struct {
	Start     string `json:"start"`
	End       string `json:"end,omitempty"`
	Location  string `json:"location"`
	Organizer string `json:"organizer"`
	Upcoming  bool   `json:"upcoming"`
}

// apiSurvey is a survey's questions, window and state, and its published
// results (null until staff commit them). A withheld figure (fewer than
// five answers) is null, with fewer_than saying why.
type apiSurvey struct {
	Opens     string              `json:"opens"`
	Closes    string              `json:"closes"`
	State     string              `json:"state"`
	Codes     bool                `json:"codes"`
	Questions []apiSurveyQuestion `json:"questions"`
	Results   *apiSurveyResults   `json:"results"`
}

type apiSurveyQuestion struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind"`
	Text      string            `json:"text"`
	Help      string            `json:"help"`
	Optional  bool              `json:"optional"`
	Options   []apiSurveyOption `json:"options"`
	Max       int               `json:"max,omitempty"`
	MaxLength int               `json:"max_length,omitempty"`
}

type apiSurveyOption struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type apiSurveyResults struct {
	FewerThan   int                `json:"fewer_than"`
	GeneratedAt string             `json:"generated_at"`
	Responses   *int               `json:"responses"`
	Households  int                `json:"households"`
	Share       *int               `json:"share_percent"`
	Questions   []apiSurveyCounted `json:"questions"`
}

type apiSurveyCounted struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	Answered *int              `json:"answered"`
	Average  *float64          `json:"average"`
	Options  []apiSurveyFigure `json:"options"`
}

type apiSurveyFigure struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Count   *int   `json:"count"`
	Percent *int   `json:"percent"`
}

type apiNewsletter struct {
	Issue int `json:"issue"`
}

// apiFee holds money as decimal strings with two decimals: a JSON number
// would be read as a binary float by most clients.
type apiFee struct {
	Period       string       `json:"period"`
	Currency     string       `json:"currency"`
	Income       []apiFeeItem `json:"income"`
	Expense      []apiFeeItem `json:"expense"`
	TotalIncome  string       `json:"total_income"`
	TotalExpense string       `json:"total_expense"`
	Balance      string       `json:"balance"`
	Fund         *apiFeeFund  `json:"fund,omitempty"`
}

type apiFeeItem struct {
	Item   string `json:"item"`
	Amount string `json:"amount"`
}

type apiFeeFund struct {
	Opening string `json:"opening"`
	Closing string `json:"closing"`
}

// apiNeighbours are the previous and next pages in reading order; null at
// the ends.
type apiNeighbours struct {
	Prev *apiLink `json:"prev"`
	Next *apiLink `json:"next"`
}

type apiLink struct {
	URL   string `json:"url"`
	Title string `json:"title"`
	API   string `json:"api"`
}

type apiBody struct {
	HTML string       `json:"html"`
	Text string       `json:"text"`
	TOC  []apiHeading `json:"toc"`
}

// apiHeading is a Heading with the API's names; it has Heading's fields,
// so that a Heading converts to it.
type apiHeading struct {
	Level int    `json:"level"`
	ID    string `json:"id"`
	Text  string `json:"text"`
}

// apiTags is tags.json.
type apiTags struct {
	Tags []apiTag `json:"tags"`
}

type apiTag struct {
	Name  string   `json:"name"`
	URL   string   `json:"url"`
	Count int      `json:"count"`
	Pages []string `json:"pages"`
}

// apiJobs make the content API: site.json, SECTION.json for each
// top-level section, SECTION/SLUG.json for each of their pages (and for the
// pages at the top of content/), tags.json and the schemas. A document
// whose name another file of the output has already is an error.
func (s *Site) apiJobs(taken map[string]int) ([]job, error) {
	var errs ErrorList
	jobs := make([]job, 0, len(s.Pages))
	names := make(map[string]string, len(s.Pages))
	add := func(name string, file, what string, j job) {
		if other, ok := names[name]; ok {
			errs.msgf(file, 0, 0, msgOutputClash, what, name, other)
			return
		}
		if _, ok := taken[name]; ok {
			errs.msgf("static/"+name, 0, 0, msgStaticClash, name, what)
			return
		}
		names[name] = what
		j.out = name
		jobs = append(jobs, j)
	}
	encode := func(file, name string, doc func() any) func(*bytes.Buffer) error {
		return func(b *bytes.Buffer) error {
			var err error
			d := doc()
			if e, ok := d.(*apiEntry); ok && e.apiBody != nil {
				err = encodeDocument(b, e)
			} else {
				err = encodeAPI(b, d)
			}
			if err != nil {
				return newError(file, 0, 0, msgCannotWrite, name, err)
			}
			return nil
		}
	}
	// The site document lists the sections; it is added first so that a
	// page cannot take its name. A section's pages are sorted only when its
	// document is made: page documents have distinct names (page URLs
	// are), so the order in which they are checked does not matter.
	home := s.byURL["/"]
	members := map[*Page][]*Page{}
	if home != nil {
		for _, sec := range home.Sections {
			members[sec] = s.apiMembers(sec)
		}
	}
	add(apiDir+"site.json", ConfigFile, "the API's site document",
		job{run: encode(ConfigFile, apiDir+"site.json", func() any { return s.apiSite(members) })})
	add(apiDir+"tags.json", ConfigFile, "the API's tags document",
		job{run: encode(ConfigFile, apiDir+"tags.json", func() any { return s.apiTags() })})

	schemas, _ := fs.Glob(apiSchemas, "schema/*.schema.json")
	for _, name := range schemas {
		data, err := fs.ReadFile(apiSchemas, name)
		if err != nil {
			return nil, err
		}
		add(apiDir+name, ConfigFile, "the API's schema "+path.Base(name),
			job{run: func(b *bytes.Buffer) error { b.Write(data); return nil }})
	}

	var pages []*Page
	if home != nil {
		for _, sec := range home.Sections {
			add(apiPath(sec), sourceOf(sec), "the API document of section "+sec.Section,
				job{run: encode(sourceOf(sec), apiPath(sec), func() any { return s.apiSection(sec, s.apiPages(sec)) })})
			pages = append(pages, members[sec]...)
		}
		pages = append(pages, home.Pages...)
	}
	for _, p := range pages {
		add(apiPath(p), sourceOf(p), "the API document of "+p.URL,
			job{page: p, run: encode(sourceOf(p), apiPath(p), func() any { return s.apiDocument(p) })})
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return jobs, nil
}

// apiSite is the site document: the site and its sections, which list
// the pages in members.
func (s *Site) apiSite(members map[*Page][]*Page) *apiSite {
	sd := &apiSite{Title: s.Config.Title, BaseURL: s.Config.BaseURL, Language: s.Config.Language,
		Timezone: s.Config.Timezone, Office: apiOfficeOf(s.Config.Office), Sections: []apiSecRef{}, Pages: []apiLink{}}
	home := s.byURL["/"]
	if home == nil {
		return sd
	}
	for _, sec := range home.Sections {
		sd.Sections = append(sd.Sections, apiSecRef{Name: sec.Section, Title: sec.Title, URL: sec.RelPermalink,
			API: s.apiURL(sec), Count: len(members[sec])})
	}
	for _, p := range home.Pages {
		sd.Pages = append(sd.Pages, *s.apiLinkTo(p))
	}
	return sd
}

// apiSection is the document of a top-level section, which lists list.
func (s *Site) apiSection(sec *Page, list []*Page) *apiSection {
	doc := &apiSection{Section: sec.Section, Title: sec.Title, URL: sec.RelPermalink, Permalink: sec.Permalink,
		API: s.apiURL(sec), Summary: sec.Summary, Pages: make([]*apiEntry, len(list))}
	for i, p := range list {
		doc.Pages[i] = s.apiEntry(p)
	}
	return doc
}

// apiDocument is the document of one page, with its body.
func (s *Site) apiDocument(p *Page) *apiEntry {
	e := s.apiEntry(p)
	e.apiBody = &apiBody{HTML: string(p.Content), Text: p.Text, TOC: make([]apiHeading, len(p.TOC))}
	for i, h := range p.TOC {
		e.TOC[i] = apiHeading(h)
	}
	return e
}

// encodeAPI encodes v as indented JSON with a final newline. HTML is not
// escaped: the documents are not embedded in pages, and "<" reads better
// than "\u003c" in the html field.
func encodeAPI(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Marks that stand for a page's HTML and text while its document is
// encoded: see encodeDocument.
const (
	htmlMark = "\x00lobby:html\x00"
	textMark = "\x00lobby:text\x00"
)

// encodeDocument encodes a page's document as encodeAPI does, but encodes
// its HTML and text (nine tenths of the bytes) apart and puts them in
// after indenting: indenting reads every byte of what it is given, and
// does not change what is inside strings.
func encodeDocument(b *bytes.Buffer, e *apiEntry) error {
	html, text := e.HTML, e.Text
	e.HTML, e.Text = htmlMark, textMark
	var doc bytes.Buffer
	err := encodeAPI(&doc, e)
	e.HTML, e.Text = html, text
	if err != nil {
		return err
	}
	out := doc.Bytes()
	hm, tm := jsonString(htmlMark), jsonString(textMark)
	if bytes.Count(out, hm) != 1 || bytes.Count(out, tm) != 1 {
		return encodeAPI(b, e) // a mark in another field: the slow way
	}
	i := bytes.Index(out, hm)
	b.Write(out[:i])
	b.Write(jsonString(html))
	out = out[i+len(hm):]
	j := bytes.Index(out, tm)
	b.Write(out[:j])
	b.Write(jsonString(text))
	b.Write(out[j+len(tm):])
	return nil
}

// jsonString is s as encodeAPI writes a string.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// apiPath is the output path of p's API document: its URL path with
// ".json", so /handbook/safety/fire/ has api/v1/handbook/safety/fire.json.
func apiPath(p *Page) string {
	return apiDir + strings.Trim(p.URL, "/") + ".json"
}

// sourceOf names where p comes from, for errors: its file, or for a
// section without _index.md its folder.
func sourceOf(p *Page) string {
	if p.File != "" {
		return p.File
	}
	return path.Join(ContentDir, p.Dir)
}

// apiOfficeOf is o as the API shows it. A conversion, not a literal: a
// field added to Office does not compile until apiOffice has it too, so
// the API never silently leaves out part of the office's card.
func apiOfficeOf(o Office) apiOffice { return apiOffice(o) }

// apiURL is the URL of p's API document, below the base URL's path as
// every url and api field of the API is, so that a client resolves it
// against the document's own URL.
func (s *Site) apiURL(p *Page) string { return relURL(s.base, "/"+apiPath(p)) }

func (s *Site) apiLinkTo(p *Page) *apiLink {
	if p == nil {
		return nil
	}
	return &apiLink{URL: p.RelPermalink, Title: p.Title, API: s.apiURL(p)}
}

// apiMembers returns the pages of apiPages in no particular order.
func (s *Site) apiMembers(sec *Page) []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if p.Section != sec.Section || p == sec {
			continue
		}
		if p.Kind == KindPage || (sec.Section == "handbook" && p.Kind == KindSection) {
			out = append(out, p)
		}
	}
	return out
}

// apiPages returns the pages a section's document lists: every regular
// page below it, in the section's order; the handbook lists its chapters
// too, in reading order.
func (s *Site) apiPages(sec *Page) []*Page {
	if sec.Section == "handbook" {
		var out []*Page
		var walk func(p *Page)
		walk = func(p *Page) {
			// As linkNeighbours reads: a chapter's pages and sub-chapters by
			// weight, each sub-chapter followed by its own.
			kids := append(append([]*Page{}, p.Pages...), p.Sections...)
			sortStable(kids, byWeight)
			for _, k := range kids {
				out = append(out, k)
				if k.Kind == KindSection {
					walk(k)
				}
			}
		}
		walk(sec)
		return out
	}
	var out []*Page
	for _, p := range s.Pages {
		if p.Kind == KindPage && p.Section == sec.Section {
			out = append(out, p)
		}
	}
	sortPages(sec.Section, out)
	return out
}

// apiEntry describes p without its body.
func (s *Site) apiEntry(p *Page) *apiEntry {
	loc := s.Config.Location
	e := &apiEntry{Kind: string(p.Kind), Path: strings.Trim(p.URL, "/"), Section: p.Section, URL: p.RelPermalink,
		Permalink: p.Permalink, API: s.apiURL(p), Title: p.Title, Slug: p.Slug, Summary: p.Summary,
		Date: apiTime(p.Date, loc), Lastmod: apiTime(p.Lastmod, loc), PublishDate: apiTime(p.PublishDate, loc),
		ExpiryDate: apiTime(p.ExpiryDate, loc), Draft: p.Draft, Weight: p.Weight,
		Tags: []string{}, Aliases: []string{}, Params: apiParams(p.Params, loc)}
	for _, t := range p.Tags {
		e.Tags = append(e.Tags, t.Name)
	}
	e.Aliases = append(e.Aliases, p.Aliases...)
	if n := p.Notice; n != nil {
		e.apiNotice = &apiNotice{Urgency: n.Urgency, Expires: apiTime(n.Expires, loc), Pinned: n.Pinned,
			Active: n.Active(), Expired: n.Expired}
	}
	if ev := p.Event; ev != nil {
		e.apiEvent = &apiEvent{Start: apiTime(ev.Start, loc), End: apiTime(ev.End, loc), Location: ev.Location,
			Organizer: ev.Organizer, Upcoming: ev.Upcoming}
	}
	if nl := p.Newsletter; nl != nil {
		e.apiNewsletter = &apiNewsletter{Issue: nl.Issue}
	}
	if f := p.Fee; f != nil {
		e.apiFee = apiFeeOf(f)
	}
	if sv := p.Survey; sv != nil {
		e.apiSurvey = apiSurveyOf(sv, loc)
	}
	if p.Section == "handbook" || p.Section == "newsletters" {
		e.apiNeighbours = &apiNeighbours{Prev: s.apiLinkTo(p.Prev), Next: s.apiLinkTo(p.Next)}
	}
	return e
}

func apiFeeOf(f *Fee) *apiFee {
	items := func(list []FeeItem) []apiFeeItem {
		out := make([]apiFeeItem, len(list))
		for i, it := range list {
			out[i] = apiFeeItem{Item: it.Item, Amount: it.Amount.Plain()}
		}
		return out
	}
	out := &apiFee{Period: f.Period, Currency: f.Currency, Income: items(f.Income), Expense: items(f.Expense),
		TotalIncome: f.TotalIncome.Plain(), TotalExpense: f.TotalExpense.Plain()}
	// The balance is the difference of the two totals as published, so
	// that a reader who subtracts them gets the same figure.
	in, _ := decimal.NewFromString(out.TotalIncome)
	ex, _ := decimal.NewFromString(out.TotalExpense)
	out.Balance = in.Sub(ex).StringFixed(2)
	if f.Fund.Opening.Set || f.Fund.Closing.Set {
		out.Fund = &apiFeeFund{Opening: f.Fund.Opening.Plain(), Closing: f.Fund.Closing.Plain()}
	}
	return out
}

// apiTime formats t in RFC 3339 in the site's time zone, or "" when t is zero.
func apiTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

// apiParams copies a page's [params] for JSON. TOML dates become strings:
// a date-time in RFC 3339 in the site's time zone (one written without an
// offset is in that zone, as in front matter), a date alone as
// "2006-01-02", a time alone as "15:04:05". Maps with non-string keys get
// string keys, and numbers that JSON cannot hold (NaN, ±Inf) become null.
func apiParams(params map[string]any, loc *time.Location) map[string]any {
	out := map[string]any{}
	for k, v := range params {
		out[k] = apiParam(v, loc)
	}
	return out
}

func apiParam(v any, loc *time.Location) any {
	switch v := v.(type) {
	case map[string]any:
		return apiParams(v, loc)
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[fmt.Sprint(k)] = apiParam(x, loc)
		}
		return m
	case []map[string]any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = apiParams(x, loc)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = apiParam(x, loc)
		}
		return out
	case time.Time:
		switch v.Location().String() {
		case "time-local":
			return v.Format(time.TimeOnly)
		case "date-local":
			return v.Format(time.DateOnly)
		case "datetime-local":
			v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), loc)
		}
		return v.In(loc).Format(time.RFC3339Nano)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
	}
	return v
}

// apiTags lists every tag by name with its pages, newest first.
func (s *Site) apiTags() *apiTags {
	doc := &apiTags{Tags: []apiTag{}}
	tags := s.byURL["/tags/"]
	if tags == nil || tags.Kind != KindTags {
		return doc
	}
	for _, tp := range tags.Sections {
		t := apiTag{Name: tp.Title, URL: tp.RelPermalink, Count: len(tp.Pages), Pages: make([]string, len(tp.Pages))}
		for i, p := range tp.Pages {
			t.Pages[i] = p.RelPermalink
		}
		doc.Tags = append(doc.Tags, t)
	}
	return doc
}

func apiSurveyOf(sv *Survey, loc *time.Location) *apiSurvey {
	out := &apiSurvey{Opens: apiTime(sv.Opens, loc), Closes: apiTime(sv.Closes, loc), State: string(sv.State), Codes: sv.Codes,
		Questions: make([]apiSurveyQuestion, len(sv.Questions))}
	for i, q := range sv.Questions {
		aq := apiSurveyQuestion{ID: q.ID, Kind: string(q.Kind), Text: q.Text, Help: q.Help, Optional: !q.Required(),
			Options: []apiSurveyOption{}}
		if q.Kind == survey.Multiple {
			aq.Max = q.MaxChoices()
		}
		if q.Kind == survey.Text {
			aq.MaxLength = q.Limit()
		}
		if q.Kind != survey.Text {
			for _, c := range q.Choices() {
				aq.Options = append(aq.Options, apiSurveyOption{ID: c.ID, Label: c.Label})
			}
		}
		out.Questions[i] = aq
	}
	r := sv.Results
	if r == nil {
		return out
	}
	fig := func(f survey.Figure) *int {
		if f.Hidden {
			return nil
		}
		n := f.N
		return &n
	}
	res := &apiSurveyResults{FewerThan: survey.Fewer, GeneratedAt: apiTime(r.GeneratedAt, loc), Responses: fig(r.Responses),
		Households: r.Households, Questions: []apiSurveyCounted{}}
	if r.HasShare {
		share := r.Share
		res.Share = &share
	}
	for _, q := range r.Questions {
		c := apiSurveyCounted{ID: q.ID, Kind: string(q.Kind), Answered: fig(q.Answered), Options: []apiSurveyFigure{}}
		if q.HasAverage {
			avg := float64(q.AverageTenths) / 10
			c.Average = &avg
		}
		for _, o := range q.Options {
			f := apiSurveyFigure{ID: o.ID, Label: o.Label, Count: fig(o.Count)}
			if !o.Count.Hidden {
				pct := o.Percent
				f.Percent = &pct
			}
			c.Options = append(c.Options, f)
		}
		res.Questions = append(res.Questions, c)
	}
	out.Results = res
	return out
}
