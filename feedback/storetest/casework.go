package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// testCaseworkFieldsKept records who did what, a phone follow-up and a
// dissatisfied verdict, and reads them back on another handle.
func testCaseworkFieldsKept(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	ctx := context.Background()
	c := mustCreate(t, a, NewCase(t, "", "水龙头漏水", T0))
	steps := []feedback.Change{
		{Status: feedback.StatusInProgress, Note: "已派维修工", By: "李师傅"},
		{Status: feedback.StatusResolved, By: "李师傅"},
		{Verdict: feedback.VerdictDissatisfied, Comment: "还在滴水", Via: feedback.ViaPhone, By: "前台小张", Note: "电话回访"},
	}
	for i, ch := range steps {
		if _, err := a.Update(ctx, c.Ref, ch, T0.Add(time.Duration(i+1)*time.Hour)); err != nil {
			t.Fatalf("Update(%+v): %v", ch, err)
		}
	}
	got, err := b.Case(ctx, c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, ev := range got.History {
		trail = append(trail, fmt.Sprintf("%s|%s|%s|%s|%s|%s", ev.Status, ev.Note, ev.By, ev.Verdict, ev.Comment, ev.Via))
	}
	want := []string{
		"received|||||",
		"in_progress|已派维修工|李师傅|||",
		"resolved||李师傅|||",
		"followed_up|电话回访|前台小张|dissatisfied|还在滴水|phone",
		"in_progress||前台小张|||",
	}
	if strings.Join(trail, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(trail, "\n"), strings.Join(want, "\n"))
	}
	if got.Status != feedback.StatusInProgress || !got.UpdatedAt.Equal(T0.Add(3*time.Hour)) {
		t.Errorf("after a dissatisfied verdict: status %s updated %v, want in_progress at %v", got.Status, got.UpdatedAt, T0.Add(3*time.Hour))
	}
	if fu, ok := got.FollowUp(); !ok || fu.Verdict != feedback.VerdictDissatisfied {
		t.Errorf("FollowUp() = %+v, %v", fu, ok)
	}
	// A verdict needs a resolved case.
	if _, err := b.Update(ctx, c.Ref, feedback.Change{Verdict: feedback.VerdictSatisfied, Via: feedback.ViaPhone}, T0.Add(4*time.Hour)); feedback.ErrorCode(err) != feedback.ECONFLICT {
		t.Errorf("verdict on a case in progress: %v, want ECONFLICT", err)
	}
}

