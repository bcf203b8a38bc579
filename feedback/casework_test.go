package feedback_test

import (
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newRepair(t *testing.T, cat feedback.Category) *feedback.Case {
	t.Helper()
	s := feedback.Submission{Category: cat, Unit: "3-1201", Message: "水管漏水", Consent: true}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return feedback.NewCase(s, t0)
}

func apply(t *testing.T, c *feedback.Case, at time.Time, ch feedback.Change) {
	t.Helper()
	if err := c.Apply(ch, at); err != nil {
		t.Fatalf("Apply(%+v): %v", ch, err)
	}
}

func TestOverdueWithAnInjectedClock(t *testing.T) {
	targets := feedback.Targets{feedback.CategoryRepair: {Respond: 4 * time.Hour, Resolve: 48 * time.Hour}}
	c := newRepair(t, feedback.CategoryRepair)
	for _, tc := range []struct {
		after     time.Duration
		respond   bool
		resolve   bool
		sinceHour int
	}{
		{4 * time.Hour, false, false, 0},            // at the deadline: not yet
		{4*time.Hour + time.Second, true, false, 4}, // just past it
		{49 * time.Hour, true, true, 4},
	} {
		o := c.OverdueAt(targets, t0.Add(tc.after))
		if o.Respond != tc.respond || o.Resolve != tc.resolve || o.Any() != (tc.respond || tc.resolve) {
			t.Errorf("after %v: %+v, want respond %v resolve %v", tc.after, o, tc.respond, tc.resolve)
		}
		if o.Any() && !o.Since.Equal(t0.Add(time.Duration(tc.sinceHour)*time.Hour)) {
			t.Errorf("after %v: since %v", tc.after, o.Since)
		}
	}
	// Responded late: no longer overdue to respond, still to resolve.
	apply(t, c, t0.Add(5*time.Hour), feedback.Change{Status: feedback.StatusInProgress, By: "李师傅"})
	if o := c.OverdueAt(targets, t0.Add(6*time.Hour)); o.Any() {
		t.Errorf("responded, before the resolution target: %+v", o)
	}
	if o := c.OverdueAt(targets, t0.Add(49*time.Hour)); o.Respond || !o.Resolve || !o.Since.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("responded, past the resolution target: %+v", o)
	}
	apply(t, c, t0.Add(50*time.Hour), feedback.Change{Status: feedback.StatusResolved})
	if o := c.OverdueAt(targets, t0.Add(100*time.Hour)); o.Any() {
		t.Errorf("resolved: %+v", o)
	}
	// Another category has no targets, so is never overdue.
	if o := newRepair(t, feedback.CategoryPraise).OverdueAt(targets, t0.Add(1000*time.Hour)); o.Any() {
		t.Errorf("a category without targets: %+v", o)
	}
}

func TestFirstResponseAndResolution(t *testing.T) {
	c := newRepair(t, feedback.CategoryRepair)
	if _, ok := c.FirstResponse(); ok {
		t.Error("a new case has a response")
	}
	apply(t, c, t0.Add(time.Hour), feedback.Change{Note: "先记下", By: "前台"})
	if _, ok := c.FirstResponse(); ok {
		t.Error("a note alone counts as a response")
	}
	apply(t, c, t0.Add(2*time.Hour), feedback.Change{Status: feedback.StatusInProgress, By: "前台"})
	apply(t, c, t0.Add(3*time.Hour), feedback.Change{Status: feedback.StatusResolved, By: "李师傅"})
	if at, ok := c.FirstResponse(); !ok || !at.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("FirstResponse = %v, %v", at, ok)
	}
	if at, ok := c.Resolved(); !ok || !at.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("Resolved = %v, %v", at, ok)
	}
	if !c.AsksResident() {
		t.Error("a resolved case does not ask the resident")
	}
	// 不满意 reopens the case: no longer resolved, until it is again.
	apply(t, c, t0.Add(4*time.Hour), feedback.Change{Verdict: feedback.VerdictDissatisfied, Comment: "还在漏", Via: feedback.ViaResident})
	if c.Status != feedback.StatusInProgress || c.AsksResident() {
		t.Errorf("after 不满意: status %s, asks again %v", c.Status, c.AsksResident())
	}
	if _, ok := c.Resolved(); ok {
		t.Error("a reopened case counts as resolved")
	}
	apply(t, c, t0.Add(6*time.Hour), feedback.Change{Status: feedback.StatusResolved})
	if at, ok := c.Resolved(); !ok || !at.Equal(t0.Add(6*time.Hour)) {
		t.Errorf("Resolved after reopening = %v, %v; want the last resolution", at, ok)
	}
	if c.AsksResident() {
		t.Error("the resident is asked a second time")
	}
	// A case resolved straight away was responded to then.
	d := newRepair(t, feedback.CategoryInquiry)
	apply(t, d, t0.Add(time.Hour), feedback.Change{Status: feedback.StatusResolved})
	if at, ok := d.FirstResponse(); !ok || !at.Equal(t0.Add(time.Hour)) {
		t.Errorf("FirstResponse of a case resolved at once = %v, %v", at, ok)
	}
}

