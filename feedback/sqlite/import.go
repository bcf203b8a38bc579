package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lobby-community/lobby/feedback"
)

// Import stores cases as they are, with their references, keys and
// history, in one transaction: lobby feedback migrate copies a store with
// it. A reference or key already taken fails the whole import.
func (db *DB) Import(ctx context.Context, cases []*feedback.Case) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, c := range cases {
			var key any
			if c.Key != "" {
				key = c.Key
			}
			res, err := tx.Stmt(db.st.insertCase).Exec(c.Ref, key, c.Fingerprint, string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
				string(c.Status), c.CreatedAt.UnixNano(), c.UpdatedAt.UnixNano())
			if err != nil {
				return storeError("import case", err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("feedback store: import: case %s: its reference or key is taken", c.Ref)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return storeError("import case", err)
			}
			if err := db.insertEvents(tx, id, c.History); err != nil {
				return err
			}
			if !c.OverdueNotifiedAt.IsZero() {
				if _, err := tx.Exec("UPDATE cases SET overdue_notified_at = ? WHERE id = ?", c.OverdueNotifiedAt.UnixNano(), id); err != nil {
					return storeError("import case", err)
				}
			}
		}
		return nil
	})
}
