package feedback

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// submit handles POST /api/v1/feedback: a form post answers 303 to the
// thanks page, JSON answers 201 {"ref","status"}; errors show the form
// again or answer JSON, with the status statusCode gives.
func (h *Handler) submit(w http.ResponseWriter, r *http.Request) {
	kind, err := requestKind(r)
	if err != nil {
		h.errorJSON(w, r, "submit", err)
		return
	}
	fail := func(err error, raw rawSubmission) {
		if kind == bodyJSON {
			h.errorJSON(w, r, "submit", err)
			return
		}
		h.logError(r, "submit", err)
		view := FormView{Values: raw.typed(), Errors: map[string]string{}}
		if v, ok := err.(*ValidationError); ok {
			view.Errors = h.messages(v.Fields)
		} else {
			view.Errors[FieldForm] = formMessage(h.cfg.Language, err)
		}
		h.pages.Form(w, r, answerStatus(w, err), view)
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	raw, err := decodeBody(r, kind)
	if err != nil {
		fail(err, raw)
		return
	}
	// The limit is checked after reading the (bounded) body, so that a
	// resident at the limit gets the form back with what they typed.
	giveBack := func() {}
	if h.limit != nil {
		ok, wait, back := h.limit.take(clientKey(r, h.cfg.TrustedProxies), h.now())
		if !ok {
			// A retry of a submission already stored is answered as the
			// first time was, limit or not: it stores nothing new.
			if ref, ok := h.storedRetry(r, raw); ok {
				h.log.Info("feedback retry", "ref", ref)
				h.created(w, r, kind, ref)
				return
			}
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
			fail(Errorf(ERATELIMIT, "Too many submissions from your address: please wait %d minutes and try again, or call the office.", (retryAfterSeconds(wait)+59)/60), raw)
			return
		}
		giveBack = back
	}
	if raw.values[FieldWebsite] != "" {
		// A bot filled the honeypot: it gets what a person would, a
		// reference whose status page reads "received", and nothing else
		// is stored.
		h.log.Info("feedback honeypot")
		ref, err := h.store.CreateDecoy(r.Context(), h.now())
		if err != nil {
			fail(err, raw)
			return
		}
		h.created(w, r, kind, ref)
		return
	}
	s := raw.submission()
	verr := s.Validate()
	if len(raw.errors) > 0 {
		fields := raw.errors
		if v, ok := verr.(*ValidationError); ok {
			for f, c := range v.Fields {
				if _, seen := fields[f]; !seen {
					fields[f] = c
				}
			}
		}
		verr = &ValidationError{Fields: fields}
	}
	if verr != nil {
		fail(verr, raw)
		return
	}
	c, existed, err := h.store.Create(r.Context(), NewCase(s, h.now()))
	if err != nil {
		fail(err, raw)
		return
	}
	if existed {
		giveBack() // a retry is not a new submission
		if c.Fingerprint != s.Fingerprint() {
			fail(Errorf(EKEYREUSED, "This key was already used for a different submission: send it with a new key."), raw)
			return
		}
		h.log.Info("feedback retry", "ref", c.Ref)
		h.created(w, r, kind, c.Ref)
		return
	}
	failpoint(FailpointAfterCommit) // inert unless LOBBY_FAILPOINT arms it; see failpoint.go
	h.log.Info("feedback received", "ref", c.Ref, "category", string(c.Category))
	if h.notify != nil {
		h.notify.send(notice{Event: noticeNew, Case: c})
	}
	h.created(w, r, kind, c.Ref)
}

// created answers a stored (or pretended) submission.
func (h *Handler) created(w http.ResponseWriter, r *http.Request, kind bodyKind, ref string) {
	status := h.path("/feedback/status") + "?ref=" + url.QueryEscape(ref)
	if kind == bodyForm {
		http.Redirect(w, r, h.path("/feedback/thanks/")+"?ref="+url.QueryEscape(ref), http.StatusSeeOther)
		return
	}
	w.Header().Set("Location", status)
	writeJSON(w, http.StatusCreated, map[string]string{"ref": ref, "status": string(StatusReceived)})
}

// path returns p, a path from the site's root, below the base path.
func (h *Handler) path(p string) string { return sitePath(h.cfg.BasePath, p) }

// thanks handles GET /feedback/thanks/?ref=REF.
func (h *Handler) thanks(w http.ResponseWriter, r *http.Request) {
	ref, _ := ParseRef(r.URL.Query().Get("ref"))
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.pages.Thanks(w, r, ref)
}

// Status lookups allowed per client address: a resident looks up a few
// references now and then; a whole building behind one address still fits.
const (
	statusLookupEvents = 60
	statusLookupPer    = 10 * time.Minute
)

// status handles GET /feedback/status?ref=REF: where the case stands,
// without personal data or staff notes.
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	q := r.URL.Query().Get("ref")
	if q == "" {
		h.pages.Status(w, r, http.StatusOK, StatusView{}) // the lookup form
		return
	}
	if ok, wait := h.lookups.allow(clientKey(r, h.cfg.TrustedProxies), h.now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		h.pages.Status(w, r, http.StatusTooManyRequests, StatusView{Limited: true})
		return
	}
	ref, ok := ParseRef(q)
	if !ok {
		h.pages.Status(w, r, http.StatusNotFound, StatusView{})
		return
	}
	c, err := h.store.Case(r.Context(), ref)
	if ErrorCode(err) == ENOTFOUND {
		// A reference given to a bot caught by the honeypot reads as a
		// case just received, so the bot cannot tell it was caught.
		if at, derr := h.store.Decoy(r.Context(), ref); derr == nil {
			c, err = &Case{Ref: ref, Status: StatusReceived, CreatedAt: at, History: []Event{{At: at, Status: StatusReceived}}}, nil
		}
	}
	if err != nil {
		h.logError(r, "status", err)
		code := answerStatus(w, err)
		h.pages.Status(w, r, code, StatusView{})
		return
	}
	h.pages.Status(w, r, http.StatusOK, PublicView(c))
}

// storedRetry reports whether raw is a retry, with the same key and
// content, of a case already stored, and returns its reference.
func (h *Handler) storedRetry(r *http.Request, raw rawSubmission) (string, bool) {
	s := raw.submission()
	if s.Key == "" || s.Validate() != nil || len(raw.errors) > 0 {
		return "", false
	}
	c, err := h.store.CaseByKey(r.Context(), s.Key)
	if err != nil || c.Fingerprint != s.Fingerprint() {
		return "", false
	}
	return c.Ref, true
}
