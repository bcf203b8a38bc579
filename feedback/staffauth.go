package feedback

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MinStaffTokenLength is the fewest characters a staff token may have. A
// token of 32 random letters and digits cannot be guessed through a
// limiter that allows a few hundred tries an hour.
const MinStaffTokenLength = 32

// CheckStaffToken reports why a staff token may not be used, or nil. The
// staff pages and API stay off with a token it refuses.
func CheckStaffToken(token string) error {
	switch {
	case strings.TrimSpace(token) == "":
		return errors.New("the staff token (LOBBY_STAFF_TOKEN) is only white space: set it to 32 or more random characters, such as the output of \"openssl rand -hex 24\"")
	case strings.TrimSpace(token) != token:
		return errors.New("the staff token (LOBBY_STAFF_TOKEN) starts or ends with white space, which a login form or an Authorization header would lose: remove it")
	case utf8.RuneCountInString(token) < MinStaffTokenLength:
		return fmt.Errorf("the staff token (LOBBY_STAFF_TOKEN) has %d characters, fewer than %d: set it to a longer random one, such as the output of \"openssl rand -hex 24\"",
			utf8.RuneCountInString(token), MinStaffTokenLength)
	case strings.IndexFunc(token, unicode.IsControl) >= 0:
		return errors.New("the staff token (LOBBY_STAFF_TOKEN) holds control characters: use letters, digits and punctuation")
	}
	return nil
}

// Staff authentication limits. Every way of presenting the token (the
// login form, the session cookie, the bearer API) draws on the same
// limits, so that no route can be guessed on faster than another. Only
// failures count; once a client address, or all of them together, run
// out, every attempt is answered 429 with Retry-After, right or wrong, so
// that guessing learns nothing.
const (
	staffFailEvents   = 10
	staffFailPer      = 10 * time.Minute
	staffGlobalEvents = 100
	staffGlobalPer    = 10 * time.Minute
)

// authLimiter counts failed staff authentications per client address and
// overall.
type authLimiter struct {
	perClient *limiter
	overall   *limiter
}

func newAuthLimiter(maxClients int) *authLimiter {
	return &authLimiter{
		perClient: newLimiter(staffFailEvents, staffFailPer, maxClients),
		overall:   newLimiter(staffGlobalEvents, staffGlobalPer, 1),
	}
}

// blocked reports whether the client key may not try now, and how long
// until it may.
func (a *authLimiter) blocked(key string, now time.Time) (bool, time.Duration) {
	w1 := a.perClient.wait(key, now)
	w2 := a.overall.wait("", now)
	w := max(w1, w2)
	return w > 0, w
}

// failed counts a failed attempt by the client key.
func (a *authLimiter) failed(key string, now time.Time) {
	a.perClient.allow(key, now)
	a.overall.allow("", now)
}