func TestApplyRefusesWhatDoesNotFit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status feedback.Status
		ch     feedback.Change
		code   string
	}{
		{"verdict before resolution", feedback.StatusInProgress, feedback.Change{Verdict: feedback.VerdictSatisfied, Via: feedback.ViaPhone}, feedback.ECONFLICT},
		{"verdict without a source", feedback.StatusResolved, feedback.Change{Verdict: feedback.VerdictSatisfied}, feedback.EINVALID},
		{"unknown verdict", feedback.StatusResolved, feedback.Change{Verdict: "great", Via: feedback.ViaPhone}, feedback.EINVALID},
		{"verdict with a status", feedback.StatusResolved, feedback.Change{Status: feedback.StatusInProgress, Verdict: feedback.VerdictSatisfied, Via: feedback.ViaPhone}, feedback.EINVALID},
		{"resident with a staff name", feedback.StatusResolved, feedback.Change{Verdict: feedback.VerdictSatisfied, Via: feedback.ViaResident, By: "x"}, feedback.EINVALID},
		{"comment without a verdict", feedback.StatusInProgress, feedback.Change{Status: feedback.StatusResolved, Comment: "x"}, feedback.EINVALID},
		{"name on two lines", feedback.StatusInProgress, feedback.Change{Status: feedback.StatusResolved, By: "a\nb"}, feedback.EINVALID},
		{"name too long", feedback.StatusInProgress, feedback.Change{Status: feedback.StatusResolved, By: string(make([]rune, 51))}, feedback.EINVALID},
		{"note alone with nothing", feedback.StatusInProgress, feedback.Change{}, feedback.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newRepair(t, feedback.CategoryRepair)
			if tc.status != feedback.StatusReceived {
				apply(t, c, t0.Add(time.Hour), feedback.Change{Status: tc.status})
			}
			n := len(c.History)
			err := c.Apply(tc.ch, t0.Add(2*time.Hour))
			if feedback.ErrorCode(err) != tc.code {
				t.Errorf("Apply(%+v) = %v, want code %s", tc.ch, err, tc.code)
			}
			if len(c.History) != n || c.Status != tc.status {
				t.Errorf("a refused change left history %d (was %d), status %s", len(c.History), n, c.Status)
			}
		})
	}
}

func TestPhoneFollowUpKeepsWhoAndWhat(t *testing.T) {
	c := newRepair(t, feedback.CategoryRepair)
	apply(t, c, t0.Add(time.Hour), feedback.Change{Status: feedback.StatusResolved, By: "李师傅"})
	apply(t, c, t0.Add(2*time.Hour), feedback.Change{Verdict: feedback.VerdictMostlySatisfied, Comment: "修得有点慢", Via: feedback.ViaPhone, By: "  前台小张 ", Note: "电话"})
	ev := c.History[len(c.History)-1]
	if c.Status != feedback.StatusFollowedUp || ev.By != "前台小张" || ev.Verdict != feedback.VerdictMostlySatisfied ||
		ev.Comment != "修得有点慢" || ev.Via != feedback.ViaPhone || ev.Note != "电话" {
		t.Errorf("after a phone follow-up: status %s, event %+v", c.Status, ev)
	}
	if c.ResidentAnswered() || c.AsksResident() {
		t.Error("a phone follow-up counts as the resident's own answer")
	}
}
