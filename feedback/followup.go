package feedback

import (
	"net/http"
	"net/url"
	"strconv"
)

// rate handles POST /feedback/status: a resident's verdict on their
// resolved case (ref, verdict, comment), from the form on the status page,
// which works without JavaScript. The reference is the only key, so the
// answer is taken once per case and the page shows nothing of it but
// thanks; it is answered with a redirect to the status page.
func (h *Handler) rate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if ok, wait := h.lookups.allow(clientKey(r, h.cfg.TrustedProxies), h.now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		h.pages.Status(w, r, http.StatusTooManyRequests, StatusView{Limited: true})
		return
	}
	kind, err := requestKind(r)
	if err == nil && kind != bodyForm {
		err = Errorf(EUNSUPPORTED, "Send the form.")
	}
	var form url.Values
	if err == nil {
		form, err = readSmallForm(w, r)
	}
	if err != nil {
		h.pages.Status(w, r, answerStatus(w, err), StatusView{Error: h.rateMessage(err)})
		return
	}
	ref, ok := ParseRef(form.Get("ref"))
	if !ok {
		h.pages.Status(w, r, http.StatusNotFound, StatusView{})
		return
	}
	ch := Change{Verdict: Verdict(form.Get("verdict")), Comment: form.Get("comment"), Via: ViaResident}
	if !ch.Verdict.Valid() {
		err = Errorf(EINVALID, "choose an answer")
	} else {
		_, err = h.store.Update(r.Context(), ref, ch, h.now())
	}
	if err == nil {
		h.log.Info("feedback verdict", "ref", ref, "verdict", string(ch.Verdict), "via", string(ViaResident))
		http.Redirect(w, r, h.path("/feedback/status")+"?ref="+url.QueryEscape(ref), http.StatusSeeOther)
		return
	}
	c, cerr := h.store.Case(r.Context(), ref)
	if ErrorCode(cerr) == ENOTFOUND {
		// A decoy's page never asks; answer as for a real case that does
		// not, so that a bot learns nothing.
		if at, derr := h.store.Decoy(r.Context(), ref); derr == nil {
			c, cerr = &Case{Ref: ref, Status: StatusReceived, CreatedAt: at, History: []Event{{At: at, Status: StatusReceived}}}, nil
			err = Errorf(ECONFLICT, "not resolved")
		}
	}
	if cerr != nil {
		h.logError(r, "verdict", cerr)
		h.pages.Status(w, r, answerStatus(w, cerr), StatusView{})
		return
	}
	h.logError(r, "verdict", err)
	v := PublicView(c)
	v.Error = h.rateMessage(err)
	h.pages.Status(w, r, answerStatus(w, err), v)
}

// rateMessage is the sentence the status page shows when a verdict was
// not taken.
func (h *Handler) rateMessage(err error) string {
	lang := langOr(h.cfg.Language)
	switch ErrorCode(err) {
	case EINVALID:
		return uiString(lang, "verdict invalid")
	case ECONFLICT:
		return uiString(lang, "verdict not asked")
	case ETOOLARGE:
		return uiString(lang, "verdict too long")
	}
	return formMessage(lang, err)
}
