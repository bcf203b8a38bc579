package feedback

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
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

func (h *Handler) staffPageRoutes() {
	h.mux.HandleFunc("GET /staff/{$}", h.staffHome)
	h.mux.Handle("POST /staff/login", h.cop.Handler(http.HandlerFunc(h.staffLogin)))
	h.mux.Handle("POST /staff/logout", h.cop.Handler(http.HandlerFunc(h.staffLogout)))
	h.mux.HandleFunc("GET /staff/cases/{ref}", h.staffCase)
	h.mux.Handle("POST /staff/cases/{ref}", h.cop.Handler(http.HandlerFunc(h.staffSet)))
}

// staffView is what the staff templates receive.
type staffView struct {
	Lang  string
	Cases []*Case
	Case  *Case
	Error string
	// Next is the cursor of the next page of the list, empty on the last;
	// Paged is true past the first page.
	Next  string
	Paged bool
}

// renderStaff writes a staff page with headers that keep it private.
func (h *Handler) renderStaff(w http.ResponseWriter, status int, name string, v staffView) {
	t, err := parsePageTemplates(h.cfg.Language, h.cfg.Location, h.cfg.BasePath, "templates/page.html", "templates/staff_form.html", "templates/"+name)
	var buf bytes.Buffer
	if err == nil {
		v.Lang = langOr(h.cfg.Language)
		err = t.ExecuteTemplate(&buf, "page", v)
	}
	if err != nil {
		h.log.Error("feedback: staff page", "err", err)
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", staffCSP)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// staffHome handles GET /staff/: the open cases, or the login form.
func (h *Handler) staffHome(w http.ResponseWriter, r *http.Request) {
	if !h.staffSession(w, r, h.loginForm(http.StatusOK)) {
		return
	}
	after, err := ParseCursor(r.URL.Query().Get("after"))
	var cases []*Case
	var next Cursor
	if err == nil {
		cases, next, err = CasesPage(r.Context(), h.store, Filter{Open: true, After: after}, DefaultPageSize)
	}
	if err != nil {
		h.logError(r, "staff home", err)
		h.renderStaff(w, answerStatus(w, err), "staff_list.html", staffView{Error: ErrorMessage(err)})
		return
	}
	h.renderStaff(w, http.StatusOK, "staff_list.html", staffView{Cases: cases, Next: next.String(), Paged: !after.IsZero()})
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

// staffLogin handles POST /staff/login with the staff token.
func (h *Handler) staffLogin(w http.ResponseWriter, r *http.Request) {
	refuse := func(w http.ResponseWriter, err error) {
		h.logError(r, "staff login", err)
		h.renderStaff(w, answerStatus(w, err), "staff_login.html", staffView{Error: h.staffErrorText(err)})
	}
	if !h.authGate(w, r, refuse) {
		return
	}
	form, err := readSmallForm(w, r)
	if err != nil || !h.tokenOK(form.Get("token")) {
		h.authFailed(r)
		h.renderStaff(w, http.StatusUnauthorized, "staff_login.html", staffView{Error: uiString(langOr(h.cfg.Language), "wrong token")})
		return
	}
	epoch, err := h.store.SessionEpoch(r.Context())
	if err != nil {
		refuse(w, err)
		return
	}
	h.setSession(w, r, h.now().Add(staffSessionLife), epoch)
	http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther)
}

// loginForm answers with the login form and status.
func (h *Handler) loginForm(status int) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) { h.renderStaff(w, status, "staff_login.html", staffView{}) }
}

// staffLogout handles POST /staff/logout. Staff share one token, so a
// logout ends every session, on every server sharing the store: a
// session left open on another computer ends too.
func (h *Handler) staffLogout(w http.ResponseWriter, r *http.Request) {
	if !h.staffSession(w, r, func(w http.ResponseWriter) { http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther) }) {
		return
	}
	if _, err := h.store.EndSessions(r.Context()); err != nil {
		h.logError(r, "staff logout", err)
		h.renderStaff(w, answerStatus(w, err), "staff_list.html", staffView{Error: ErrorMessage(err)})
		return
	}
	h.log.Info("feedback: staff logged out; every session ended")
	h.setSession(w, r, time.Time{}, 0)
	http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther)
}

// staffCase handles GET /staff/cases/{ref}: the whole case and its history.
func (h *Handler) staffCase(w http.ResponseWriter, r *http.Request) {
	if !h.staffSession(w, r, func(w http.ResponseWriter) { http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther) }) {
		return
	}
	h.showStaffCase(w, r, http.StatusOK, "")
}

func (h *Handler) showStaffCase(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ref, ok := ParseRef(r.PathValue("ref"))
	var c *Case
	var err error = Errorf(ENOTFOUND, "There is no case with this reference.")
	if ok {
		c, err = h.store.Case(r.Context(), ref)
	}
	if err != nil {
		h.logError(r, "staff case", err)
		h.renderStaff(w, answerStatus(w, err), "staff_case.html", staffView{Error: ErrorMessage(err)})
		return
	}
	h.renderStaff(w, status, "staff_case.html", staffView{Case: c, Error: msg})
}

// staffSet handles POST /staff/cases/{ref}: a change of status from the
// staff page, answered with a redirect to the case (post/redirect/get).
func (h *Handler) staffSet(w http.ResponseWriter, r *http.Request) {
	if !h.staffSession(w, r, h.loginForm(http.StatusUnauthorized)) {
		return
	}
	form, err := readSmallForm(w, r)
	if err == nil {
		ref, _ := ParseRef(r.PathValue("ref"))
		_, err = h.setStatus(r, ref, statusChange{Status: form.Get("status"), Note: form.Get("note")})
	}
	if err != nil {
		h.logError(r, "staff set", err)
		h.showStaffCase(w, r, answerStatus(w, err), ErrorMessage(err))
		return
	}
	http.Redirect(w, r, h.path("/staff/cases/"+url.PathEscape(r.PathValue("ref"))), http.StatusSeeOther)
}
