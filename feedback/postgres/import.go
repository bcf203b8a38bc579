package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/lobby-community/lobby/feedback"
)

// Import stores cases as they are, with their references, keys and
// history, in one transaction: lobby feedback migrate copies a store with
// it. A reference or key already taken fails the whole import. Times keep
// PostgreSQL's precision, microseconds.
func (db *DB) Import(ctx context.Context, cases []*feedback.Case) error {
	if err := db.open(); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, c := range cases {
			var key any
			if c.Key != "" {
				key = c.Key
			}
			ats := make([]time.Time, len(c.History))
			statuses := make([]string, len(c.History))
			notes := make([]string, len(c.History))
			for i, ev := range c.History {
				ats[i], statuses[i], notes[i] = micro(ev.At), string(ev.Status), ev.Note
			}
			// Without ON CONFLICT, a taken reference or key is an error.
			b.Queue(`WITH c AS (
				INSERT INTO cases (ref, idem_key, fingerprint, category, name, unit, contact, message, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id
			)
			INSERT INTO events (case_id, at, status, note)
			SELECT c.id, e.at, e.status, e.note
			FROM c, unnest($12::timestamptz[], $13::text[], $14::text[]) WITH ORDINALITY AS e(at, status, note, n)
			ORDER BY e.n`,
				c.Ref, key, c.Fingerprint, string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
				string(c.Status), micro(c.CreatedAt), micro(c.UpdatedAt), ats, statuses, notes)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	return storeError("import", err)
}
