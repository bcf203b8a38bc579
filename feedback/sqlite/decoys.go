package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// CreateDecoy records a fresh reference for a honeypot submission; see
// feedback.Store.
func (db *DB) CreateDecoy(ctx context.Context, at time.Time) (string, error) {
	var ref string
	err := db.write(ctx, func(tx *sql.Tx) error {
		for range maxRefTries {
			ref = db.NewRef()
			res, err := tx.ExecContext(ctx, `INSERT INTO decoys (ref, created_at)
				SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM cases WHERE ref = ?)
				ON CONFLICT DO NOTHING`, ref, at.UnixNano(), ref)
			if err != nil {
				return storeError("insert decoy", err)
			}
			if n, err := res.RowsAffected(); err == nil && n == 1 {
				return nil
			}
		}
		return fmt.Errorf("feedback store: no free reference number after %d tries", maxRefTries)
	})
	if err != nil {
		return "", err
	}
	return ref, nil
}

// Decoy returns when a decoy reference was given; see feedback.Store.
func (db *DB) Decoy(ctx context.Context, ref string) (time.Time, error) {
	var at int64
	err := db.r.QueryRowContext(ctx, "SELECT created_at FROM decoys WHERE ref = ?", ref).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, feedback.Errorf(feedback.ENOTFOUND, "no case with reference %s", ref)
	}
	if err != nil {
		return time.Time{}, storeError("read decoy", err)
	}
	return time.Unix(0, at).UTC(), nil
}
