package feedback

import (
	"bytes"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The life of a staff session, and its cookie.
const (
	staffSessionLife = 12 * time.Hour
	staffCookie      = "lobby_staff"
)

// staffCSP allows no script and no inline style: the staff pages are plain
// HTML forms.
const staffCSP = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// StaffFrame is implemented by Pages that show the staff workspace in the
// site's theme: the theme's header, type and colours around a body that
// the feedback package renders. Staff must write the whole response with
// status, keeping the headers already set (the staff pages' CSP among
// them), and show Body as it is.
type StaffFrame interface {
	Staff(w http.ResponseWriter, r *http.Request, status int, p StaffPage)
}

// StaffPage is one page of the staff workspace for a StaffFrame.
type StaffPage struct {
	// Title is the page's title, in the site's language.
	Title string
	// Body is the page's main content, escaped HTML.
	Body template.HTML
}

func (h *Handler) staffPageRoutes() {
	h.mux.HandleFunc("GET /staff/{$}", h.staffHome)
	h.mux.HandleFunc("GET /staff/export.csv", h.staffExport)
	h.mux.Handle("POST /staff/login", h.cop.Handler(http.HandlerFunc(h.staffLogin)))
	h.mux.Handle("POST /staff/logout", h.cop.Handler(http.HandlerFunc(h.staffLogout)))
	h.mux.HandleFunc("GET /staff/cases/{ref}", h.staffCase)
	h.mux.Handle("POST /staff/cases/{ref}", h.cop.Handler(http.HandlerFunc(h.staffChange)))
}

// staffView is what the staff templates receive.
type staffView struct {
	Lang string
	// Name is the logged-in staff member's display name.
	Name  string
	Error string

	// The inbox: the query as typed, the overdue cases of the first page,
	// the page of cases, and the links of the pages and the export.
	Form      url.Values
	Heading   string
	Overdue   []CaseView
	Cases     []CaseView
	Paged     bool
	FirstURL  string
	NextURL   string
	ExportURL string

	// The case page.
	Case       *CaseView
	RespondBy  time.Time
	ResolveBy  time.Time
	Statuses   []Status // the statuses the case may move to
	CanFollow  bool     // a phone follow-up can be recorded
	ActionForm url.Values

	// The monthly report.
	Report *ReportPage
}

// renderStaff writes a staff page with headers that keep it private, in
// the site's theme when the Pages can show it.
func (h *Handler) renderStaff(w http.ResponseWriter, r *http.Request, status int, name string, v staffView) {
	t, err := parsePageTemplates(h.cfg.Language, h.cfg.Location, h.cfg.BasePath, "templates/page.html", "templates/staff_form.html", "templates/"+name)
	var title, body bytes.Buffer
	v.Lang = langOr(h.cfg.Language)
	frame, themed := h.pages.(StaffFrame)
	if err == nil {
		err = t.ExecuteTemplate(&title, "title", v)
	}
	if err == nil && themed {
		err = t.ExecuteTemplate(&body, "main", v)
	} else if err == nil {
		err = t.ExecuteTemplate(&body, "page", v)
	}
	if err != nil {
		h.log.Error("feedback: staff page", "err", err)
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Security-Policy", staffCSP)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	if themed {
		frame.Staff(w, r, status, StaffPage{Title: title.String(), Body: template.HTML(body.String())})
		return
	}
	hd.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body.Bytes())
}

