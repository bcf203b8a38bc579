package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/lobby-community/lobby/feedback"
)

// maxRefTries bounds the retries when a new reference number is taken.
const maxRefTries = 20

// maxSafeRetries bounds the retries of a statement that never reached the
// server (pgconn.SafeToRetry), as when a pooled connection died with the
// server's restart.
const maxSafeRetries = 3

// insertCase stores a case and its history in one statement, so in one
// transaction that commits before Exec returns. A taken ref or idem_key
// inserts nothing and returns no row; Create then tells which it was.
const insertCase = `WITH c AS (
	INSERT INTO cases (ref, idem_key, fingerprint, category, name, unit, contact, message, status, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
	ON CONFLICT DO NOTHING
	RETURNING id
), e AS (
	INSERT INTO events (case_id, at, status, note, by_name, verdict, comment, via)
	SELECT c.id, e.at, e.status, e.note, e.by_name, e.verdict, e.comment, e.via
	FROM c, unnest($12::timestamptz[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
		WITH ORDINALITY AS e(at, status, note, by_name, verdict, comment, via, n)
	ORDER BY e.n
)
SELECT id FROM c`

// selectCases reads cases with their history as arrays, in one statement,
// so that both come from one snapshot. A WHERE and ORDER clause follows.
const selectCases = `SELECT c.ref, COALESCE(c.idem_key, ''), c.fingerprint, c.category, c.name, c.unit, c.contact, c.message,
	c.status, c.created_at, c.updated_at, c.overdue_notified_at,
	h.ats, h.statuses, h.notes, h.bys, h.verdicts, h.comments, h.vias
FROM cases c CROSS JOIN LATERAL (
	SELECT array_agg(e.at ORDER BY e.id) AS ats, array_agg(e.status ORDER BY e.id) AS statuses, array_agg(e.note ORDER BY e.id) AS notes,
		array_agg(e.by_name ORDER BY e.id) AS bys, array_agg(e.verdict ORDER BY e.id) AS verdicts,
		array_agg(e.comment ORDER BY e.id) AS comments, array_agg(e.via ORDER BY e.id) AS vias
	FROM events e WHERE e.case_id = c.id
) h `

// eventArrays are a history as the columns of unnest: one array per
// column of events.
type eventArrays struct {
	ats                                            []time.Time
	statuses, notes, bys, verdicts, comments, vias []string
}

// arrays returns events as eventArrays, with times at PostgreSQL's
// precision.
func arrays(events []feedback.Event) eventArrays {
	var a eventArrays
	for _, ev := range events {
		a.ats = append(a.ats, micro(ev.At))
		a.statuses = append(a.statuses, string(ev.Status))
		a.notes = append(a.notes, ev.Note)
		a.bys = append(a.bys, ev.By)
		a.verdicts = append(a.verdicts, string(ev.Verdict))
		a.comments = append(a.comments, ev.Comment)
		a.vias = append(a.vias, string(ev.Via))
	}
	return a
}

// args returns the arrays in the order of unnest's columns.
func (a eventArrays) args() []any {
	return []any{a.ats, a.statuses, a.notes, a.bys, a.verdicts, a.comments, a.vias}
}

// insertEvents appends events to the history of the case with row id.
const insertEvents = `INSERT INTO events (case_id, at, status, note, by_name, verdict, comment, via)
	SELECT $1, e.at, e.status, e.note, e.by_name, e.verdict, e.comment, e.via
	FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
		WITH ORDINALITY AS e(at, status, note, by_name, verdict, comment, via, n)
	ORDER BY e.n`

// retrySafe runs fn again when its statement never reached the server.
func retrySafe(fn func() error) error {
	var err error
	for range maxSafeRetries {
		if err = fn(); err == nil || !isSafeToRetry(err) {
			return err
		}
	}
	return err
}

