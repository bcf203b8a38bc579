package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lobby-community/lobby/feedback"
)

// unavailable is what residents read when the database cannot answer.
var unavailable = feedback.Errorf(feedback.EUNAVAILABLE, "the feedback store is not reachable right now; please try again in a moment")

// storeError turns an error from pgx into EUNAVAILABLE when the database
// could not be reached or is restarting, or gave up on a transaction that a
// retry can complete; anything else is wrapped with what was being done.
func storeError(op string, err error) error {
	if err == nil {
		return nil
	}
	if transient(err) {
		return fmt.Errorf("%w (%s: %v)", unavailableError{}, op, err)
	}
	return fmt.Errorf("feedback store: %s: %w", op, err)
}

// unavailableError wraps as the EUNAVAILABLE *feedback.Error while keeping
// the driver's text for the server's log.
type unavailableError struct{}

func (unavailableError) Error() string { return unavailable.Error() }

// As lets errors.As find the *feedback.Error, so feedback.ErrorCode and
// ErrorMessage see EUNAVAILABLE.
func (unavailableError) As(target any) bool {
	if p, ok := target.(**feedback.Error); ok {
		*p = unavailable
		return true
	}
	return false
}

// transient reports whether err means "not now" rather than "never".
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the caller gave up; its own error says so
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code[:2] {
		case "08", // connection exception
			"40", // serialization failure, deadlock: the transaction may be retried
			"53", // insufficient resources, too many connections
			"57": // operator intervention: shutdown, crash recovery, "cannot connect now"
			return true
		}
		return pe.Code == "25006" // read-only transaction: a standby, during failover
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		pgconn.SafeToRetry(err) || pgconn.Timeout(err) || errors.Is(err, net.ErrClosed)
}

// isSafeToRetry reports whether err came before the statement reached the
// server, so that running it again cannot apply it twice.
func isSafeToRetry(err error) bool {
	return pgconn.SafeToRetry(err)
}
