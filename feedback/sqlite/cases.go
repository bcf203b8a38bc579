package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// maxRefTries bounds the retries when a new reference number is taken.
const maxRefTries = 20

// Create stores c under a fresh reference, or returns the case already
// stored under c.Key; see feedback.Store.
func (db *DB) Create(ctx context.Context, c *feedback.Case) (*feedback.Case, bool, error) {
	var stored *feedback.Case
	var existed bool
	err := db.write(ctx, func(tx *sql.Tx) error {
		stored, existed = nil, false
		var key any // NULL when there is no key: UNIQUE allows many NULLs
		if c.Key != "" {
			key = c.Key
		}
		for range maxRefTries {
			ref := db.NewRef()
			res, err := tx.Stmt(db.st.insertCase).Exec(ref, key, c.Fingerprint, string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
				string(c.Status), c.CreatedAt.UnixNano(), c.UpdatedAt.UnixNano())
			if err != nil {
				return storeError("insert case", err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				// The key or the reference is taken: which one?
				if c.Key != "" {
					old, err := loadCases(ctx, tx, "WHERE idem_key = ?", c.Key)
					if err != nil {
						return err
					}
					if len(old) > 0 {
						stored, existed = old[0], true
						return nil
					}
				}
				continue // the reference: draw another
			}
			id, err := res.LastInsertId()
			if err != nil {
				return storeError("insert case", err)
			}
			if err := db.insertEvents(tx, id, c.History); err != nil {
				return err
			}
			cp := *c
			cp.Ref = ref
			cp.History = append([]feedback.Event(nil), c.History...)
			stored = &cp
			return nil
		}
		return fmt.Errorf("feedback store: no free reference number after %d tries", maxRefTries)
	})
	if err != nil {
		return nil, false, err
	}
	return stored, existed, nil
}

// Case returns the case with the reference and its history.
func (db *DB) Case(ctx context.Context, ref string) (*feedback.Case, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cs, err := loadCases(ctx, tx, "WHERE ref = ?", ref)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, feedback.Errorf(feedback.ENOTFOUND, "no case with reference %s", ref)
	}
	return cs[0], nil
}

// CaseByKey returns the case stored with the idempotency key.
func (db *DB) CaseByKey(ctx context.Context, key string) (*feedback.Case, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, storeError("begin read", err)
	}
	defer tx.Rollback()
	cs, err := loadCases(ctx, tx, "WHERE idem_key = ?", key)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 || key == "" {
		return nil, feedback.Errorf(feedback.ENOTFOUND, "no case with this key")
	}
	return cs[0], nil
}

