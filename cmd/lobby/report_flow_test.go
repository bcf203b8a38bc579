package main

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A case goes the whole round through a real server, and the monthly
// report in the staff workspace counts it: sent, responded to, resolved,
// rated by the resident. The server's feedback clock is the real one, so
// the report is on the current month in the site's zone (a run across
// midnight at a month's end would look at the wrong month).
func TestMonthlyReportCountsARoundThroughHTTP(t *testing.T) {
	const token = "test-token-0123456789abcdefghijklmn"
	base, _ := startServeToken(t, token, "--source", caseworkSite(t), "--now", testNow)
	resident, staff := caseworkClient(t), caseworkClient(t)
	_, loc, _ := send(t, resident, "POST", base+"/api/v1/feedback", url.Values{"category": {"repair"}, "unit": {"3-1201"}, "message": {"楼道灯坏了"}, "consent": {"on"}})
	ref := strings.TrimPrefix(loc, "/feedback/thanks/?ref=")
	if ref == loc {
		t.Fatalf("submission answered %q", loc)
	}
	send(t, staff, "POST", base+"/staff/login", url.Values{"token": {token}, "name": {"李师傅"}})
	for _, st := range []string{"in_progress", "resolved"} {
		if code, _, body := send(t, staff, "POST", base+"/staff/cases/"+ref, url.Values{"action": {"status"}, "status": {st}}); code != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", st, code, body)
		}
	}
	if code, _, _ := send(t, resident, "POST", base+"/feedback/status", url.Values{"ref": {ref}, "verdict": {"satisfied"}}); code != http.StatusSeeOther {
		t.Fatalf("verdict: %d", code)
	}

	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	month := time.Now().In(shanghai).Format("2006-01")
	code, _, page := send(t, staff, "GET", base+"/staff/report?month="+month, nil)
	if code != http.StatusOK {
		t.Fatalf("report page: %d\n%s", code, page)
	}
	text := html.UnescapeString(page)
	for _, want := range []string{
		"site-header", "staff.", // in the site's theme
		"<th scope=\"row\">事项总数</th><td>1</td>",
		"<th scope=\"row\">首次响应时间（中位数）</th><td>",
		"（1 件）",
		"<th scope=\"row\">回访率（已解决事项中已回访的比例）</th><td>100.0%（1/1）</td>",
		"<th scope=\"row\">满意率（满意与基本满意占评价的比例）</th><td>100.0%（1/1）</td>",
		"回访评价：满意 1，基本满意 0，不满意 0",
		`<th scope="row">报修</th><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">1</td><td class="num">1</td>`,
		`<title id="report-chart-title">`, `<desc id="report-chart-desc">`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	// The theme's own script file is refused by the staff CSP; an inline
	// script would be too, and must not be there.
	for _, tag := range regexp.MustCompile(`<script\b[^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("the report page has an inline script: %s", tag)
		}
	}

	// The staff API says the same.
	req, _ := http.NewRequest("GET", base+"/api/v1/staff/report?month="+month, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep struct {
		Cases        int `json:"cases"`
		Satisfaction struct {
			Count, Of int
		} `json:"satisfaction"`
		FollowUp struct {
			Count, Of int
		} `json:"follow_up"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || rep.Cases != 1 || rep.Satisfaction.Count != 1 || rep.FollowUp.Of != 1 {
		t.Errorf("API report: %v %+v", err, rep)
	}
}