// staffHome handles GET /staff/: the inbox, or the login form. By default
// it lists the cases the office still has to act on, oldest first; the
// overdue ones come first on the first page, marked.
func (h *Handler) staffHome(w http.ResponseWriter, r *http.Request) {
	name, ok := h.staffSession(w, r, h.loginForm(r, http.StatusOK))
	if !ok {
		return
	}
	q := r.URL.Query()
	if !q.Has("status") {
		q.Set("status", "pending")
	}
	v := staffView{Name: name, Form: q}
	v.Heading = h.inboxHeading(q)
	lq, err := ParseListQuery(q, h.cfg.Location)
	if err != nil {
		h.renderStaff(w, r, answerStatus(w, err), "staff_list.html", v.withError(staffErrorMessage(err, h.cfg.Language)))
		return
	}
	now := h.now()
	var overdue []*Case
	if !lq.Overdue && lq.After.IsZero() {
		overdue, err = OverdueCases(r.Context(), h.store, lq.Filter, h.cfg.Targets, now)
	}
	var cases []*Case
	var next Cursor
	if err == nil {
		cases, next, err = h.listCases(r, lq, DefaultPageSize)
	}
	if err != nil {
		h.logError(r, "staff home", err)
		h.renderStaff(w, r, answerStatus(w, err), "staff_list.html", v.withError(staffErrorMessage(err, h.cfg.Language)))
		return
	}
	// The overdue cases shown first are not shown again in the page.
	shown := map[string]bool{}
	for _, c := range overdue {
		shown[c.Ref] = true
	}
	rest := cases[:0:0]
	for _, c := range cases {
		if !shown[c.Ref] {
			rest = append(rest, c)
		}
	}
	v.Overdue = ViewCases(overdue, h.cfg.Targets, now)
	v.Cases = ViewCases(rest, h.cfg.Targets, now)
	v.Paged = !lq.After.IsZero()
	link := func(p string, q url.Values) string {
		if enc := q.Encode(); enc != "" {
			return h.path(p) + "?" + enc
		}
		return h.path(p)
	}
	filters := url.Values{}
	for k, vs := range q {
		if k != "after" && len(vs) > 0 && vs[0] != "" {
			filters.Set(k, vs[0])
		}
	}
	v.FirstURL = link("/staff/", filters)
	v.ExportURL = link("/staff/export.csv", filters)
	if !next.IsZero() {
		nq := url.Values{}
		for k := range filters {
			nq.Set(k, filters.Get(k))
		}
		nq.Set("after", next.String())
		v.NextURL = link("/staff/", nq)
	}
	h.renderStaff(w, r, http.StatusOK, "staff_list.html", v)
}

func (v staffView) withError(msg string) staffView {
	v.Error = msg
	return v
}

// inboxHeading names the list that the status filter asks for.
func (h *Handler) inboxHeading(q url.Values) string {
	lang := langOr(h.cfg.Language)
	switch s := q.Get("status"); s {
	case "pending":
		return uiString(lang, "open cases")
	case "", "all":
		return uiString(lang, "all cases list")
	default:
		if st := Status(s); st.Valid() {
			return uiString(lang, "cases in status") + StatusLabel(lang, st)
		}
	}
	return uiString(lang, "cases")
}

// staffExport handles GET /staff/export.csv: the inbox's list, with its
// filters, as a CSV file, for the logged-in session.
func (h *Handler) staffExport(w http.ResponseWriter, r *http.Request) {
	name, ok := h.staffSession(w, r, func(w http.ResponseWriter) { http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther) })
	if !ok {
		return
	}
	fail := func(err error) {
		h.logError(r, "staff export", err)
		h.renderStaff(w, r, answerStatus(w, err), "staff_list.html", staffView{Name: name, Form: r.URL.Query(), Heading: h.inboxHeading(r.URL.Query()), Error: staffErrorMessage(err, h.cfg.Language)})
	}
	lq, err := ParseListQuery(r.URL.Query(), h.cfg.Location)
	if err != nil {
		fail(err)
		return
	}
	h.log.Info("feedback: staff export", "by", name)
	h.exportCSV(w, r, lq, fail)
}

// readSmallForm reads a urlencoded body of at most 64 KiB.
func readSmallForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return nil, Errorf(ETOOLARGE, "The request is too large.")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, Errorf(EINVALID, "The form could not be read.")
	}
	return form, nil
}

// staffLogin handles POST /staff/login with the staff token and the
// display name that the staff member's changes are recorded under.
func (h *Handler) staffLogin(w http.ResponseWriter, r *http.Request) {
	refuse := func(w http.ResponseWriter, err error) {
		h.logError(r, "staff login", err)
		h.renderStaff(w, r, answerStatus(w, err), "staff_login.html", staffView{Error: h.staffErrorText(err)})
	}
	if !h.authGate(w, r, refuse) {
		return
	}
	form, err := readSmallForm(w, r)
	if err != nil || !h.tokenOK(form.Get("token")) {
		h.authFailed(r)
		h.renderStaff(w, r, http.StatusUnauthorized, "staff_login.html", staffView{Error: uiString(langOr(h.cfg.Language), "wrong token"), Form: url.Values{"name": {form.Get("name")}}})
		return
	}
	name, err := CleanStaffName(form.Get("name"))
	if err == nil && name == "" {
		err = Errorf(EINVALID, "no name")
	}
	if err != nil {
		h.renderStaff(w, r, http.StatusBadRequest, "staff_login.html", staffView{Error: uiString(langOr(h.cfg.Language), "name required")})
		return
	}
	epoch, err := h.store.SessionEpoch(r.Context())
	if err != nil {
		refuse(w, err)
		return
	}
	h.setSession(w, r, h.now().Add(staffSessionLife), epoch, name)
	http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther)
}

