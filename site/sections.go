package site

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"iter"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/shopspring/decimal"
	"rsc.io/qr"

	"github.com/lobby-community/lobby/internal/msg"
)

// sectionPaths are the files the sections add, known before rendering so
// that pages may link to them.
func (s *Site) sectionPaths() []string {
	var out []string
	if s.byURL["/notices/"] != nil {
		out = append(out, "/notices/feed.xml", "/notices/archive/")
	}
	if s.byURL["/newsletters/"] != nil {
		out = append(out, "/newsletters/feed.xml")
	}
	if s.byURL["/events/"] != nil {
		out = append(out, "/events/calendar.ics")
	}
	if s.byURL["/handbook/"] != nil {
		out = append(out, "/handbook/print/")
	}
	for _, p := range s.Pages {
		switch {
		case p.Notice != nil:
			out = append(out, p.URL+"poster/")
		case p.Event != nil:
			out = append(out, p.URL+"event.ics")
		case p.Fee != nil:
			out = append(out, p.URL+"disclosure.csv")
		case p.Survey != nil:
			out = append(out, p.URL+"thanks/")
		}
	}
	return out
}

// misspeltSections reports the folders at the top of content/ whose names
// are close to a section lobby knows without being it ("notice",
// "evnets"): such a folder would quietly become a section of its own,
// and its pages would miss everything the real section does for them.
// files are the content files read (content paths); declared are the
// folders config.toml's sections names, which are meant as they are.
// Close is within two edits, or one for "fees", whose four letters are
// two edits from common names such as "news" and "faqs".
func misspeltSections(files iter.Seq[string], declared []string) ErrorList {
	var errs ErrorList
	seen := map[string]bool{}
	for f := range files {
		rel, ok := strings.CutPrefix(f, ContentDir+"/")
		if !ok {
			continue
		}
		dir, _, nested := strings.Cut(rel, "/")
		if !nested || seen[dir] {
			continue
		}
		seen[dir] = true
		if _, known := sectionOrder[dir]; known || slices.Contains(declared, dir) {
			continue
		}
		if want := closeSection(dir); want != "" {
			errs.msgf(ContentDir+"/"+dir, 0, 0, msgMisspeltSection, dir, want, ContentDir+"/"+want+"/", dir, ConfigFile)
		}
	}
	return errs
}

var msgMisspeltSection = msg.Message{
	En: "folder %q looks like a misspelling of the section %q: rename it to %s, or, if it is a section of its own, add sections = [%q] at the top of %s",
	Zh: "文件夹 %q 看起来是栏目 %q 拼错了：请改名为 %s；如果它确实是单独的栏目，请在 %[5]s 开头加上 sections = [%[4]q]",
}

// closeSection returns the section lobby knows that name is close to, or "".
func closeSection(name string) string {
	if len(name) > 40 {
		return "" // far from every section, and slow to compare
	}
	lower := strings.ToLower(name)
	best, bestD := "", 3
	for sec := range sectionOrder {
		limit := 2
		if len(sec) < 5 {
			limit = 1
		}
		if d := editDistance(lower, sec); d <= limit && (d < bestD || d == bestD && sec < best) {
			best, bestD = sec, d
		}
	}
	return best
}

// archive returns the notices that have expired, newest first.
func (s *Site) archive() []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if p.Notice != nil && p.Notice.Expired {
			out = append(out, p)
		}
	}
	sortStable(out, func(a, b *Page) bool {
		if !a.Notice.Expires.Equal(b.Notice.Expires) {
			return a.Notice.Expires.After(b.Notice.Expires)
		}
		return a.URL < b.URL
	})
	return out
}

