package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's versions: migrations[i] takes a database from
// user_version i to i+1. Append only; never edit a released step.
var migrations = []string{
	// 1: cases and their history. Times are Unix nanoseconds, UTC.
	`CREATE TABLE cases (
		id          INTEGER PRIMARY KEY,
		ref         TEXT NOT NULL UNIQUE,
		idem_key    TEXT UNIQUE,
		fingerprint TEXT NOT NULL,
		category    TEXT NOT NULL,
		name        TEXT NOT NULL,
		unit        TEXT NOT NULL,
		contact     TEXT NOT NULL,
		message     TEXT NOT NULL,
		status      TEXT NOT NULL,
		created_at  INTEGER NOT NULL,
		updated_at  INTEGER NOT NULL
	);
	CREATE INDEX cases_created ON cases(created_at);
	CREATE INDEX cases_updated ON cases(updated_at);
	CREATE TABLE events (
		id      INTEGER PRIMARY KEY,
		case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
		at      INTEGER NOT NULL,
		status  TEXT NOT NULL,
		note    TEXT NOT NULL
	);
	CREATE INDEX events_case ON events(case_id);`,
	// 2: the staff session epoch. Every staff session cookie names the
	// epoch it was made in; logging out moves the epoch on, which ends
	// every session on every server that shares the store.
	`CREATE TABLE staff_sessions (
		id    INTEGER PRIMARY KEY CHECK (id = 1),
		epoch INTEGER NOT NULL
	);
	INSERT INTO staff_sessions (id, epoch) VALUES (1, 0);`,
	// 3: the order of the staff lists and their cursors, so that a page
	// of cases is read from the index rather than sorted out of all.
	`CREATE INDEX cases_created_ref ON cases(created_at, ref);
	DROP INDEX cases_created;`,
	// 4: the references given to submissions caught by the honeypot,
	// so that their status page looks like a real case's. No content.
	`CREATE TABLE decoys (
		ref        TEXT PRIMARY KEY,
		created_at INTEGER NOT NULL
	);
	CREATE INDEX decoys_created ON decoys(created_at);`,
	// 5: casework. Each event names the staff member who made it and may
	// carry a follow-up verdict; a case records when notify_command ran
	// for it becoming overdue, so that it runs once. Existing rows get
	// empty names and verdicts and no notification.
	`ALTER TABLE events ADD COLUMN by_name TEXT NOT NULL DEFAULT '';
	ALTER TABLE events ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
	ALTER TABLE events ADD COLUMN comment TEXT NOT NULL DEFAULT '';
	ALTER TABLE events ADD COLUMN via TEXT NOT NULL DEFAULT '';
	ALTER TABLE cases ADD COLUMN overdue_notified_at INTEGER;
	CREATE INDEX cases_status_created ON cases(status, created_at, ref);`,
	// 6: surveys. Household codes are kept as hashes with their unit;
	// answers as JSON, one per respondent (a code's hash or a browser's),
	// with the idempotency key of the post that stored them last.
	`CREATE TABLE survey_codes (
		survey     TEXT NOT NULL,
		hash       TEXT NOT NULL,
		unit       TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (survey, hash),
		UNIQUE (survey, unit)
	);
	CREATE TABLE survey_answers (
		id         INTEGER PRIMARY KEY,
		survey     TEXT NOT NULL,
		respondent TEXT NOT NULL,
		idem_key   TEXT UNIQUE,
		answers    TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		UNIQUE (survey, respondent)
	);`,
}

// migrate applies the migrations a database lacks, each in its own
// transaction together with its user_version, and refuses a database from a
// newer program.
func migrate(ctx context.Context, w *sql.DB) error {
	var v int
	if err := w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this lobby knows (%d): upgrade lobby", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
	}
	return nil
}
