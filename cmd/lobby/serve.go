package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/server"
	"github.com/lobby-community/lobby/site"
)

type serveCmd struct {
	env env
	// ready, if set, is called with the address once the server listens
	// (tests use it to learn the port of "127.0.0.1:0").
	ready func(addr string)
}

const serveHelp = `usage: lobby serve [--addr 127.0.0.1:1313] [--watch] [--no-build] [flags]

Builds the site (unless --no-build), then serves it with search, the content
API and the feedback endpoint until SIGINT or SIGTERM, finishing the requests
in flight. --no-build serves the public/ and .lobby/search/ of an earlier
build read-only, so several servers can share one CI-built output.

--watch is the authors' mode: lobby rebuilds when content/, layouts/,
static/ or config.toml change, and open pages reload; a build error is shown
in the page until it is fixed, while the last good site stays served.

Staff pages and the staff API are on when LOBBY_STAFF_TOKEN is set.`

func (c *serveCmd) Run(ctx context.Context, args []string) error {
	var sf siteFlags
	fs := newFlagSet("serve", serveHelp, c.env.stderr)
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:1313", "listen on this `address`")
	watch := fs.Bool("watch", false, "rebuild on change and reload open pages (authors' mode)")
	noBuild := fs.Bool("no-build", false, "serve the output of an earlier build as it is")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", rest)
	}
	if *watch && *noBuild {
		return errors.New("--watch rebuilds: it cannot go with --no-build")
	}
	logger := slog.New(slog.NewTextHandler(c.env.stderr, nil))
	public := filepath.Join(sf.source, "public")

	pages := &themePages{logger: logger}
	// build renders the site and, unless serving an earlier build, writes
	// it and its index; the site of the latest good build renders the
	// server's own pages.
	build := func(ctx context.Context) error {
		s, err := sf.load(c.env, "text", !*noBuild)
		if err != nil {
			return err
		}
		if !*noBuild {
			if err := s.WriteDir(public); err != nil {
				return err
			}
			if err := buildIndex(ctx, s, sf.source); err != nil {
				return err
			}
		}
		pages.site.Store(s)
		return nil
	}
	firstErr := build(ctx)
	if firstErr != nil && (!*watch || pages.site.Load() == nil && !isDir(public)) {
		// Authors in watch mode keep the last good output and see the
		// error in the page; everyone else gets it here.
		return firstErr
	}
	if s := pages.site.Load(); s != nil && !*noBuild {
		fmt.Fprintln(c.env.stdout, s.Summary())
	}

	var index atomic.Pointer[search.Index]
	searchAPI := search.Unavailable(search.ErrNoIndex)
	if idx, err := search.Open(indexDir(sf.source)); err == nil {
		index.Store(idx)
		defer idx.Close()
		searchAPI = idx.APIHandler()
	} else {
		logger.Warn("search is off", "err", err)
	}
	pages.index = index.Load

	cfg := server.Config{Dir: public, Search: searchAPI, SearchPage: pages, Logger: logger, Watch: *watch}
	sc, err := site.LoadConfig(os.DirFS(sf.source))
	if err != nil {
		return err
	}
	if sc.Feedback.Enabled {
		fcfg, err := feedbackConfig(sc, c.env.getenv)
		if err != nil {
			return err
		}
		store, err := openFeedbackStore(ctx, sf.source, sc.Feedback.Store)
		if err != nil {
			return err
		}
		defer store.Close()
		fh := feedback.NewHandler(store, fcfg, time.Now, logger, pages)
		defer fh.Close()
		cfg.Feedback = fh
	}
	srv := server.New(cfg)
	if firstErr != nil {
		srv.Reloaded(firstErr)
	}

	// rebuild runs a build and swaps in the new index; the watcher and the
	// expiry timer both use it, one at a time.
	var mu sync.Mutex
	rebuild := func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if err := build(ctx); err != nil {
			return err
		}
		if idx := index.Load(); idx != nil {
			return idx.Reload()
		}
		return nil
	}

	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer func() { cancel(); wg.Wait() }()
	if *watch {
		w, err := server.NewWatcher(server.WatchConfig{
			Roots:   []string{filepath.Join(sf.source, site.ContentDir), filepath.Join(sf.source, site.LayoutsDir), filepath.Join(sf.source, "static"), filepath.Join(sf.source, site.ConfigFile)},
			Exclude: []string{public},
			Rebuild: func(ctx context.Context, changed []string, full bool) error { return rebuild(ctx) },
			Rebuilt: srv.Reloaded,
		})
		if err != nil {
			return err
		}
		wg.Go(func() {
			if err := w.Run(ctx); err != nil {
				logger.Error("watch", "err", err)
			}
		})
	}
	if !*noBuild {
		// A static site changes only when it is built: rebuild when the
		// next notice expires, so that it leaves lists and banner on time.
		wg.Go(func() { c.rebuildAtExpiry(ctx, pages, rebuild, srv, logger) })
	}

	ln, err := listen(*addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.stdout, "serving on http://%s/\n", ln.Addr())
	if c.ready != nil {
		c.ready(ln.Addr().String())
	}
	return srv.Serve(ctx, ln)
}

// rebuildAtExpiry rebuilds the site each time a notice expires, until ctx
// ends.
func (c *serveCmd) rebuildAtExpiry(ctx context.Context, pages *themePages, rebuild func(context.Context) error, srv *server.Server, logger *slog.Logger) {
	for {
		var next time.Time
		if s := pages.site.Load(); s != nil {
			next = nextExpiry(s, time.Now())
		}
		if next.IsZero() {
			next = time.Now().Add(time.Hour) // a rebuild may add notices; look again later
		}
		t := time.NewTimer(time.Until(next) + time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if !time.Now().After(next) {
			continue
		}
		err := rebuild(ctx)
		srv.Reloaded(err)
		if err != nil && !errors.Is(err, errReported) {
			logger.Error("rebuild at expiry", "err", err)
		}
	}
}

// isDir reports whether path is a folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// listen opens a TCP listener on addr.
func listen(addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}