// testResidentAnswersOnce sends a resident's verdict from two handles at
// once: exactly one is kept, and no later one is.
func testResidentAnswersOnce(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	ctx := context.Background()
	c := mustCreate(t, a, NewCase(t, "", "路灯不亮", T0))
	if _, err := a.Update(ctx, c.Ref, feedback.Change{Status: feedback.StatusResolved, By: "王工"}, T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var ok, conflict atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		s := []feedback.Store{a, b}[i%2]
		wg.Go(func() {
			_, err := s.Update(ctx, c.Ref, feedback.Change{Verdict: feedback.VerdictSatisfied, Via: feedback.ViaResident, Comment: "谢谢"}, T0.Add(2*time.Hour))
			switch feedback.ErrorCode(err) {
			case "":
				ok.Add(1)
			case feedback.ECONFLICT:
				conflict.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || conflict.Load() != 7 {
		t.Errorf("%d answers kept and %d refused, want 1 and 7", ok.Load(), conflict.Load())
	}
	got, err := b.Case(ctx, c.Ref)
	if err != nil || got.Status != feedback.StatusFollowedUp || len(got.History) != 3 || !got.ResidentAnswered() || got.AsksResident() {
		t.Fatalf("after the answer: %+v, %v", got, err)
	}
	// Staff may still record a phone follow-up after reopening and
	// resolving again; the resident may not answer again.
	for _, ch := range []feedback.Change{{Status: feedback.StatusInProgress, By: "王工"}, {Status: feedback.StatusResolved, By: "王工"}} {
		if _, err := a.Update(ctx, c.Ref, ch, T0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Update(ctx, c.Ref, feedback.Change{Verdict: feedback.VerdictSatisfied, Via: feedback.ViaResident}, T0.Add(4*time.Hour)); feedback.ErrorCode(err) != feedback.ECONFLICT {
		t.Errorf("second resident answer: %v, want ECONFLICT", err)
	}
	if _, err := b.Update(ctx, c.Ref, feedback.Change{Verdict: feedback.VerdictMostlySatisfied, Via: feedback.ViaPhone, By: "王工"}, T0.Add(4*time.Hour)); err != nil {
		t.Errorf("phone follow-up after the resident's answer: %v", err)
	}
}

// testOverdueNotifiedOnce marks one case from two handles at once: only
// one call may win, and the moment is kept.
func testOverdueNotifiedOnce(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	ctx := context.Background()
	c := mustCreate(t, a, NewCase(t, "", "电梯困人", T0))
	other := mustCreate(t, a, NewCase(t, "", "别的", T0))
	at := T0.Add(5 * time.Hour)
	var won atomic.Int32
	var wg sync.WaitGroup
	for i := range 10 {
		s := []feedback.Store{a, b}[i%2]
		wg.Go(func() {
			first, err := s.MarkOverdueNotified(ctx, c.Ref, at)
			if err != nil {
				t.Error(err)
			}
			if first {
				won.Add(1)
			}
		})
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Errorf("%d calls recorded the notification, want 1", won.Load())
	}
	got, err := b.Case(ctx, c.Ref)
	if err != nil || !got.OverdueNotifiedAt.Equal(at) {
		t.Errorf("OverdueNotifiedAt = %v (err %v), want %v", got.OverdueNotifiedAt, err, at)
	}
	if got, err := b.Case(ctx, other.Ref); err != nil || !got.OverdueNotifiedAt.IsZero() {
		t.Errorf("another case: OverdueNotifiedAt = %v (err %v), want zero", got.OverdueNotifiedAt, err)
	}
	if first, err := a.MarkOverdueNotified(ctx, "ZZZZZZZZ", at); first || err != nil {
		t.Errorf("MarkOverdueNotified of an unknown ref: %v, %v; want false, nil", first, err)
	}
}

// inboxCase returns a case of a category and unit, sent at.
func inboxCase(t *testing.T, cat feedback.Category, unit, msg string, at time.Time) *feedback.Case {
	t.Helper()
	s := feedback.Submission{Category: cat, Unit: unit, Message: msg, Consent: true}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return feedback.NewCase(s, at)
}

func testCasesFilterForTheInbox(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	a := mustCreate(t, db, inboxCase(t, feedback.CategoryRepair, "3-1201", "a", T0))
	b := mustCreate(t, db, inboxCase(t, feedback.CategoryComplaint, "3-502", "b", T0.Add(24*time.Hour)))
	mustCreate(t, db, inboxCase(t, feedback.CategoryRepair, "13-101", "c", T0.Add(48*time.Hour)))
	mustCreate(t, db, inboxCase(t, feedback.CategoryInquiry, "3%1", "d", T0.Add(72*time.Hour)))
	if _, err := db.Update(ctx, a.Ref, feedback.Change{Status: feedback.StatusResolved}, T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Update(ctx, b.Ref, feedback.Change{Status: feedback.StatusInProgress}, T0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    feedback.Filter
		want string
	}{
		{"pending", feedback.Filter{Pending: true}, "b,c,d"},
		{"category", feedback.Filter{Category: feedback.CategoryRepair}, "a,c"},
		{"building", feedback.Filter{Unit: "3-"}, "a,b"},
		{"unit", feedback.Filter{Unit: "3-1201"}, "a"},
		{"percent is no wildcard", feedback.Filter{Unit: "3%"}, "d"},
		{"underscore is no wildcard", feedback.Filter{Unit: "3_"}, ""},
		{"until", feedback.Filter{Until: T0.Add(48 * time.Hour)}, "a,b"},
		{"since and until", feedback.Filter{Since: T0.Add(24 * time.Hour), Until: T0.Add(72 * time.Hour)}, "b,c"},
		{"newest", feedback.Filter{Newest: true}, "d,c,b,a"},
		{"newest pending repair", feedback.Filter{Newest: true, Pending: true, Category: feedback.CategoryRepair}, "c"},
	} {
		cs, err := db.Cases(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.Message)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: Cases(%+v) = %v, want %s", tc.name, tc.f, got, tc.want)
		}
	}
}

func testCasesNewestFirstPaged(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	var want []string
	for i := range 5 {
		// The last three share one moment: the reference orders them.
		at := T0.Add(time.Duration(min(i, 2)) * time.Hour)
		c := mustCreate(t, db, NewCase(t, "", fmt.Sprint(i), at))
		want = append(want, c.Ref)
	}
	all, err := db.Cases(ctx, feedback.Filter{Newest: true})
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	var after feedback.Cursor
	for range 10 {
		page, next, err := feedback.CasesPage(ctx, db, feedback.Filter{Newest: true, After: after}, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			paged = append(paged, c.Ref)
		}
		if next.IsZero() {
			break
		}
		after = next
	}
	var whole []string
	for _, c := range all {
		whole = append(whole, c.Ref)
	}
	if strings.Join(paged, ",") != strings.Join(whole, ",") || len(paged) != 5 {
		t.Errorf("pages newest first %v, want %v", paged, whole)
	}
	if whole[3] != want[1] || whole[4] != want[0] {
		t.Errorf("newest first %v: the two oldest should come last (%v)", whole, want[:2])
	}
}
