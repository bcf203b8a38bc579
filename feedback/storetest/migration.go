package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// Legacy writes cases into a fresh store at the schema of the release
// before casework (no staff names, verdicts or overdue notifications),
// keeping only what that schema holds: reference, key, fingerprint,
// fields, status, times and a history of statuses and notes. It then
// opens the store with this program, which migrates it, and returns it.
type Legacy func(t *testing.T, cases []*feedback.Case) feedback.Store

// LegacyCases are the cases RunMigration writes at the old schema: every
// status, notes with line breaks, keys and none, a message with an
// invisible character kept as an escape, and times to the microsecond
// (the precision both stores keep).
func LegacyCases(t testing.TB) []*feedback.Case {
	t.Helper()
	var out []*feedback.Case
	add := func(ref, key, msg string, steps ...feedback.Status) {
		c := NewCase(t, key, msg, T0.Add(time.Duration(len(out))*time.Hour+123456*time.Microsecond))
		c.Ref = ref
		at := c.CreatedAt
		for i, st := range steps {
			at = at.Add(90 * time.Minute)
			note := ""
			if i%2 == 0 {
				note = "第" + string(rune('一'+i)) + "步\n已处理"
			}
			if err := c.Apply(feedback.Change{Status: st, Note: note}, at); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, c)
	}
	add("AAAAAAA2", "legacy-key-0001", "楼道灯不亮")
	add("AAAAAAA3", "", "电梯异响", feedback.StatusInProgress)
	add("AAAAAAA4", "legacy-key-0002", "水管漏水\n请尽快", feedback.StatusInProgress, feedback.StatusResolved)
	add("AAAAAAA5", "", "门禁坏了\\u200B", feedback.StatusResolved, feedback.StatusFollowedUp, feedback.StatusInProgress, feedback.StatusResolved)
	add("AAAAAAA6", "", "路灯", feedback.StatusFollowedUp)
	return out
}

// RunMigration writes LegacyCases at the old schema with legacy, and
// checks that the migrated store keeps every case exactly, and that the
// new operations work on the old cases.
func RunMigration(t *testing.T, legacy Legacy) {
	want := LegacyCases(t)
	db := legacy(t, want)
	ctx := context.Background()
	got, err := db.Cases(ctx, feedback.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d cases after the migration, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("case %d after the migration:\n%+v\nwant\n%+v", i, got[i], want[i])
		}
	}
	for _, c := range want {
		if c.Key == "" {
			continue
		}
		if byKey, err := db.CaseByKey(ctx, c.Key); err != nil || byKey.Ref != c.Ref {
			t.Errorf("CaseByKey(%s) after the migration: %v, %v", c.Key, byKey, err)
		}
	}
	// The old cases take the new operations.
	at := T0.Add(30 * 24 * time.Hour)
	c, err := db.Update(ctx, "AAAAAAA4", feedback.Change{Verdict: feedback.VerdictMostlySatisfied, Via: feedback.ViaResident, Comment: "还行"}, at)
	if err != nil || c.Status != feedback.StatusFollowedUp || len(c.History) != 4 {
		t.Fatalf("resident verdict on a migrated case: %+v, %v", c, err)
	}
	if c, err := db.Update(ctx, "AAAAAAA3", feedback.Change{Status: feedback.StatusResolved, By: "李师傅"}, at); err != nil || c.History[len(c.History)-1].By != "李师傅" {
		t.Errorf("named change on a migrated case: %+v, %v", c, err)
	}
	if first, err := db.MarkOverdueNotified(ctx, "AAAAAAA2", at); !first || err != nil {
		t.Errorf("MarkOverdueNotified on a migrated case: %v, %v", first, err)
	}
	if _, _, err := db.Create(ctx, NewCase(t, "legacy-key-0001", "楼道灯不亮", at)); err != nil {
		t.Errorf("Create after the migration: %v", err)
	}
	all, err := db.Cases(ctx, feedback.Filter{})
	if err != nil || len(all) != len(want) {
		t.Errorf("after the new operations: %d cases (err %v), want %d (the key was replayed)", len(all), err, len(want))
	}
}