// handbookOrder returns the handbook's pages in reading order.
func (s *Site) handbookOrder() []*Page {
	hb := s.byURL["/handbook/"]
	if hb == nil {
		return nil
	}
	out := []*Page{hb}
	for p := hb.Next; p != nil; p = p.Next {
		out = append(out, p)
	}
	if len(out) == 1 {
		// The chain starts at the handbook's first child.
		for _, p := range s.Pages {
			if p.Section == "handbook" && p.Prev == nil && p.Next != nil {
				for q := p; q != nil; q = q.Next {
					out = append(out, q)
				}
				break
			}
		}
	}
	return out
}

// sectionJob is a page that a section adds, rendered with a layout of its
// own. data makes what the layout gets as .Data (a *Paginator is passed as
// .Paginator instead), of type dataType; bodies are the pages whose bodies
// it holds.
type sectionJob struct {
	page     *Page
	layout   string
	out      string
	data     func() (any, error)
	dataType reflect.Type
	bodies   []*Page
}

// Poster is what the poster layout of a notice gets as .Data.
type Poster struct {
	Notice *Page
	// QR is an SVG image of a QR code that links to the notice's absolute URL.
	QR template.HTML
}

// sectionPages returns the pages that sections add: the notice archive,
// notice posters and the printable handbook.
func (s *Site) sectionPages() []sectionJob {
	var jobs []sectionJob
	special := func(u, name, title string) *Page {
		p := &Page{Kind: KindSpecial, URL: u, Dir: name, Slug: name, Title: title, Parent: s.byURL[path0(u)]}
		s.setURLs(p)
		return p
	}
	if s.byURL["/notices/"] != nil {
		p := special("/notices/archive/", "archive", s.tmpl.strings["archive_title"])
		for _, pg := range paginate(s.base, p.URL, s.archive(), s.Config.Paginate) {
			jobs = append(jobs, sectionJob{page: p, layout: "notices/archive.html", out: outputPath(pg.path),
				data: func() (any, error) { return pg, nil }})
		}
	}
	if s.byURL["/handbook/"] != nil {
		p := special("/handbook/print/", "print", s.byURL["/handbook/"].Title)
		p.Pages = s.handbookOrder()
		chapterPages := p.Pages[1:] // the first is the handbook's own page
		jobs = append(jobs, sectionJob{page: p, layout: "handbook/print.html", out: "handbook/print/index.html",
			bodies: chapterPages, dataType: reflect.TypeFor[[]PrintChapter](), data: func() (any, error) {
				var chapters []PrintChapter
				for i, q := range chapterPages {
					id := fmt.Sprintf("ch-%d", i+1)
					chapters = append(chapters, PrintChapter{Page: q, ID: id, Content: prefixIDs(q.Content, id+"-")})
				}
				return chapters, nil
			}})
	}
	for _, p := range s.Pages {
		if p.Notice == nil {
			continue
		}
		jobs = append(jobs, sectionJob{page: p, layout: "notices/poster.html", out: outputPath(p.URL + "poster/"),
			dataType: reflect.TypeFor[*Poster](), data: func() (any, error) {
				svg, err := qrSVG(p.Permalink)
				if err != nil {
					return nil, fmt.Errorf("QR code for %s: %w", p.File, err)
				}
				return &Poster{Notice: p, QR: svg}, nil
			}})
	}
	return append(jobs, s.surveyJobs()...)
}

// PrintChapter is one page of the printable handbook: its content with
// every id prefixed, so that headings of different pages do not clash.
type PrintChapter struct {
	Page    *Page
	ID      string
	Content template.HTML
}

// prefixIDs prefixes the id attributes and same-page links of rendered
// Markdown (headings, footnotes), which lobby's renderer writes as id="…"
// and href="#…".
func prefixIDs(h template.HTML, prefix string) template.HTML {
	s := strings.ReplaceAll(string(h), ` id="`, ` id="`+prefix)
	s = strings.ReplaceAll(s, ` href="#`, ` href="#`+prefix)
	return template.HTML(s)
}

// path0 is the section URL of a URL: "/notices/archive/" → "/notices/".
func path0(u string) string {
	parts := strings.SplitN(strings.Trim(u, "/"), "/", 2)
	return "/" + parts[0] + "/"
}

