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
	h.mux.Handle("PATCH /api/v1/staff/feedback/{ref}", api(h.apiChange(changeStatus)))
	h.mux.Handle("POST /api/v1/staff/feedback/{ref}/status", api(h.apiChange(changeStatus)))
	h.mux.Handle("POST /api/v1/staff/feedback/{ref}/notes", api(h.apiChange(changeNote)))
	h.mux.Handle("POST /api/v1/staff/feedback/{ref}/follow-up", api(h.apiChange(changeFollowUp)))
	h.reportRoutes(api)
	h.staffPageRoutes()
}

// CaseView is a case as the staff API and lobby feedback list --format
// json show it: the case and, when it is overdue now, which of its
// targets it has missed.
type CaseView struct {
	*Case
	Overdue *Overdue `json:"overdue,omitempty"`
}

// ViewCases returns cases with their overdue state at now under ts.
func ViewCases(cases []*Case, ts Targets, now time.Time) []CaseView {
	out := make([]CaseView, len(cases))
	for i, c := range cases {
		out[i] = CaseView{Case: c}
		if o := c.OverdueAt(ts, now); o.Any() {
			out[i].Overdue = &o
		}
	}
	return out
}

// ListQuery is a list of cases as staff ask for it, in the staff pages,
// the staff API and the CLI: a Filter, and whether only overdue cases are
// wanted.
type ListQuery struct {
	Filter
	// Overdue keeps only the cases that are overdue now.
	Overdue bool
}

// ParseListQuery reads a list query from URL parameters: status (a
// status, "pending" for received or in progress, "open" for not followed
// up, "all" or empty for every case), category, unit (a prefix), since
// and until (dates, until inclusive), order ("newest" or "oldest", the
// default), overdue ("1" or "true"), and after (a page cursor). Dates
// are in loc.
func ParseListQuery(q url.Values, loc *time.Location) (ListQuery, error) {
	var lq ListQuery
	f := &lq.Filter
	switch s := strings.TrimSpace(q.Get("status")); s {
	case "", "all":
	case "pending":
		f.Pending = true
	case "open":
		f.Open = true
	default:
		st, err := ParseStatus(s)
		if err != nil {
			return lq, err
		}
		f.Status = st
	}
	if q.Get("open") == "true" || q.Get("open") == "1" {
		f.Open = true
	}
	if s := strings.TrimSpace(q.Get("category")); s != "" && s != "all" {
		if !Category(s).Valid() {
			return lq, Errorm(EINVALID, msgUnknownCategory, s)
		}
		f.Category = Category(s)
	}
	unit, code := cleanText(q.Get("unit"), MaxUnitLength, false)
	if code != "" {
		return lq, Errorm(EINVALID, msgUnitInvalid, MaxUnitLength)
	}
	f.Unit = unit
	if s := strings.TrimSpace(q.Get("since")); s != "" {
		t, err := ParseDate(s, loc)
		if err != nil {
			return lq, err
		}
		f.Since = t
	}
	if s := strings.TrimSpace(q.Get("until")); s != "" {
		t, err := ParseDate(s, loc)
		if err != nil {
			return lq, err
		}
		if len(s) == len("2006-01-02") {
			t = t.AddDate(0, 0, 1) // the whole day
		}
		f.Until = t
	}
	switch q.Get("order") {
	case "", "oldest":
	case "newest":
		f.Newest = true
	default:
		return lq, Errorm(EINVALID, msgUnknownOrder, q.Get("order"))
	}
	switch q.Get("overdue") {
	case "", "0", "false":
	case "1", "true":
		lq.Overdue = true
	default:
		return lq, Errorm(EINVALID, msgBadOverdue, q.Get("overdue"))
	}
	after, err := ParseCursor(q.Get("after"))
	if err != nil {
		return lq, err
	}
	f.After = after
	return lq, nil
}

// listCases returns a page of the cases q selects, and the cursor of the
// next page; overdue cases all come at once.
func (h *Handler) listCases(r *http.Request, q ListQuery, size int) ([]*Case, Cursor, error) {
	if q.Overdue {
		cs, err := OverdueCases(r.Context(), h.store, q.Filter, h.cfg.Targets, h.now())
		return cs, Cursor{}, err
	}
	return CasesPage(r.Context(), h.store, q.Filter, size)
}

// apiList handles GET /api/v1/staff/feedback with ParseListQuery's
// parameters and limit: a page of cases as a JSON array, with the next
// page in a Link header (rel="next") and in Lobby-Next-Cursor when there
// is one.
func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, err := ParseListQuery(q, h.cfg.Location)
	if err != nil {
		h.errorJSON(w, r, "staff list", err)
		return
	}
	size, err := ParsePageSize(q.Get("limit"))
	if err != nil {
		h.errorJSON(w, r, "staff list", err)
		return
	}
	cases, next, err := h.listCases(r, lq, size)
	if err != nil {
		h.errorJSON(w, r, "staff list", err)
		return
	}
	if !next.IsZero() {
		q.Set("after", next.String())
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		w.Header().Set("Link", "<"+u.String()+`>; rel="next"`)
		w.Header().Set("Lobby-Next-Cursor", next.String())
	}
	writeJSON(w, http.StatusOK, ViewCases(cases, h.cfg.Targets, h.now()))
}