// Cases returns the cases f selects, with their history, ordered by
// creation time and reference; see feedback.Store.
func (db *DB) Cases(ctx context.Context, f feedback.Filter) ([]*feedback.Case, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if f.Open {
		where = append(where, "status <> ?")
		args = append(args, string(feedback.StatusFollowedUp))
	}
	if f.Pending {
		where = append(where, "status IN (?, ?)")
		args = append(args, string(feedback.StatusReceived), string(feedback.StatusInProgress))
	}
	if f.Category != "" {
		where = append(where, "category = ?")
		args = append(args, string(f.Category))
	}
	if f.Unit != "" {
		// substr rather than LIKE: a unit may hold % or _.
		where = append(where, "substr(unit, 1, length(?)) = ?")
		args = append(args, f.Unit, f.Unit)
	}
	if !f.Since.IsZero() {
		where = append(where, "created_at >= ?")
		args = append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		where = append(where, "created_at < ?")
		args = append(args, f.Until.UnixNano())
	}
	order := " ORDER BY created_at, ref"
	if f.Newest {
		order = " ORDER BY created_at DESC, ref DESC"
	}
	if !f.After.IsZero() {
		if f.Newest {
			where = append(where, "(created_at, ref) < (?, ?)")
		} else {
			where = append(where, "(created_at, ref) > (?, ?)")
		}
		args = append(args, f.After.CreatedAt.UnixNano(), f.After.Ref)
	}
	clause := ""
	if len(where) > 0 {
		clause = "WHERE " + strings.Join(where, " AND ")
	}
	clause += order
	if f.Limit > 0 {
		clause += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return loadCases(ctx, tx, clause, args...)
}

// loadCases reads the cases that clause (a WHERE and ORDER clause on cases)
// selects, then their events, inside tx so both see one snapshot.
func loadCases(ctx context.Context, tx *sql.Tx, clause string, args ...any) ([]*feedback.Case, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, ref, COALESCE(idem_key, ''), fingerprint, category, name, unit, contact, message, status, created_at, updated_at,
		COALESCE(overdue_notified_at, 0)
		FROM cases `+clause, args...)
	if err != nil {
		return nil, storeError("query cases", err)
	}
	var cases []*feedback.Case
	byID := map[int64]*feedback.Case{}
	for rows.Next() {
		var c feedback.Case
		var id, created, updated, notified int64
		var category, status string
		if err := rows.Scan(&id, &c.Ref, &c.Key, &c.Fingerprint, &category, &c.Name, &c.Unit, &c.Contact, &c.Message, &status, &created, &updated, &notified); err != nil {
			rows.Close()
			return nil, storeError("read case", err)
		}
		c.Category, c.Status = feedback.Category(category), feedback.Status(status)
		c.CreatedAt, c.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
		if notified != 0 {
			c.OverdueNotifiedAt = time.Unix(0, notified).UTC()
		}
		c.History = []feedback.Event{}
		cases = append(cases, &c)
		byID[id] = &c
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, storeError("read cases", err)
	}
	if len(cases) == 0 {
		return cases, nil
	}
	evRows, err := tx.QueryContext(ctx, `SELECT case_id, at, status, note, by_name, verdict, comment, via FROM events
		WHERE case_id IN (SELECT id FROM cases `+clause+`) ORDER BY id`, args...)
	if err != nil {
		return nil, storeError("query events", err)
	}
	defer evRows.Close()
	for evRows.Next() {
		var id, at int64
		var ev feedback.Event
		var status, verdict, via string
		if err := evRows.Scan(&id, &at, &status, &ev.Note, &ev.By, &verdict, &ev.Comment, &via); err != nil {
			return nil, storeError("read event", err)
		}
		ev.At, ev.Status = time.Unix(0, at).UTC(), feedback.Status(status)
		ev.Verdict, ev.Via = feedback.Verdict(verdict), feedback.Via(via)
		if c := byID[id]; c != nil {
			c.History = append(c.History, ev)
		}
	}
	if err := evRows.Err(); err != nil {
		return nil, storeError("read events", err)
	}
	return cases, nil
}

// Update applies a change to a case; see feedback.Store.
func (db *DB) Update(ctx context.Context, ref string, ch feedback.Change, at time.Time) (*feedback.Case, error) {
	var c *feedback.Case
	err := db.write(ctx, func(tx *sql.Tx) error {
		cs, err := loadCases(ctx, tx, "WHERE ref = ?", ref)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return feedback.Errorf(feedback.ENOTFOUND, "no case with reference %s", ref)
		}
		c = cs[0]
		had := len(c.History)
		if err := c.Apply(ch, at); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow("UPDATE cases SET status = ?, updated_at = ? WHERE ref = ? RETURNING id",
			string(c.Status), c.UpdatedAt.UnixNano(), ref).Scan(&id); err != nil {
			return storeError("update case", err)
		}
		return db.insertEvents(tx, id, c.History[had:])
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// insertEvents stores events as the history of the case with row id.
func (db *DB) insertEvents(tx *sql.Tx, id int64, events []feedback.Event) error {
	for _, ev := range events {
		if _, err := tx.Stmt(db.st.insertEvent).Exec(id, ev.At.UnixNano(), string(ev.Status), ev.Note,
			ev.By, string(ev.Verdict), ev.Comment, string(ev.Via)); err != nil {
			return storeError("insert event", err)
		}
	}
	return nil
}

// MarkOverdueNotified records that the case's overdue notification ran;
// see feedback.Store.
func (db *DB) MarkOverdueNotified(ctx context.Context, ref string, at time.Time) (bool, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec("UPDATE cases SET overdue_notified_at = ? WHERE ref = ? AND overdue_notified_at IS NULL", at.UnixNano(), ref)
		if err != nil {
			return storeError("mark overdue notified", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

// Purge deletes the cases whose last change is before cutoff, then
// checkpoints the WAL so that their text leaves the log file too
// (secure_delete overwrites it in the database file).
func (db *DB) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec("DELETE FROM cases WHERE updated_at < ?", cutoff.UnixNano())
		if err != nil {
			return storeError("purge", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM decoys WHERE created_at < ?", cutoff.UnixNano()); err != nil {
			return storeError("purge decoys", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		// The writing connection is free between transactions; this waits
		// for it like the writer goroutine does.
		if _, err := db.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return int(n), storeError("checkpoint", err)
		}
	}
	return int(n), nil
}