// loginForm answers with the login form and status.
func (h *Handler) loginForm(r *http.Request, status int) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		h.renderStaff(w, r, status, "staff_login.html", staffView{})
	}
}

// staffLogout handles POST /staff/logout. Staff share one token, so a
// logout ends every session, on every server sharing the store: a
// session left open on another computer ends too.
func (h *Handler) staffLogout(w http.ResponseWriter, r *http.Request) {
	name, ok := h.staffSession(w, r, func(w http.ResponseWriter) { http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther) })
	if !ok {
		return
	}
	if _, err := h.store.EndSessions(r.Context()); err != nil {
		h.logError(r, "staff logout", err)
		h.renderStaff(w, r, answerStatus(w, err), "staff_list.html", staffView{Name: name, Error: staffErrorMessage(err, h.cfg.Language)})
		return
	}
	h.log.Info("feedback: staff logged out; every session ended")
	h.setSession(w, r, time.Time{}, 0, "")
	http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther)
}

// staffCase handles GET /staff/cases/{ref}: the whole case, its history
// and what staff can do with it.
func (h *Handler) staffCase(w http.ResponseWriter, r *http.Request) {
	name, ok := h.staffSession(w, r, func(w http.ResponseWriter) { http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther) })
	if !ok {
		return
	}
	h.showStaffCase(w, r, name, http.StatusOK, "", nil)
}

func (h *Handler) showStaffCase(w http.ResponseWriter, r *http.Request, name string, status int, msg string, form url.Values) {
	ref, ok := ParseRef(r.PathValue("ref"))
	var c *Case
	var err error = Errorf(ENOTFOUND, "There is no case with this reference.")
	if ok {
		c, err = h.store.Case(r.Context(), ref)
	}
	if err != nil {
		h.logError(r, "staff case", err)
		h.renderStaff(w, r, answerStatus(w, err), "staff_case.html", staffView{Name: name, Error: staffErrorMessage(err, h.cfg.Language)})
		return
	}
	cv := ViewCases([]*Case{c}, h.cfg.Targets, h.now())[0]
	v := staffView{Name: name, Case: &cv, Error: msg, ActionForm: form, CanFollow: c.Status == StatusResolved}
	t := h.cfg.Targets[c.Category]
	if _, done := c.FirstResponse(); !done && t.Respond > 0 {
		v.RespondBy = c.CreatedAt.Add(t.Respond)
	}
	if c.Status.Pending() && t.Resolve > 0 {
		v.ResolveBy = c.CreatedAt.Add(t.Resolve)
	}
	for _, st := range Statuses() {
		if CheckTransition(c.Status, st, "x") == nil {
			v.Statuses = append(v.Statuses, st)
		}
	}
	h.renderStaff(w, r, status, "staff_case.html", v)
}

// staffChange handles POST /staff/cases/{ref}: a change of status, a note
// or a phone follow-up from the case page (action = status, note or
// follow-up), recorded under the session's name and answered with a
// redirect to the case (post/redirect/get).
func (h *Handler) staffChange(w http.ResponseWriter, r *http.Request) {
	name, ok := h.staffSession(w, r, h.loginForm(r, http.StatusUnauthorized))
	if !ok {
		return
	}
	form, err := readSmallForm(w, r)
	if err == nil {
		kind := changeStatus
		switch form.Get("action") {
		case "note":
			kind = changeNote
		case "follow-up":
			kind = changeFollowUp
		}
		form.Set("by", name)
		var ch Change
		if ch, err = changeFrom(kind, form.Get); err == nil {
			ref, _ := ParseRef(r.PathValue("ref"))
			_, err = h.change(r, ref, ch)
		}
	}
	if err != nil {
		h.logError(r, "staff change", err)
		h.showStaffCase(w, r, name, answerStatus(w, err), h.changeMessage(err), form)
		return
	}
	http.Redirect(w, r, h.path("/staff/cases/"+url.PathEscape(r.PathValue("ref"))), http.StatusSeeOther)
}

// changeMessage is the sentence the case page shows for a change that
// was refused.
func (h *Handler) changeMessage(err error) string {
	lang := langOr(h.cfg.Language)
	if strings.HasPrefix(lang, "zh") {
		switch ErrorCode(err) {
		case EINVALID:
			return "未保存：" + uiString(lang, "change invalid") + "（" + staffErrorMessage(err, h.cfg.Language) + "）"
		case ECONFLICT:
			return "未保存：" + uiString(lang, "change conflict") + "（" + staffErrorMessage(err, h.cfg.Language) + "）"
		}
	}
	return staffErrorMessage(err, h.cfg.Language)
}
