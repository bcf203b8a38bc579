package feedback_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// step is one event of a made-up case: its status, this long after the
// case was sent.
type step struct {
	after   time.Duration
	status  feedback.Status
	verdict feedback.Verdict
}

// madeCase returns a case of the category sent at sent, with the steps.
func madeCase(cat feedback.Category, sent time.Time, steps ...step) *feedback.Case {
	c := &feedback.Case{Category: cat, CreatedAt: sent.UTC(), Status: feedback.StatusReceived,
		History: []feedback.Event{{At: sent.UTC(), Status: feedback.StatusReceived}}}
	for _, s := range steps {
		ev := feedback.Event{At: sent.Add(s.after).UTC(), Status: s.status, Verdict: s.verdict}
		if s.verdict != "" {
			ev.Via = feedback.ViaPhone
		}
		c.History = append(c.History, ev)
		c.Status = s.status
	}
	return c
}

func nov(day, hour, minute int) time.Time {
	return time.Date(2026, time.November, day, hour, minute, 0, 0, shanghai)
}

var repairTargets = feedback.Targets{feedback.CategoryRepair: {Respond: 4 * time.Hour, Resolve: 48 * time.Hour}}

func buildReport(t *testing.T, cases []*feedback.Case, month string, asOf time.Time) *feedback.Report {
	t.Helper()
	m, err := feedback.ParseMonth(month)
	if err != nil {
		t.Fatal(err)
	}
	r, err := feedback.BuildReport(cases, feedback.ReportOptions{Month: m, Location: shanghai, AsOf: asOf, Targets: repairTargets})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseMonth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want feedback.Month
		ok   bool
	}{
		{"2026-11", feedback.Month{Year: 2026, Month: time.November}, true},
		{"2026-01", feedback.Month{Year: 2026, Month: time.January}, true},
		{"2026-13", feedback.Month{}, false},
		{"2026-00", feedback.Month{}, false},
		{"2026-1", feedback.Month{}, false},
		{"26-11-01", feedback.Month{}, false},
		{"2026/11", feedback.Month{}, false},
		{"2026-+1", feedback.Month{}, false},
		{"", feedback.Month{}, false},
		{"十一月", feedback.Month{}, false},
	} {
		got, err := feedback.ParseMonth(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseMonth(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && feedback.ErrorCode(err) != feedback.EINVALID {
			t.Errorf("ParseMonth(%q): error code %q, want invalid", tc.in, feedback.ErrorCode(err))
		}
		if err == nil && got.String() != tc.in {
			t.Errorf("ParseMonth(%q).String() = %q", tc.in, got.String())
		}
	}
}

// TestReportMonthBeginsAtMidnightInSiteZone puts cases one second either
// side of each month boundary as Shanghai counts it (midnight there is
// 16:00 UTC the day before).
func TestReportMonthBeginsAtMidnightInSiteZone(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cases := []*feedback.Case{
		madeCase(feedback.CategoryRepair, utc("2026-10-31T15:59:59Z")), // 23:59:59 on 31 October
		madeCase(feedback.CategoryRepair, utc("2026-10-31T16:00:00Z")), // 00:00 on 1 November
		madeCase(feedback.CategoryInquiry, utc("2026-11-30T15:59:59Z")),
		madeCase(feedback.CategoryInquiry, utc("2026-11-30T16:00:00Z")), // December
	}
	r := buildReport(t, cases, "2026-11", utc("2026-12-05T00:00:00Z"))
	if r.Cases != 2 || r.Previous.Cases != 1 {
		t.Errorf("cases = %d, previous %d; want 2 and 1", r.Cases, r.Previous.Cases)
	}
	if got := r.From; !got.Equal(utc("2026-10-31T16:00:00Z")) {
		t.Errorf("From = %v", got)
	}
	if got := r.Until; !got.Equal(utc("2026-11-30T16:00:00Z")) {
		t.Errorf("Until = %v", got)
	}
	if r.TimeZone != "Asia/Shanghai" {
		t.Errorf("TimeZone = %q", r.TimeZone)
	}
	byCat := map[feedback.Category]int{}
	for _, row := range r.Categories {
		byCat[row.Category] = row.Cases
	}
	if byCat[feedback.CategoryRepair] != 1 || byCat[feedback.CategoryInquiry] != 1 {
		t.Errorf("by category = %v, want one repair and one inquiry", byCat)
	}
}

func TestReportEmptyMonth(t *testing.T) {
	r := buildReport(t, nil, "2026-11", nov(20, 9, 0))
	if r.Cases != 0 || r.FirstResponse.Count != 0 || r.FirstResponse.MedianSeconds != nil ||
		r.Resolution.MedianSeconds != nil || r.FirstResponse.WithinTarget.Rate != nil || r.FollowUp.Rate != nil {
		t.Errorf("empty month has figures: %+v", r.MonthFigures)
	}
	if len(r.Categories) != len(feedback.Categories()) {
		t.Errorf("%d category rows, want one per category", len(r.Categories))
	}
	for _, s := range feedback.Statuses() {
		if n, ok := r.Statuses[s]; !ok || n != 0 {
			t.Errorf("Statuses[%s] = %d, %v; want 0, present", s, n, ok)
		}
	}
	if r.Change.Cases != 0 || r.Change.FirstResponseMedian != nil || r.Change.FollowUp != nil {
		t.Errorf("change of two empty months: %+v", r.Change)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(b, &doc)
	if fr := doc["first_response"].(map[string]any); fr["median_seconds"] != nil {
		t.Errorf("empty month median in JSON = %v, want null", fr["median_seconds"])
	}
}

// TestReportMediansAndTargets checks every figure of a small month worked
// out by hand.
func TestReportMediansAndTargets(t *testing.T) {
	asOf := nov(30, 12, 0)
	cases := []*feedback.Case{
		// Repairs (targets: respond 4 h, resolve 48 h).
		madeCase(feedback.CategoryRepair, nov(2, 9, 0), step{1 * time.Hour, feedback.StatusInProgress, ""}, step{24 * time.Hour, feedback.StatusResolved, ""},
			step{72 * time.Hour, feedback.StatusFollowedUp, feedback.VerdictMostlySatisfied}),
		madeCase(feedback.CategoryRepair, nov(3, 9, 0), step{4 * time.Hour, feedback.StatusInProgress, ""}, step{50 * time.Hour, feedback.StatusResolved, ""}),
		madeCase(feedback.CategoryRepair, nov(4, 9, 0), step{5 * time.Hour, feedback.StatusInProgress, ""}),
		// Sent 3 h before asOf, nothing done yet: within its response
		// target still, so not judged.
		madeCase(feedback.CategoryRepair, nov(30, 9, 0)),
		// Nothing done for days: late on both targets.
		madeCase(feedback.CategoryRepair, nov(10, 9, 0)),
		// Inquiries have no target; a note (same status) is not a
		// response, the move that follows is.
		madeCase(feedback.CategoryInquiry, nov(5, 9, 0), step{10 * time.Minute, feedback.StatusReceived, ""}, step{30*time.Minute + 1*time.Second, feedback.StatusInProgress, ""}),
		// Straight to followed_up counts as resolved then; without a
		// verdict it is not covered by a follow-up.
		madeCase(feedback.CategoryComplaint, nov(6, 9, 0), step{2 * time.Hour, feedback.StatusFollowedUp, ""}),
		// Resolved after asOf: not yet.
		madeCase(feedback.CategoryComplaint, nov(29, 9, 0), step{1 * time.Hour, feedback.StatusInProgress, ""}, step{30 * time.Hour, feedback.StatusResolved, ""}),
	}
	r := buildReport(t, cases, "2026-11", asOf)

	if r.Cases != 8 {
		t.Errorf("cases = %d, want 8", r.Cases)
	}
	wantStatus := map[feedback.Status]int{feedback.StatusReceived: 2, feedback.StatusInProgress: 3, feedback.StatusResolved: 1, feedback.StatusFollowedUp: 2}
	for s, n := range wantStatus {
		if r.Statuses[s] != n {
			t.Errorf("Statuses[%s] = %d, want %d", s, r.Statuses[s], n)
		}
	}
	// Responses: 1h, 4h, 5h, 30m1s, 2h, 1h -> sorted 30m1s, 1h, 1h, 2h, 4h, 5h;
	// median (1h + 2h)/2 = 5400 s.
	if r.FirstResponse.Count != 6 || *r.FirstResponse.MedianSeconds != 5400 {
		t.Errorf("first response = %d, median %v; want 6, 5400", r.FirstResponse.Count, *r.FirstResponse.MedianSeconds)
	}
	// Resolutions: 24h, 50h, 2h -> median 24h.
	if r.Resolution.Count != 3 || *r.Resolution.MedianSeconds != 24*3600 {
		t.Errorf("resolution = %d, median %v; want 3, 86400", r.Resolution.Count, *r.Resolution.MedianSeconds)
	}
	// Repair responses: 1h in, 4h in (the limit itself), 5h late, the
	// last one late with none, the one sent 3 h ago not judged.
	if got := r.FirstResponse.WithinTarget; got.Count != 2 || got.Of != 4 || *got.Rate != 0.5 {
		t.Errorf("response within target = %+v, want 2 of 4", got)
	}
	// Repair resolutions: 24h in, 50h late, the Nov 4 and Nov 10 ones
	// past 48 h unresolved: late; the one sent 3 h ago not judged.
	if got := r.Resolution.WithinTarget; got.Count != 1 || got.Of != 4 {
		t.Errorf("resolution within target = %+v, want 1 of 4", got)
	}
	// Resolved: three; with a verdict: the first repair.
	if got := r.FollowUp; got.Count != 1 || got.Of != 3 {
		t.Errorf("follow-up = %+v, want 1 of 3", got)
	}
	if got := r.Satisfaction; got.Count != 1 || got.Of != 1 || r.Verdicts[feedback.VerdictMostlySatisfied] != 1 {
		t.Errorf("satisfaction = %+v, verdicts %v; want 1 of 1, one mostly satisfied", got, r.Verdicts)
	}
	for _, row := range r.Categories {
		if row.Category == feedback.CategoryRepair && (row.Cases != 5 || row.Statuses[feedback.StatusInProgress] != 1 || row.Statuses[feedback.StatusReceived] != 2) {
			t.Errorf("repair row = %+v", row)
		}
	}
}

func TestReportMedianOfEvenCountMayEndInHalf(t *testing.T) {
	cases := []*feedback.Case{
		madeCase(feedback.CategoryInquiry, nov(2, 9, 0), step{10 * time.Second, feedback.StatusInProgress, ""}),
		madeCase(feedback.CategoryInquiry, nov(3, 9, 0), step{13 * time.Second, feedback.StatusInProgress, ""}),
	}
	// Fractions of a second are dropped from each moment, not from the
	// difference: from 09:00:00.9 to 09:00:10.1 reads as 10 s, not 9.
	cases[0].CreatedAt = cases[0].CreatedAt.Add(900 * time.Millisecond)
	cases[0].History[1].At = cases[0].History[1].At.Add(100 * time.Millisecond)
	r := buildReport(t, cases, "2026-11", nov(30, 0, 0))
	if got := *r.FirstResponse.MedianSeconds; got != 11.5 {
		t.Errorf("median of 10 s and 13 s = %v, want 11.5", got)
	}
}

// TestReportComparesWithPreviousMonthOneMonthEarlier: the previous month
// is judged as it stood one month before the report, so a case resolved
// later does not count for it yet.
func TestReportComparesWithPreviousMonthOneMonthEarlier(t *testing.T) {
	oct := func(day int) time.Time { return time.Date(2026, time.October, day, 9, 0, 0, 0, shanghai) }
	cases := []*feedback.Case{
		madeCase(feedback.CategoryRepair, oct(2), step{2 * time.Hour, feedback.StatusInProgress, ""}, step{24 * time.Hour, feedback.StatusResolved, ""}),
		// Resolved on 20 November: after the previous month's moment, 7 November.
		madeCase(feedback.CategoryRepair, oct(30), step{3 * time.Hour, feedback.StatusInProgress, ""}, step{21 * 24 * time.Hour, feedback.StatusResolved, ""}),
		madeCase(feedback.CategoryRepair, nov(2, 9, 0), step{1 * time.Hour, feedback.StatusInProgress, ""}, step{12 * time.Hour, feedback.StatusResolved, ""}),
		madeCase(feedback.CategoryInquiry, nov(3, 9, 0), step{3 * time.Hour, feedback.StatusResolved, ""}),
		madeCase(feedback.CategoryComplaint, nov(4, 9, 0)),
	}
	asOf := time.Date(2026, time.December, 7, 10, 0, 0, 0, shanghai)
	r := buildReport(t, cases, "2026-11", asOf)
	if want := time.Date(2026, time.November, 7, 10, 0, 0, 0, shanghai); !r.Previous.AsOf.Equal(want) {
		t.Errorf("previous as of %v, want %v", r.Previous.AsOf, want)
	}
	if r.Previous.Cases != 2 || r.Previous.Resolution.Count != 1 || r.Previous.Statuses[feedback.StatusInProgress] != 1 {
		t.Errorf("previous = %d cases, %d resolved, %d in progress; want 2, 1, 1",
			r.Previous.Cases, r.Previous.Resolution.Count, r.Previous.Statuses[feedback.StatusInProgress])
	}
	if r.Change.Cases != 1 {
		t.Errorf("change of cases = %d, want 1", r.Change.Cases)
	}
	if r.Change.Categories[feedback.CategoryRepair] != -1 || r.Change.Categories[feedback.CategoryComplaint] != 1 {
		t.Errorf("change by category = %v", r.Change.Categories)
	}
	// Medians: first response Nov 1h, 3h -> 2h; Oct 2h, 3h -> 2.5h. Change -1800 s.
	if r.Change.FirstResponseMedian == nil || *r.Change.FirstResponseMedian != -1800 {
		t.Errorf("change of first response median = %v, want -1800", r.Change.FirstResponseMedian)
	}
	// Resolution: Nov 12h, 3h -> 7.5h; Oct 24h -> change -16.5h.
	if r.Change.ResolutionMedian == nil || *r.Change.ResolutionMedian != -16.5*3600 {
		t.Errorf("change of resolution median = %v, want %v", r.Change.ResolutionMedian, -16.5*3600)
	}
	// Repair resolution within 48 h: Nov 1 of 1; Oct 1 of 2 (the second
	// was past 48 h unresolved on 7 November). Change +0.5.
	if r.Change.ResolutionWithinTarget == nil || *r.Change.ResolutionWithinTarget != 0.5 {
		t.Errorf("change of resolution within target = %v, want 0.5", r.Change.ResolutionWithinTarget)
	}
}

func TestReportPreviousMonthMomentOnShorterMonth(t *testing.T) {
	asOf := time.Date(2026, time.March, 31, 18, 30, 0, 0, shanghai)
	r := buildReport(t, nil, "2026-03", asOf)
	if want := time.Date(2026, time.February, 28, 18, 30, 0, 0, shanghai); !r.Previous.AsOf.Equal(want) {
		t.Errorf("previous as of %v, want %v", r.Previous.AsOf, want)
	}
	if r.Previous.Month != "2026-02" {
		t.Errorf("previous month %q", r.Previous.Month)
	}
}

func TestReportOfMonthNotBegunIsRefused(t *testing.T) {
	m, _ := feedback.ParseMonth("2026-12")
	_, err := feedback.BuildReport(nil, feedback.ReportOptions{Month: m, Location: shanghai, AsOf: nov(30, 23, 59)})
	if feedback.ErrorCode(err) != feedback.EINVALID {
		t.Errorf("report on a month to come: err = %v, want invalid", err)
	}
}

// TestReportReopenedCaseCountsFromItsLastResolution: a dissatisfied
// follow-up reopens a case; it is unresolved until resolved again, then
// counts from that second resolution and needs a follow-up of its own.
func TestReportReopenedCaseCountsFromItsLastResolution(t *testing.T) {
	cases := []*feedback.Case{
		madeCase(feedback.CategoryRepair, nov(2, 9, 0), step{time.Hour, feedback.StatusInProgress, ""}, step{10 * time.Hour, feedback.StatusResolved, ""},
			step{20 * time.Hour, feedback.StatusFollowedUp, feedback.VerdictDissatisfied}, step{20 * time.Hour, feedback.StatusInProgress, ""},
			step{60 * time.Hour, feedback.StatusResolved, ""}),
		madeCase(feedback.CategoryRepair, nov(3, 9, 0), step{time.Hour, feedback.StatusInProgress, ""}, step{10 * time.Hour, feedback.StatusResolved, ""},
			step{20 * time.Hour, feedback.StatusFollowedUp, feedback.VerdictDissatisfied}, step{20 * time.Hour, feedback.StatusInProgress, ""}),
		madeCase(feedback.CategoryRepair, nov(4, 9, 0), step{time.Hour, feedback.StatusInProgress, ""}, step{30 * time.Hour, feedback.StatusResolved, ""},
			step{40 * time.Hour, feedback.StatusFollowedUp, feedback.VerdictSatisfied}),
	}
	r := buildReport(t, cases, "2026-11", nov(20, 9, 0))
	// Resolutions: 60 h (the second one) and 30 h; the reopened case none.
	if r.Resolution.Count != 2 || *r.Resolution.MedianSeconds != 45*3600 {
		t.Errorf("resolution = %d, median %v; want 2, %d", r.Resolution.Count, *r.Resolution.MedianSeconds, 45*3600)
	}
	// Within 48 h: the third only; the first (60 h) and the reopened one
	// (past 48 h, unresolved) are late.
	if got := r.Resolution.WithinTarget; got.Count != 1 || got.Of != 3 {
		t.Errorf("resolution within target = %+v, want 1 of 3", got)
	}
	// A verdict since the last resolution: the third only (the first's
	// came before it was reopened).
	if got := r.FollowUp; got.Count != 1 || got.Of != 2 {
		t.Errorf("follow-up = %+v, want 1 of 2", got)
	}
	// Latest verdicts: dissatisfied, dissatisfied, satisfied.
	if got := r.Satisfaction; got.Count != 1 || got.Of != 3 || r.Verdicts[feedback.VerdictDissatisfied] != 2 {
		t.Errorf("satisfaction = %+v, verdicts %v; want 1 of 3, two dissatisfied", got, r.Verdicts)
	}
	if r.Statuses[feedback.StatusInProgress] != 1 || r.Statuses[feedback.StatusResolved] != 1 || r.Statuses[feedback.StatusFollowedUp] != 1 {
		t.Errorf("statuses = %v", r.Statuses)
	}
}
