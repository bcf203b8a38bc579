package feedback

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"time"
)

// reportRoutes registers the monthly report in the staff API and the
// staff workspace; api wraps a handler with the staff API's token check.
func (h *Handler) reportRoutes(api func(http.HandlerFunc) http.Handler) {
	h.mux.Handle("GET /api/v1/staff/report", api(h.apiReport))
	h.mux.HandleFunc("GET /staff/report", h.staffReport)
}

// reportFromQuery builds the report on the month that ?month=YYYY-MM
// names, by default the month before this one, as the cases stand now. A
// month that is malformed or has not begun is an EINVALID error with a
// message in lang.
func (h *Handler) reportFromQuery(r *http.Request, q url.Values, lang string) (*Report, error) {
	now := h.now()
	this := MonthOf(now, h.cfg.Location)
	m := this.Prev()
	if s := q.Get("month"); s != "" {
		var err error
		if m, err = ParseMonth(s); err != nil {
			return nil, Errorf(EINVALID, "%s", reportf(lang, "bad month", s))
		}
	}
	if now.Before(m.Start(h.cfg.Location)) {
		return nil, Errorf(EINVALID, "%s", reportf(lang, "month not begun", m, this))
	}
	return MonthReport(r.Context(), h.store, ReportOptions{Month: m, Location: h.cfg.Location, AsOf: now, Targets: h.cfg.Targets})
}

// apiReport handles GET /api/v1/staff/report?month=YYYY-MM: the monthly
// report as JSON, in the shape of ReportSchema.
func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request) {
	rep, err := h.reportFromQuery(r, r.URL.Query(), "en")
	if err != nil {
		h.errorJSON(w, r, "staff report", err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, rep)
}

// ReportPage is the monthly report as the staff workspace shows it: the
// report's figures in words and tables, in the site's language, and its
// chart.
type ReportPage struct {
	lang string
	// Month is YYYY-MM; Title and MonthName name it in words.
	Month, Title, MonthName, PreviousName string
	// Scope and PreviousScope say which cases are counted, as of when.
	Scope, PreviousScope string
	// Lines are the headline figures.
	Lines []ReportLine
	// Head, Rows and Total are the cases by category and status.
	Head  []string
	Rows  [][]string
	Total []string
	// Verdicts counts the verdicts of this month and the previous one.
	Verdicts string
	Chart    template.HTML
	// PrevMonth is the month before, NextMonth the month after (empty
	// when it has not begun), and Latest the latest month there is.
	PrevMonth, NextMonth, Latest string
}

// T returns a fixed sentence of the report in the page's language.
func (p *ReportPage) T(key string) string { return reportText(p.lang, key) }

// newReportPage lays out r for the staff page in lang.
func newReportPage(r *Report, lang string, now time.Time, loc *time.Location) *ReportPage {
	const layout = "2006-01-02 15:04"
	m, _ := ParseMonth(r.Month)
	table := CategoryTable(lang, r)
	p := &ReportPage{
		lang:          lang,
		Month:         r.Month,
		Title:         reportf(lang, "title", MonthName(lang, r.Month)),
		MonthName:     MonthName(lang, r.Month),
		PreviousName:  MonthName(lang, r.Previous.Month),
		Scope:         reportf(lang, "scope", r.From.Format(layout), r.Until.Format(layout), r.TimeZone, r.AsOf.Format(layout)),
		PreviousScope: reportf(lang, "previous scope", MonthName(lang, r.Previous.Month), r.Previous.AsOf.Format(layout)),
		Lines:         ReportLines(lang, r),
		Head:          table[0],
		Rows:          table[1 : len(table)-1],
		Total:         table[len(table)-1],
		Verdicts:      verdictCounts(lang, r),
		Chart:         ReportChart(r, lang),
		PrevMonth:     m.Prev().String(),
		Latest:        MonthOf(now, loc).String(),
	}
	if !now.Before(m.Next().Start(loc)) {
		p.NextMonth = m.Next().String()
	}
	return p
}

// staffReport handles GET /staff/report?month=YYYY-MM[&format=csv|json]:
// the monthly report in the workspace, or its CSV or JSON to download.
func (h *Handler) staffReport(w http.ResponseWriter, r *http.Request) {
	name, ok := h.staffSession(w, r, func(w http.ResponseWriter) { http.Redirect(w, r, h.path("/staff/"), http.StatusSeeOther) })
	if !ok {
		return
	}
	q := r.URL.Query()
	format := q.Get("format")
	lang := langOr(h.cfg.Language)
	rep, err := h.reportFromQuery(r, q, lang)
	if err == nil && format != "" && format != "csv" && format != "json" {
		err = Errorf(EINVALID, "%s", reportf(lang, "bad format", format))
	}
	if err != nil {
		h.logError(r, "staff report", err)
		h.renderStaff(w, r, answerStatus(w, err), "staff_report.html", staffView{Name: name, Error: staffErrorMessage(err, h.cfg.Language)})
		return
	}
	if format != "" {
		hd := w.Header()
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Content-Disposition", `attachment; filename="report-`+rep.Month+`.`+format+`"`)
		if format == "csv" {
			hd.Set("Content-Type", "text/csv; charset=utf-8")
			WriteReportCSV(w, rep)
			return
		}
		hd.Set("Content-Type", "application/json; charset=utf-8")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
		return
	}
	h.renderStaff(w, r, http.StatusOK, "staff_report.html", staffView{Name: name, Report: newReportPage(rep, lang, h.now(), h.loc())})
}
