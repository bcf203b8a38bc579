package feedback

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// staffRoutes registers the staff API and pages; only called when a staff
// token is configured, so without one they answer 404.
func (h *Handler) staffRoutes() {
	api := func(f http.HandlerFunc) http.Handler { return h.cop.Handler(h.requireToken(f)) }
	h.mux.Handle("GET /api/v1/staff/feedback", api(h.apiList))
	h.mux.Handle("GET /api/v1/staff/feedback/export.csv", api(h.apiExport))
	h.mux.Handle("GET /api/v1/staff/feedback/{ref}", api(h.apiCase))
	h.mux.Handle("PATCH /api/v1/staff/feedback/{ref}", api(h.apiSet))
	h.mux.Handle("POST /api/v1/staff/feedback/{ref}/status", api(h.apiSet))
	h.reportRoutes(api)
	h.staffPageRoutes()
}

// filterFromQuery reads ?status=&since=&open= into a Filter.
func (h *Handler) filterFromQuery(q url.Values) (Filter, error) {
	var f Filter
	if s := q.Get("status"); s != "" {
		st, err := ParseStatus(s)
		if err != nil {
			return f, err
		}
		f.Status = st
	}
	if s := q.Get("since"); s != "" {
		t, err := ParseDate(s, h.cfg.Location)
		if err != nil {
			return f, err
		}
		f.Since = t
	}
	f.Open = q.Get("open") == "true" || q.Get("open") == "1"
	after, err := ParseCursor(q.Get("after"))
	if err != nil {
		return f, err
	}
	f.After = after
	return f, nil
}

// apiList handles GET /api/v1/staff/feedback?status=&since=&open=&limit=&after=:
// a page of cases as a JSON array, with the next page in a Link header
// (rel="next") and in Lobby-Next-Cursor when there is one.
func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := h.filterFromQuery(q)
	if err != nil {
		h.errorJSON(w, r, "staff list", err)
		return
	}
	size, err := ParsePageSize(q.Get("limit"))
	if err != nil {
		h.errorJSON(w, r, "staff list", err)
		return
	}
	cases, next, err := CasesPage(r.Context(), h.store, f, size)
	if err != nil {
		h.errorJSON(w, r, "staff list", err)
		return
	}
	if cases == nil {
		cases = []*Case{}
	}
	if !next.IsZero() {
		q.Set("after", next.String())
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		w.Header().Set("Link", "<"+u.String()+`>; rel="next"`)
		w.Header().Set("Lobby-Next-Cursor", next.String())
	}
	writeJSON(w, http.StatusOK, cases)
}

// apiExport handles GET /api/v1/staff/feedback/export.csv, with the same
// query as the list.
func (h *Handler) apiExport(w http.ResponseWriter, r *http.Request) {
	f, err := h.filterFromQuery(r.URL.Query())
	if err != nil {
		h.errorJSON(w, r, "staff export", err)
		return
	}
	cases, err := h.store.Cases(r.Context(), f)
	if err != nil {
		h.errorJSON(w, r, "staff export", err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="feedback-`+h.now().In(h.loc()).Format("2006-01-02")+`.csv"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	WriteCSV(w, cases, h.cfg.Location)
}

// apiCase handles GET /api/v1/staff/feedback/{ref}.
func (h *Handler) apiCase(w http.ResponseWriter, r *http.Request) {
	ref, ok := ParseRef(r.PathValue("ref"))
	if !ok {
		h.errorJSON(w, r, "staff case", Errorf(ENOTFOUND, "There is no case with this reference."))
		return
	}
	c, err := h.store.Case(r.Context(), ref)
	if err != nil {
		h.errorJSON(w, r, "staff case", err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// statusChange is the body of a status change: {"status": …, "note": …}.
type statusChange struct {
	Status string `json:"status"`
	Note   string `json:"note"`
	By     string `json:"by"`
}

// apiSet handles PATCH /api/v1/staff/feedback/{ref} and POST …/{ref}/status
// with a JSON or form body.
func (h *Handler) apiSet(w http.ResponseWriter, r *http.Request) {
	ref, ok := ParseRef(r.PathValue("ref"))
	if !ok {
		h.errorJSON(w, r, "staff set", Errorf(ENOTFOUND, "There is no case with this reference."))
		return
	}
	kind, err := requestKind(r)
	if err != nil {
		h.errorJSON(w, r, "staff set", err)
		return
	}
	var ch statusChange
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		h.errorJSON(w, r, "staff set", Errorf(ETOOLARGE, "The request is too large."))
		return
	}
	if kind == bodyJSON {
		err = json.Unmarshal(body, &ch)
	} else {
		var form url.Values
		form, err = url.ParseQuery(string(body))
		ch = statusChange{Status: form.Get("status"), Note: form.Get("note")}
	}
	if err != nil {
		h.errorJSON(w, r, "staff set", Errorf(EINVALID, "Send {\"status\": \"in_progress\", \"note\": \"…\"}."))
		return
	}
	c, err := h.setStatus(r, ref, ch)
	if err != nil {
		h.errorJSON(w, r, "staff set", err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// setStatus applies a status change from staff and logs it (without the
// note, which may hold personal data).
func (h *Handler) setStatus(r *http.Request, ref string, ch statusChange) (*Case, error) {
	st, err := ParseStatus(strings.TrimSpace(ch.Status))
	if err != nil {
		return nil, err
	}
	c, err := h.store.Update(r.Context(), ref, Change{Status: st, Note: ch.Note, By: ch.By}, h.now())
	if err != nil {
		return nil, err
	}
	h.log.Info("feedback status", "ref", ref, "status", string(st))
	return c, nil
}

func (h *Handler) loc() *time.Location {
	if h.cfg.Location == nil {
		return time.UTC
	}
	return h.cfg.Location
}
