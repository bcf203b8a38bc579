package feedback

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Staff login attempts allowed per client address, and the life of a
// staff session.
const (
	staffLoginEvents = 10
	staffLoginPer    = 10 * time.Minute
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

// sessionValue is the cookie for a session ending at exp: the time and an
// HMAC of it keyed by the staff token. It holds no secret, works on every
// replica, and ends when the token changes.
func (h *Handler) sessionValue(exp time.Time) string {
	ts := strconv.FormatInt(exp.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(h.cfg.StaffToken))
	mac.Write([]byte("lobby staff session " + ts))
	return ts + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// loggedIn reports whether r carries a valid, unexpired session cookie.
func (h *Handler) loggedIn(r *http.Request) bool {
	c, err := r.Cookie(staffCookie)
	if err != nil {
		return false
	}
	ts, _, ok := strings.Cut(c.Value, ".")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return false
	}
	exp := time.Unix(sec, 0)
	if !h.now().Before(exp) {
		return false
	}
	return hmac.Equal([]byte(c.Value), []byte(h.sessionValue(exp)))
}

// setSession sets (or, with a zero exp, clears) the session cookie.
func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, exp time.Time) {
	c := &http.Cookie{
		Name: staffCookie, Path: "/staff/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil || forwardedHTTPS(r, h.cfg.TrustedProxies),
	}
	if exp.IsZero() {
		c.MaxAge = -1
	} else {
		c.Value = h.sessionValue(exp)
		c.MaxAge = int(exp.Sub(h.now()).Seconds())
	}
	http.SetCookie(w, c)
}

// staffView is what the staff templates receive.
type staffView struct {
	Lang  string
	Cases []*Case
	Case  *Case
	Error string
}

// renderStaff writes a staff page with headers that keep it private.
func (h *Handler) renderStaff(w http.ResponseWriter, status int, name string, v staffView) {
	t, err := parsePageTemplates(h.cfg.Language, h.cfg.Location, "templates/page.html", "templates/staff_form.html", "templates/"+name)
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
	if !h.loggedIn(r) {
		h.renderStaff(w, http.StatusOK, "staff_login.html", staffView{})
		return
	}
	cases, err := h.store.Cases(r.Context(), Filter{Open: true})
	if err != nil {
		h.logError(r, "staff home", err)
		h.renderStaff(w, statusCode(err), "staff_list.html", staffView{Error: ErrorMessage(err)})
		return
	}
	h.renderStaff(w, http.StatusOK, "staff_list.html", staffView{Cases: cases})
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
	if ok, wait := h.logins.allow(clientKey(r, h.cfg.TrustedProxies), h.now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		h.renderStaff(w, http.StatusTooManyRequests, "staff_login.html", staffView{Error: formMessage(h.cfg.Language, Errorf(ERATELIMIT, ""))})
		return
	}
	form, err := readSmallForm(w, r)
	if err != nil || !h.tokenOK(form.Get("token")) {
		h.renderStaff(w, http.StatusUnauthorized, "staff_login.html", staffView{Error: uiString(langOr(h.cfg.Language), "wrong token")})
		return
	}
	h.setSession(w, r, h.now().Add(staffSessionLife))
	http.Redirect(w, r, "/staff/", http.StatusSeeOther)
}

// staffLogout handles POST /staff/logout.
func (h *Handler) staffLogout(w http.ResponseWriter, r *http.Request) {
	h.setSession(w, r, time.Time{})
	http.Redirect(w, r, "/staff/", http.StatusSeeOther)
}

// staffCase handles GET /staff/cases/{ref}: the whole case and its history.
func (h *Handler) staffCase(w http.ResponseWriter, r *http.Request) {
	if !h.loggedIn(r) {
		http.Redirect(w, r, "/staff/", http.StatusSeeOther)
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
		h.renderStaff(w, statusCode(err), "staff_case.html", staffView{Error: ErrorMessage(err)})
		return
	}
	h.renderStaff(w, status, "staff_case.html", staffView{Case: c, Error: msg})
}

// staffSet handles POST /staff/cases/{ref}: a change of status from the
// staff page, answered with a redirect to the case (post/redirect/get).
func (h *Handler) staffSet(w http.ResponseWriter, r *http.Request) {
	if !h.loggedIn(r) {
		h.renderStaff(w, http.StatusUnauthorized, "staff_login.html", staffView{})
		return
	}
	form, err := readSmallForm(w, r)
	if err == nil {
		ref, _ := ParseRef(r.PathValue("ref"))
		_, err = h.setStatus(r, ref, statusChange{Status: form.Get("status"), Note: form.Get("note")})
	}
	if err != nil {
		h.logError(r, "staff set", err)
		h.showStaffCase(w, r, statusCode(err), ErrorMessage(err))
		return
	}
	http.Redirect(w, r, "/staff/cases/"+url.PathEscape(r.PathValue("ref")), http.StatusSeeOther)
}
