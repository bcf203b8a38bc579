package feedback

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
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

// ParseRateLimit parses feedback.rate_limit: "N/DURATION" such as "10/10m"
// (N submissions per duration from one client), or "off" (0, 0).
func ParseRateLimit(s string) (events int, per time.Duration, err error) {
	if s == "off" {
		return 0, 0, nil
	}
	n, d, ok := strings.Cut(s, "/")
	if ok {
		events, err = strconv.Atoi(n)
		if err == nil && d != "" && (d[0] < '0' || d[0] > '9') {
			d = "1" + d // "5/m" means 5 a minute
		}
		if err == nil {
			per, err = time.ParseDuration(d)
		}
	}
	if !ok || err != nil || events <= 0 || per <= 0 {
		return 0, 0, fmt.Errorf("feedback.rate_limit: %q is not a rate such as \"10/10m\" (10 submissions per 10 minutes) or \"off\"", s)
	}
	return events, per, nil
}

// ParseTrustedProxies parses feedback.trusted_proxies: CIDRs such as
// "10.0.0.0/8", or single addresses.
func ParseTrustedProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("feedback.trusted_proxies: %q is not a network such as \"10.0.0.0/8\" or an address", s)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ParseNotifyCommand splits feedback.notify_command into argv at spaces.
// No shell runs it, so quotes, pipes and variables have no meaning.
func ParseNotifyCommand(s string) []string {
	return strings.Fields(s)
}

// ParseStore splits feedback.store into its kind ("sqlite" or "postgres")
// and what that kind needs: the file path, or the whole URL.
func ParseStore(s string) (kind, target string, err error) {
	switch {
	case strings.HasPrefix(s, "sqlite:"):
		path := strings.TrimPrefix(s, "sqlite:")
		if path == "" || strings.ContainsAny(path, "?#") {
			return "", "", fmt.Errorf("feedback.store: %q needs a file path without ? or #, such as \"sqlite:.lobby/feedback.db\"", s)
		}
		return "sqlite", path, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil {
			return "", "", fmt.Errorf("feedback.store: the PostgreSQL URL cannot be read: write it as postgres://user@host/database?sslmode=require")
		}
		if _, has := u.User.Password(); has {
			return "", "", fmt.Errorf("feedback.store: the PostgreSQL URL holds a password: give it in LOBBY_DATABASE_PASSWORD or ~/.pgpass instead")
		}
		return "postgres", s, nil
	}
	return "", "", fmt.Errorf("feedback.store: %q must start with \"sqlite:\" or \"postgres://\"", s)
}

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
	return time.Time{}, Errorf(EINVALID, "%q is not a date such as 2026-03-01", s)
}
