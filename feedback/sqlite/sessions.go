package sqlite

import (
	"context"
	"database/sql"
)

// SessionEpoch returns the staff session epoch; see feedback.Store.
func (db *DB) SessionEpoch(ctx context.Context) (int64, error) {
	var epoch int64
	tx, err := db.readTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "SELECT epoch FROM staff_sessions WHERE id = 1").Scan(&epoch); err != nil {
		return 0, storeError("read session epoch", err)
	}
	return epoch, nil
}

// EndSessions moves the staff session epoch on; see feedback.Store.
func (db *DB) EndSessions(ctx context.Context) (int64, error) {
	var epoch int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "UPDATE staff_sessions SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch").Scan(&epoch); err != nil {
			return storeError("end sessions", err)
		}
		return nil
	})
	return epoch, err
}