// tokenOK compares a token with the staff token in constant time (hashing
// both first, so that not even the length leaks).
func (h *Handler) tokenOK(token string) bool {
	got := sha256.Sum256([]byte(token))
	want := sha256.Sum256([]byte(h.cfg.StaffToken))
	return h.staffOn && subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// authGate answers 429 with Retry-After, and returns false, when the
// client that sent r may not try to authenticate now.
func (h *Handler) authGate(w http.ResponseWriter, r *http.Request, refuse func(w http.ResponseWriter, err error)) bool {
	blocked, wait := h.auth.blocked(clientKey(r, h.cfg.TrustedProxies), h.now())
	if !blocked {
		return true
	}
	secs := retryAfterSeconds(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	h.log.Warn("feedback: staff authentication refused: too many failures")
	refuse(w, Errorf(ERATELIMIT, "Too many failed attempts: try again in %d minutes.", (secs+59)/60))
	return false
}

// authFailed counts a failed attempt by the client that sent r.
func (h *Handler) authFailed(r *http.Request) {
	h.auth.failed(clientKey(r, h.cfg.TrustedProxies), h.now())
}

// requireToken lets through requests with "Authorization: Bearer TOKEN".
func (h *Handler) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refuse := func(w http.ResponseWriter, err error) { h.errorJSON(w, r, "staff", err) }
		auth := r.Header.Get("Authorization")
		if auth != "" && !h.authGate(w, r, refuse) {
			return
		}
		scheme, token, _ := strings.Cut(auth, " ")
		if !strings.EqualFold(scheme, "Bearer") || !h.tokenOK(strings.TrimSpace(token)) {
			if auth != "" {
				h.authFailed(r)
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="lobby staff"`)
			refuse(w, Errorf(EUNAUTHORIZED, "Send the staff token as \"Authorization: Bearer TOKEN\"."))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// sessionValue is the cookie for a session ending at exp, made in the
// session epoch by the staff member who gave the display name: the three,
// and an HMAC of them keyed by the staff token. It holds no secret and
// works on every server sharing the store; it ends when the token changes
// or the epoch moves on (logout). The name is what staff said at login,
// not a proof of who they are: staff share one token.
func (h *Handler) sessionValue(exp time.Time, epoch int64, name string) string {
	ts := strconv.FormatInt(exp.Unix(), 10) + "." + strconv.FormatInt(epoch, 10) + "." + base64.RawURLEncoding.EncodeToString([]byte(name))
	mac := hmac.New(sha256.New, []byte(h.cfg.StaffToken))
	mac.Write([]byte("lobby staff session " + ts))
	return ts + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// session is what a request's session cookie says.
type session int

const (
	noSession    session = iota // no cookie
	badSession                  // a cookie, but forged, expired or ended
	validSession                // a cookie of a live session
)

// session checks r's session cookie against the clock and the store's
// session epoch, and returns the staff member's display name.
func (h *Handler) session(r *http.Request) (session, string, error) {
	c, err := r.Cookie(staffCookie)
	if err != nil || !h.staffOn {
		return noSession, "", nil
	}
	parts := strings.SplitN(c.Value, ".", 4)
	if len(parts) != 4 {
		return badSession, "", nil
	}
	sec, err1 := strconv.ParseInt(parts[0], 10, 64)
	epoch, err2 := strconv.ParseInt(parts[1], 10, 64)
	name, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || sec <= 0 {
		return badSession, "", nil
	}
	exp := time.Unix(sec, 0)
	if !hmac.Equal([]byte(c.Value), []byte(h.sessionValue(exp, epoch, string(name)))) || !h.now().Before(exp) {
		return badSession, "", nil
	}
	current, err := h.store.SessionEpoch(r.Context())
	if err != nil {
		return noSession, "", err
	}
	if epoch != current {
		return badSession, "", nil
	}
	return validSession, string(name), nil
}

// staffSession checks the session of a staff page request and returns
// the staff member's display name. It answers the request itself (429, a
// store error, or refuse for no or a bad session, with the bad cookie
// cleared) unless the session is valid.
func (h *Handler) staffSession(w http.ResponseWriter, r *http.Request, refuse func(w http.ResponseWriter)) (string, bool) {
	fail := func(w http.ResponseWriter, err error) {
		h.logError(r, "staff session", err)
		h.renderStaff(w, r, answerStatus(w, err), "staff_login.html", staffView{Error: h.staffErrorText(err)})
	}
	if _, err := r.Cookie(staffCookie); err == nil && !h.authGate(w, r, fail) {
		return "", false
	}
	s, name, err := h.session(r)
	switch {
	case err != nil:
		fail(w, err)
		return "", false
	case s == badSession:
		h.authFailed(r)
		h.setSession(w, r, time.Time{}, 0, "") // the browser stops sending it
		refuse(w)
		return "", false
	case s == noSession:
		refuse(w)
		return "", false
	}
	return name, true
}

// setSession sets (or, with a zero exp, clears) the session cookie.
func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, exp time.Time, epoch int64, name string) {
	c := &http.Cookie{
		Name: staffCookie, Path: h.path("/staff/"), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil || forwardedHTTPS(r, h.cfg.TrustedProxies),
	}
	if exp.IsZero() {
		c.MaxAge = -1
	} else {
		c.Value = h.sessionValue(exp, epoch, name)
		c.MaxAge = int(exp.Sub(h.now()).Seconds())
	}
	http.SetCookie(w, c)
}

// staffErrorText is the sentence a staff page shows for err.
func (h *Handler) staffErrorText(err error) string {
	if ErrorCode(err) == ERATELIMIT {
		return uiString(langOr(h.cfg.Language), "too many tries")
	}
	return formMessage(h.cfg.Language, err)
}
