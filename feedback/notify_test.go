package feedback_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

func TestNotifyCommandGetsCaseAsJSON(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "case.json")
	script := filepath.Join(dir, "notify.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat > \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *feedback.Config) { c.NotifyCommand = []string{script, out} })
	ref := e.submit(t)
	e.h.Close() // waits for the notification
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var c feedback.Case
	if err := json.Unmarshal(b, &c); err != nil || c.Ref != ref || c.Message != goodJSON()["message"] {
		t.Errorf("notification %s: %v", b, err)
	}
}

func TestFailingNotifyLosesNothing(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) { c.NotifyCommand = []string{"false"} })
	ref := e.submit(t)
	e.h.Close()
	if _, err := e.db.Case(t.Context(), ref); err != nil {
		t.Errorf("case lost after a failing notification: %v", err)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "feedback notify failed") || !strings.Contains(logs, ref) || strings.Contains(logs, "Ann Lee") {
		t.Errorf("log:\n%s", logs)
	}
}

// overdueEnv is a handler with a repair target of 4h/48h and a notify
// command that appends each notification to a file, one JSON a line.
func overdueEnv(t *testing.T) (*testEnv, string) {
	dir := t.TempDir()
	out := filepath.Join(dir, "notices.jsonl")
	script := filepath.Join(dir, "notify.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat >> \"$1\"\necho >> \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *feedback.Config) {
		c.NotifyCommand = []string{script, out}
		c.Targets = feedback.Targets{feedback.CategoryRepair: {Respond: 4 * time.Hour, Resolve: 48 * time.Hour}}
	})
	return e, out
}

func readNotices(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("notice %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestOverdueNotifiedOnceByTheClock(t *testing.T) {
	e, out := overdueEnv(t)
	ctx := t.Context()
	ref := e.submitAt(t, "repair", "3-1201")
	check := func(want int) {
		t.Helper()
		n, err := e.h.CheckOverdue(ctx)
		if err != nil || n != want {
			t.Fatalf("CheckOverdue at %v = %d, %v; want %d", e.clock(), n, err, want)
		}
	}
	check(0)
	e.advance(4 * time.Hour)
	check(0) // at the deadline, not past it
	e.advance(time.Minute)
	check(1)
	check(0)
	e.advance(48 * time.Hour) // past the resolution target too: still once per case
	check(0)
	// Another handler on the same store, as after a restart or on a
	// second server, does not notify again.
	h2 := feedback.NewHandler(e.db, e.cfg, e.clock, nil, nil)
	if n, err := h2.CheckOverdue(ctx); err != nil || n != 0 {
		t.Errorf("a second handler notified %d cases (err %v), want 0", n, err)
	}
	h2.Close()
	e.h.Close()
	var overdue []map[string]any
	for _, m := range readNotices(t, out) {
		if m["event"] == "overdue" {
			overdue = append(overdue, m)
		} else if m["event"] != "new" {
			t.Errorf("notice with event %v", m["event"])
		}
	}
	if len(overdue) != 1 || overdue[0]["ref"] != ref {
		t.Fatalf("overdue notices: %v, want one for %s", overdue, ref)
	}
	o, _ := overdue[0]["overdue"].(map[string]any)
	if o["respond"] != true || o["resolve"] != false {
		t.Errorf("overdue = %v, want the response target missed", o)
	}
	c, err := e.db.Case(ctx, ref)
	if err != nil || c.OverdueNotifiedAt.IsZero() {
		t.Errorf("the store does not record the notification: %+v, %v", c, err)
	}
}

// staleStore reads cases as another server read them a moment before:
// without the notification that was recorded since.
type staleStore struct{ *sqlite.DB }

func (s staleStore) Cases(ctx context.Context, f feedback.Filter) ([]*feedback.Case, error) {
	cs, err := s.DB.Cases(ctx, f)
	for _, c := range cs {
		c.OverdueNotifiedAt = time.Time{}
	}
	return cs, err
}

// A second server that read the case before the first recorded its
// notification still does not run the command: the store decides.
func TestOverdueNotifiedOnceByTwoServers(t *testing.T) {
	e, out := overdueEnv(t)
	e.submitAt(t, "repair", "3-1201")
	e.advance(5 * time.Hour)
	if n, err := e.h.CheckOverdue(t.Context()); err != nil || n != 1 {
		t.Fatalf("first server: %d, %v; want 1", n, err)
	}
	h2 := feedback.NewHandler(staleStore{e.db}, e.cfg, e.clock, nil, nil)
	if n, err := h2.CheckOverdue(t.Context()); err != nil || n != 0 {
		t.Errorf("second server with a stale read: %d, %v; want 0", n, err)
	}
	h2.Close()
	e.h.Close()
	n := 0
	for _, m := range readNotices(t, out) {
		if m["event"] == "overdue" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the command ran %d times for the overdue case, want 1", n)
	}
}

func TestRespondedCaseIsNotNotified(t *testing.T) {
	e, out := overdueEnv(t)
	ref := e.submitAt(t, "repair", "3-1201")
	e.advance(time.Hour)
	if _, err := e.db.Update(t.Context(), ref, feedback.Change{Status: feedback.StatusInProgress, By: "李师傅"}, e.clock()); err != nil {
		t.Fatal(err)
	}
	e.advance(10 * time.Hour)
	if n, err := e.h.CheckOverdue(t.Context()); err != nil || n != 0 {
		t.Errorf("CheckOverdue on a responded case = %d, %v", n, err)
	}
	e.advance(40 * time.Hour) // past 48h unresolved
	if n, err := e.h.CheckOverdue(t.Context()); err != nil || n != 1 {
		t.Errorf("CheckOverdue past the resolution target = %d, %v; want 1", n, err)
	}
	e.h.Close()
	if got := len(readNotices(t, out)); got != 2 {
		t.Errorf("%d notices, want the new case and one overdue", got)
	}
}
