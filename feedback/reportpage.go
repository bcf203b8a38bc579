package feedback

import (
	"net/http"
	"net/url"
)

// reportRoutes registers the monthly report in the staff API; api wraps a
// handler with the staff API's token check.
func (h *Handler) reportRoutes(api func(http.HandlerFunc) http.Handler) {
	h.mux.Handle("GET /api/v1/staff/report", api(h.apiReport))
}

// reportFromQuery builds the report on the month that ?month=YYYY-MM
// names, by default the month before this one, as the cases stand now.
func (h *Handler) reportFromQuery(r *http.Request, q url.Values) (*Report, error) {
	now := h.now()
	m := MonthOf(now, h.cfg.Location).Prev()
	if s := q.Get("month"); s != "" {
		var err error
		if m, err = ParseMonth(s); err != nil {
			return nil, err
		}
	}
	return MonthReport(r.Context(), h.store, ReportOptions{Month: m, Location: h.cfg.Location, AsOf: now, Targets: h.cfg.Targets})
}

// apiReport handles GET /api/v1/staff/report?month=YYYY-MM: the monthly
// report as JSON, in the shape of ReportSchema.
func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request) {
	rep, err := h.reportFromQuery(r, r.URL.Query())
	if err != nil {
		h.errorJSON(w, r, "staff report", err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, rep)
}
