package postgres

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/postgres/pgtest"
	"github.com/lobby-community/lobby/feedback/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openURL(t *testing.T, dsn string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestStore runs the store conformance suite on PostgreSQL. Every open
// within one test is another pool on the same schema, as a second server
// would have.
func TestStore(t *testing.T) {
	var mu sync.Mutex
	urls := map[*testing.T]string{}
	storetest.Run(t, func(t *testing.T) feedback.Store {
		mu.Lock()
		dsn, ok := urls[t]
		mu.Unlock()
		if !ok {
			dsn = pgtest.NewDatabase(t)
			mu.Lock()
			urls[t] = dsn
			mu.Unlock()
		}
		return openURL(t, dsn)
	})
}

func TestMigrationsFromEmpty(t *testing.T) {
	db := openURL(t, pgtest.NewDatabase(t))
	ctx := context.Background()
	var v int
	if err := db.pool.QueryRow(ctx, "SELECT version FROM schema_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != len(migrations) {
		t.Errorf("schema_version = %d, want %d", v, len(migrations))
	}
}

func TestServersStartingTogetherMigrateOnce(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			db, err := Open(context.Background(), dsn, "")
			if err != nil {
				t.Error(err)
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	db := openURL(t, dsn)
	var n int
	if err := db.pool.QueryRow(context.Background(), "SELECT count(*) FROM schema_version").Scan(&n); err != nil || n != 1 {
		t.Errorf("schema_version has %d rows (err %v), want 1", n, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	db := openURL(t, dsn)
	if _, err := db.pool.Exec(context.Background(), "UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dsn, "")
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: err = %v, want one saying it is newer", err)
	}
}

func TestOpenRefusesPasswordInURL(t *testing.T) {
	_, err := Open(context.Background(), "postgres://lobby:secret@127.0.0.1:1/lobby", "")
	if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "password") {
		t.Fatalf("Open with a password in the URL: %v, want an error about it without the password", err)
	}
}

func TestPurgeTakesHistory(t *testing.T) {
	db := openURL(t, pgtest.NewDatabase(t))
	ctx := context.Background()
	if _, _, err := db.Create(ctx, storetest.NewCase(t, "", "旧的", storetest.T0)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Purge(ctx, storetest.T0.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("Purge: %d, %v; want 1", n, err)
	}
	var events int
	db.pool.QueryRow(ctx, "SELECT count(*) FROM events").Scan(&events)
	if events != 0 {
		t.Errorf("%d events left, want 0 (the purged case's history goes too)", events)
	}
}
