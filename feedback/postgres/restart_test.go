package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/postgres/pgtest"
	"github.com/lobby-community/lobby/feedback/storetest"
)

// TestDatabaseDownIsUnavailableThenReconnects stops the server under an
// open store: every operation fails with EUNAVAILABLE (which residents see
// as 503 with Retry-After), not an internal error; once the server is back,
// the same store works again without being reopened.
func TestDatabaseDownIsUnavailableThenReconnects(t *testing.T) {
	c := pgtest.Start(t)
	db := openURL(t, c.NewDatabase(t))
	ctx := context.Background()
	before, _, err := db.Create(ctx, storetest.NewCase(t, "before-restart-1", "停电了", storetest.T0))
	if err != nil {
		t.Fatal(err)
	}
	c.Stop(t)
	_, _, err = db.Create(ctx, storetest.NewCase(t, "during-outage-1", "还是停电", storetest.T0))
	if code := feedback.ErrorCode(err); code != feedback.EUNAVAILABLE {
		t.Errorf("Create with the database down: %v (code %s), want EUNAVAILABLE", err, code)
	}
	if _, err := db.Case(ctx, before.Ref); feedback.ErrorCode(err) != feedback.EUNAVAILABLE {
		t.Errorf("Case with the database down: %v, want EUNAVAILABLE", err)
	}
	if _, err := db.SessionEpoch(ctx); feedback.ErrorCode(err) != feedback.EUNAVAILABLE {
		t.Errorf("SessionEpoch with the database down: %v, want EUNAVAILABLE", err)
	}
	c.Cont(t)
	// The pool's connections died with the server; the next operations
	// find fresh ones by themselves.
	got, err := waitFor(t, func() (*feedback.Case, error) { return db.Case(ctx, before.Ref) })
	if err != nil || got.Ref != before.Ref {
		t.Fatalf("Case after the database came back: %v, %v", got, err)
	}
	again, existed, err := db.Create(ctx, storetest.NewCase(t, "during-outage-1", "还是停电", storetest.T0))
	if err != nil || existed {
		t.Fatalf("Create after the outage: %+v existed %v err %v, want a new case", again, existed, err)
	}
	// A restart (connections cut while open) is the same.
	c.Restart(t)
	replay, err := waitFor(t, func() (*feedback.Case, error) {
		c, _, err := db.Create(ctx, storetest.NewCase(t, "during-outage-1", "还是停电", storetest.T0))
		return c, err
	})
	if err != nil || replay.Ref != again.Ref {
		t.Fatalf("replay after a restart: %+v, %v; want %s", replay, err, again.Ref)
	}
	if cs, err := db.Cases(ctx, feedback.Filter{}); err != nil || len(cs) != 2 {
		t.Errorf("%d cases (err %v), want 2", len(cs), err)
	}
}

// waitFor retries fn while it answers EUNAVAILABLE, as a resident's
// browser does after a 503, and fails on any other error.
func waitFor(t *testing.T, fn func() (*feedback.Case, error)) (*feedback.Case, error) {
	t.Helper()
	for range 100 {
		c, err := fn()
		if feedback.ErrorCode(err) != feedback.EUNAVAILABLE {
			return c, err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fn()
}
