package site

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/survey"
)

// DataDir is the folder of a site's data files that staff commit, such
// as a survey's results (data/surveys/SLUG.json).
const DataDir = "data"

// SurveyResultsFile is the site-relative path of the results of the
// survey with the slug.
func SurveyResultsFile(slug string) string {
	return path.Join(DataDir, "surveys", slug+".json")
}

// Survey holds a survey of a page in surveys/: its questions and window,
// where it stands at build time, and its published results.
type Survey struct {
	survey.Survey
	// State is where the survey stands at build time.
	State survey.State
	// Results are the published results, from data/surveys/SLUG.json;
	// nil until staff commit that file.
	Results *survey.Published
}

// IsOpen reports whether the survey takes answers at build time.
func (s *Survey) IsOpen() bool { return s.State == survey.Open }

// IsUpcoming reports whether the survey has not opened at build time.
func (s *Survey) IsUpcoming() bool { return s.State == survey.Upcoming }

// IsClosed reports whether the survey has closed at build time.
func (s *Survey) IsClosed() bool { return s.State == survey.Closed }

// FieldName is the form field of the question with the id.
func (s *Survey) FieldName(id string) string { return survey.FieldName(id) }

// Messages of the survey pages' build.
var (
	msgCannotRead   = msg.Message{En: "cannot read: %v", Zh: "无法读取：%v"}
	msgBadResults   = msg.Message{En: "%v: write it again with lobby survey results %s", Zh: "%v：请用 lobby survey results %s 重新生成"}
	msgOtherResults = msg.Message{En: "holds the results of survey %q, not of %q", Zh: "这是问卷 %q 的结果，不是 %q 的"}
)

// text appends an error at path:line:col whose message is t.
func (l *ErrorList) text(path string, line, col int, t msg.Text) {
	*l = append(*l, &Error{Path: path, Line: line, Col: col, Msg: t.In(msg.En), Text: t})
}

// loadSurvey makes the survey of p, a page in surveys/, from its front
// matter, reporting mistakes at their lines.
func loadSurvey(file string, fm *parsedFrontMatter, p *Page, loc *time.Location, errs *ErrorList) *Survey {
	sv := &Survey{Survey: survey.Survey{Slug: p.Slug, Title: p.Title, Opens: fm.Opens.in(loc), Closes: fm.Closes.in(loc),
		Codes: fm.Codes, Questions: fm.Questions}}
	for _, pr := range sv.Check() {
		line, col := fm.surveyPos(pr.Question, pr.Option, pr.Key, sv.Questions)
		errs.text(file, line, col, pr.Msg)
	}
	return sv
}

// surveyPos returns the line and column of a key of a survey's front
// matter: a top-level key when q < 0, else the key of question q (its id
// when the key cannot be found), or the line that names option o of it.
func (fm *parsedFrontMatter) surveyPos(q, o int, key string, qs []survey.Question) (int, int) {
	if q < 0 {
		return fm.keyPos(key)
	}
	idLine, idCol := fm.keyPos("questions.id", q)
	line, col := idLine, idCol
	if l, c := fm.keyPos("questions."+key, q); l > fm.line+1 || key == "id" {
		line, col = l, c
	}
	if o < 0 || q >= len(qs) || o >= len(qs[q].Options) {
		return line, col
	}
	// The option's line: the first after the question's options key that
	// holds its id (or, without one, its label).
	needle := qs[q].Options[o].ID
	if needle == "" {
		needle = qs[q].Options[o].Label
	}
	start, _ := fm.keyPos("questions.options", q)
	if start <= fm.line+1 {
		start = idLine
	}
	lines := strings.Split(fm.raw, "\n")
	seen := 0
	for i := start - fm.line - 1; i >= 0 && i < len(lines); i++ {
		if strings.Contains(lines[i], needle) {
			// Count earlier options with the same id, so that a repeated
			// id is placed at its second use.
			if seen == countBefore(qs[q].Options[:o], needle) {
				return fm.line + i + 1, 1 + len(lines[i]) - len(strings.TrimLeft(lines[i], " \t"))
			}
			seen++
		}
	}
	return line, col
}

func countBefore(opts []survey.Option, id string) int {
	n := 0
	for _, o := range opts {
		if o.ID == id {
			n++
		}
	}
	return n
}

