package feedback

import (
	"net/netip"
	"strings"
	"time"
)

// Config is what the feedback handlers need to know; cmd/lobby builds it
// from the site's [feedback] table and the environment.
type Config struct {
	// RateEvents submissions per RatePer are allowed from one client
	// address; RateEvents 0 turns rate limiting off.
	RateEvents int
	RatePer    time.Duration
	// MaxClients caps the number of client addresses the rate limiter
	// remembers; the least recently seen are forgotten first. 0 means 10,000.
	MaxClients int
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Retention is how long a case is kept after its last change.
	Retention time.Duration
	// NotifyCommand, when not empty, is run (argv, no shell) after each new
	// case is committed, with the case as JSON on its standard input.
	NotifyCommand []string
	// NotifyTimeout bounds one run of NotifyCommand; 0 means 30 seconds.
	NotifyTimeout time.Duration
	// SiteOrigin is the origin ("https://cuihu.example.org") of the site's
	// pages when they are published apart from this server, on a static
	// host: their feedback form posts here from another origin, and is
	// accepted. Staff routes never trust it. Empty trusts no other origin.
	SiteOrigin string
	// BasePath is the path this server serves the site under, ending in
	// "/" ("/cuihu/"); the handler's redirects and links start with it. It
	// sees requests without it, as if the site were at the host's root.
	// Empty means "/".
	BasePath string
	// StaffToken opens the staff API and pages; empty turns them off.
	StaffToken string
	// Language is the residents' language for messages: "zh-CN" or "en".
	Language string
	// Location is the time zone for dates staff type and read; nil is UTC.
	Location *time.Location
	// Targets are the service targets by category: a case past one is
	// overdue. Nil sets none.
	Targets Targets
}

// sitePath returns p, a path from the site's root ("/feedback/thanks/"),
// below base, a Config.BasePath.
func sitePath(base, p string) string {
	if base == "" || base == "/" {
		return p
	}
	return strings.TrimSuffix(base, "/") + p
}

// DefaultMaxClients is the rate limiter's cap when Config.MaxClients is 0.
const DefaultMaxClients = 10000

// ParseDate parses a date as staff type it: "2026-03-01" (midnight in loc;
// nil means UTC) or an RFC 3339 time.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, Errorm(EINVALID, msgBadDate, s)
}
