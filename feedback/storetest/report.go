package storetest

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// reportZone is the site's time zone in the report test: months begin at
// 16:00 UTC the day before.
var reportZone = time.FixedZone("CST", 8*3600)

// reportTargets are the report test's service targets: repairs have both,
// complaints a response target only, the rest none.
var reportTargets = feedback.Targets{
	feedback.CategoryRepair:    {Respond: 4 * time.Hour, Resolve: 48 * time.Hour},
	feedback.CategoryComplaint: {Respond: 24 * time.Hour},
}

// plannedCase is how the report test means a case to go, in offsets of
// whole seconds from its sending (zero: never). The expected figures are
// worked out from plans, not from the stored history.
type plannedCase struct {
	category feedback.Category
	sent     time.Time // whole seconds
	note     time.Duration
	respond  time.Duration // the move to in_progress
	resolve  time.Duration // the move to resolved; without respond, straight from received
	verdict  feedback.Verdict
	answered time.Duration // when the verdict was given
	resident bool          // the verdict came from the status page
	again    time.Duration // resolved again after a dissatisfied verdict reopened it
}

// planCases draws n cases sent between mid-September and early December
// 2026, and a few on the very edges of October and November, from a fixed
// seed so that every run stores the same cases.
func planCases(n int) []plannedCase {
	rng := rand.New(rand.NewPCG(2026, 11))
	from := time.Date(2026, 9, 20, 0, 0, 0, 0, reportZone)
	to := time.Date(2026, 12, 6, 0, 0, 0, 0, reportZone)
	hours := func(lo, hi int) time.Duration {
		return time.Duration(lo)*time.Hour + time.Duration(rng.IntN((hi-lo)*3600))*time.Second
	}
	var plans []plannedCase
	sents := []time.Time{
		time.Date(2026, 10, 1, 0, 0, 0, 0, reportZone),
		time.Date(2026, 10, 31, 23, 59, 59, 0, reportZone),
		time.Date(2026, 11, 1, 0, 0, 0, 0, reportZone),
		time.Date(2026, 11, 30, 23, 59, 59, 0, reportZone),
		time.Date(2026, 12, 1, 0, 0, 0, 0, reportZone),
	}
	for len(sents) < n {
		sents = append(sents, from.Add(time.Duration(rng.Int64N(int64(to.Sub(from)/time.Second)))*time.Second))
	}
	cats := feedback.Categories()
	for _, sent := range sents {
		p := plannedCase{category: cats[rng.IntN(len(cats))], sent: sent}
		if rng.IntN(4) == 0 {
			p.note = hours(0, 2) + time.Second
		}
		switch r := rng.IntN(10); {
		case r < 2: // still received
		case r < 3: // resolved straight away
			p.resolve = p.note + hours(1, 30)
		default:
			p.respond = p.note + hours(0, 30) + time.Second
			if rng.IntN(3) > 0 {
				p.resolve = p.respond + hours(1, 90)
			}
		}
		if p.resolve > 0 && rng.IntN(3) > 0 {
			p.verdict = feedback.Verdicts()[rng.IntN(3)]
			p.answered = p.resolve + hours(1, 72)
			p.resident = rng.IntN(2) == 0
			if p.verdict == feedback.VerdictDissatisfied && rng.IntN(2) == 0 {
				p.again = p.answered + hours(1, 60)
			}
		}
		plans = append(plans, p)
	}
	return plans
}

// store writes the plan through s as staff and residents would: each
// step at its moment, with a fraction of a second added (which the
// report drops).
func (p plannedCase) store(t *testing.T, s feedback.Store, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	frac := func() time.Duration { return time.Duration(rng.IntN(1000)) * time.Millisecond }
	sub := feedback.Submission{Category: p.category, Message: "月报测试", Consent: true}
	if err := sub.Validate(); err != nil {
		t.Fatal(err)
	}
	c, _, err := s.Create(ctx, feedback.NewCase(sub, p.sent.Add(frac())))
	if err != nil {
		t.Fatal(err)
	}
	step := func(after time.Duration, ch feedback.Change) {
		t.Helper()
		if _, err := s.Update(ctx, c.Ref, ch, p.sent.Add(after+frac())); err != nil {
			t.Fatalf("%+v at +%v: %v", ch, after, err)
		}
	}
	if p.note > 0 {
		step(p.note, feedback.Change{Note: "已联系", By: "前台"})
	}
	if p.respond > 0 {
		step(p.respond, feedback.Change{Status: feedback.StatusInProgress, By: "王师傅"})
	}
	if p.resolve > 0 {
		step(p.resolve, feedback.Change{Status: feedback.StatusResolved, By: "王师傅"})
	}
	if p.verdict != "" {
		ch := feedback.Change{Verdict: p.verdict, Via: feedback.ViaPhone, By: "李经理"}
		if p.resident {
			ch = feedback.Change{Verdict: p.verdict, Via: feedback.ViaResident}
		}
		step(p.answered, ch)
	}
	if p.again > 0 {
		step(p.again, feedback.Change{Status: feedback.StatusResolved, By: "王师傅"})
	}
}

