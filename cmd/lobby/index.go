package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/site"
)

// indexDir is where lobby build writes the search index, below the source.
func indexDir(source string) string { return filepath.Join(source, ".lobby", "search") }

// buildIndex indexes the published pages of s, from the same page model the
// site is rendered from, with the site's own synonyms if its config names
// a file of them.
func buildIndex(ctx context.Context, s *site.Site, source string) error {
	var syn *search.Synonyms
	if s.Config != nil && s.Config.Search.Synonyms != "" {
		name := s.Config.Search.Synonyms
		f, err := os.Open(filepath.Join(source, filepath.FromSlash(name)))
		if err != nil {
			return msgSynonymsFile.Error(err)
		}
		syn, err = search.ParseSynonyms(name, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	if err := search.Build(ctx, indexDir(source), search.SiteDocs(s), syn); err != nil {
		return msgSearchIndex.Error(err)
	}
	return nil
}

// indexer rebuilds the search index in the background after the rebuilds
// of watch mode, so that a saved page reloads without waiting for it: a
// full index of 10,000 pages takes about 25 s on two cores, and search
// has no way to update entries. It waits until the author has not saved
// for indexQuiet, indexes the latest site only, and gives up an index
// when a rebuild starts, which would otherwise share the cores with it.
type indexer struct {
	source string
	quiet  time.Duration
	reload func() error // puts the new index in service
	logger *slog.Logger

	mu     sync.Mutex
	next   *site.Site
	cancel context.CancelFunc // of the index being built, if any
	wake   chan struct{}
}

// indexQuiet is how long the indexer waits after the last rebuild: while
// an author saves every few seconds, the index waits.
const indexQuiet = 3 * time.Second

func newIndexer(source string, reload func() error, logger *slog.Logger) *indexer {
	return &indexer{source: source, quiet: indexQuiet, reload: reload, logger: logger, wake: make(chan struct{}, 1)}
}

// stop gives up the index being built, if any: a rebuild is starting,
// and it should have the cores to itself.
func (x *indexer) stop() {
	x.mu.Lock()
	if x.cancel != nil {
		x.cancel()
	}
	x.mu.Unlock()
}

// update asks for an index of s, instead of any site asked for before.
func (x *indexer) update(s *site.Site) {
	x.mu.Lock()
	x.next = s
	if x.cancel != nil {
		x.cancel()
	}
	x.mu.Unlock()
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// run builds the indexes asked for until ctx ends.
func (x *indexer) run(ctx context.Context) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-x.wake:
			t.Reset(x.quiet)
			continue
		case <-t.C:
		}
		x.mu.Lock()
		s := x.next
		x.next = nil
		bctx, cancel := context.WithCancel(ctx)
		x.cancel = cancel
		x.mu.Unlock()
		if s == nil {
			cancel()
			continue
		}
		err := buildIndex(bctx, s, x.source)
		if err == nil {
			err = x.reload()
		}
		x.mu.Lock()
		x.cancel = nil
		x.mu.Unlock()
		cancel()
		if err != nil && bctx.Err() == nil {
			x.logger.Error("search index", "err", err)
		}
	}
}
