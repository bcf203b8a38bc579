package e2e

import (
	"strings"
	"testing"
	"time"
)

// The monthly report in the staff workspace meets WCAG 2.1 AA as far as
// axe-core can tell, on a phone and on a laptop; its chart names itself,
// its figures are in tables, and the link to the month before leads there.
func TestMonthlyReportPage(t *testing.T) {
	srv := h.demoServer(t)
	src := axeSource(t)
	newCase(t, srv)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// The server's clock decides the default month: last month.
	now := time.Now().In(shanghai)
	last := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, shanghai)
	before := time.Date(now.Year(), now.Month()-2, 1, 0, 0, 0, 0, shanghai)
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := h.newTab(t, srv, vp)
			tb.open("/staff/")
			tb.typeInto("#token", h.staffToken)
			tb.typeInto("#staff-name", "月报检查")
			tb.clickAndWaitLoad(`form[action="/staff/login"] button[type=submit]`)
			tb.clickAndWaitLoad(`.staff-nav a[href="/staff/report"]`)
			if got, want := tb.text("h1"), last.Format("2006年1月"); !strings.HasPrefix(got, want) {
				t.Errorf("heading %q, want it to start with %q", got, want)
			}
			if vs := tb.axe(src); len(vs) > 0 {
				var b strings.Builder
				for _, v := range vs {
					b.WriteString("\n\t" + v.String())
				}
				t.Errorf("the monthly report: %d WCAG 2.1 AA violations:%s", len(vs), b.String())
			}
			if n := tb.count(`svg[role="img"] title#report-chart-title`); n != 1 {
				t.Errorf("%d chart titles, want 1", n)
			}
			if n := tb.count(`table.report-categories tbody tr`); n != 5 {
				t.Errorf("%d category rows, want 5", n)
			}
			tb.shot("report-" + vp.name)
			tb.clickAndWaitLoad(`a[rel="prev"]`)
			if got, want := tb.text("h1"), before.Format("2006年1月"); !strings.HasPrefix(got, want) {
				t.Errorf("after the link to the month before: heading %q, want %q", got, want)
			}
		})
	}
}
