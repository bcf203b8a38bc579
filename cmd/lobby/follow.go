package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/site"
)

// landingPoll is how often a server of an earlier build (--no-build) looks
// for a newer one in the site folder. A look is a stat of public/ and a
// read of the search index's small pointer file, 0.1–0.2 ms of one core
// (BenchmarkLook), so once a second costs next to nothing; and it sees a
// folder replaced by rename, which a watch on the folder itself would lose
// with the folder. SIGHUP makes it look at once.
const landingPoll = time.Second

// follower keeps a server of an earlier build serving the newest build
// that lands in the site folder: lobby build run there, or public/ and
// .lobby/search/ replaced by an upload. The static files need nothing (each
// request opens the output folder anew); the search index, the site that
// renders the server's own pages, and the assets of the build replaced are
// brought up to date, and the notices that expire are looked after.
type follower struct {
	s *serving

	public os.FileInfo // of the output folder when last looked at
	// expiry is the first moment the output served shows a notice that
	// should have left it, with the notice; zero when none does.
	expiry time.Time
	notice string
	// handled is the expiry last acted on, so that each is acted on once
	// for each output.
	handled time.Time
	lastErr string // the last failure logged, so that it is logged once
}

// run looks for a new build every poll and at each signal on hup, and acts
// on notice expiry, until ctx ends.
func (f *follower) run(ctx context.Context, poll time.Duration, hup <-chan os.Signal) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-hup:
			f.s.logger.Info("SIGHUP: looking for a new build")
		}
		f.look()
		if !f.expiry.IsZero() && !f.expiry.Equal(f.handled) && !time.Now().Before(f.expiry) {
			f.handled = f.expiry
			f.expired(ctx)
		}
	}
}

// look brings the server up to date with the build in the site folder.
// The output lands before its search index (lobby build writes it first,
// and so does an upload that follows docs/deploy.md), and the sources,
// which render the server's own pages, before the output: so the site is
// loaded again before the index is, and a search page is never shown with
// another build's stylesheet.
func (f *follower) look() {
	s := f.s
	info, err := os.Stat(s.public)
	if err != nil {
		// Between the two renames of an upload where the system has no
		// atomic exchange: look again at the next tick.
		f.fail("output folder", err)
		return
	}
	first := f.public == nil
	newOutput := first || !os.SameFile(info, f.public) || !info.ModTime().Equal(f.public.ModTime())
	f.public = info
	if newOutput && !first {
		// The server's own pages (search results, feedback) take the
		// site's templates and banner from its sources.
		s.mu.Lock()
		err := s.build(context.Background(), nil, true)
		s.mu.Unlock()
		if err != nil {
			f.fail("reload the site for the server's pages", err)
		}
	}
	if newOutput {
		// A build that lands after a notice expired, but was made before,
		// still shows it: each new output is judged afresh.
		f.expiry, f.notice = outputExpiry(s.public)
		f.handled = time.Time{}
	}
	gen := s.indexGeneration()
	if err := f.followIndex(); err != nil {
		f.fail("search index", err)
	}
	newIndex := s.indexGeneration() != gen
	if first || !newOutput && !newIndex {
		return
	}
	s.logger.Info("serving a new build", "output", newOutput, "search", s.indexGeneration())
	s.srv.Reloaded(nil)
	f.lastErr = ""
}

// followIndex puts the generation that the index folder names in service,
// opening the index if the server started without one.
func (f *follower) followIndex() error {
	s := f.s
	if idx := s.index.Load(); idx != nil {
		return idx.Reload()
	}
	idx, err := search.Open(indexDir(s.flags.source))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // still no index: search stays off
		}
		return err
	}
	s.index.Store(idx)
	return nil
}

// fail logs err once until a look succeeds or the error changes.
func (f *follower) fail(what string, err error) {
	if msg := what + ": " + err.Error(); msg != f.lastErr {
		f.lastErr = msg
		f.s.logger.Warn("following new builds", "what", what, "err", err)
	}
}

// expired acts on a notice that has expired in the output served. A server
// whose folder has the site's sources builds the site there as lobby build
// would; the build lands like any other and look serves it. One without
// them cannot, and says so: the site's scheduled rebuild (lobby init's
// workflow runs one daily) brings the output up to date.
func (f *follower) expired(ctx context.Context) {
	s := f.s
	if !hasSources(s.flags.source) {
		s.logger.Warn("a notice has expired but the output served still shows it: it needs a rebuild (lobby build), which this server cannot run without the site's sources",
			"notice", f.notice, "expired", f.expiry)
		return
	}
	s.logger.Info("a notice has expired: rebuilding", "notice", f.notice, "expired", f.expiry)
	s.mu.Lock()
	defer s.mu.Unlock()
	started := time.Now()
	built, err := s.flags.load(ctx, s.env, "text", false, s.public)
	if err == nil {
		err = buildIndex(ctx, built, s.flags.source)
	}
	if err != nil {
		if !errors.Is(err, errReported) {
			s.logger.Error("rebuild at expiry: the output served still shows the notice until the next build", "notice", f.notice, "err", err)
		}
		return
	}
	s.logger.Info("rebuilt", "written", built.Written(), "took", time.Since(started).Round(time.Millisecond))
}

// hasSources reports whether the site folder holds what a build reads.
func hasSources(source string) bool {
	_, errC := os.Stat(filepath.Join(source, site.ConfigFile))
	fi, errD := os.Stat(filepath.Join(source, site.ContentDir))
	return errC == nil && errD == nil && fi.IsDir()
}

// outputExpiry returns the first expiry of a notice that the output in
// public still shows as active, read from the content API the build wrote
// (api/v1/notices.json), so that it is the output's and not the sources'
// (a server may have only the output); zero when there is none.
func outputExpiry(public string) (time.Time, string) {
	data, err := os.ReadFile(filepath.Join(public, "api", "v1", "notices.json"))
	if err != nil {
		return time.Time{}, ""
	}
	var list struct {
		Pages []struct {
			URL     string `json:"url"`
			Expires string `json:"expires"`
			Expired bool   `json:"expired"`
		} `json:"pages"`
	}
	if json.Unmarshal(data, &list) != nil {
		return time.Time{}, ""
	}
	var next time.Time
	var url string
	for _, p := range list.Pages {
		t, err := time.Parse(time.RFC3339, p.Expires)
		if p.Expired || err != nil {
			continue
		}
		if next.IsZero() || t.Before(next) {
			next, url = t, p.URL
		}
	}
	return next, url
}

// indexGeneration names the search index generation served, "" for none.
func (s *serving) indexGeneration() string {
	if idx := s.index.Load(); idx != nil {
		return idx.Generation()
	}
	return ""
}

// searchAPI answers the search API from the index served now, which a new
// build may replace or bring where there was none.
func (s *serving) searchAPI() http.Handler {
	off := search.Unavailable(search.ErrNoIndex)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if idx := s.index.Load(); idx != nil {
			idx.APIHandler().ServeHTTP(w, r)
			return
		}
		off.ServeHTTP(w, r)
	})
}
