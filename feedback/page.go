package feedback

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Page sizes of the staff lists: the staff page, the staff API and
// lobby feedback list show DefaultPageSize cases unless asked for more,
// and never more than MaxPageSize at once.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Cursor marks a place in the list of cases, which is ordered by creation
// time and then reference: a page after a cursor starts with the case
// that follows it. It names a moment and a reference rather than a
// position, so pages stay right while cases are added or purged.
type Cursor struct {
	CreatedAt time.Time
	Ref       string
}

// CursorOf returns the cursor just after c.
func CursorOf(c *Case) Cursor { return Cursor{CreatedAt: c.CreatedAt, Ref: c.Ref} }

// IsZero reports whether the cursor is the start of the list.
func (c Cursor) IsZero() bool { return c.Ref == "" }

// String returns the cursor as it is written in URLs and flags:
// UNIXNANO-REF, empty for the start.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.FormatInt(c.CreatedAt.UnixNano(), 10) + "-" + c.Ref
}

// ParseCursor reads a cursor that String wrote; "" is the start.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	ns, ref, ok := strings.Cut(s, "-")
	n, err := strconv.ParseInt(ns, 10, 64)
	ref, refOK := ParseRef(ref)
	if !ok || err != nil || n < 0 || !refOK {
		return Cursor{}, Errorm(EINVALID, msgBadCursor, s)
	}
	return Cursor{CreatedAt: time.Unix(0, n).UTC(), Ref: ref}, nil
}

// ParsePageSize reads a page size as staff ask for one: "" is
// DefaultPageSize; otherwise 1 to MaxPageSize.
func ParsePageSize(s string) (int, error) {
	if s == "" {
		return DefaultPageSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxPageSize {
		return 0, Errorm(EINVALID, msgBadPageSize, s, MaxPageSize)
	}
	return n, nil
}

// CasesPage returns up to size cases that f selects after f.After, and
// the cursor of the page that follows, zero when this one is the last.
func CasesPage(ctx context.Context, store Store, f Filter, size int) ([]*Case, Cursor, error) {
	f.Limit = size + 1
	cases, err := store.Cases(ctx, f)
	if err != nil || len(cases) <= size {
		return cases, Cursor{}, err
	}
	return cases[:size], CursorOf(cases[size-1]), nil
}
