// Package postgres is the feedback.Store for sites served by more than one
// lobby server: every server keeps its cases in one PostgreSQL database
// (github.com/jackc/pgx/v5), and the database, not a server, decides what
// must be decided once: which reference a case gets (a unique constraint,
// retried with a fresh random reference), whether an idempotency key was
// seen before (a unique constraint with ON CONFLICT), and the staff session
// epoch (one row).
//
// A write returns only after its transaction has committed, with
// synchronous_commit on, so an acknowledged case is on the database's disk.
// New cases go through a few writer goroutines that put the cases arriving
// together into one transaction, as the SQLite store does: one flush of the
// log then acknowledges them all.
// When the database cannot be reached, or restarts, operations fail with
// feedback.EUNAVAILABLE (residents get 503 and Retry-After, and retry with
// the same key) and the connection pool reconnects by itself.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lobby-community/lobby/feedback"
)

// DB is a feedback.Store in a PostgreSQL database.
type DB struct {
	pool   *pgxpool.Pool
	closed atomic.Bool
	newRef atomic.Pointer[func() string]

	mu          sync.RWMutex // guards closing jobs against sends on it
	jobs        chan *createJob
	writersDone sync.WaitGroup
}

var _ feedback.Store = (*DB)(nil)

// Open connects to the database at dsn (a postgres:// URL without a
// password), checks that the server keeps commits durable, and brings the
// schema up to date. password, when not empty, is used to log in; without
// it pgx reads PGPASSWORD, or PGPASSFILE and ~/.pgpass, as libpq does. Open
// refuses a database whose schema is newer than this program.
func Open(ctx context.Context, dsn, password string) (*DB, error) {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			return nil, errors.New("feedback store: the PostgreSQL URL holds a password: give it in LOBBY_DATABASE_PASSWORD or ~/.pgpass instead")
		}
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the URL; it holds no password (above).
		return nil, fmt.Errorf("feedback store: %w", err)
	}
	if password != "" {
		cfg.ConnConfig.Password = password
	}
	// Every session commits durably, whatever the role or database default.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("feedback store: %w", err)
	}
	db := &DB{pool: pool, jobs: make(chan *createJob)}
	ref := feedback.NewRef
	db.newRef.Store(&ref)
	if err := checkDurable(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("feedback store %s: %w", where(cfg), err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("feedback store %s: %w", where(cfg), err)
	}
	for range writers {
		db.writersDone.Add(1)
		go db.writer()
	}
	return db, nil
}

// where names the database for messages: host, port and database, never
// the user's secrets.
func where(cfg *pgxpool.Config) string {
	return fmt.Sprintf("postgres://%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
}

// checkDurable refuses a server that does not flush its log to disk: on it,
// an acknowledged case could vanish in a power cut.
func checkDurable(ctx context.Context, pool *pgxpool.Pool) error {
	for _, s := range []struct{ name, want string }{{"fsync", "on"}, {"synchronous_commit", "on"}} {
		var got string
		if err := pool.QueryRow(ctx, "SELECT current_setting($1)", s.name).Scan(&got); err != nil {
			return fmt.Errorf("reading %s: %w", s.name, err)
		}
		if got != s.want {
			return fmt.Errorf("the server has %s = %s, want %s: refusing to store feedback without it", s.name, got, s.want)
		}
	}
	return nil
}

// SetNewRef replaces how reference numbers are made; tests use it to force
// collisions.
func (db *DB) SetNewRef(f func() string) { db.newRef.Store(&f) }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.open(); err != nil {
		return err
	}
	return storeError("ping", db.pool.Ping(ctx))
}

// open fails with EUNAVAILABLE once the store is closed.
func (db *DB) open() error {
	if db.closed.Load() {
		return feedback.Errorf(feedback.EUNAVAILABLE, "the feedback store is closed")
	}
	return nil
}

// Close waits for the new cases queued to commit and for the operations
// under way, and closes every connection.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed.Swap(true) {
		db.mu.Unlock()
		return nil
	}
	close(db.jobs)
	db.mu.Unlock()
	db.writersDone.Wait()
	db.pool.Close()
	return nil
}
