package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lobby-community/lobby/feedback"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// job is one write: fn runs inside the shared transaction, under its own
// savepoint, and err receives its outcome once the transaction commits.
type job struct {
	ctx context.Context
	fn  func(tx *sql.Tx) error
	err chan error
}

// write queues fn for the writer goroutine and waits until the transaction
// that ran it has committed (or failed). fn may run in the same transaction
// as other writes; what it returns and what it leaves in variables it closes
// over are valid only when write returns nil.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	j := &job{ctx: ctx, fn: fn, err: make(chan error, 1)}
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return feedback.Errorf(feedback.EUNAVAILABLE, "the feedback store is closed")
	}
	select {
	case db.jobs <- j:
	case <-ctx.Done():
		db.mu.RUnlock()
		return ctx.Err()
	}
	db.mu.RUnlock()
	select {
	case err := <-j.err:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writer runs until Close, committing queued jobs in groups: while one
// transaction is being fsync'd, new jobs queue up and the next transaction
// takes them all.
func (db *DB) writer() {
	defer close(db.done)
	for j := range db.jobs {
		db.commit(feedback.Gather(j, db.jobs, maxBatch))
	}
}

// commit runs a batch of jobs in one transaction, each under a savepoint so
// that a failing job is undone alone, and reports to each job after COMMIT.
func (db *DB) commit(batch []*job) {
	results := make([]error, len(batch))
	failAll := func(err error) {
		for _, j := range batch {
			j.err <- err
		}
	}
	tx, err := db.w.BeginTx(context.Background(), nil)
	if err != nil {
		failAll(storeError("begin", err))
		return
	}
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			results[i] = err // the caller has gone: do not write for it
			continue
		}
		if _, err := tx.Stmt(db.st.savepoint).Exec(); err != nil {
			tx.Rollback()
			failAll(storeError("savepoint", err))
			return
		}
		if err := j.fn(tx); err != nil {
			results[i] = err
			if _, rerr := tx.Stmt(db.st.rollbackTo).Exec(); rerr != nil {
				tx.Rollback()
				failAll(storeError("rollback to savepoint", rerr))
				return
			}
		}
		if _, err := tx.Stmt(db.st.release).Exec(); err != nil {
			tx.Rollback()
			failAll(storeError("release savepoint", err))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		failAll(storeError("commit", err))
		return
	}
	for i, j := range batch {
		j.err <- results[i]
	}
}

// storeError turns a driver error into EUNAVAILABLE when the database is
// busy (another process holds the write lock past busy_timeout), and wraps
// it with what was being done otherwise.
func storeError(op string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED) {
		return feedback.Errorf(feedback.EUNAVAILABLE, "the feedback store is busy; please try again")
	}
	return fmt.Errorf("feedback store: %s: %w", op, err)
}