// expectedFigures works out by hand, from the plans, what the report says
// of the cases sent in [from, until) as they stood at asOf.
type expectedFigures struct {
	cases                  int
	statuses               map[feedback.Status]int
	byCategory             map[feedback.Category]int
	byCategoryStatus       map[feedback.Category]map[feedback.Status]int
	responses, resolutions []int64 // seconds
	respondIn, respondOf   int
	resolveIn, resolveOf   int
	resolved, covered      int
	verdicts               map[feedback.Verdict]int
}

func expectFigures(plans []plannedCase, from, until, asOf time.Time) expectedFigures {
	e := expectedFigures{statuses: map[feedback.Status]int{}, byCategory: map[feedback.Category]int{},
		byCategoryStatus: map[feedback.Category]map[feedback.Status]int{}, verdicts: map[feedback.Verdict]int{}}
	for _, p := range plans {
		if p.sent.Before(from) || !p.sent.Before(until) || p.sent.After(asOf) {
			continue
		}
		by := func(d time.Duration) bool { return d > 0 && !p.sent.Add(d).After(asOf) }
		e.cases++
		e.byCategory[p.category]++

		// The response: the move to in_progress, else the move straight
		// to resolved; the note does not count.
		var response time.Duration
		switch {
		case by(p.respond):
			response = p.respond
		case p.respond == 0 && by(p.resolve):
			response = p.resolve
		}
		// The resolution: the first one unless a dissatisfied verdict
		// has reopened the case; then the second one, if any.
		var resolution time.Duration
		reopened := p.verdict == feedback.VerdictDissatisfied && by(p.answered)
		switch {
		case reopened && by(p.again):
			resolution = p.again
		case !reopened && by(p.resolve):
			resolution = p.resolve
		}
		status := feedback.StatusReceived
		switch {
		case resolution > 0 && !reopened && by(p.answered):
			status = feedback.StatusFollowedUp
		case resolution > 0:
			status = feedback.StatusResolved
		case response > 0:
			status = feedback.StatusInProgress
		}
		e.statuses[status]++
		if e.byCategoryStatus[p.category] == nil {
			e.byCategoryStatus[p.category] = map[feedback.Status]int{}
		}
		e.byCategoryStatus[p.category][status]++

		if response > 0 {
			e.responses = append(e.responses, int64(response/time.Second))
		}
		if resolution > 0 {
			e.resolutions = append(e.resolutions, int64(resolution/time.Second))
			e.resolved++
			if !reopened && by(p.answered) {
				e.covered++
			}
		}
		if by(p.answered) {
			e.verdicts[p.verdict]++
		}
		target := reportTargets[p.category]
		age := asOf.Sub(p.sent)
		if target.Respond > 0 {
			switch {
			case response > 0 && response <= target.Respond:
				e.respondIn++
				e.respondOf++
			case response > 0 || age > target.Respond:
				e.respondOf++
			}
		}
		if target.Resolve > 0 {
			switch {
			case resolution > 0 && resolution <= target.Resolve:
				e.resolveIn++
				e.resolveOf++
			case resolution > 0 || age > target.Resolve:
				e.resolveOf++
			}
		}
	}
	return e
}

// median of whole seconds: the middle one, or the mean of the two in the
// middle; -1 for none.
func median(xs []int64) float64 {
	if len(xs) == 0 {
		return -1
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return float64(xs[n/2])
	}
	return float64(xs[n/2-1]+xs[n/2]) / 2
}

