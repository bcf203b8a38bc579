package feedback_test

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/internal/schematest"

	"github.com/lobby-community/lobby/feedback"
)

// reportEnv is a handler in Shanghai time whose clock stands at
// 2026-12-07 10:00 there, with two November repairs (one responded to
// after 2 h) and one October inquiry.
func reportEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t, func(c *feedback.Config) {
		c.Location = shanghai
		c.Targets = feedback.Targets{feedback.CategoryRepair: {Respond: 4 * time.Hour}}
	})
	e.now = time.Date(2026, 12, 7, 10, 0, 0, 0, shanghai)
	ctx := context.Background()
	for _, c := range []struct {
		cat  feedback.Category
		sent time.Time
	}{
		{feedback.CategoryRepair, nov(2, 9, 0)},
		{feedback.CategoryRepair, nov(20, 9, 0)},
		{feedback.CategoryInquiry, time.Date(2026, 10, 9, 9, 0, 0, 0, shanghai)},
	} {
		s := feedback.Submission{Category: c.cat, Message: "报告", Consent: true}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		stored, _, err := e.db.Create(ctx, feedback.NewCase(s, c.sent))
		if err != nil {
			t.Fatal(err)
		}
		if c.sent.Day() == 2 {
			if _, err := e.db.Update(ctx, stored.Ref, feedback.Change{Status: feedback.StatusInProgress}, c.sent.Add(2*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e
}

func TestStaffAPIReport(t *testing.T) {
	e := reportEnv(t)
	w := e.staff("GET", "/api/v1/staff/report?month=2026-11", "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	schematest.Check(t, "report.schema.json", feedback.ReportSchema(), w.Body.Bytes())
	v := jsonBody(t, w)
	if v["month"] != "2026-11" || v["cases"] != 2.0 || v["as_of"] != "2026-12-07T10:00:00+08:00" {
		t.Errorf("month %v, cases %v, as_of %v", v["month"], v["cases"], v["as_of"])
	}
	// One repair responded in 2 h; the other, sent on 20 November, never
	// and past its 4 h: 1 of 2.
	fr := v["first_response"].(map[string]any)
	if wt := fr["within_target"].(map[string]any); wt["count"] != 1.0 || wt["of"] != 2.0 || fr["median_seconds"] != 7200.0 {
		t.Errorf("first response = %v", fr)
	}
	if prev := v["previous"].(map[string]any); prev["month"] != "2026-10" || prev["cases"] != 1.0 {
		t.Errorf("previous = %v %v", prev["month"], prev["cases"])
	}

	// Without ?month, the month before this one.
	w = e.staff("GET", "/api/v1/staff/report", "", "")
	if v := jsonBody(t, w); w.Code != http.StatusOK || v["month"] != "2026-11" {
		t.Errorf("default month: %d %v", w.Code, v["month"])
	}
}

func TestStaffAPIReportRefusals(t *testing.T) {
	e := reportEnv(t)
	for _, tc := range []struct {
		target, auth string
		status       int
		want         string
	}{
		{"/api/v1/staff/report?month=2026-11", "", http.StatusUnauthorized, ""},
		{"/api/v1/staff/report?month=2026-11", "Bearer wrong-token-0123456789-abcdefghij", http.StatusUnauthorized, ""},
		{"/api/v1/staff/report?month=11-2026", "Bearer " + staffToken, http.StatusBadRequest, `"11-2026" is not a month such as 2026-11`},
		{"/api/v1/staff/report?month=2027-01", "Bearer " + staffToken, http.StatusBadRequest, "2027-01 has not begun yet"},
	} {
		var w = e.do("GET", tc.target, "", "")
		if tc.auth != "" {
			w = e.do("GET", tc.target, "", "", "Authorization", tc.auth)
		}
		if w.Code != tc.status {
			t.Errorf("GET %s (auth %q): %d %s; want %d", tc.target, tc.auth, w.Code, w.Body, tc.status)
		}
		if msg, _ := jsonBody(t, w)["error"].(string); !strings.Contains(msg, tc.want) {
			t.Errorf("GET %s: error %q, want %q", tc.target, msg, tc.want)
		}
	}
	if w := e.staff("POST", "/api/v1/staff/report", formType, ""); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST report: %d, want 405", w.Code)
	}
}

func TestStaffReportPage(t *testing.T) {
	e := reportEnv(t)
	e.h = feedback.NewHandler(e.db, feedback.Config{StaffToken: staffToken, Language: "zh-CN", Location: shanghai,
		Targets: feedback.Targets{feedback.CategoryRepair: {Respond: 4 * time.Hour}}}, e.clock, nil, nil)
	if w := e.page("GET", "/staff/report?month=2026-11", "", nil); w.Code != http.StatusSeeOther || strings.Contains(w.Body.String(), "2026年11月") {
		t.Errorf("report without a session: %d\n%s", w.Code, w.Body)
	}
	c := staffLogin(t, e, false)
	w := e.page("GET", "/staff/report?month=2026-11", "", c)
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("report page: %d\n%s", w.Code, body)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("headers: CSP %q, Cache-Control %q", csp, w.Header().Get("Cache-Control"))
	}
	for _, want := range []string{
		"<h1>2026年11月意见反馈月报</h1>",
		// The figures in text, with the previous month and the change.
		"<th scope=\"row\">事项总数</th><td>2</td><td>1</td><td>+1</td>",
		"<th scope=\"row\">首次响应时间（中位数）</th><td>2小时（1 件）</td><td>无</td><td>无</td>",
		"<th scope=\"row\">按时响应率</th><td>50.0%（1/2）</td>",
		"<th scope=\"row\">报修</th><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">+2</td>",
		// The chart names itself and repeats its figures.
		`role="img" aria-labelledby="report-chart-title report-chart-desc"`,
		`<title id="report-chart-title">2026年11月与2026年10月各类事项数量</title>`,
		"报修：本月 2 件，上月 0 件",
		"咨询：本月 0 件，上月 1 件",
		`href="/staff/report?month=2026-10"`,
		`href="/staff/report?month=2026-11&format=csv"`,
		`<a href="/staff/report">月度报告</a>`,
	} {
		// html/template writes + as &#43;: compare the text a browser shows.
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script") || strings.Contains(body, " style=") {
		t.Error("report page has a script or an inline style, which the staff CSP refuses")
	}
	// November has ended: a link to December; December has not: none to
	// January.
	if !strings.Contains(body, `href="/staff/report?month=2026-12"`) {
		t.Error("no link to the next month, which has begun")
	}
	if b := e.page("GET", "/staff/report?month=2026-12", "", c).Body.String(); strings.Contains(b, "month=2027-01") {
		t.Error("a link to a month that has not begun")
	}

	// Downloads with the session.
	w = e.page("GET", "/staff/report?month=2026-11&format=json", "", c)
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Disposition"), `filename="report-2026-11.json"`) {
		t.Errorf("JSON download: %d %q", w.Code, w.Header().Get("Content-Disposition"))
	}
	schematest.Check(t, "report.schema.json", feedback.ReportSchema(), w.Body.Bytes())
	w = e.page("GET", "/staff/report?month=2026-11&format=csv", "", c)
	rows, err := csv.NewReader(w.Body).ReadAll()
	if w.Code != http.StatusOK || err != nil || len(rows) < 10 || rows[6][0] != "cases" || rows[6][3] != "2" {
		t.Errorf("CSV download: %d, %v, %v", w.Code, err, rows[:min(len(rows), 8)])
	}

	// Mistakes are said on the page.
	for _, tc := range []struct{ query, want string }{
		{"month=2026-13", "“2026-13”不是月份"},
		{"month=2027-01", "2027-01 还没有开始，请选择 2026-12 或更早的月份。"},
		{"month=2026-11&format=xml", "没有“xml”这种格式"},
	} {
		w := e.page("GET", "/staff/report?"+tc.query, "", c)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `role="alert"`) || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("%s: %d, want 400 saying %q\n%s", tc.query, w.Code, tc.want, w.Body)
		}
	}
}
