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

	"github.com/lobby-community/lobby"
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
in the page until it is fixed, while the last good site stays served. It
answers only requests for localhost; bound beyond it (--addr 0.0.0.0:1313),
it also answers requests for the machine's IP address, so that a phone on
the same network can open http://192.168.1.5:1313/.

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
	// The builder keeps what it read between builds, so that a rebuild
	// reads, renders and writes only what a change touched; it reads the
	// site through a root that stays open while the server runs.
	var builder *site.Builder
	if !*noBuild {
		opts, err := sf.options()
		if err != nil {
			return err
		}
		fsys := os.DirFS(sf.source)
		if root, err := os.OpenRoot(sf.source); err == nil {
			defer root.Close()
			fsys = root.FS()
		}
		builder = site.NewBuilder(fsys, lobby.Theme(), opts, public)
	}
	// build builds the site again after changed (paths as the watcher
	// gives them; all of it when full) and, unless serving an earlier
	// build, writes it; the site of the latest good build renders the
	// server's own pages.
	build := func(changed []string, full bool) error {
		var s *site.Site
		var err error
		switch {
		case builder == nil:
			s, err = sf.load(c.env, "text", false)
		case full:
			s, err = builder.Build()
		default:
			s, err = builder.Rebuild(sitePaths(sf.source, changed))
		}
		if builder != nil {
			err = reportErrors(c.env, err)
		}
		if err != nil {
			return err
		}
		pages.site.Store(s)
		return nil
	}
	firstErr := build(nil, true)
	if firstErr == nil && builder != nil {
		firstErr = buildIndex(ctx, pages.site.Load(), sf.source)
	}
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

	cfg := server.Config{Dir: public, Search: searchAPI, SearchPage: pages, Logger: logger,
		Watch: *watch, WatchIPHosts: !loopbackOnly(*addr)}
	sc, err := site.LoadConfig(os.DirFS(sf.source))
	if err != nil {
		return err
	}
	cfg.MaxConns, cfg.MaxConnsPerClient = sc.Server.MaxConnections, sc.Server.MaxConnectionsPerClient
	if sc.Feedback.Enabled {
		fcfg, err := feedbackConfig(sc, c.env.getenv)
		if err != nil {
			return err
		}
		cfg.TrustedProxies = fcfg.TrustedProxies
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

	// The output's manifest, which lets the next process's build write only
	// what changed, is written when the author pauses and when the server
	// stops, not at every rebuild.
	var mu sync.Mutex // one build at a time
	saveManifest := func() {
		mu.Lock()
		defer mu.Unlock()
		if builder != nil {
			builder.SaveManifest()
		}
	}
	saveLater := time.AfterFunc(time.Hour, saveManifest)
	saveLater.Stop()

	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		wg.Wait()
		saveLater.Stop()
		saveManifest()
	}()
	// The search index follows each rebuild in the background: the page
	// reloads without waiting for it.
	idx := newIndexer(sf.source, func() error {
		if i := index.Load(); i != nil {
			return i.Reload()
		}
		return nil
	}, logger)
	wg.Go(func() { idx.run(ctx) })

	// rebuild runs a build and has the index follow; the watcher and the
	// expiry timer both use it, one at a time.
	rebuild := func(ctx context.Context, changed []string, full bool) error {
		idx.stop()
		mu.Lock()
		defer mu.Unlock()
		started := time.Now()
		if err := build(changed, full); err != nil {
			return err
		}
		s := pages.site.Load()
		logger.Info("rebuilt", "written", s.Written(), "took", time.Since(started).Round(time.Millisecond))
		idx.update(s)
		saveLater.Reset(manifestDelay)
		return nil
	}

	if *watch {
		w, err := server.NewWatcher(server.WatchConfig{
			Roots:    []string{filepath.Join(sf.source, site.ContentDir), filepath.Join(sf.source, site.LayoutsDir), filepath.Join(sf.source, "static"), filepath.Join(sf.source, site.ConfigFile)},
			Exclude:  []string{public},
			Rebuild:  rebuild,
			Rebuilt:  srv.Reloaded,
			Debounce: watchDebounce,
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
		wg.Go(func() {
			c.rebuildAtExpiry(ctx, pages, func(ctx context.Context) error { return rebuild(ctx, nil, false) }, srv, logger)
		})
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

// watchDebounce is how long watch mode waits after a change before it
// rebuilds (the server's default is 100 ms). The events of one save come
// within a fraction of a millisecond: measured here, 2-12 events over at
// most 0.22 ms for vim :wq (with and without swap and backup files),
// sed -i, cp, a write of a new file renamed over the old one and a plain
// write. 30 ms leaves a wide margin and most of the 250 ms from save to
// reload to the rebuild. Should a save still be split, the second part is
// one more rebuild, and the site is right after it.
const watchDebounce = 30 * time.Millisecond

// manifestDelay is how long after a rebuild the output's manifest is
// written, unless another rebuild comes first.
const manifestDelay = 2 * time.Second

// sitePaths turns the watcher's paths into paths relative to the site
// folder, slash-separated, as site.Builder takes them.
func sitePaths(source string, changed []string) []string {
	out := make([]string, 0, len(changed))
	for _, p := range changed {
		rel, err := filepath.Rel(source, p)
		if err != nil {
			rel = "."
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// reportErrors prints content errors as load does and returns them as
// reported; other errors are returned as they are.
func reportErrors(e env, err error) error {
	var list site.ErrorList
	if errors.As(err, &list) {
		printErrors(e, list, "text")
		return reported{list}
	}
	return err
}

// isDir reports whether path is a folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// loopbackOnly reports whether a listen address reaches only the local
// machine: localhost or a loopback address.
func loopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true // listen fails on it anyway
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// listen opens a TCP listener on addr.
func listen(addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}
