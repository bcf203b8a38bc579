// Package server serves a built lobby site: its static files and content API,
// the search and feedback handlers handed in by cmd/lobby, and, in the
// authors' watch mode, live reload with build errors shown in the page.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults for the zero fields of Config.
const (
	// DefaultReadHeaderTimeout cuts off a client that is slow to send its
	// request header.
	DefaultReadHeaderTimeout = 5 * time.Second
	// DefaultReadTimeout bounds reading a whole request, body included.
	DefaultReadTimeout = 30 * time.Second
	// DefaultWriteTimeout bounds writing a response; a slow phone on a weak
	// network still gets a few megabytes within it.
	DefaultWriteTimeout = 60 * time.Second
	// DefaultIdleTimeout closes a kept-alive connection left unused.
	DefaultIdleTimeout = 120 * time.Second
	// DefaultShutdownTimeout is how long requests in flight have to finish
	// once shutdown begins.
	DefaultShutdownTimeout = 10 * time.Second
	// DefaultMaxHeaderBytes bounds a request header: past it (plus the
	// 4 KiB net/http allows on top) the answer is 431.
	DefaultMaxHeaderBytes = 16 << 10
	// DefaultMaxBodyBytes bounds any request body.
	DefaultMaxBodyBytes = 1 << 20
)

// Config is what New needs to compose the server; only Dir is required.
type Config struct {
	// Dir is the output folder of the build, served as the site.
	Dir string

	// Search answers /api/v1/search; nil leaves that path to the static files.
	Search http.Handler
	// SearchPage answers /search; nil leaves that path to the static files.
	SearchPage http.Handler
	// Surveys answers POST /api/v1/surveys/… (residents' answers) and
	// GET /api/v1/surveys/SLUG/form; nil leaves those paths to the static
	// files. The surveys' JSON documents stay static files.
	Surveys http.Handler
	// StaffSurveys answers /staff/surveys/, the surveys' pages of the staff
	// workspace (behind its login); nil leaves them to Feedback.
	StaffSurveys http.Handler
	// Feedback answers /api/v1/feedback, /feedback/thanks/, /feedback/status,
	// /api/v1/staff/ and /staff/; nil leaves those paths to the static files.
	Feedback http.Handler
	// SiteOrigin is the origin ("https://cuihu.example.org") of the site's
	// pages when they are published apart from this server, on a static
	// host: scripts on them may call the search API, the feedback endpoint
	// and the status page (CORS). Empty allows no other origin.
	SiteOrigin string
	// Prefix is the path the site is published under, unescaped and
	// ending in "/" ("/cuihu/" for a base URL of https://example.org/cuihu/);
	// empty or "/" for the root of the host. The site's files, search, the
	// content API and feedback are all served below it, and "/" redirects
	// to it. The handlers see the paths below it as from the site's root.
	Prefix string

	// Logger receives one line per request; nil logs nothing.
	Logger *slog.Logger

	// Watch turns on the authors' mode: routes under /_lobby/, the live
	// reload script in every HTML page, and answers to local hosts only.
	Watch bool
	// WatchIPHosts, with Watch, also answers requests whose Host is an IP
	// address, such as a phone's on the same network opening
	// http://192.168.1.5:1313/. For a server bound beyond the loopback
	// interface: a DNS rebinding attack names the server by a host name,
	// never by an address, so it is still refused.
	WatchIPHosts bool

	// Timeouts and limits of the http.Server; zero means the default.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	ShutdownTimeout   time.Duration
	MaxHeaderBytes    int
	// MaxBodyBytes bounds every request body; handlers may set a lower bound.
	MaxBodyBytes int64

	// MaxConns caps the connections open at once, and MaxConnsPerClient
	// those from one client address (IPv6: one /64); past either cap a new
	// connection is reset at once while the open ones are served. Zero
	// means the default: DefaultMaxConns, lowered to fit the process's
	// limit of open files, and DefaultMaxConnsPerClient.
	MaxConns          int
	MaxConnsPerClient int
	// CrowdedIdleTimeout replaces IdleTimeout from 3/4 of MaxConns on;
	// zero means DefaultCrowdedIdleTimeout.
	CrowdedIdleTimeout time.Duration
	// TrustedProxies are reverse proxies that speak for many clients:
	// their connections count toward MaxConns only.
	TrustedProxies []netip.Prefix
}