func checkFigures(t *testing.T, name string, got feedback.MonthFigures, want expectedFigures) {
	t.Helper()
	eq := func(what string, g, w int) {
		t.Helper()
		if g != w {
			t.Errorf("%s: %s = %d, want %d", name, what, g, w)
		}
	}
	eq("cases", got.Cases, want.cases)
	for _, s := range feedback.Statuses() {
		eq("cases "+string(s), got.Statuses[s], want.statuses[s])
	}
	for _, row := range got.Categories {
		eq("cases of "+string(row.Category), row.Cases, want.byCategory[row.Category])
		for _, s := range feedback.Statuses() {
			eq("cases of "+string(row.Category)+" "+string(s), row.Statuses[s], want.byCategoryStatus[row.Category][s])
		}
	}
	med := func(what string, g *float64, w float64) {
		t.Helper()
		if (g == nil) != (w < 0) || g != nil && *g != w {
			t.Errorf("%s: median %s = %v, want %v (-1: none)", name, what, g, w)
		}
	}
	eq("responses", got.FirstResponse.Count, len(want.responses))
	med("first response", got.FirstResponse.MedianSeconds, median(want.responses))
	eq("resolutions", got.Resolution.Count, len(want.resolutions))
	med("resolution", got.Resolution.MedianSeconds, median(want.resolutions))
	eq("responded within target", got.FirstResponse.WithinTarget.Count, want.respondIn)
	eq("responses judged", got.FirstResponse.WithinTarget.Of, want.respondOf)
	eq("resolved within target", got.Resolution.WithinTarget.Count, want.resolveIn)
	eq("resolutions judged", got.Resolution.WithinTarget.Of, want.resolveOf)
	eq("followed up", got.FollowUp.Count, want.covered)
	eq("resolved", got.FollowUp.Of, want.resolved)
	for _, v := range feedback.Verdicts() {
		eq("verdicts "+string(v), got.Verdicts[v], want.verdicts[v])
	}
	eq("satisfied", got.Satisfaction.Count, want.verdicts[feedback.VerdictSatisfied]+want.verdicts[feedback.VerdictMostlySatisfied])
	eq("with a verdict", got.Satisfaction.Of, want.verdicts[feedback.VerdictSatisfied]+want.verdicts[feedback.VerdictMostlySatisfied]+want.verdicts[feedback.VerdictDissatisfied])
	if got.Satisfaction.Of > 0 && *got.Satisfaction.Rate != float64(got.Satisfaction.Count)/float64(got.Satisfaction.Of) {
		t.Errorf("%s: satisfaction rate %v", name, *got.Satisfaction.Rate)
	}
}

// testMonthlyReport stores generated cases and checks every figure of the
// November report, and of the October it compares with, against the
// figures worked out from the plans; a month without cases has none.
func testMonthlyReport(t *testing.T, open Opener) {
	s := open(t)
	plans := planCases(160)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, p := range plans {
		p.store(t, s, rng)
	}
	// Read through another handle, as lobby feedback report beside the
	// server would.
	r2 := open(t)
	ctx := context.Background()
	asOf := time.Date(2026, 12, 7, 10, 0, 0, 0, reportZone)
	nov := feedback.Month{Year: 2026, Month: time.November}
	r, err := feedback.MonthReport(ctx, r2, feedback.ReportOptions{Month: nov, Location: reportZone, AsOf: asOf, Targets: reportTargets})
	if err != nil {
		t.Fatal(err)
	}
	novFrom := time.Date(2026, 11, 1, 0, 0, 0, 0, reportZone)
	decFrom := time.Date(2026, 12, 1, 0, 0, 0, 0, reportZone)
	octFrom := time.Date(2026, 10, 1, 0, 0, 0, 0, reportZone)
	want := expectFigures(plans, novFrom, decFrom, asOf)
	wantPrev := expectFigures(plans, octFrom, novFrom, time.Date(2026, 11, 7, 10, 0, 0, 0, reportZone))
	if want.cases < 40 || wantPrev.cases < 40 || want.covered == 0 || want.verdicts[feedback.VerdictDissatisfied] == 0 || want.respondOf == want.respondIn {
		t.Fatalf("the plan is too thin to test much: %+v", want)
	}
	checkFigures(t, "November", r.MonthFigures, want)
	checkFigures(t, "October", r.Previous, wantPrev)
	if r.Change.Cases != want.cases-wantPrev.cases {
		t.Errorf("change of cases = %d, want %d", r.Change.Cases, want.cases-wantPrev.cases)
	}
	if w := median(want.resolutions) - median(wantPrev.resolutions); r.Change.ResolutionMedian == nil || *r.Change.ResolutionMedian != w {
		t.Errorf("change of resolution median = %v, want %v", r.Change.ResolutionMedian, w)
	}
	for _, c := range feedback.Categories() {
		if got, w := r.Change.Categories[c], want.byCategory[c]-wantPrev.byCategory[c]; got != w {
			t.Errorf("change of %s = %d, want %d", c, got, w)
		}
	}

	// Judged now, October's cases have had longer: the figures differ
	// from the comparison's, and match a hand computation at asOf.
	oct := feedback.Month{Year: 2026, Month: time.October}
	ro, err := feedback.MonthReport(ctx, r2, feedback.ReportOptions{Month: oct, Location: reportZone, AsOf: asOf, Targets: reportTargets})
	if err != nil {
		t.Fatal(err)
	}
	checkFigures(t, "October now", ro.MonthFigures, expectFigures(plans, octFrom, novFrom, asOf))

	empty, err := feedback.MonthReport(ctx, r2, feedback.ReportOptions{Month: feedback.Month{Year: 2026, Month: time.July}, Location: reportZone, AsOf: asOf, Targets: reportTargets})
	if err != nil {
		t.Fatal(err)
	}
	checkFigures(t, "July", empty.MonthFigures, expectFigures(nil, time.Time{}, time.Time{}, asOf))
	checkFigures(t, "June", empty.Previous, expectFigures(nil, time.Time{}, time.Time{}, asOf))
}
