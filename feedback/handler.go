package feedback

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// Handler serves the feedback endpoint, the residents' thanks and status
// pages, and (when a staff token is configured) the staff API and pages.
// The server mounts it on /api/v1/feedback, /feedback/thanks/,
// /feedback/status, /api/v1/staff/ and /staff/.
type Handler struct {
	store Store
	cfg   Config
	now   func() time.Time
	log   *slog.Logger
	pages Pages
	mux   *http.ServeMux
	cop   *http.CrossOriginProtection
	form  *http.CrossOriginProtection
	limit *limiter // nil when rate limiting is off
	auth  *authLimiter
	// lookups limits status page lookups per client address, so that
	// references cannot be tried by the thousand.
	lookups *limiter
	notify  *notifier
	// staffOn is true when a staff token that CheckStaffToken accepts is
	// configured: only then are the staff routes mounted.
	staffOn bool
}

// NewHandler returns a Handler that keeps cases in store and reads the time
// from now. A nil logger discards logs; nil pages means PlainPages in
// cfg.Language. Call Close when done, to wait for notifications.
func NewHandler(store Store, cfg Config, now func() time.Time, logger *slog.Logger, pages Pages) *Handler {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if pages == nil {
		pages = PlainPages{Lang: cfg.Language, Location: cfg.Location, BasePath: cfg.BasePath}
	}
	h := &Handler{store: store, cfg: cfg, now: now, log: logger, pages: pages, mux: http.NewServeMux()}
	h.cop = http.NewCrossOriginProtection()
	h.cop.SetDenyHandler(http.HandlerFunc(h.crossOrigin))
	// Residents' submissions may come from the site's pages on a static
	// host; staff actions only ever from this server's own pages, so the
	// trust goes to a protection of their own.
	h.form = http.NewCrossOriginProtection()
	h.form.SetDenyHandler(http.HandlerFunc(h.crossOrigin))
	if cfg.SiteOrigin != "" {
		if err := h.form.AddTrustedOrigin(cfg.SiteOrigin); err != nil {
			// cmd checks the origin first; should one slip through, the
			// form stays closed to other origins rather than open to all.
			logger.Error("feedback: site origin not trusted", "origin", cfg.SiteOrigin, "err", err)
		}
	}
	if cfg.RateEvents > 0 && cfg.RatePer > 0 {
		h.limit = newLimiter(cfg.RateEvents, cfg.RatePer, cfg.MaxClients)
	}
	h.auth = newAuthLimiter(cfg.MaxClients)
	h.lookups = newLimiter(statusLookupEvents, statusLookupPer, cfg.MaxClients)
	if len(cfg.NotifyCommand) > 0 {
		h.notify = newNotifier(cfg.NotifyCommand, cfg.NotifyTimeout, logger)
	}

	if len(armedFailpoints) > 0 {
		logger.Warn("feedback: failpoints armed: the server will exit on purpose (tests only)", "env", FailpointEnv)
	}

	h.mux.Handle("POST /api/v1/feedback", h.form.Handler(http.HandlerFunc(h.submit)))
	h.mux.HandleFunc("GET /feedback/thanks/{$}", h.thanks)
	h.mux.HandleFunc("GET /feedback/status", h.status)
	h.mux.Handle("POST /feedback/status", h.form.Handler(http.HandlerFunc(h.rate)))
	if cfg.StaffToken != "" {
		if err := CheckStaffToken(cfg.StaffToken); err != nil {
			logger.Error("feedback: the staff pages and API are off", "reason", err.Error())
		} else {
			h.staffOn = true
			h.staffRoutes()
		}
	}
	return h
}

// ServeHTTP dispatches to the feedback routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// Close waits for the notifications still running; the store is the
// caller's to close.
func (h *Handler) Close() {
	if h.notify != nil {
		h.notify.close()
	}
}

// statusCode maps an error to the HTTP status it is answered with. It is
// the only place that does.
func statusCode(err error) int {
	switch ErrorCode(err) {
	case EINVALID:
		return http.StatusBadRequest
	case EUNAUTHORIZED:
		return http.StatusUnauthorized
	case EFORBIDDEN:
		return http.StatusForbidden
	case ENOTFOUND:
		return http.StatusNotFound
	case ECONFLICT:
		return http.StatusConflict
	case ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case EKEYREUSED:
		return http.StatusUnprocessableEntity
	case ERATELIMIT:
		return http.StatusTooManyRequests
	case EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// unavailableRetryAfter is the Retry-After, in seconds, of a 503: long
// enough for a database restart or a reconnection, short enough that a
// resident's retry comes while they still wait.
const unavailableRetryAfter = "5"

// answerStatus returns the status err is answered with, setting the
// headers that status needs: a 503 tells the client when to try again.
func answerStatus(w http.ResponseWriter, err error) int {
	code := statusCode(err)
	if code == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", unavailableRetryAfter)
	}
	return code
}

// logError logs err when it is the server's fault; the log holds the
// error and what was being done, never what a resident wrote.
func (h *Handler) logError(r *http.Request, op string, err error) {
	if code := statusCode(err); code >= 500 {
		h.log.Error("feedback: "+op, "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// errorJSON answers err as {"error": message}, or {"errors": {field:
// message}} for a *ValidationError, with the status statusCode gives.
func (h *Handler) errorJSON(w http.ResponseWriter, r *http.Request, op string, err error) {
	h.logError(r, op, err)
	if v, ok := err.(*ValidationError); ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": h.messages(v.Fields)})
		return
	}
	writeJSON(w, answerStatus(w, err), map[string]string{"error": ErrorMessage(err)})
}

// messages turns field error codes into sentences in the site's language.
func (h *Handler) messages(fields map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for f, code := range fields {
		out[f] = Message(h.cfg.Language, f, code)
	}
	return out
}

// crossOrigin answers a request that CrossOriginProtection refused.
func (h *Handler) crossOrigin(w http.ResponseWriter, r *http.Request) {
	h.errorJSON(w, r, "cross-origin", Errorf(EFORBIDDEN, "Requests from other websites are not accepted."))
}
