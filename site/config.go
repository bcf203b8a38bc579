package site

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/lobby-community/lobby/internal/msg"
)

// ConfigFile is the name of a site's configuration file.
const ConfigFile = "config.toml"

// Config is a site's config.toml.
type Config struct {
	Title    string         `toml:"title"`
	BaseURL  string         `toml:"baseURL"`
	Language string         `toml:"language"`
	Timezone string         `toml:"timezone"`
	Paginate int            `toml:"paginate"` // pages per list page; 10 when unset
	Office   Office         `toml:"office"`
	Feedback FeedbackConfig `toml:"feedback"`
	Server   ServerConfig   `toml:"server"`
	Markup   MarkupConfig   `toml:"markup"`
	Search   SearchConfig   `toml:"search"`
	Params   map[string]any `toml:"params"`
	// Sections are folders of content/ that are sections of the site's
	// own although their names are close to one lobby knows ("notes"
	// beside "notices"), which would otherwise be taken for misspellings.
	Sections []string `toml:"sections"`

	// Location is the site's time zone, loaded from Timezone.
	Location *time.Location `toml:"-"`
}

// Office is the property-management office's contact card, shown on every page.
type Office struct {
	Name    string `toml:"name"`
	Hotline string `toml:"hotline"`
	Repairs string `toml:"repairs"`
	Manager string `toml:"manager"`
	Email   string `toml:"email"`
	Hours   string `toml:"hours"`
	Address string `toml:"address"`
}

// FeedbackConfig configures the feedback endpoint served by lobby serve.
type FeedbackConfig struct {
	Enabled        bool     `toml:"enabled"`
	Store          string   `toml:"store"`           // "sqlite:PATH" or "postgres://…"
	Retention      string   `toml:"retention"`       // e.g. "730d"
	RateLimit      string   `toml:"rate_limit"`      // e.g. "10/10m", or "off"
	NotifyCommand  string   `toml:"notify_command"`  // run with each new case as JSON on stdin
	TrustedProxies []string `toml:"trusted_proxies"` // CIDRs whose X-Forwarded-For is believed
	// Targets are the service targets by category: [feedback.targets]
	// repair = { respond = "4h", resolve = "48h" }.
	Targets map[string]ServiceTarget `toml:"targets"`

	// The values above as ParseConfig parsed them, for lobby serve and
	// lobby feedback, which read nothing of config.toml themselves.

	// StoreKind is "sqlite" or "postgres"; StoreTarget is the SQLite
	// file's path (relative to the site's folder) or the PostgreSQL URL.
	StoreKind, StoreTarget string `toml:"-"`
	// RetentionPeriod is how long a case is kept after its last change.
	RetentionPeriod time.Duration `toml:"-"`
	// RateEvents submissions per RatePer are allowed from one client;
	// RateEvents 0 turns the limit off.
	RateEvents int           `toml:"-"`
	RatePer    time.Duration `toml:"-"`
	// Proxies are the networks of TrustedProxies.
	Proxies []netip.Prefix `toml:"-"`
	// NotifyArgv is NotifyCommand split at spaces: no shell runs it.
	NotifyArgv []string `toml:"-"`
}

// ServerConfig configures lobby serve's connections, and names the lobby
// server of a site whose pages are published elsewhere, on a static host
// (GitHub Pages, a bucket, a CDN), which has no search or feedback of its
// own. Zero values mean the server's defaults.
type ServerConfig struct {
	// MaxConnections caps the connections open at once.
	MaxConnections int `toml:"max_connections"`
	// MaxConnectionsPerClient caps the connections from one client address.
	MaxConnectionsPerClient int `toml:"max_connections_per_client"`
	// Origin is the scheme and host of the lobby server that answers the
	// site's search and feedback, such as "https://lobby.example.org".
	// Empty means that lobby serve serves the pages itself, or, for a build
	// made for a static host (lobby build --no-index), that there is no
	// server: the pages then offer the office's telephone and e-mail.
	Origin string `toml:"origin"`
}

