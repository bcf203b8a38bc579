package feedback

import (
	"context"
	"time"
)

// Store keeps cases durably. Implementations: feedback/sqlite (the default)
// and feedback/postgres (for several servers); feedback/storetest is the
// suite both pass. Errors are *Error with ENOTFOUND, EINVALID,
// ECONFLICT or EUNAVAILABLE where those apply.
type Store interface {
	// Create stores c, giving it a fresh, unique Ref, and returns nil only
	// once the case is durable (fsync'd). When c.Key is not empty and a case
	// with that key exists, Create stores nothing and returns that case
	// with existed true, so the caller can compare Fingerprints.
	Create(ctx context.Context, c *Case) (stored *Case, existed bool, err error)
	// Case returns the case with the reference, with its history, or an
	// ENOTFOUND error.
	Case(ctx context.Context, ref string) (*Case, error)
	// CaseByKey returns the case stored with the idempotency key, or an
	// ENOTFOUND error.
	CaseByKey(ctx context.Context, key string) (*Case, error)
	// Cases returns the cases f selects, with their history, ordered by
	// creation time and then reference (the order of Cursor).
	Cases(ctx context.Context, f Filter) ([]*Case, error)
	// Update applies ch to the case at the moment at with Case.Apply,
	// reading and writing the case in one transaction (so two servers
	// changing one case take turns), and returns the case as it is now.
	Update(ctx context.Context, ref string, ch Change, at time.Time) (*Case, error)
	// MarkOverdueNotified records, at the moment at, that notify_command
	// ran for the case becoming overdue. It returns true only for the
	// one call that records it, on every server sharing the store, so
	// that the command runs once per case.
	MarkOverdueNotified(ctx context.Context, ref string, at time.Time) (bool, error)
	// Purge deletes every case whose last change is before cutoff, with its
	// history, and every decoy made before cutoff, and returns how many
	// cases it deleted.
	Purge(ctx context.Context, cutoff time.Time) (int, error)
	// CreateDecoy durably records a fresh reference, unlike any case's,
	// given to a submission caught by the honeypot at the moment at, so
	// that its status can be shown as a real one's; it stores nothing
	// else.
	CreateDecoy(ctx context.Context, at time.Time) (ref string, err error)
	// Decoy returns the moment a decoy reference was given, or an
	// ENOTFOUND error.
	Decoy(ctx context.Context, ref string) (time.Time, error)
	// SessionEpoch returns the staff session epoch: sessions made in an
	// earlier epoch are over.
	SessionEpoch(ctx context.Context) (int64, error)
	// EndSessions moves the staff session epoch on, durably, and returns
	// the new one.
	EndSessions(ctx context.Context) (int64, error)
	// Close waits for pending writes and releases the store.
	Close() error
}
