package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/survey"
)

var _ survey.Store = (*DB)(nil)

// SaveAnswer stores a survey answer, replacing the respondent's earlier
// one; see survey.Store.
func (db *DB) SaveAnswer(ctx context.Context, r *survey.Response) (replaced, retried bool, err error) {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return false, false, err
	}
	var key any
	if r.Key != "" {
		key = r.Key
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		replaced, retried = false, false
		if r.Key != "" {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM survey_answers WHERE idem_key = ?", r.Key).Scan(&n); err != nil {
				return storeError("find survey answer key", err)
			}
			if n > 0 {
				retried = true
				return nil
			}
		}
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM survey_answers WHERE survey = ? AND respondent = ?", r.Survey, r.Respondent).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO survey_answers (survey, respondent, idem_key, answers, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)`, r.Survey, r.Respondent, key, string(answers), r.CreatedAt.UnixNano(), r.UpdatedAt.UnixNano())
		case err == nil:
			replaced = true
			_, err = tx.ExecContext(ctx, "UPDATE survey_answers SET idem_key = ?, answers = ?, updated_at = ? WHERE id = ?",
				key, string(answers), r.UpdatedAt.UnixNano(), id)
		}
		if err != nil {
			return storeError("store survey answer", err)
		}
		return nil
	})
	return replaced, retried, err
}

// Responses returns a survey's answers, oldest first; see survey.Store.
func (db *DB) Responses(ctx context.Context, name string) ([]*survey.Response, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT respondent, COALESCE(idem_key, ''), answers, created_at, updated_at
		FROM survey_answers WHERE survey = ? ORDER BY created_at, id`, name)
	if err != nil {
		return nil, storeError("read survey answers", err)
	}
	defer rows.Close()
	var out []*survey.Response
	for rows.Next() {
		r := &survey.Response{Survey: name}
		var answers string
		var created, updated int64
		if err := rows.Scan(&r.Respondent, &r.Key, &answers, &created, &updated); err != nil {
			return nil, storeError("read survey answers", err)
		}
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return nil, storeError("read survey answers", err)
		}
		r.CreatedAt, r.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("read survey answers", err)
	}
	return out, nil
}

// AddCodes stores household codes, all or none; see survey.Store.
func (db *DB) AddCodes(ctx context.Context, name string, codes []survey.Code) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, c := range codes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO survey_codes (survey, hash, unit, created_at) VALUES (?, ?, ?, ?)",
				name, c.Hash, c.Unit, c.CreatedAt.UnixNano()); err != nil {
				return feedback.Errorf(feedback.ECONFLICT, "unit %s has a code already", c.Unit)
			}
		}
		return nil
	})
}

// Codes returns a survey's codes by unit; see survey.Store.
func (db *DB) Codes(ctx context.Context, name string) ([]survey.Code, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT unit, hash, created_at FROM survey_codes WHERE survey = ? ORDER BY unit", name)
	if err != nil {
		return nil, storeError("read survey codes", err)
	}
	defer rows.Close()
	var out []survey.Code
	for rows.Next() {
		var c survey.Code
		var created int64
		if err := rows.Scan(&c.Unit, &c.Hash, &created); err != nil {
			return nil, storeError("read survey codes", err)
		}
		c.CreatedAt = time.Unix(0, created).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// CodeUnit returns the unit of a code; see survey.Store.
func (db *DB) CodeUnit(ctx context.Context, name, hash string) (string, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var unit string
	err = tx.QueryRowContext(ctx, "SELECT unit FROM survey_codes WHERE survey = ? AND hash = ?", name, hash).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return "", survey.ErrNotFound
	}
	if err != nil {
		return "", storeError("read survey code", err)
	}
	return unit, nil
}
