package feedback

import (
	"net/http"
	"net/netip"
	"time"
)

// SubmissionLimit is the limit on residents' posts per client address
// that Config sets, for the server's other endpoints that take posts from
// residents (surveys): they count against a limiter of their own with the
// same rate, so that neither form uses up the other's allowance.
type SubmissionLimit struct {
	l       *limiter
	trusted []netip.Prefix
}

// NewSubmissionLimit returns cfg's limit, or nil when rate limiting is off.
func NewSubmissionLimit(cfg Config) *SubmissionLimit {
	if cfg.RateEvents <= 0 || cfg.RatePer <= 0 {
		return nil
	}
	return &SubmissionLimit{l: newLimiter(cfg.RateEvents, cfg.RatePer, cfg.MaxClients), trusted: cfg.TrustedProxies}
}

// Take takes one post of r's client at now, or reports how long until one
// is allowed (whole seconds, as Retry-After says); giveBack returns the
// post to the allowance, for one that turns out not to count.
func (s *SubmissionLimit) Take(r *http.Request, now time.Time) (ok bool, retryAfterSeconds int, giveBack func()) {
	ok, wait, back := s.l.take(clientKey(r, s.trusted), now)
	if !ok {
		return false, retryAfterSecondsOf(wait), func() {}
	}
	return true, 0, back
}

// Secure reports whether r came over HTTPS, directly or through a trusted
// proxy, so that a cookie set in answer may be marked Secure.
func (s *SubmissionLimit) Secure(r *http.Request) bool {
	return r.TLS != nil || (s != nil && forwardedHTTPS(r, s.trusted))
}

func retryAfterSecondsOf(d time.Duration) int { return retryAfterSeconds(d) }

// StaffPagesOnly lets a request through to next only with a valid staff
// session, as the staff workspace's own pages do (the login form
// otherwise), for pages of the workspace that other packages serve (a
// survey's live tallies). Without a staff token configured it refuses
// every request.
func (h *Handler) StaffPagesOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.staffOn {
			http.NotFound(w, r)
			return
		}
		if _, ok := h.staffSession(w, r, h.loginForm(r, http.StatusUnauthorized)); !ok {
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
