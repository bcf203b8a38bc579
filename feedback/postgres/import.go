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
			var notified *time.Time
			if !c.OverdueNotifiedAt.IsZero() {
				t := micro(c.OverdueNotifiedAt)
				notified = &t
			}
			// Without ON CONFLICT, a taken reference or key is an error.
			args := append([]any{c.Ref, key, c.Fingerprint, string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
				string(c.Status), micro(c.CreatedAt), micro(c.UpdatedAt), notified}, arrays(c.History).args()...)
			b.Queue(`WITH c AS (
				INSERT INTO cases (ref, idem_key, fingerprint, category, name, unit, contact, message, status, created_at, updated_at, overdue_notified_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
			)
			INSERT INTO events (case_id, at, status, note, by_name, verdict, comment, via)
			SELECT c.id, e.at, e.status, e.note, e.by_name, e.verdict, e.comment, e.via
			FROM c, unnest($13::timestamptz[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
				WITH ORDINALITY AS e(at, status, note, by_name, verdict, comment, via, n)
			ORDER BY e.n`, args...)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	return storeError("import", err)
}
