package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/postgres/pgtest"
	"github.com/lobby-community/lobby/feedback/storetest"
)

// legacyVersion is the schema version of the release before casework.
const legacyVersion = 1

// TestMigrationKeepsEveryCase writes cases with the schema and the SQL of
// the release before casework, then opens the database with this program.
func TestMigrationKeepsEveryCase(t *testing.T) {
	storetest.RunMigration(t, func(t *testing.T, cases []*feedback.Case) feedback.Store {
		dsn := pgtest.NewDatabase(t)
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, m := range migrations[:legacyVersion] {
			if _, err := conn.Exec(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE schema_version (version integer NOT NULL); INSERT INTO schema_version VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			var key any
			if c.Key != "" {
				key = c.Key
			}
			var id int64
			err := conn.QueryRow(ctx, `INSERT INTO cases (ref, idem_key, fingerprint, category, name, unit, contact, message, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, c.Ref, key, c.Fingerprint, string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
				string(c.Status), c.CreatedAt, c.UpdatedAt).Scan(&id)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range c.History {
				if _, err := conn.Exec(ctx, "INSERT INTO events (case_id, at, status, note) VALUES ($1, $2, $3, $4)", id, ev.At, string(ev.Status), ev.Note); err != nil {
					t.Fatal(err)
				}
			}
		}
		db := openURL(t, dsn)
		var v int
		if err := db.pool.QueryRow(ctx, "SELECT version FROM schema_version").Scan(&v); err != nil || v != len(migrations) {
			t.Errorf("schema_version after opening = %d (err %v), want %d", v, err, len(migrations))
		}
		return db
	})
}