// apiExport handles GET /api/v1/staff/feedback/export.csv, with the same
// query as the list, every page at once.
func (h *Handler) apiExport(w http.ResponseWriter, r *http.Request) {
	lq, err := ParseListQuery(r.URL.Query(), h.cfg.Location)
	if err != nil {
		h.errorJSON(w, r, "staff export", err)
		return
	}
	h.exportCSV(w, r, lq, func(err error) { h.errorJSON(w, r, "staff export", err) })
}

// exportCSV answers with every case lq selects as a CSV attachment.
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request, lq ListQuery, fail func(error)) {
	var cases []*Case
	var err error
	if lq.Overdue {
		cases, _, err = h.listCases(r, lq, 0)
	} else {
		lq.After = Cursor{}
		cases, err = h.store.Cases(r.Context(), lq.Filter)
	}
	if err != nil {
		fail(err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="feedback-`+h.now().In(h.loc()).Format("2006-01-02")+`.csv"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
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
	writeJSON(w, http.StatusOK, ViewCases([]*Case{c}, h.cfg.Targets, h.now())[0])
}

// changeKind is what a staff request does to a case.
type changeKind int

const (
	changeStatus   changeKind = iota // status, note, by
	changeNote                       // note, by
	changeFollowUp                   // verdict, comment, note, by: a phone follow-up
)

// changeFrom reads a change of kind from the fields of a request body.
func changeFrom(kind changeKind, get func(string) string) (Change, error) {
	ch := Change{Note: get("note"), By: get("by")}
	switch kind {
	case changeStatus:
		st, err := ParseStatus(strings.TrimSpace(get("status")))
		if err != nil {
			return ch, err
		}
		ch.Status = st
	case changeNote:
		if strings.TrimSpace(ch.Note) == "" {
			return ch, Errorm(EINVALID, msgNoteEmpty)
		}
	case changeFollowUp:
		v, err := ParseVerdict(strings.TrimSpace(get("verdict")))
		if err != nil {
			return ch, err
		}
		ch.Verdict, ch.Comment, ch.Via = v, get("comment"), ViaPhone
	}
	return ch, nil
}

// apiChange handles the staff API's changes to a case, with a JSON object
// of strings or a form as the body: PATCH …/{ref} and POST …/{ref}/status
// ({"status", "note", "by"}), POST …/{ref}/notes ({"note", "by"}) and
// POST …/{ref}/follow-up ({"verdict", "comment", "note", "by"}).
func (h *Handler) apiChange(kind changeKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ref, ok := ParseRef(r.PathValue("ref"))
		if !ok {
			h.errorJSON(w, r, "staff change", Errorf(ENOTFOUND, "There is no case with this reference."))
			return
		}
		fields, err := readStaffBody(w, r)
		if err != nil {
			h.errorJSON(w, r, "staff change", err)
			return
		}
		ch, err := changeFrom(kind, fields.Get)
		if err == nil {
			var c *Case
			if c, err = h.change(r, ref, ch); err == nil {
				writeJSON(w, http.StatusOK, ViewCases([]*Case{c}, h.cfg.Targets, h.now())[0])
				return
			}
		}
		h.errorJSON(w, r, "staff change", err)
	}
}

// readStaffBody reads a JSON object of strings or a urlencoded form.
func readStaffBody(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	kind, err := requestKind(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return nil, Errorf(ETOOLARGE, "The request is too large.")
	}
	if kind != bodyJSON {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, Errorf(EINVALID, "The form could not be read.")
		}
		return form, nil
	}
	var m map[string]string
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, Errorf(EINVALID, "Send a JSON object of strings, such as {\"status\": \"in_progress\", \"note\": \"…\", \"by\": \"…\"}.")
	}
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v, nil
}

// change applies a change from staff and logs it (without the note or the
// comment, which may hold personal data).
func (h *Handler) change(r *http.Request, ref string, ch Change) (*Case, error) {
	c, err := h.store.Update(r.Context(), ref, ch, h.now())
	if err != nil {
		return nil, err
	}
	h.log.Info("feedback status", "ref", ref, "status", string(c.Status), "verdict", string(ch.Verdict))
	return c, nil
}

func (h *Handler) loc() *time.Location {
	if h.cfg.Location == nil {
		return time.UTC
	}
	return h.cfg.Location
}
