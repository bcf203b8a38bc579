package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/storetest"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newCase(t *testing.T, key, msg string, at time.Time) *feedback.Case {
	return storetest.NewCase(t, key, msg, at)
}

var t0 = storetest.T0

func TestMigrationsFromEmpty(t *testing.T) {
	db := openTest(t)
	var v int
	if err := db.r.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != len(migrations) {
		t.Errorf("user_version = %d, want %d", v, len(migrations))
	}
	for _, table := range []string{"cases", "events"} {
		var n int
		if err := db.r.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: count %d, err %v", table, n, err)
		}
	}
	// Opening again applies nothing and keeps the data.
	if _, _, err := db.Create(context.Background(), newCase(t, "", "灯坏了", t0)); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	db2, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	cs, err := db2.Cases(context.Background(), feedback.Filter{})
	if err != nil || len(cs) != 1 {
		t.Fatalf("after reopening: %d cases, err %v", len(cs), err)
	}
}

func TestFilesReadableByOwnerOnly(t *testing.T) {
	db := openTest(t)
	if _, _, err := db.Create(context.Background(), newCase(t, "", "x", t0)); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(db.Path() + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group and others", filepath.Base(db.Path()+suffix), perm)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db := openTest(t)
	if _, err := db.w.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: err = %v, want one saying it is newer", err)
	}
}

func TestPragmasChecked(t *testing.T) {
	db := openTest(t)
	if err := checkPragmas(context.Background(), db.w); err != nil {
		t.Fatalf("writer: %v", err)
	}
	// A connection without synchronous=FULL is refused.
	weak, err := sql.Open("sqlite", db.Path()+"?_busy_timeout=5000&_foreign_keys=1&_synchronous=NORMAL")
	if err != nil {
		t.Fatal(err)
	}
	defer weak.Close()
	err = checkPragmas(context.Background(), weak)
	if err == nil || !strings.Contains(err.Error(), "synchronous") {
		t.Fatalf("checkPragmas with synchronous=NORMAL: err = %v, want a synchronous error", err)
	}
	// Nor is a database that is not in WAL mode.
	rollback, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db")+"?_busy_timeout=5000&_foreign_keys=1&_synchronous=FULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rollback.Close()
	err = checkPragmas(context.Background(), rollback)
	if err == nil || !strings.Contains(err.Error(), "journal_mode") {
		t.Fatalf("checkPragmas without WAL: err = %v, want a journal_mode error", err)
	}
}

func TestPurgeTakesHistory(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, _, err := db.Create(ctx, newCase(t, "", "旧的", t0)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Purge(ctx, t0.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("Purge: %d, %v; want 1", n, err)
	}
	var events int
	db.r.QueryRow("SELECT count(*) FROM events").Scan(&events)
	if events != 0 {
		t.Errorf("%d events left, want 0 (the purged case's history goes too)", events)
	}
}

// TestStore runs the store conformance suite on SQLite. Every open within
// one test is another connection to the same file, as lobby serve and a
// staff command share it.
func TestStore(t *testing.T) {
	var mu sync.Mutex
	paths := map[*testing.T]string{}
	storetest.Run(t, func(t *testing.T) feedback.Store {
		mu.Lock()
		path, ok := paths[t]
		if !ok {
			path = filepath.Join(t.TempDir(), "feedback.db")
			paths[t] = path
		}
		mu.Unlock()
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