// Create stores c under a fresh reference, or returns the case already
// stored under c.Key; see feedback.Store. It hands the case to the
// writers, which commit the cases that arrive together in one transaction,
// and returns once that transaction has committed.
func (db *DB) Create(ctx context.Context, c *feedback.Case) (*feedback.Case, bool, error) {
	j := &createJob{ctx: ctx, c: c, done: make(chan struct{})}
	db.mu.RLock()
	if db.closed.Load() {
		db.mu.RUnlock()
		return nil, false, feedback.Errorf(feedback.EUNAVAILABLE, "the feedback store is closed")
	}
	select {
	case db.jobs <- j:
	case <-ctx.Done():
		db.mu.RUnlock()
		return nil, false, ctx.Err()
	}
	db.mu.RUnlock()
	select {
	case <-j.done:
		return j.stored, j.existed, j.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// create stores one case inside tx; see Create.
func (db *DB) create(ctx context.Context, tx pgx.Tx, c *feedback.Case) (*feedback.Case, bool, error) {
	cp := *c
	cp.CreatedAt, cp.UpdatedAt = micro(c.CreatedAt), micro(c.UpdatedAt)
	cp.History = make([]feedback.Event, len(c.History))
	for i, ev := range c.History {
		ev.At = micro(ev.At)
		cp.History[i] = ev
	}
	evs := arrays(c.History)
	var key any // NULL when there is no key: UNIQUE allows many NULLs
	if c.Key != "" {
		key = c.Key
	}
	newRef := *db.newRef.Load()
	for range maxRefTries {
		ref := newRef()
		var id int64
		args := append([]any{ref, key, c.Fingerprint, string(c.Category), c.Name, c.Unit, c.Contact, c.Message,
			string(c.Status), cp.CreatedAt, cp.UpdatedAt}, evs.args()...)
		err := tx.QueryRow(ctx, insertCase, args...).Scan(&id)
		if err == nil {
			cp.Ref = ref
			return &cp, false, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return nil, false, err
		}
		// The key or the reference is taken: which one? The conflicting
		// insert has committed (an insert waits for the other transaction
		// holding the same key), or is earlier in this transaction.
		if c.Key != "" {
			old, err := loadCases(ctx, tx, "WHERE c.idem_key = $1", c.Key)
			if err != nil {
				return nil, false, err
			}
			if len(old) > 0 {
				return old[0], true, nil
			}
		}
	}
	return nil, false, fmt.Errorf("feedback store: no free reference number after %d tries", maxRefTries)
}

// micro rounds t down to PostgreSQL's precision, so that what Create and
// SetStatus return is what a later read gives.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Case returns the case with the reference and its history.
func (db *DB) Case(ctx context.Context, ref string) (*feedback.Case, error) {
	if err := db.open(); err != nil {
		return nil, err
	}
	cs, err := db.load(ctx, "WHERE c.ref = $1", ref)
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
	if err := db.open(); err != nil {
		return nil, err
	}
	var cs []*feedback.Case
	if key != "" {
		var err error
		if cs, err = db.load(ctx, "WHERE c.idem_key = $1", key); err != nil {
			return nil, err
		}
	}
	if len(cs) == 0 {
		return nil, feedback.Errorf(feedback.ENOTFOUND, "no case with this key")
	}
	return cs[0], nil
}

// Cases returns the cases f selects, with their history, ordered by
// creation time and reference; see feedback.Store.
func (db *DB) Cases(ctx context.Context, f feedback.Filter) ([]*feedback.Case, error) {
	if err := db.open(); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Status != "" {
		where = append(where, "c.status = "+arg(string(f.Status)))
	}
	if f.Open {
		where = append(where, "c.status <> "+arg(string(feedback.StatusFollowedUp)))
	}
	if f.Pending {
		where = append(where, fmt.Sprintf("c.status IN (%s, %s)", arg(string(feedback.StatusReceived)), arg(string(feedback.StatusInProgress))))
	}
	if f.Category != "" {
		where = append(where, "c.category = "+arg(string(f.Category)))
	}
	if f.Unit != "" {
		// left() rather than LIKE: a unit may hold % or _.
		u := arg(f.Unit)
		where = append(where, fmt.Sprintf("left(c.unit, char_length(%s)) = %s", u, u))
	}
	if !f.Since.IsZero() {
		where = append(where, "c.created_at >= "+arg(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "c.created_at < "+arg(f.Until))
	}
	if !f.After.IsZero() {
		op := ">"
		if f.Newest {
			op = "<"
		}
		where = append(where, fmt.Sprintf("(c.created_at, c.ref) %s (%s, %s)", op, arg(f.After.CreatedAt), arg(f.After.Ref)))
	}
	clause := ""
	if len(where) > 0 {
		clause = "WHERE " + strings.Join(where, " AND ")
	}
	// ref has collation "C": it sorts by bytes, as in SQLite and Go.
	if f.Newest {
		clause += " ORDER BY c.created_at DESC, c.ref DESC"
	} else {
		clause += " ORDER BY c.created_at, c.ref"
	}
	if f.Limit > 0 {
		clause += " LIMIT " + arg(f.Limit)
	}
	return db.load(ctx, clause, args...)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// load reads the cases that clause selects, each with its history.
func (db *DB) load(ctx context.Context, clause string, args ...any) ([]*feedback.Case, error) {
	var cs []*feedback.Case
	err := retrySafe(func() error {
		var err error
		cs, err = loadCases(ctx, db.pool, clause, args...)
		return err
	})
	return cs, err
}

func loadCases(ctx context.Context, q querier, clause string, args ...any) ([]*feedback.Case, error) {
	rows, err := q.Query(ctx, selectCases+clause, args...)
	if err != nil {
		return nil, storeError("query cases", err)
	}
	defer rows.Close()
	cases := []*feedback.Case{}
	for rows.Next() {
		var c feedback.Case
		var category, status string
		var notified *time.Time
		var h eventArrays
		if err := rows.Scan(&c.Ref, &c.Key, &c.Fingerprint, &category, &c.Name, &c.Unit, &c.Contact, &c.Message,
			&status, &c.CreatedAt, &c.UpdatedAt, &notified, &h.ats, &h.statuses, &h.notes, &h.bys, &h.verdicts, &h.comments, &h.vias); err != nil {
			return nil, storeError("read case", err)
		}
		c.Category, c.Status = feedback.Category(category), feedback.Status(status)
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		if notified != nil {
			c.OverdueNotifiedAt = notified.UTC()
		}
		c.History = make([]feedback.Event, len(h.ats))
		for i := range h.ats {
			c.History[i] = feedback.Event{At: h.ats[i].UTC(), Status: feedback.Status(h.statuses[i]), Note: h.notes[i],
				By: h.bys[i], Verdict: feedback.Verdict(h.verdicts[i]), Comment: h.comments[i], Via: feedback.Via(h.vias[i])}
		}
		cases = append(cases, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("read cases", err)
	}
	return cases, nil
}

// Update applies a change to a case; see feedback.Store. The case's row
// is locked while the change is checked against its current state, so two
// servers changing one case take turns.
func (db *DB) Update(ctx context.Context, ref string, ch feedback.Change, at time.Time) (*feedback.Case, error) {
	if err := db.open(); err != nil {
		return nil, err
	}
	var c *feedback.Case
	err := retrySafe(func() error {
		return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			var id int64
			if err := tx.QueryRow(ctx, "SELECT id FROM cases WHERE ref = $1 FOR UPDATE", ref).Scan(&id); errors.Is(err, pgx.ErrNoRows) {
				return feedback.Errorf(feedback.ENOTFOUND, "no case with reference %s", ref)
			} else if err != nil {
				return err
			}
			cs, err := loadCases(ctx, tx, "WHERE c.id = $1", id)
			if err != nil {
				return err
			}
			c = cs[0]
			had := len(c.History)
			if err := c.Apply(ch, micro(at)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3", string(c.Status), c.UpdatedAt, id); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, insertEvents, append([]any{id}, arrays(c.History[had:]).args()...)...)
			return err
		})
	})
	if err != nil {
		if feedback.ErrorCode(err) != feedback.EINTERNAL {
			return nil, err
		}
		return nil, storeError("update", err)
	}
	return c, nil
}

// MarkOverdueNotified records that the case's overdue notification ran;
// see feedback.Store. The row's update decides which server's call is
// the one.
func (db *DB) MarkOverdueNotified(ctx context.Context, ref string, at time.Time) (bool, error) {
	if err := db.open(); err != nil {
		return false, err
	}
	tag, err := db.pool.Exec(ctx, "UPDATE cases SET overdue_notified_at = $1 WHERE ref = $2 AND overdue_notified_at IS NULL", micro(at), ref)
	if err != nil {
		return false, storeError("mark overdue notified", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Purge deletes the cases whose last change is before cutoff, with their
// history, and the decoys given before cutoff. PostgreSQL reclaims the space of deleted rows at its next
// vacuum.
func (db *DB) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	if err := db.open(); err != nil {
		return 0, err
	}
	var n int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM cases WHERE updated_at < $1", cutoff)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		_, err = tx.Exec(ctx, "DELETE FROM decoys WHERE created_at < $1", cutoff)
		return err
	})
	if err != nil {
		return 0, storeError("purge", err)
	}
	return int(n), nil
}

// SessionEpoch returns the staff session epoch; see feedback.Store.
func (db *DB) SessionEpoch(ctx context.Context) (int64, error) {
	if err := db.open(); err != nil {
		return 0, err
	}
	var epoch int64
	err := retrySafe(func() error {
		return db.pool.QueryRow(ctx, "SELECT epoch FROM staff_sessions WHERE id = 1").Scan(&epoch)
	})
	return epoch, storeError("read session epoch", err)
}

// EndSessions moves the staff session epoch on; see feedback.Store. Every
// server reads the epoch from this row, so the logout holds on all of them.
func (db *DB) EndSessions(ctx context.Context) (int64, error) {
	if err := db.open(); err != nil {
		return 0, err
	}
	var epoch int64
	err := retrySafe(func() error {
		return db.pool.QueryRow(ctx, "UPDATE staff_sessions SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch").Scan(&epoch)
	})
	return epoch, storeError("end sessions", err)
}
