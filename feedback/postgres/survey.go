package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/survey"
)

var _ survey.Store = (*DB)(nil)

// SaveAnswer stores a survey answer, replacing the respondent's earlier
// one; see survey.Store. The unique constraints decide between servers
// that take answers of one respondent at the same moment.
func (db *DB) SaveAnswer(ctx context.Context, r *survey.Response) (replaced, retried bool, err error) {
	if err := db.open(); err != nil {
		return false, false, err
	}
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return false, false, err
	}
	var key any
	if r.Key != "" {
		key = r.Key
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		replaced, retried = false, false
		if r.Key != "" {
			var n int
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM survey_answers WHERE idem_key = $1", r.Key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				retried = true
				return nil
			}
		}
		// xmax is not 0 for a row the upsert updated rather than inserted.
		return tx.QueryRow(ctx, `INSERT INTO survey_answers (survey, respondent, idem_key, answers, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (survey, respondent) DO UPDATE SET idem_key = EXCLUDED.idem_key, answers = EXCLUDED.answers, updated_at = EXCLUDED.updated_at
			RETURNING xmax <> 0`, r.Survey, r.Respondent, key, string(answers), micro(r.CreatedAt), micro(r.UpdatedAt)).Scan(&replaced)
	})
	if err != nil {
		return false, false, storeError("store survey answer", err)
	}
	return replaced, retried, nil
}

// Responses returns a survey's answers, oldest first; see survey.Store.
func (db *DB) Responses(ctx context.Context, name string) ([]*survey.Response, error) {
	if err := db.open(); err != nil {
		return nil, err
	}
	var out []*survey.Response
	err := retrySafe(func() error {
		out = nil
		rows, err := db.pool.Query(ctx, `SELECT respondent, COALESCE(idem_key, ''), answers::text, created_at, updated_at
			FROM survey_answers WHERE survey = $1 ORDER BY created_at, id`, name)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := &survey.Response{Survey: name}
			var answers string
			if err := rows.Scan(&r.Respondent, &r.Key, &answers, &r.CreatedAt, &r.UpdatedAt); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
				return err
			}
			r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, storeError("read survey answers", err)
	}
	return out, nil
}

// AddCodes stores household codes, all or none; see survey.Store.
func (db *DB) AddCodes(ctx context.Context, name string, codes []survey.Code) error {
	if err := db.open(); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, c := range codes {
			if _, err := tx.Exec(ctx, "INSERT INTO survey_codes (survey, hash, unit, created_at) VALUES ($1, $2, $3, $4)",
				name, c.Hash, c.Unit, micro(c.CreatedAt)); err != nil {
				return feedback.Errorf(feedback.ECONFLICT, "unit %s has a code already", c.Unit)
			}
		}
		return nil
	})
	var fe *feedback.Error
	if errors.As(err, &fe) {
		return err
	}
	if err != nil {
		return storeError("store survey codes", err)
	}
	return nil
}

// Codes returns a survey's codes by unit; see survey.Store.
func (db *DB) Codes(ctx context.Context, name string) ([]survey.Code, error) {
	if err := db.open(); err != nil {
		return nil, err
	}
	var out []survey.Code
	err := retrySafe(func() error {
		out = nil
		rows, err := db.pool.Query(ctx, "SELECT unit, hash, created_at FROM survey_codes WHERE survey = $1 ORDER BY unit", name)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c survey.Code
			if err := rows.Scan(&c.Unit, &c.Hash, &c.CreatedAt); err != nil {
				return err
			}
			c.CreatedAt = c.CreatedAt.UTC()
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, storeError("read survey codes", err)
	}
	return out, nil
}

// CodeUnit returns the unit of a code; see survey.Store.
func (db *DB) CodeUnit(ctx context.Context, name, hash string) (string, error) {
	if err := db.open(); err != nil {
		return "", err
	}
	var unit string
	err := retrySafe(func() error {
		return db.pool.QueryRow(ctx, "SELECT unit FROM survey_codes WHERE survey = $1 AND hash = $2", name, hash).Scan(&unit)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", survey.ErrNotFound
	}
	if err != nil {
		return "", storeError("read survey code", err)
	}
	return unit, nil
}
