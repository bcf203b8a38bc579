package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/server"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/survey"
)

type serveCmd struct {
	env env
	// ready, if set, is called with the address once the server listens
	// (tests use it to learn the port of "127.0.0.1:0").
	ready func(addr string)
	// poll, if set, replaces landingPoll (tests).
	poll time.Duration
}

const serveHelp = `usage: lobby serve [--addr 127.0.0.1:1313] [--watch] [--no-build] [flags]

Builds the site (unless --no-build), then serves it with search, the content
API and the feedback endpoint until SIGINT or SIGTERM, finishing the requests
in flight. --no-build serves the public/ and .lobby/search/ of an earlier
build read-only, so several servers can share one CI-built output; it
follows each new build that lands there (lobby build, or an upload renamed
into place) within a second, at once on SIGHUP, and when a notice of the
output expires it builds the site again if the folder has its sources, or
logs that the output needs a rebuild. Without --no-build, SIGHUP rebuilds.

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
		return msgNoArguments.Error("serve", rest)
	}
	if *watch && *noBuild {
		return msgWatchNoBuild.Error()
	}
	logger := slog.New(slog.NewTextHandler(c.env.stderr, nil))
	s := &serving{
		env:     c.env,
		flags:   sf,
		watch:   *watch,
		noBuild: *noBuild,
		poll:    c.poll,
		public:  filepath.Join(sf.source, "public"),
		logger:  logger,
		pages:   &themePages{logger: logger},
	}
	return s.run(ctx, *addr, c.ready)
}

// serving is one run of lobby serve: the site it builds (unless it serves
// an earlier build), the search index, and the server, with the background
// work that keeps them current.
type serving struct {
	env     env
	flags   siteFlags
	watch   bool
	noBuild bool
	poll    time.Duration // how often --no-build looks for a new build; 0: landingPoll
	public  string        // the output folder
	logger  *slog.Logger

	// builder keeps what it read between builds, so that a rebuild reads,
	// renders and writes only what a change touched; nil with --no-build.
	builder *site.Builder
	// pages renders the server's own pages from the site of the latest
	// good build.
	pages *themePages
	index atomic.Pointer[search.Index] // nil when there is none
	srv   *server.Server
	// indexer follows the rebuilds with the search index in the background,
	// so that a page reloads without waiting for it.
	indexer *indexer

	mu sync.Mutex // one build at a time
	// saveLater writes the output's manifest, which lets the next process's
	// build write only what changed, when the author pauses; the server's
	// stop writes it too, but not every rebuild.
	saveLater *time.Timer
}

// run builds (unless --no-build), then serves on addr until ctx ends.
func (s *serving) run(ctx context.Context, addr string, ready func(string)) error {
	if !s.noBuild {
		opts, err := s.flags.options()
		if err != nil {
			return err
		}
		// The builder reads the site through a root that stays open while
		// the server runs.
		fsys := os.DirFS(s.flags.source)
		if root, err := os.OpenRoot(s.flags.source); err == nil {
			defer root.Close()
			fsys = root.FS()
		}
		s.builder = site.NewBuilder(fsys, lobby.Theme(), opts, s.public)
	}
	firstErr := s.build(ctx, nil, true)
	if firstErr == nil && s.builder != nil {
		firstErr = buildIndex(ctx, s.pages.site.Load(), s.flags.source)
	}
	if firstErr != nil && (!s.watch || s.pages.site.Load() == nil && !isDir(s.public)) {
		// Authors in watch mode keep the last good output and see the
		// error in the page; everyone else gets it here.
		return firstErr
	}
	if site := s.pages.site.Load(); site != nil && !s.noBuild {
		fmt.Fprintln(s.env.stdout, site.SummaryIn(s.env.lang))
	}

	if idx, err := search.Open(indexDir(s.flags.source)); err == nil {
		s.index.Store(idx)
	} else {
		s.logger.Warn("search is off", "err", err)
	}
	defer func() {
		if idx := s.index.Load(); idx != nil {
			idx.Close()
		}
	}()
	s.pages.index = s.index.Load

	cfg := server.Config{Dir: s.public, Search: s.searchAPI(), SearchPage: s.pages, Logger: s.logger,
		Watch: s.watch, WatchIPHosts: !loopbackOnly(addr)}
	sc, err := site.LoadConfig(os.DirFS(s.flags.source))
	if err != nil {
		return err
	}
	cfg.MaxConns, cfg.MaxConnsPerClient = sc.Server.MaxConnections, sc.Server.MaxConnectionsPerClient
	if s.flags.baseURL != "" {
		sc.BaseURL = s.flags.baseURL
	}
	if cfg.Prefix, err = servePrefix(sc); err != nil {
		return err
	}
	// With a server origin, the site's pages are published elsewhere (a
	// static host) and call this server from their own origin, which is
	// let in; without one, this server's pages are the site's.
	if sc.Server.Origin != "" {
		cfg.SiteOrigin = sc.SiteOrigin()
	}
	closeFeedback, err := s.feedback(ctx, sc, &cfg)
	if err != nil {
		return err
	}
	defer closeFeedback()
	s.srv = server.New(cfg)
	if firstErr != nil {
		s.srv.Reloaded(firstErr)
	}

	s.saveLater = time.AfterFunc(time.Hour, s.saveManifest)
	s.saveLater.Stop()
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		wg.Wait()
		s.saveLater.Stop()
		s.saveManifest()
	}()
	s.indexer = newIndexer(s.flags.source, s.reloadIndex, s.logger)
	wg.Go(func() { s.indexer.run(ctx) })
	if s.watch {
		w, err := s.watcher()
		if err != nil {
			return err
		}
		wg.Go(func() {
			if err := w.Run(ctx); err != nil {
				s.logger.Error("watch", "err", err)
			}
		})
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	if s.noBuild {
		// CI builds and ships the site; the server follows each build that
		// lands in the site folder, and SIGHUP makes it look at once.
		f := &follower{s: s}
		f.look()
		poll := s.poll
		if poll == 0 {
			poll = landingPoll
		}
		wg.Go(func() { f.run(ctx, poll, hup) })
	} else {
		// A static site changes only when it is built: rebuild when the
		// next notice expires, so that it leaves lists and banner on time,
		// and when SIGHUP asks.
		wg.Go(func() { s.rebuildAtExpiry(ctx, hup) })
	}

	ln, err := listen(addr)
	if err != nil {
		return err
	}
	// In English in both languages: scripts and tests wait for this line.
	fmt.Fprintf(s.env.stdout, "serving on http://%s/\n", ln.Addr())
	if ready != nil {
		ready(ln.Addr().String())
	}
	return s.srv.Serve(ctx, ln)
}

// feedback opens the feedback store and handler into cfg when the site's
// config sc enables feedback; close releases them.
func (s *serving) feedback(ctx context.Context, sc *site.Config, cfg *server.Config) (close func(), err error) {
	close = func() {}
	if !sc.Feedback.Enabled {
		return close, nil
	}
	fcfg := feedbackConfig(sc, s.env.getenv)
	cfg.TrustedProxies = fcfg.TrustedProxies
	fcfg.SiteOrigin = cfg.SiteOrigin
	store, err := openFeedbackStore(ctx, s.flags.source, sc.Feedback, s.env.getenv)
	if err != nil {
		return close, err
	}
	fh := feedback.NewHandler(store, fcfg, time.Now, s.logger, s.pages)
	cfg.Feedback = fh
	if st, ok := store.(survey.Store); ok {
		sh := survey.NewHandler(st, s.pages.survey, s.pages, survey.Config{Language: sc.Language,
			SiteOrigin: cfg.SiteOrigin, Limit: feedback.NewSubmissionLimit(fcfg)}, time.Now, s.logger)
		cfg.Surveys = sh
		cfg.StaffSurveys = fh.StaffPagesOnly(sh.StaffHandler(sc.Location, s.pages.surveys))
	}
	// Overdue cases are looked for once a minute: service targets are
	// hours, so a notification is at most a minute late.
	watchCtx, stopWatch := context.WithCancel(ctx)
	var watching sync.WaitGroup
	watching.Go(func() { fh.WatchOverdue(watchCtx, time.Minute) })
	return func() { stopWatch(); watching.Wait(); fh.Close(); store.Close() }, nil
}

// watcher watches the site's sources for watch mode.
func (s *serving) watcher() (*server.Watcher, error) {
	src := s.flags.source
	return server.NewWatcher(server.WatchConfig{
		Roots:    []string{filepath.Join(src, site.ContentDir), filepath.Join(src, site.LayoutsDir), filepath.Join(src, "static"), filepath.Join(src, site.ConfigFile)},
		Exclude:  []string{s.public},
		Rebuild:  s.rebuild,
		Rebuilt:  s.srv.Reloaded,
		Debounce: watchDebounce,
	})
}

// build builds the site again after changed (paths as the watcher gives
// them; all of it when full) and, unless serving an earlier build, writes
// it; the site of the latest good build renders the server's own pages.
func (s *serving) build(ctx context.Context, changed []string, full bool) error {
	var built *site.Site
	var err error
	switch {
	case s.builder == nil:
		built, err = s.flags.load(ctx, s.env, "text", false)
	case full:
		built, err = s.builder.BuildContext(ctx)
	default:
		built, err = s.builder.RebuildContext(ctx, sitePaths(s.flags.source, changed))
	}
	if s.builder != nil {
		err = reportErrors(s.env, err)
	}
	if err != nil {
		return err
	}
	s.pages.site.Store(built)
	return nil
}

// rebuild runs a build and has the index follow; the watcher and the
// expiry timer both use it, one at a time.
func (s *serving) rebuild(ctx context.Context, changed []string, full bool) error {
	s.indexer.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	started := time.Now()
	if err := s.build(ctx, changed, full); err != nil {
		return err
	}
	built := s.pages.site.Load()
	s.logger.Info("rebuilt", "written", built.Written(), "took", time.Since(started).Round(time.Millisecond))
	s.indexer.update(built)
	s.saveLater.Reset(manifestDelay)
	return nil
}

// saveManifest writes the output's manifest of the latest build.
func (s *serving) saveManifest() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.builder != nil {
		s.builder.SaveManifest()
	}
}

// reloadIndex puts the index generation the latest build wrote in service.
func (s *serving) reloadIndex() error {
	if i := s.index.Load(); i != nil {
		return i.Reload()
	}
	return nil
}

// rebuildAtExpiry rebuilds the site each time a notice expires, and all of
// it at each signal on hup, until ctx ends.
func (s *serving) rebuildAtExpiry(ctx context.Context, hup <-chan os.Signal) {
	for {
		var next time.Time
		if built := s.pages.site.Load(); built != nil {
			next = nextExpiry(built, time.Now())
		}
		if next.IsZero() {
			next = time.Now().Add(time.Hour) // a rebuild may add notices; look again later
		}
		t := time.NewTimer(time.Until(next) + time.Second)
		full := false
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-hup:
			t.Stop()
			s.logger.Info("SIGHUP: rebuilding")
			full = true
		}
		if !full && !time.Now().After(next) {
			continue
		}
		err := s.rebuild(ctx, nil, full)
		s.srv.Reloaded(err)
		if err != nil && !errors.Is(err, errReported) {
			s.logger.Error("rebuild at expiry", "err", err)
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
		return reported{list, e.lang}
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
