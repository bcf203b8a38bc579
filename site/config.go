package site

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
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
			return nil, ErrorList{{Path: ConfigFile, Msg: "no config.toml: is --source the site's folder?"}}
		}
		return nil, err
	}
	return ParseConfig(src)
}

// ParseConfig decodes the text of a config.toml.
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
		errs.add(ConfigFile, tomlError(err, ConfigFile, string(src), 0, reflect.TypeFor[Config]()))
		return nil, errs.err()
	}
	for _, key := range md.Undecoded() {
		if len(key) > 0 && key[0] == "params" {
			continue
		}
		line, col := findTOMLKey(string(src), key)
		errs.errorf(ConfigFile, line, col, "unknown key %q", key.String())
	}
	keyErr := func(key string, format string, args ...any) {
		line, col := findTOMLKey(string(src), strings.Split(key, "."))
		errs.errorf(ConfigFile, line, col, format, args...)
	}
	if strings.TrimSpace(cfg.Title) == "" {
		errs.errorf(ConfigFile, 0, 0, "title is required")
	}
	if cfg.BaseURL == "" {
		errs.errorf(ConfigFile, 0, 0, "baseURL is required (feeds, the sitemap, calendars and QR codes need absolute URLs)")
	} else if err := CheckBaseURL(cfg.BaseURL); err != nil {
		keyErr("baseURL", "baseURL %v", err)
	} else if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	switch cfg.Language {
	case "":
		cfg.Language = defaultLanguage
	case "zh-CN", "en":
	default:
		keyErr("language", "language %q is not supported: use \"zh-CN\" or \"en\"", cfg.Language)
	}
	if cfg.Timezone == "" {
		cfg.Timezone = defaultTimezone
	}
	if loc, err := time.LoadLocation(cfg.Timezone); err != nil {
		keyErr("timezone", "timezone %q is not a known time zone such as \"Asia/Shanghai\"", cfg.Timezone)
	} else {
		cfg.Location = loc
	}
	if cfg.Paginate == 0 {
		cfg.Paginate = defaultPaginate
	} else if cfg.Paginate < 0 {
		keyErr("paginate", "paginate must be a positive number of pages per list page")
	}
	f := &cfg.Feedback
	if f.Store == "" {
		f.Store = defaultStore
	} else if !strings.HasPrefix(f.Store, "sqlite:") && !strings.HasPrefix(f.Store, "postgres://") && !strings.HasPrefix(f.Store, "postgresql://") {
		keyErr("feedback.store", "feedback.store %q must start with \"sqlite:\" or \"postgres://\"", f.Store)
	} else if u, err := url.Parse(f.Store); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			// The config is in git; the password must not be.
			keyErr("feedback.store", "feedback.store holds a password: remove it from the URL and give it in LOBBY_DATABASE_PASSWORD or ~/.pgpass")
		}
	}
	if f.Retention == "" {
		f.Retention = defaultRetention
	} else if _, err := ParseDays(f.Retention); err != nil {
		keyErr("feedback.retention", "feedback.retention: %v", err)
	}
	if f.RateLimit == "" {
		f.RateLimit = defaultRateLimit
	}
	checkTargets(f.Targets, string(src), func(line, col int, format string, args ...any) {
		errs.errorf(ConfigFile, line, col, format, args...)
	})
	if cfg.Server.MaxConnections < 0 {
		keyErr("server.max_connections", "server.max_connections must be a positive number of connections (leave it out for the default)")
	}
	if cfg.Server.MaxConnectionsPerClient < 0 {
		keyErr("server.max_connections_per_client", "server.max_connections_per_client must be a positive number of connections (leave it out for the default)")
	}
	if m, p := cfg.Server.MaxConnections, cfg.Server.MaxConnectionsPerClient; m > 0 && p > m {
		keyErr("server.max_connections_per_client", "server.max_connections_per_client (%d) is more than server.max_connections (%d)", p, m)
	}
	if cfg.Server.Origin != "" {
		if o, err := ParseOrigin(cfg.Server.Origin); err != nil {
			keyErr("server.origin", "server.origin: %v", err)
		} else {
			cfg.Server.Origin = o
		}
	}
	if syn := cfg.Search.Synonyms; syn != "" && (!fs.ValidPath(syn) || syn == "." || strings.Contains(syn, "\\")) {
		keyErr("search.synonyms", "search.synonyms %q must be a file in the site's folder, such as \"synonyms.txt\"", syn)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// ParseOrigin checks that s is an origin, an http or https URL with a host
// and nothing after it ("https://lobby.example.org", a port allowed), and
// returns it as browsers send it in an Origin header: scheme and host in
// lower case, without a final slash.
func ParseOrigin(s string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("%q is not an origin such as \"https://lobby.example.org\": %s", s, why)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", bad("it cannot be read as a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("it must start with https:// or http://")
	case u.Host == "" || u.Opaque != "":
		return "", bad("it has no host")
	case u.User != nil:
		return "", bad("it may not hold a user name or password")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.ForceQuery, u.Fragment != "":
		return "", bad("give the scheme and host only, without a path: the server answers under baseURL's path")
	case u.Port() == "" && strings.HasSuffix(u.Host, ":"):
		return "", bad("it has an empty port")
	case !isASCII(u.Host):
		return "", bad("write the host in ASCII, as its punycode (xn--…) form")
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
		return fmt.Errorf("%q is not an absolute URL such as \"https://example.org/\"", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.ContainsAny(u.Path, "{}") || strings.ContainsFunc(u.Path, unicode.IsSpace) {
		return fmt.Errorf("%q has more than a host and a path such as \"https://example.org/cuihu/\": no query, fragment, user name, spaces or braces", s)
	}
	return nil
}

// ParseDays parses a retention period written as a number of days ("730d").
func ParseDays(s string) (time.Duration, error) {
	var n int
	if _, err := fmt.Sscanf(s, "%dd", &n); err != nil || n <= 0 || fmt.Sprintf("%dd", n) != s {
		return 0, fmt.Errorf("%q is not a number of days such as \"730d\"", s)
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