func (c Config) withDefaults() Config {
	set := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	set(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	set(&c.ReadTimeout, DefaultReadTimeout)
	set(&c.WriteTimeout, DefaultWriteTimeout)
	set(&c.IdleTimeout, DefaultIdleTimeout)
	set(&c.ShutdownTimeout, DefaultShutdownTimeout)
	if c.MaxHeaderBytes == 0 {
		c.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxConns == 0 {
		c.MaxConns = defaultMaxConns()
	}
	if c.MaxConnsPerClient == 0 {
		c.MaxConnsPerClient = DefaultMaxConnsPerClient
	}
	set(&c.CrowdedIdleTimeout, DefaultCrowdedIdleTimeout)
	return c
}

// Server is the whole site as one http.Handler, with the http.Server
// settings to run it.
type Server struct {
	cfg     Config
	static  *static
	hub     *hub // nil unless cfg.Watch
	handler http.Handler
}

// feedbackPaths are the paths the feedback handler owns.
var feedbackPaths = []string{
	"/api/v1/feedback",
	"/feedback/thanks/",
	"/feedback/status",
	"/api/v1/staff/",
	"/staff/",
}

// siteRoutes are what the site's pages on a static host may call from
// their scripts (Config.SiteOrigin); the staff routes are not among them.
var siteRoutes = map[string]corsRoute{
	"/api/v1/search": {methods: []string{"GET", "HEAD"}},
	// A JSON post is preflighted; a script reads the case's reference from
	// the body, its status page from Location, and when to retry from
	// Retry-After.
	"/api/v1/feedback": {methods: []string{"POST"}, headers: []string{"Content-Type", "Idempotency-Key"},
		expose: []string{"Location", "Retry-After"}},
	"/feedback/status": {methods: []string{"GET", "HEAD"}},
}

// New composes the handler for cfg: static files, the handlers given,
// /healthz, and in watch mode the /_lobby/ routes.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, static: newStatic(cfg.Dir)}

	mux := http.NewServeMux()
	// Every route of the site is registered below the prefix; the handlers
	// that read the path (the static files, feedback) get it without, as
	// site paths. ServeMux's own redirects ("/cuihu" → "/cuihu/") and
	// its path cleaning see the whole path.
	prefix := strings.TrimSuffix(cfg.Prefix, "/")
	strip := func(h http.Handler) http.Handler {
		if prefix == "" {
			return h
		}
		return http.StripPrefix(prefix, h)
	}
	mux.Handle(prefix+"/", strip(s.static))
	mux.HandleFunc("GET /healthz", healthz)
	if prefix != "" {
		mux.HandleFunc("GET "+prefix+"/healthz", healthz)
		mux.Handle("GET /{$}", http.RedirectHandler((&url.URL{Path: prefix + "/"}).EscapedPath(), http.StatusFound))
		mux.Handle("/", http.NotFoundHandler())
	}
	if cfg.Search != nil {
		mux.Handle(prefix+"/api/v1/search", allowOrigin(cfg.SiteOrigin, siteRoutes["/api/v1/search"], tidyHeaders(cfg.Search)))
	}
	if cfg.SearchPage != nil {
		mux.Handle(prefix+"/search", gzipPages(tidyHeaders(cfg.SearchPage)))
	}
	if cfg.Feedback != nil {
		fb := strip(tidyHeaders(cfg.Feedback))
		for _, p := range feedbackPaths {
			if route, ok := siteRoutes[p]; ok {
				mux.Handle(prefix+p, allowOrigin(cfg.SiteOrigin, route, fb))
			} else {
				mux.Handle(prefix+p, fb)
			}
		}
	}

	if cfg.Surveys != nil {
		sv := strip(tidyHeaders(cfg.Surveys))
		mux.Handle("POST "+prefix+"/api/v1/surveys/", sv)
		mux.Handle("GET "+prefix+"/api/v1/surveys/{slug}/form", sv)
	}
	if cfg.StaffSurveys != nil {
		mux.Handle(prefix+"/staff/surveys/", strip(tidyHeaders(cfg.StaffSurveys)))
	}

	var h http.Handler = mux
	if cfg.Watch {
		s.hub = newHub()
		mux.HandleFunc("GET /_lobby/reload.js", serveReloadScript)
		mux.HandleFunc("GET /_lobby/events", s.hub.serveEvents)
		mux.HandleFunc("GET /_lobby/status", s.hub.serveStatus)
		h = injectReload(h)
		h = localOnly(h, cfg.WatchIPHosts)
	}
	h = rejectBadPaths(h)
	h = limitBodies(cfg.MaxBodyBytes, h)
	h = securityHeaders(h)
	if cfg.Logger != nil {
		h = accessLog(cfg.Logger, h)
	}
	s.handler = h
	return s
}

// ServeHTTP serves a request with the composed handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Reloaded tells the server that a rebuild has ended, with its error or nil.
// The static files need no telling (the output folder is opened anew for
// each request), but cached hashes are dropped, and in watch mode every open
// page reloads after a success, or shows err until a later success.
func (s *Server) Reloaded(err error) {
	s.static.reset()
	if s.hub != nil {
		s.hub.publish(err)
	}
}

// ListenAndServe listens on addr (cmd passes 127.0.0.1:1313 by default) and
// serves until ctx is cancelled, as Serve does.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve answers connections from ln until ctx is cancelled, then shuts down
// gracefully: the listener closes at once, so new connections are refused,
// and requests in flight have ShutdownTimeout to finish before the rest are
// cut. It returns nil after a graceful shutdown. Connections past MaxConns
// or MaxConnsPerClient are reset as they come.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	unlimited := func(a netip.Addr) bool {
		for _, p := range s.cfg.TrustedProxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	lim := newLimitListener(ln, s.cfg.MaxConns, s.cfg.MaxConnsPerClient, s.cfg.CrowdedIdleTimeout, unlimited)
	ln = lim
	srv := &http.Server{
		ConnState:         lim.connState,
		Handler:           s,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
	}
	if s.cfg.Logger != nil {
		srv.ErrorLog = slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn)
	}
	if s.hub != nil {
		srv.RegisterOnShutdown(s.hub.close) // event streams never end by themselves
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
		err = fmt.Errorf("shutdown: %w", err)
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// healthz answers 200 "ok" for load balancers and uptime checks.
func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", "2")
	io.WriteString(w, "ok")
}

// rejectBadPaths answers 400 to a path with a ".." element, a NUL, a
// backslash or invalid UTF-8, before ServeMux would redirect it to its
// cleaned form: such a path is an attack or a broken client, never a link.
func rejectBadPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, status := resolvePath(r.URL.Path); status == http.StatusBadRequest {
			http.Error(w, "400 bad request", http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitBodies bounds every request body to n bytes.
func limitBodies(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			w.Header().Set("Connection", "close")
			http.Error(w, "413 request body too large (limit "+strconv.FormatInt(n, 10)+" bytes)", http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, n)
		}
		next.ServeHTTP(w, r)
	})
}
