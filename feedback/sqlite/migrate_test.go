package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/storetest"
)

// legacyVersion is the schema version of the release before casework.
const legacyVersion = 4

// TestMigrationKeepsEveryCase writes cases with the schema and the SQL of
// the release before casework, then opens the file with this program.
func TestMigrationKeepsEveryCase(t *testing.T) {
	storetest.RunMigration(t, func(t *testing.T, cases []*feedback.Case) feedback.Store {
		path := filepath.Join(t.TempDir(), "feedback.db")
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		for v, m := range migrations[:legacyVersion] {
			if _, err := raw.Exec(m); err != nil {
				t.Fatalf("migration %d: %v", v+1, err)
			}
		}
		if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", legacyVersion)); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			var key any
			if c.Key != "" {
				key = c.Key
			}
			var id int64
			err := raw.QueryRow(`INSERT INTO cases (ref, idem_key, fingerprint, category, name, unit, contact, message, status, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.Ref, key, c.Fingerprint, string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
				string(c.Status), c.CreatedAt.UnixNano(), c.UpdatedAt.UnixNano()).Scan(&id)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range c.History {
				if _, err := raw.Exec("INSERT INTO events (case_id, at, status, note) VALUES (?, ?, ?, ?)", id, ev.At.UnixNano(), string(ev.Status), ev.Note); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := raw.Close(); err != nil {
			t.Fatal(err)
		}
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		var v int
		if err := db.r.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(migrations) {
			t.Errorf("user_version after opening = %d (err %v), want %d", v, err, len(migrations))
		}
		return db
	})
}