// surveyResults reads the results file of p's survey, when there is one:
// it checks that no question or option counted in it was removed or
// changed (results must stay comparable), and publishes them on the page.
// err is what loading p returned; the result adds to it.
func (b *Builder) surveyResults(p *Page, fm *parsedFrontMatter, err error) error {
	if p.Survey == nil || fm == nil {
		return err
	}
	name := SurveyResultsFile(p.Survey.Slug)
	data, rerr := fs.ReadFile(b.fsys, name)
	if errors.Is(rerr, fs.ErrNotExist) {
		return err
	}
	var list ErrorList
	list.add(p.File, err)
	if rerr != nil {
		list.msgf(name, 0, 0, msgCannotRead, rerr)
		return list.err()
	}
	r, perr := survey.ParseResults(data)
	if perr != nil {
		list.msgf(name, 0, 0, msgBadResults, perr, p.Survey.Slug)
		return list.err()
	}
	if r.Survey != p.Survey.Slug {
		list.msgf(name, 0, 0, msgOtherResults, r.Survey, p.Survey.Slug)
		return list.err()
	}
	for _, c := range r.Changes(&p.Survey.Survey) {
		// A question removed is placed at the first question.
		line, col := fm.surveyPos(0, -1, "id", p.Survey.Questions)
		if c.Question >= 0 {
			key := "id"
			switch {
			case c.Option >= 0:
				key = "options"
			case p.Survey.Questions[c.Question].Kind == survey.Rating:
				key = "labels"
			}
			line, col = fm.surveyPos(c.Question, c.Option, key, p.Survey.Questions)
		}
		list.text(p.File, line, col, c.Msg)
	}
	p.Survey.Results = r.Publish()
	return list.err()
}

// openSurveys returns the surveys open at build time, closing soonest
// first.
func (s *Site) openSurveys() []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if p.Survey != nil && p.Survey.IsOpen() {
			out = append(out, p)
		}
	}
	sortStable(out, func(a, b *Page) bool { return a.Survey.Closes.Before(b.Survey.Closes) })
	return out
}

// surveyJobs are the pages a survey adds: its thank-you page.
func (s *Site) surveyJobs() []sectionJob {
	var jobs []sectionJob
	for _, p := range s.Pages {
		if p.Survey == nil {
			continue
		}
		t := &Page{Kind: KindSpecial, URL: p.URL + "thanks/", Dir: p.Dir, Slug: "thanks", Title: p.Title, Parent: p.Parent}
		s.setURLs(t)
		jobs = append(jobs, sectionJob{page: t, layout: "surveys/thanks.html", out: outputPath(t.URL),
			dataType: reflect.TypeFor[*Page](), data: func() (any, error) { return p, nil }})
	}
	return jobs
}

// surveyFormType is the .Data of a survey's page: the form as a resident
// filled it in, empty when the page is built.
var surveyFormType = reflect.TypeFor[*survey.FormView]()

// RenderSurvey renders the page of the survey with the slug again, with
// the form as a resident filled it in, for the server to answer a post
// with errors. It returns false when the site has no such survey.
func (s *Site) RenderSurvey(slug string, form *survey.FormView) ([]byte, bool, error) {
	for _, p := range s.Pages {
		if p.Survey == nil || p.Survey.Slug != slug {
			continue
		}
		l, err := s.tmpl.layoutFor(p)
		if err != nil {
			return nil, true, err
		}
		var buf strings.Builder
		if err := s.tmpl.execute(&buf, l, &View{Site: s.View, Page: p, Data: form}, describe(p)); err != nil {
			return nil, true, err
		}
		return []byte(buf.String()), true, nil
	}
	return nil, false, nil
}

// Surveys returns the surveys of the site, for the server.
func (s *Site) Surveys() []*Survey {
	var out []*Survey
	for _, p := range s.Pages {
		if p.Survey != nil {
			out = append(out, p.Survey)
		}
	}
	return out
}

// SurveyChart draws a question's published results as horizontal bars:
// one row per option with its label, a bar as long as its share, and its
// count and percentage in text (or fewer, such as "少于 5", where the
// count is withheld), so that it reads without colour and aloud.
func SurveyChart(q survey.PublishedQuestion, fewer string) template.HTML {
	if len(q.Options) == 0 {
		return ""
	}
	const width, rowH, barMax = 400, 72, 260
	h := rowH * len(q.Options)
	var b strings.Builder
	id := "survey-chart-" + q.ID
	fmt.Fprintf(&b, `<svg class="survey-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s"><title id="%s">%s</title>`,
		width, h, id, id, template.HTMLEscapeString(q.Text))
	for i, o := range q.Options {
		y := i * rowH
		label := o.Label
		if q.Kind == survey.Rating {
			label = o.ID + " · " + o.Label
		}
		figure := fewer
		w := 0
		if !o.Count.Hidden {
			figure = fmt.Sprintf("%d (%d%%)", o.Count.N, o.Percent)
			w = o.Percent * barMax / 100
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="20" fill="#111">%s</text>`, y+22, template.HTMLEscapeString(label))
		fmt.Fprintf(&b, `<rect x="0" y="%d" width="%d" height="26" fill="#e8eef5"/>`, y+32, barMax)
		if w > 0 {
			fmt.Fprintf(&b, `<rect class="bar" x="0" y="%d" width="%d" height="26" fill="#0d3c61"/>`, y+32, w)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="20" fill="#111">%s</text>`, barMax+8, y+52, template.HTMLEscapeString(figure))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// QRCode draws a QR code of text as an SVG image with a quiet zone, as on
// the notices' posters; its aria-label names the text.
func QRCode(text string) (template.HTML, error) { return qrSVG(text) }
