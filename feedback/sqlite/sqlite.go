// Package sqlite is the default feedback.Store: one SQLite file (pure Go,
// modernc.org/sqlite) in WAL mode with synchronous=FULL, so that a committed
// case survives a crash of the process or of the machine.
//
// All writes go through one goroutine that groups whatever is queued into a
// single transaction and commits it with one fsync, answering each writer
// only after that commit. Reads use a separate pool of read-only connections.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/lobby-community/lobby/feedback"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeoutMS is how long a connection waits for another writer (lobby
// serve and a staff command may share the file) before giving up.
const busyTimeoutMS = 5000

// maxBatch caps how many writes share one transaction.
const maxBatch = 256

// DB is a feedback.Store in one SQLite file.
type DB struct {
	path string
	w    *sql.DB // the single writing connection, used only by the writer goroutine
	r    *sql.DB // read-only connections

	st stmts // prepared on w, for the writer goroutine

	mu     sync.RWMutex // guards closed against sends on jobs
	closed bool
	jobs   chan *job
	done   chan struct{} // closed when the writer goroutine has ended

	// NewRef makes reference numbers; tests replace it to force collisions.
	NewRef func() string
}

var _ feedback.Store = (*DB)(nil)

// Open opens (creating it and its folder when missing) the SQLite file at
// path, checks that WAL, synchronous=FULL, busy_timeout and foreign keys are
// really in force, and brings the schema up to date. It refuses a file
// whose schema is newer than this program.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("feedback store: %w", err)
	}
	// The file holds personal data: create it readable by its owner only.
	// SQLite gives its -wal and -shm files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("feedback store: %w", err)
	}
	common := fmt.Sprintf("_busy_timeout=%d&_foreign_keys=1&_synchronous=FULL", busyTimeoutMS)
	w, err := sql.Open("sqlite", path+"?"+common+"&_journal_mode=WAL&_txlock=immediate&_pragma=secure_delete(1)")
	if err != nil {
		return nil, fmt.Errorf("feedback store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, w: w, jobs: make(chan *job), done: make(chan struct{}), NewRef: feedback.NewRef}
	fail := func(err error) (*DB, error) {
		w.Close()
		if db.r != nil {
			db.r.Close()
		}
		return nil, fmt.Errorf("feedback store %s: %w", path, err)
	}
	if err := checkPragmas(ctx, w); err != nil {
		return fail(err)
	}
	if err := migrate(ctx, w); err != nil {
		return fail(err)
	}
	if err := db.st.prepare(ctx, w); err != nil {
		return fail(err)
	}
	db.r, err = sql.Open("sqlite", path+"?"+common+"&_query_only=1")
	if err != nil {
		return fail(err)
	}
	db.r.SetMaxOpenConns(4)
	if err := checkPragmas(ctx, db.r); err != nil {
		return fail(err)
	}
	go db.writer()
	return db, nil
}

// wantPragmas are the settings a store refuses to run without, as SQLite
// reports them back.
var wantPragmas = []struct{ name, want string }{
	{"journal_mode", "wal"},
	{"synchronous", "2"}, // FULL: fsync the WAL on every commit
	{"busy_timeout", fmt.Sprint(busyTimeoutMS)},
	{"foreign_keys", "1"},
}

// checkPragmas reads the durability settings back from a connection of db
// and fails unless each is what wantPragmas says.
func checkPragmas(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, p := range wantPragmas {
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&got); err != nil {
			return fmt.Errorf("reading PRAGMA %s: %w", p.name, err)
		}
		if got != p.want {
			return fmt.Errorf("PRAGMA %s is %q, want %q: refusing to store feedback without it (is the folder on a local disk?)", p.name, got, p.want)
		}
	}
	return nil
}

// SetNewRef replaces how reference numbers are made; tests use it to force
// collisions.
func (db *DB) SetNewRef(f func() string) { db.NewRef = f }

// readTx begins a read-only transaction, or fails with EUNAVAILABLE once
// the store is closed.
func (db *DB) readTx(ctx context.Context) (*sql.Tx, error) {
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return nil, feedback.Errorf(feedback.EUNAVAILABLE, "the feedback store is closed")
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, storeError("begin read", err)
	}
	return tx, nil
}

// Path returns the file the store keeps its cases in.
func (db *DB) Path() string { return db.path }

// IntegrityCheck runs PRAGMA integrity_check and returns an error unless
// SQLite answers "ok".
func (db *DB) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := db.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("feedback store %s: integrity check: %s", db.path, res)
	}
	return nil
}

// Close waits for queued writes to commit, then closes the file.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	close(db.jobs)
	db.mu.Unlock()
	<-db.done
	return errors.Join(db.st.close(), db.r.Close(), db.w.Close())
}
