package main

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/survey"
)

// themePages renders the pages that the server makes at run time (search
// results, the feedback form shown again, the thanks and status pages) with
// the site's own templates, from the site of the latest good build.
type themePages struct {
	site   atomic.Pointer[site.Site]
	index  func() *search.Index // nil when there is no index
	logger *slog.Logger
}

// render writes the theme's page name with data, or a plain error page when
// the template fails (a template error is the site's fault, not the
// resident's, and is logged without personal data).
func (p *themePages) render(w http.ResponseWriter, status int, name, u string, data any) {
	s := p.site.Load()
	var body []byte
	var err error
	if s != nil {
		body, err = s.RenderPage(name, u, data)
	}
	p.write(w, status, body, s != nil, err, "render page", "page", name)
}

// write sends a page rendered at run time, or a plain error page when
// there was nothing to render (ok false) or the template failed. A
// template error is the site's fault, not the resident's, and is logged
// with what (never with the resident's data).
func (p *themePages) write(w http.ResponseWriter, status int, body []byte, ok bool, err error, msg string, what ...any) {
	if !ok || err != nil {
		if err != nil && p.logger != nil {
			p.logger.Error(msg, append(what, "err", err)...)
		}
		http.Error(w, "The page could not be shown. Please try again later.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// Form implements feedback.Pages.
func (p *themePages) Form(w http.ResponseWriter, r *http.Request, status int, v feedback.FormView) {
	p.render(w, status, "feedback", "/feedback/", v)
}

// Thanks implements feedback.Pages.
func (p *themePages) Thanks(w http.ResponseWriter, r *http.Request, ref string) {
	p.render(w, http.StatusOK, "thanks", "/feedback/thanks/", struct{ Ref string }{ref})
}

// Status implements feedback.Pages.
func (p *themePages) Status(w http.ResponseWriter, r *http.Request, status int, v feedback.StatusView) {
	p.render(w, status, "status", "/feedback/status", v)
}

// Staff implements feedback.StaffFrame: the staff workspace in the
// site's theme, its body rendered by the feedback package.
func (p *themePages) Staff(w http.ResponseWriter, r *http.Request, status int, v feedback.StaffPage) {
	p.render(w, status, "staff", "/staff/", v)
}

// searchPage is what the theme's search.html gets as .Data.
type searchPage struct {
	*search.Result
	Error      string
	Prev, Next string
}

// ServeHTTP answers GET /search: the results page in the site's theme,
// which works without JavaScript.
func (p *themePages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Use GET.", http.StatusMethodNotAllowed)
		return
	}
	req, err := search.ParseRequest(r)
	data := &searchPage{Result: &search.Result{Query: r.URL.Query().Get("q")}}
	lang := "zh-CN"
	if s := p.site.Load(); s != nil {
		lang = s.Config.Language
	}
	if err != nil {
		data.Error = search.LocalMessage(lang, err)
		p.render(w, search.StatusOf(err), "search", "/search", data)
		return
	}
	var idx *search.Index
	if p.index != nil {
		idx = p.index()
	}
	if req.Q == "" || idx == nil {
		if idx == nil && req.Q != "" {
			data.Error = search.LocalMessage(lang, search.ErrNoIndex)
			p.render(w, http.StatusServiceUnavailable, "search", "/search", data)
			return
		}
		p.render(w, http.StatusOK, "search", "/search", data)
		return
	}
	res, err := idx.Search(r.Context(), req)
	if err != nil {
		data.Error = search.LocalMessage(lang, err)
		p.render(w, search.StatusOf(err), "search", "/search", data)
		return
	}
	data.Result = res
	searchURL := "/search"
	if s := p.site.Load(); s != nil {
		searchURL = s.View.Endpoints.Search
	}
	link := func(offset int) string {
		q := url.Values{"q": {req.Q}}
		if req.Section != "" {
			q.Set("section", req.Section)
		}
		if offset > 0 {
			q.Set("page", strconv.Itoa(offset/res.Page.Limit+1))
		}
		return searchURL + "?" + q.Encode()
	}
	if res.Page.HasPrev {
		data.Prev = link(res.Page.PrevOffset)
	}
	if res.Page.HasNext {
		data.Next = link(res.Page.NextOffset)
	}
	p.render(w, http.StatusOK, "search", "/search", data)
}

var (
	_ feedback.Pages      = (*themePages)(nil)
	_ feedback.StaffFrame = (*themePages)(nil)
)

// survey finds a survey of the latest good build, for the survey handler.
func (p *themePages) survey(slug string) (survey.Target, bool) {
	s := p.site.Load()
	if s == nil {
		return survey.Target{}, false
	}
	for _, pg := range s.Pages {
		if pg.Survey != nil && pg.Survey.Slug == slug {
			return survey.Target{Survey: &pg.Survey.Survey, Page: pg.RelPermalink}, true
		}
	}
	return survey.Target{}, false
}

// surveys lists the surveys of the latest good build, for the staff
// workspace.
func (p *themePages) surveys() []survey.Target {
	s := p.site.Load()
	if s == nil {
		return nil
	}
	var out []survey.Target
	for _, pg := range s.Pages {
		if pg.Survey != nil {
			out = append(out, survey.Target{Survey: &pg.Survey.Survey, Page: pg.RelPermalink})
		}
	}
	return out
}

// SurveyForm implements survey.Pages: the survey's page with the form as
// the resident filled it in.
func (p *themePages) SurveyForm(w http.ResponseWriter, r *http.Request, status int, slug string, v *survey.FormView) {
	s := p.site.Load()
	var body []byte
	var err error
	found := false
	if s != nil {
		body, found, err = s.RenderSurvey(slug, v)
	}
	p.write(w, status, body, found, err, "render survey", "survey", slug)
}

// servePrefix returns the path lobby serve serves the site under: its
// base URL's path, as built, unescaped as the server matches requests.
func servePrefix(sc *site.Config) (string, error) {
	if err := site.CheckBaseURL(sc.BaseURL); err != nil {
		return "", msgBaseURLFlag.Error(err)
	}
	return url.PathUnescape(sc.BasePath())
}

// nextExpiry returns the first moment after now at which a notice of s
// expires or a survey of s opens or closes, or the zero time.
func nextExpiry(s *site.Site, now time.Time) time.Time {
	var next time.Time
	for _, p := range s.Pages {
		if n := p.Notice; n != nil && n.Expires.After(now) && (next.IsZero() || n.Expires.Before(next)) {
			next = n.Expires
		}
		// A survey's page shows its form only while it is open.
		if sv := p.Survey; sv != nil {
			for _, t := range []time.Time{sv.Opens, sv.Closes} {
				if t.After(now) && (next.IsZero() || t.Before(next)) {
					next = t
				}
			}
		}
	}
	return next
}
