package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// stmts are the writer's statements, prepared once on the writing
// connection: parsing SQL costs more than running these.
type stmts struct {
	savepoint, release, rollbackTo *sql.Stmt
	insertCase, insertEvent        *sql.Stmt
}

func (s *stmts) prepare(ctx context.Context, w *sql.DB) error {
	for _, p := range []struct {
		dst  **sql.Stmt
		text string
	}{
		{&s.savepoint, "SAVEPOINT job"},
		{&s.release, "RELEASE job"},
		{&s.rollbackTo, "ROLLBACK TO job"},
		// Conflicts on ref or on idem_key insert nothing; Create then
		// tells which it was.
		{&s.insertCase, `INSERT INTO cases (ref, idem_key, fingerprint, category, name, unit, contact, message, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`},
		{&s.insertEvent, "INSERT INTO events (case_id, at, status, note, by_name, verdict, comment, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"},
	} {
		st, err := w.PrepareContext(ctx, p.text)
		if err != nil {
			return err
		}
		*p.dst = st
	}
	return nil
}

func (s *stmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.savepoint, s.release, s.rollbackTo, s.insertCase, s.insertEvent} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
