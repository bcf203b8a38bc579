package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/internal/schematest"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
	"github.com/lobby-community/lobby/internal/msg"
)

// reportTestSite makes a site with lobby init (Asia/Shanghai, Chinese)
// and a response target of 2 h for repairs, whose store holds three
// November cases and one October case.
func reportTestSite(t *testing.T) string {
	t.Helper()
	dir := newSite(t)
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(readFile(t, cfg)+"\n[feedback.targets]\nrepair = { respond = \"2h\" }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, ".lobby", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sh := time.FixedZone("CST", 8*3600)
	type move struct {
		after time.Duration
		to    feedback.Status
	}
	for _, c := range []struct {
		cat   feedback.Category
		sent  time.Time
		moves []move
	}{
		{feedback.CategoryRepair, time.Date(2026, 11, 2, 9, 0, 0, 0, sh), []move{{time.Hour, feedback.StatusInProgress}, {5 * time.Hour, feedback.StatusResolved}}},
		{feedback.CategoryRepair, time.Date(2026, 11, 3, 9, 0, 0, 0, sh), []move{{3 * time.Hour, feedback.StatusInProgress}}},
		{feedback.CategoryComplaint, time.Date(2026, 11, 30, 23, 30, 0, 0, sh), nil},
		{feedback.CategoryInquiry, time.Date(2026, 10, 8, 9, 0, 0, 0, sh), []move{{2 * time.Hour, feedback.StatusResolved}}},
	} {
		s := feedback.Submission{Category: c.cat, Message: "报告测试", Consent: true}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		stored, _, err := db.Create(ctx, feedback.NewCase(s, c.sent))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.moves {
			if _, err := db.Update(ctx, stored.Ref, feedback.Change{Status: m.to}, c.sent.Add(m.after)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

const reportNow = "2026-12-07T10:00:00+08:00"

func TestFeedbackReportText(t *testing.T) {
	dir := reportTestSite(t)
	out, stderr, err := runLobbyIn(t, msg.Zh, "feedback", "report", "--month", "2026-11", "--now", reportNow, "--source", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	// The table's columns are aligned with spaces: compare its words.
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	spaced := strings.Join(lines, "\n")
	for _, want := range []string{
		"2026年11月意见反馈月报",
		"2026-11-01 00:00 至 2026-12-01 00:00（Asia/Shanghai）",
		"事项总数：3；上月 1；较上月 +2",
		// First responses 1 h and 3 h: median 2 h; October's 2 h.
		"首次响应时间（中位数）：2小时（2 件）；上月 2小时（1 件）；较上月 持平",
		"解决时间（中位数）：5小时（1 件）；上月 2小时（1 件）；较上月 +3小时",
		"回访率（已解决事项中已回访的比例）：0.0%（0/1）",
		// Repairs: responded in 1 h and in 3 h.
		"按时响应率：50.0%（1/2）；上月 无；较上月 无",
		"按时解决率：未设目标",
		"报修 0 1 1 0 2 0 +2",
		"合计 1 1 1 0 3 1 +2",
	} {
		if !strings.Contains(out, want) && !strings.Contains(spaced, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestFeedbackReportTextInEnglish(t *testing.T) {
	dir := reportTestSite(t)
	out, _, err := runLobbyIn(t, msg.En, "feedback", "report", "--month", "2026-11", "--now", reportNow, "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Feedback report for November 2026",
		"Cases: 3; previous month 1; change +2",
		"Time to resolution (median): 5 h (1 case); previous month 2 h (1 case); change +3 h",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("English report lacks %q:\n%s", want, out)
		}
	}
}

func TestFeedbackReportDefaultsToLastMonth(t *testing.T) {
	dir := reportTestSite(t)
	out, _, err := runLobby(t, "feedback", "report", "--format", "json", "--now", reportNow, "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Month string `json:"month"`
		Cases int    `json:"cases"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Month != "2026-11" || r.Cases != 3 {
		t.Errorf("default month: %+v, %v", r, err)
	}
}

func TestFeedbackReportCSVParses(t *testing.T) {
	dir := reportTestSite(t)
	out, _, err := runLobby(t, "feedback", "report", "--month", "2026-11", "--format", "csv", "--now", reportNow, "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse: %v\n%s", err, out)
	}
	if got := strings.Join(rows[0], ","); got != "metric,category,status,value,previous,change" {
		t.Errorf("header %q", got)
	}
	find := func(metric, cat, status string) []string {
		for _, r := range rows {
			if r[0] == metric && r[1] == cat && r[2] == status {
				return r[3:]
			}
		}
		t.Fatalf("no row %s/%s/%s", metric, cat, status)
		return nil
	}
	for _, tc := range []struct {
		metric, cat, status string
		want                string
	}{
		{"month", "", "", "2026-11,2026-10,"},
		{"cases", "", "", "3,1,2"},
		{"cases", "repair", "in_progress", "1,0,1"},
		{"cases", "inquiry", "", "0,1,-1"},
		{"first_response_median_seconds", "", "", "7200,7200,0"},
		{"resolution_median_seconds", "", "", "18000,7200,10800"},
		{"follow_up_of", "", "", "1,1,0"},
		{"follow_up_rate", "", "", "0,0,0"},
	} {
		if got := strings.Join(find(tc.metric, tc.cat, tc.status), ","); got != tc.want {
			t.Errorf("%s/%s/%s = %s, want %s", tc.metric, tc.cat, tc.status, got, tc.want)
		}
	}
}

func TestFeedbackReportJSONMatchesSchema(t *testing.T) {
	dir := reportTestSite(t)
	for _, month := range []string{"2026-11", "2026-06"} { // with cases, and empty
		out, _, err := runLobby(t, "feedback", "report", "--month", month, "--format", "json", "--now", reportNow, "--source", dir)
		if err != nil {
			t.Fatal(err)
		}
		schematest.Check(t, "report.schema.json", feedback.ReportSchema(), []byte(out))
	}
}

func TestFeedbackReportBadFlags(t *testing.T) {
	dir := reportTestSite(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--month", "2026-13"}, `--month "2026-13": write a month such as 2026-11`},
		{[]string{"--month", "2027-01"}, "--month 2027-01 has not begun yet: choose a month up to 2026-12"},
		{[]string{"--format", "xml"}, `--format "xml": use text, csv or json`},
		{[]string{"--now", "tomorrow"}, `--now "tomorrow"`},
	} {
		args := append([]string{"feedback", "report", "--now", reportNow, "--source", dir}, tc.args...)
		_, _, err := runLobby(t, args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
	_, _, err := runLobbyIn(t, msg.Zh, "feedback", "report", "--month", "十一月", "--source", dir)
	if got := msg.ErrorIn(err, msg.Zh); !strings.Contains(got, "--month 的值 \"十一月\" 不是月份") {
		t.Errorf("Chinese error = %q", got)
	}
}