// qrSVG draws a QR code for text as an SVG image: one path with a
// rectangle for each horizontal run of dark modules, and a four-module
// quiet zone.
func qrSVG(text string) (template.HTML, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	const quiet = 4
	n := code.Size + 2*quiet
	b := make([]byte, 0, 512+code.Size*code.Size*4)
	b = fmt.Appendf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="QR code: %s">`,
		n, n, template.HTMLEscapeString(text))
	b = fmt.Appendf(b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			// M x y h run v1 h -run z
			b = append(b, 'M')
			b = strconv.AppendInt(b, int64(x+quiet), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(y+quiet), 10)
			b = append(b, 'h')
			b = strconv.AppendInt(b, int64(run), 10)
			b = append(b, "v1h-"...)
			b = strconv.AppendInt(b, int64(run), 10)
			b = append(b, 'z')
			x += run
		}
	}
	b = append(b, `"/></svg>`...)
	return template.HTML(b), nil
}

// calendar renders events as an RFC 5545 calendar: CRLF line endings,
// folded lines, UTC times and UIDs made from the page URL.
func (s *Site) calendar(name string, events []*Page) string {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//lobby//" + s.Config.Title + "//ZH")
	cal.SetName(name)
	host := "lobby"
	if u, err := url.Parse(s.Config.BaseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	for _, p := range events {
		e := p.Event
		ev := cal.AddEvent(strings.Trim(p.URL, "/") + "@" + host)
		stamp := p.Lastmod
		if stamp.IsZero() {
			stamp = e.Start
		}
		ev.SetDtStampTime(stamp.UTC())
		ev.SetStartAt(e.Start.UTC())
		end := e.End
		if end.IsZero() {
			end = e.Start.Add(time.Hour)
		}
		ev.SetEndAt(end.UTC())
		ev.SetSummary(p.Title)
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		desc := p.Summary
		if e.Organizer != "" {
			desc = strings.TrimSpace(e.Organizer + "\n" + desc)
		}
		if desc != "" {
			ev.SetDescription(desc)
		}
		ev.SetURL(p.Permalink)
	}
	return cal.Serialize(ics.WithNewLineWindows)
}

// disclosureCSV writes a fee disclosure as CSV with a byte-order mark, so
// spreadsheets read the Chinese text. Cells that a spreadsheet would take
// for a formula get a leading apostrophe.
func disclosureCSV(buf *bytes.Buffer, p *Page) error {
	f := p.Fee
	buf.Write(bom)
	w := csv.NewWriter(buf)
	w.UseCRLF = true
	rows := [][]string{{"period", "type", "item", "amount", "currency"}}
	for _, it := range f.Income {
		rows = append(rows, []string{f.Period, "income", it.Item, it.Amount.Plain(), f.Currency})
	}
	rows = append(rows, []string{f.Period, "total_income", "", f.TotalIncome.Plain(), f.Currency})
	for _, it := range f.Expense {
		rows = append(rows, []string{f.Period, "expense", it.Item, it.Amount.Plain(), f.Currency})
	}
	rows = append(rows, []string{f.Period, "total_expense", "", f.TotalExpense.Plain(), f.Currency})
	if f.Fund.Opening.Set || f.Fund.Closing.Set {
		rows = append(rows, []string{f.Period, "fund_opening", "", f.Fund.Opening.Plain(), f.Currency},
			[]string{f.Period, "fund_closing", "", f.Fund.Closing.Plain(), f.Currency})
	}
	for _, r := range rows {
		for i, c := range r {
			r[i] = defuseCell(c)
		}
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// defuseCell keeps a spreadsheet from reading a text cell as a formula.
func defuseCell(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r\n", rune(c[0])) {
		if _, err := decimal.NewFromString(c); err == nil {
			return c // a negative amount is a number, not a formula
		}
		return "'" + c
	}
	return c
}

// Chart is an SVG bar chart of a disclosure: income against expense and
// the fund's opening and closing balance, with every bar labelled in text,
// so it reads without colour.
func (f *Fee) Chart() template.HTML {
	type bar struct {
		label string
		value decimal.Decimal
		class string
	}
	bars := []bar{
		{"收入 Income", f.TotalIncome.Value, "income"},
		{"支出 Expense", f.TotalExpense.Value, "expense"},
	}
	if f.Fund.Opening.Set || f.Fund.Closing.Set {
		bars = append(bars, bar{"期初 Opening", f.Fund.Opening.Value, "fund"}, bar{"期末 Closing", f.Fund.Closing.Value, "fund"})
	}
	maxV := decimal.Zero
	for _, b := range bars {
		if b.value.Abs().GreaterThan(maxV) {
			maxV = b.value.Abs()
		}
	}
	// Narrow enough that phones show the 22-unit text at a readable size:
	// each row is a label line, then the bar with its amount after it.
	const width, rowH, barMax = 400, 76, 230
	h := rowH * len(bars)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="fee-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="fee-chart-title"><title id="fee-chart-title">%s</title>`,
		width, h, template.HTMLEscapeString(f.Period+" 收支与维修资金 / income, expense and fund"))
	fill := map[string]string{"income": "#1b5e20", "expense": "#8e2a00", "fund": "#0d3c61"}
	for i, b := range bars {
		w := 1
		if maxV.IsPositive() {
			w = max(int(b.value.Abs().Mul(decimal.NewFromInt(barMax)).Div(maxV).IntPart()), 1)
		}
		y := i * rowH
		fmt.Fprintf(&s, `<text x="0" y="%d" font-size="22" fill="#111">%s</text>`, y+24, b.label)
		fmt.Fprintf(&s, `<rect class="bar-%s" x="0" y="%d" width="%d" height="32" fill="%s"/>`, b.class, y+34, w, fill[b.class])
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="22" fill="#111">%s</text>`, w+8, y+58, Amount{b.value, true})
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// sectionFileJobs make the files of the sections: feeds, calendars and
// CSV.
func (s *Site) sectionFileJobs() []job {
	var jobs []job
	if sec := s.byURL["/notices/"]; sec != nil {
		active := append([]*Page{}, s.View.Notices...)
		sortStable(active, func(a, b *Page) bool { return a.Date.After(b.Date) })
		jobs = append(jobs, job{out: "notices/feed.xml", bodies: active, run: func(b *bytes.Buffer) error {
			return s.atom(b, sec, active, true)
		}})
	}
	if sec := s.byURL["/newsletters/"]; sec != nil {
		jobs = append(jobs, job{out: "newsletters/feed.xml", bodies: s.View.Newsletters, run: func(b *bytes.Buffer) error {
			return s.atom(b, sec, s.View.Newsletters, true)
		}})
	}
	if sec := s.byURL["/events/"]; sec != nil {
		var all []*Page
		for _, p := range s.Pages {
			if p.Event != nil {
				all = append(all, p)
				jobs = append(jobs, job{out: strings.TrimSuffix(outputPath(p.URL), "index.html") + "event.ics",
					run: func(b *bytes.Buffer) error {
						b.WriteString(s.calendar(p.Title, []*Page{p}))
						return nil
					}})
			}
		}
		sortStable(all, func(a, b *Page) bool { return a.Event.Start.Before(b.Event.Start) })
		jobs = append(jobs, job{out: "events/calendar.ics", run: func(b *bytes.Buffer) error {
			b.WriteString(s.calendar(sec.Title+" · "+s.Config.Title, all))
			return nil
		}})
	}
	for _, p := range s.Pages {
		if p.Fee != nil {
			jobs = append(jobs, job{out: strings.TrimPrefix(p.URL, "/") + "disclosure.csv", run: func(b *bytes.Buffer) error {
				return disclosureCSV(b, p)
			}})
		}
	}
	return jobs
}
