package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/lobby-community/lobby/feedback"
)

// CreateDecoy records a fresh reference for a honeypot submission; see
// feedback.Store.
func (db *DB) CreateDecoy(ctx context.Context, at time.Time) (string, error) {
	if err := db.open(); err != nil {
		return "", err
	}
	newRef := *db.newRef.Load()
	for range maxRefTries {
		ref := newRef()
		var tag int64
		err := retrySafe(func() error {
			t, err := db.pool.Exec(ctx, `INSERT INTO decoys (ref, created_at)
				SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM cases WHERE ref = $1)
				ON CONFLICT DO NOTHING`, ref, micro(at))
			tag = t.RowsAffected()
			return err
		})
		if err != nil {
			return "", storeError("insert decoy", err)
		}
		if tag == 1 {
			return ref, nil
		}
	}
	return "", fmt.Errorf("feedback store: no free reference number after %d tries", maxRefTries)
}

// Decoy returns when a decoy reference was given; see feedback.Store.
func (db *DB) Decoy(ctx context.Context, ref string) (time.Time, error) {
	if err := db.open(); err != nil {
		return time.Time{}, err
	}
	var at time.Time
	err := retrySafe(func() error {
		return db.pool.QueryRow(ctx, "SELECT created_at FROM decoys WHERE ref = $1", ref).Scan(&at)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, feedback.Errorf(feedback.ENOTFOUND, "no case with reference %s", ref)
	}
	if err != nil {
		return time.Time{}, storeError("read decoy", err)
	}
	return at.UTC(), nil
}