// MarkupConfig configures Markdown rendering.
type MarkupConfig struct {
	// Unsafe lets raw HTML in Markdown through instead of escaping it.
	Unsafe bool `toml:"unsafe"`
}

// SearchConfig is the [search] table.
type SearchConfig struct {
	// Synonyms names a file of the site's own synonym groups, relative to
	// the site's folder, used beside the built-in ones.
	Synonyms string `toml:"synonyms"`
}

// Defaults for keys a config may leave out.
const (
	defaultLanguage  = "zh-CN"
	defaultTimezone  = "Asia/Shanghai"
	defaultPaginate  = 10
	defaultStore     = "sqlite:.lobby/feedback.db"
	defaultRetention = "730d"
	defaultRateLimit = "10/10m"
)

// LoadConfig reads and validates config.toml from the root of fsys.
// Every problem is reported, each at its line, as an ErrorList.
func LoadConfig(fsys fs.FS) (*Config, error) {
	src, err := fs.ReadFile(fsys, ConfigFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrorList{newError(ConfigFile, 0, 0, msgNoConfig)}
		}
		return nil, err
	}
	return ParseConfig(src)
}

// ParseConfig decodes the text of a config.toml and checks every key,
// parsing the values that lobby serve and lobby feedback use (the rate
// limit, the store, trusted proxies), so that lobby check and lobby build
// refuse, at its line, whatever lobby serve would.
func ParseConfig(src []byte) (*Config, error) {
	var errs ErrorList
	src, err := cleanSource(src)
	if err != nil {
		errs.add(ConfigFile, withPath(err, ConfigFile, 0))
		return nil, errs.err()
	}
	cfg := &Config{Feedback: FeedbackConfig{Enabled: true}}
	md, err := toml.Decode(string(src), cfg)
	if err != nil {
		errs.add(ConfigFile, tomlError(err, ConfigFile, string(src), 0, configType))
		return nil, errs.err()
	}
	unknown := map[string]bool{}
	for _, key := range md.Undecoded() {
		unknown[key.String()] = true
	}
	for _, key := range md.Undecoded() {
		if len(key) > 0 && key[0] == "params" || len(key) > 1 && unknown[key[:len(key)-1].String()] {
			continue // free-form, or inside an unknown table reported once
		}
		line, col := findTOMLKey(string(src), key)
		if line == 0 {
			line, col = findTOMLTable(string(src), key)
		}
		if s := suggestConfigKey(key.String()); s != "" {
			errs.msgf(ConfigFile, line, col, msgUnknownKeySuggest, key.String(), s)
		} else {
			errs.msgf(ConfigFile, line, col, msgUnknownKey, key.String())
		}
	}
	keyErr := func(key string, m msg.Message, args ...any) {
		line, col := findTOMLKey(string(src), strings.Split(key, "."))
		errs.msgf(ConfigFile, line, col, m, args...)
	}
	if strings.TrimSpace(cfg.Title) == "" {
		errs.msgf(ConfigFile, 0, 0, msgTitleRequired)
	}
	if cfg.BaseURL == "" {
		errs.msgf(ConfigFile, 0, 0, msgBaseURLRequired)
	} else if err := CheckBaseURL(cfg.BaseURL); err != nil {
		keyErr("baseURL", msgBadBaseURL, err)
	} else if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	switch cfg.Language {
	case "":
		cfg.Language = defaultLanguage
	case "zh-CN", "en":
	default:
		keyErr("language", msgBadLanguage, cfg.Language)
	}
	if cfg.Timezone == "" {
		cfg.Timezone = defaultTimezone
	}
	if loc, err := time.LoadLocation(cfg.Timezone); err != nil {
		keyErr("timezone", msgBadTimezone, cfg.Timezone)
	} else {
		cfg.Location = loc
	}
	if cfg.Paginate == 0 {
		cfg.Paginate = defaultPaginate
	} else if cfg.Paginate < 0 {
		keyErr("paginate", msgBadPaginate)
	}
	f := &cfg.Feedback
	if f.Store == "" {
		f.Store = defaultStore
	}
	if f.StoreKind, f.StoreTarget, err = ParseStore(f.Store); err != nil {
		keyErr("feedback.store", msgKeyValue, "feedback.store", err)
	}
	if f.Retention == "" {
		f.Retention = defaultRetention
	}
	if f.RetentionPeriod, err = ParseDays(f.Retention); err != nil {
		keyErr("feedback.retention", msgKeyValue, "feedback.retention", err)
	}
	if f.RateLimit == "" {
		f.RateLimit = defaultRateLimit
	}
	if f.RateEvents, f.RatePer, err = ParseRateLimit(f.RateLimit); err != nil {
		keyErr("feedback.rate_limit", msgKeyValue, "feedback.rate_limit", err)
	}
	for i, p := range f.TrustedProxies {
		if prefix, err := ParseTrustedProxy(p); err != nil {
			line, col := findTOMLKey(string(src), []string{"feedback", "trusted_proxies"})
			if l := lineOf(string(src), strconv.Quote(p), line); l > 0 {
				line, col = l, 0
			}
			errs.msgf(ConfigFile, line, col, msgKeyValue, fmt.Sprintf("feedback.trusted_proxies[%d]", i), err)
		} else {
			f.Proxies = append(f.Proxies, prefix)
		}
	}
	f.NotifyArgv = strings.Fields(f.NotifyCommand)
	checkTargets(f.Targets, string(src), func(line, col int, m msg.Message, args ...any) {
		errs.msgf(ConfigFile, line, col, m, args...)
	})
	if cfg.Server.MaxConnections < 0 {
		keyErr("server.max_connections", msgBadMaxConns, "server.max_connections")
	}
	if cfg.Server.MaxConnectionsPerClient < 0 {
		keyErr("server.max_connections_per_client", msgBadMaxConns, "server.max_connections_per_client")
	}
	if m, p := cfg.Server.MaxConnections, cfg.Server.MaxConnectionsPerClient; m > 0 && p > m {
		keyErr("server.max_connections_per_client", msgPerClientOverMax, p, m)
	}
	if cfg.Server.Origin != "" {
		if o, err := ParseOrigin(cfg.Server.Origin); err != nil {
			keyErr("server.origin", msgKeyValue, "server.origin", err)
		} else {
			cfg.Server.Origin = o
		}
	}
	if syn := cfg.Search.Synonyms; syn != "" && (!fs.ValidPath(syn) || syn == "." || strings.Contains(syn, "\\")) {
		keyErr("search.synonyms", msgBadSynonyms, syn)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

var configType = reflect.TypeFor[Config]()

// configKeys are the keys of config.toml as dotted paths, for suggestions.
var configKeys = tomlKeys(configType, "")

// suggestConfigKey returns the key of config.toml closest to key, a dotted
// path, when one is close: "langauge" gives "language", and
// "feedback.rate_limt" gives "feedback.rate_limit".
func suggestConfigKey(key string) string {
	if len(key) > 60 {
		return ""
	}
	best, bestD := "", 3
	for _, k := range configKeys {
		if strings.Count(k, ".") != strings.Count(key, ".") {
			continue
		}
		if d := editDistance(strings.ToLower(key), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// lineOf returns the first line at or after from (1-based) that holds s,
// or 0.
func lineOf(src, s string, from int) int {
	for i, l := range strings.Split(src, "\n") {
		if i+1 >= from && strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}

// ParseOrigin checks that s is an origin, an http or https URL with a host
// and nothing after it ("https://lobby.example.org", a port allowed), and
// returns it as browsers send it in an Origin header: scheme and host in
// lower case, without a final slash.
func ParseOrigin(s string) (string, error) {
	bad := func(why msg.Message) error {
		return msgNotOrigin.Error(s, why.Text())
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", bad(msgOriginUnreadable)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad(msgOriginScheme)
	case u.Host == "" || u.Opaque != "":
		return "", bad(msgOriginNoHost)
	case u.User != nil:
		return "", bad(msgOriginUser)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.ForceQuery, u.Fragment != "":
		return "", bad(msgOriginPath)
	case u.Port() == "" && strings.HasSuffix(u.Host, ":"):
		return "", bad(msgOriginEmptyPort)
	case !isASCII(u.Host):
		return "", bad(msgOriginASCII)
	}
	return originOf(u), nil
}

// originOf returns the origin of u as a browser writes it: scheme and host
// in lower case, and no port when it is the scheme's default.
func originOf(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if port := u.Port(); scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		host = strings.TrimSuffix(host, ":"+port)
	}
	return scheme + "://" + host
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// SiteOrigin returns the origin of the site's pages: the scheme and host of
// its baseURL, as browsers send it in an Origin header.
func (c *Config) SiteOrigin() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return originOf(u)
}

// CheckBaseURL reports what is wrong with a base URL: it must be
// absolute, with a host, and may have a path (a site published under
// /cuihu/), but no query or fragment, and no spaces or braces in the path,
// which lobby serve mounts the site at.
func CheckBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return msgNotAbsURL.Error(s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.ContainsAny(u.Path, "{}") || strings.ContainsFunc(u.Path, unicode.IsSpace) {
		return msgURLExtra.Error(s)
	}
	return nil
}

// ParseDays parses a retention period written as a number of days ("730d").
func ParseDays(s string) (time.Duration, error) {
	var n int
	if _, err := fmt.Sscanf(s, "%dd", &n); err != nil || n <= 0 || fmt.Sprintf("%dd", n) != s {
		return 0, msgNotDays.Error(s)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

var languageLineRE = regexp.MustCompile(`^\s*language\s*=\s*["']([^"'\n]*)["']`)

// SniffLanguage returns the value of the top-level language key of a
// config.toml, read line by line rather than parsed, so that it can choose
// the language of the messages about a config that does not parse. It
// returns "" when there is none before the first table.
func SniffLanguage(src []byte) string {
	for line := range strings.Lines(strings.TrimPrefix(string(src), "\ufeff")) {
		if strings.HasPrefix(strings.TrimSpace(line), "[") {
			break
		}
		if m := languageLineRE.FindStringSubmatch(line); m != nil {
			return m[1]
		}
	}
	return ""
}

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
		return 0, 0, msgNotRate.Error(s)
	}
	return events, per, nil
}

// ParseTrustedProxy parses one entry of feedback.trusted_proxies: a CIDR
// such as "10.0.0.0/8", or a single address.
func ParseTrustedProxy(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		a, aerr := netip.ParseAddr(s)
		if aerr != nil {
			return netip.Prefix{}, msgNotNetwork.Error(s)
		}
		p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
	}
	return p.Masked(), nil
}

// ParseStore splits feedback.store (or lobby feedback migrate's --to) into
// its kind ("sqlite" or "postgres") and what that kind needs: the file
// path, or the whole URL, which may not hold a password: config.toml is
// kept in git.
func ParseStore(s string) (kind, target string, err error) {
	switch {
	case strings.HasPrefix(s, "sqlite:"):
		path := strings.TrimPrefix(s, "sqlite:")
		if path == "" || strings.ContainsAny(path, "?#") {
			return "", "", msgSQLitePath.Error(s)
		}
		return "sqlite", path, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil {
			return "", "", msgPostgresURL.Error()
		}
		if _, has := u.User.Password(); has {
			return "", "", msgStorePassword.Error()
		}
		return "postgres", s, nil
	}
	return "", "", msgStoreScheme.Error(s)
}
