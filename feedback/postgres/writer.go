package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lobby-community/lobby/feedback"
)

// writers is how many transactions of new cases may be under way at once
// on one server: while some wait for their commit to reach the disk, the
// others gather the cases that arrive meanwhile.
const writers = 4

// maxBatch caps how many new cases share one transaction.
const maxBatch = 256

// batchTimeout bounds one transaction of new cases, so that a database
// that stops answering makes writers fail rather than hang.
const batchTimeout = 30 * time.Second

// createJob is one Create waiting for its transaction.
type createJob struct {
	ctx     context.Context
	c       *feedback.Case
	done    chan struct{}
	stored  *feedback.Case
	existed bool
	err     error
}

func (j *createJob) finish(stored *feedback.Case, existed bool, err error) {
	j.stored, j.existed, j.err = stored, existed, err
	close(j.done)
}

// writer commits queued new cases until Close, each group in one
// transaction: one commit, so one flush of PostgreSQL's log, for all the
// cases that arrived while the last one was being flushed.
func (db *DB) writer() {
	defer db.writersDone.Done()
	for j := range db.jobs {
		db.commit(feedback.Gather(j, db.jobs, maxBatch))
	}
}

// commit stores a batch in one transaction and answers each job after
// COMMIT. When a statement fails, nothing was committed: a batch of several
// is then tried again a case at a time, so that one case's error is that
// case's alone. When COMMIT itself fails, whether it took effect is unknown,
// so nothing is tried again: a case without a key could be stored twice.
// Those callers get the error, and a client's retry with its key finds its
// case if it was stored.
func (db *DB) commit(batch []*createJob) {
	live := batch[:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.finish(nil, false, err) // the caller has gone: do not write for it
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	type result struct {
		stored  *feedback.Case
		existed bool
	}
	results := make([]result, len(live))
	var commitErr error
	err := retrySafe(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
		defer cancel()
		tx, err := db.pool.Begin(ctx)
		if err != nil {
			return err
		}
		for i, j := range live {
			stored, existed, err := db.create(ctx, tx, j.c)
			if err != nil {
				tx.Rollback(ctx)
				return err
			}
			results[i] = result{stored, existed}
		}
		if err := tx.Commit(ctx); err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) || pgconn.SafeToRetry(err) {
				return err // the server refused it, or never got it
			}
			commitErr = err // no answer: committed or not, nobody knows
		}
		return nil
	})
	switch {
	case commitErr != nil:
		for _, j := range live {
			j.finish(nil, false, storeError("commit", commitErr))
		}
	case err == nil:
		for i, j := range live {
			j.finish(results[i].stored, results[i].existed, nil)
		}
	case len(live) == 1:
		live[0].finish(nil, false, storeError("insert case", err))
	default:
		for _, j := range live {
			db.commit([]*createJob{j})
		}
	}
}
