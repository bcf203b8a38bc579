package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the schema's versions: migrations[i] takes a database from
// schema_version i to i+1. Append only; never edit a released step.
var migrations = []string{
	// 1: cases and their history, the staff session epoch, and the
	// references given to submissions caught by the honeypot (decoys,
	// with no content): what the SQLite store holds.
	`CREATE TABLE cases (
		id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		ref         text COLLATE "C" NOT NULL UNIQUE,
		idem_key    text UNIQUE,
		fingerprint text NOT NULL,
		category    text NOT NULL,
		name        text NOT NULL,
		unit        text NOT NULL,
		contact     text NOT NULL,
		message     text NOT NULL,
		status      text NOT NULL,
		created_at  timestamptz NOT NULL,
		updated_at  timestamptz NOT NULL
	);
	CREATE INDEX cases_created_ref ON cases (created_at, ref);
	CREATE INDEX cases_updated ON cases (updated_at);
	CREATE TABLE events (
		id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
		at      timestamptz NOT NULL,
		status  text NOT NULL,
		note    text NOT NULL
	);
	CREATE INDEX events_case ON events (case_id, id);
	CREATE TABLE staff_sessions (
		id    integer PRIMARY KEY CHECK (id = 1),
		epoch bigint NOT NULL
	);
	INSERT INTO staff_sessions (id, epoch) VALUES (1, 0);
	CREATE TABLE decoys (
		ref        text COLLATE "C" PRIMARY KEY,
		created_at timestamptz NOT NULL
	);
	CREATE INDEX decoys_created ON decoys (created_at);`,
	// 2: casework. Each event names the staff member who made it and may
	// carry a follow-up verdict; a case records when notify_command ran
	// for it becoming overdue, so that it runs once. Existing rows get
	// empty names and verdicts and no notification.
	`ALTER TABLE events ADD COLUMN by_name text NOT NULL DEFAULT '',
		ADD COLUMN verdict text NOT NULL DEFAULT '',
		ADD COLUMN comment text NOT NULL DEFAULT '',
		ADD COLUMN via text NOT NULL DEFAULT '';
	ALTER TABLE cases ADD COLUMN overdue_notified_at timestamptz;
	CREATE INDEX cases_status_created ON cases (status, created_at, ref);`,
	// 3: surveys. Household codes are kept as hashes with their unit;
	// answers as JSON, one per respondent (a code's hash or a browser's),
	// with the idempotency key of the post that stored them last.
	`CREATE TABLE survey_codes (
		survey     text COLLATE "C" NOT NULL,
		hash       text COLLATE "C" NOT NULL,
		unit       text NOT NULL,
		created_at timestamptz NOT NULL,
		PRIMARY KEY (survey, hash),
		UNIQUE (survey, unit)
	);
	CREATE TABLE survey_answers (
		id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		survey     text COLLATE "C" NOT NULL,
		respondent text COLLATE "C" NOT NULL,
		idem_key   text UNIQUE,
		answers    jsonb NOT NULL,
		created_at timestamptz NOT NULL,
		updated_at timestamptz NOT NULL,
		UNIQUE (survey, respondent)
	);`,
}

// migrateLock is the advisory lock key that makes servers starting at the
// same moment apply the migrations one after the other.
const migrateLock = 0x6c6f62627900 // "lobby\x00"

// migrate applies the migrations the database lacks, each in its own
// transaction together with its schema_version row, and refuses a database
// from a newer program.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLock)); err != nil {
		return fmt.Errorf("locking the schema: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", int64(migrateLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema_version: %w", err)
	}
	v, err := schemaVersion(ctx, conn.Conn())
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this lobby knows (%d): upgrade lobby", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ("+fmt.Sprint(v+1)+")")
			return err
		})
		if err != nil {
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
	}
	return nil
}

// schemaVersion reads the version, 0 for a database without one.
func schemaVersion(ctx context.Context, conn *pgx.Conn) (int, error) {
	var v int
	err := conn.QueryRow(ctx, "SELECT COALESCE(max(version), 0) FROM schema_version").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	return v, nil
}
