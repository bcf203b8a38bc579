package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// Defaults of Options.
const (
	// DefaultMaxConcurrent is the default number of searches that run at once.
	DefaultMaxConcurrent = 4
	// DefaultTimeout is the default time limit of one search.
	DefaultTimeout = 2 * time.Second
	// DefaultQueueWait is the default wait for a search slot.
	DefaultQueueWait = 100 * time.Millisecond
)

// Options tune an open Index. The zero value means the defaults.
type Options struct {
	// MaxConcurrent is the number of searches that may run at once; more
	// wait up to QueueWait for a slot and then fail with ErrOverloaded.
	MaxConcurrent int
	// QueueWait is how long a search waits for a free slot; negative means
	// not at all.
	QueueWait time.Duration
	// Timeout bounds each search; past it the search fails with ErrTimeout.
	Timeout time.Duration
	// Now returns the moment recency is judged against (default time.Now).
	Now func() time.Time
	// Parts is the most parts one search is split into, searched at once
	// (default GOMAXPROCS): see atOnce.
	Parts int

	// partDocs is the fewest pages a part has (default minPartDocs).
	partDocs int
	// cacheBytes bounds the postings cache of a generation, split evenly
	// between its shards (default defaultCacheBytes; negative: none), and
	// cacheMinDocs is the fewest pages of a term kept in it (default
	// minCachedDocs).
	cacheBytes, cacheMinDocs int
}

func (o Options) withDefaults() Options {
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = DefaultMaxConcurrent
	}
	if o.QueueWait == 0 {
		o.QueueWait = DefaultQueueWait
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Parts <= 0 {
		o.Parts = runtime.GOMAXPROCS(0)
	}
	if o.partDocs <= 0 {
		o.partDocs = minPartDocs
	}
	if o.cacheBytes == 0 {
		o.cacheBytes = defaultCacheBytes
	}
	if o.cacheMinDocs <= 0 {
		o.cacheMinDocs = minCachedDocs
	}
	return o
}

// Index serves searches from the current generation of an index directory.
// It is safe for concurrent use; Reload swaps in a new generation while
// searches run.
type Index struct {
	dir   string
	opts  Options
	slots chan struct{}

	// cur is the generation served, nil once closed. A search pins it for
	// all of its bleve searches (pin), so they all see one generation and
	// its docTable.
	cur atomic.Pointer[generation]

	mu     sync.Mutex // serialises Reload and Close
	closed bool
}

// generation is one open index generation: one bleve index per shard
// (Build writes several for a large site, in parallel).
type generation struct {
	name     string
	shards   []*shard
	rank     rankTable    // by URL: the reference scores of buildQuery
	sections []string     // section names by index; sections[0] is ""
	synonyms synonymTable // built-in and the site's own
	pinyin   *pinyinIndex // the words of titles and tags by their pinyin
	// stats gives a search of one shard the term statistics of all of
	// them; nil for a generation of one shard.
	stats *corpusStats

	// mu is held for reading by each search that uses the generation, and
	// for writing to close it, which so waits for those searches.
	mu     sync.RWMutex
	closed bool

	// stopWarm, closed, stops warming the postings caches (warm); warmed is
	// closed once that is done.
	stopWarm, warmed chan struct{}
}

// shard is one bleve index of a generation, its document table and its
// postings cache.
type shard struct {
	idx      bleve.Index
	table    *docTable
	postings *postingsCache
}

// sectionIndex returns the index of a section name, or -1 for a name no page
// has.
func (g *generation) sectionIndex(name string) int {
	return slices.Index(g.sections, name)
}

// pin returns the generation served now, held for reading; the caller
// calls g.mu.RUnlock when done with it.
func (x *Index) pin() (*generation, error) {
	for {
		g := x.cur.Load()
		if g == nil {
			return nil, ErrClosed
		}
		g.mu.RLock()
		if !g.closed {
			return g, nil
		}
		g.mu.RUnlock() // replaced and closed since it was loaded: load again
	}
}

// close closes g once the searches using it and its warming are done.
func (g *generation) close() error {
	close(g.stopWarm)
	<-g.warmed
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	return g.closeIndexes()
}

// warm fills the shards' postings caches with their commonest terms, one
// shard after the other, on one core, leaving the others to searches. A
// failure leaves the caches to fill as searches go.
func (g *generation) warm() {
	defer close(g.warmed)
	fields := make([]string, len(searchFields))
	for i, f := range searchFields {
		fields[i] = f.name
	}
	for _, sh := range g.shards {
		r, err := reader(sh.idx)
		if err != nil {
			return
		}
		err = sh.postings.warm(r, fields, g.stopWarm)
		r.Close()
		if err != nil {
			return
		}
	}
}

// closeIndexes closes what g holds open.
func (g *generation) closeIndexes() error {
	var errs []error
	if g.stats != nil {
		for _, r := range g.stats.readers {
			errs = append(errs, r.Close())
		}
	}
	for _, sh := range g.shards {
		errs = append(errs, sh.idx.Close())
	}
	return errors.Join(errs...)
}

// clauseLimit sets bleve's per-disjunction clause limit once per process.
// DisjunctionMaxClauseCount is a plain package variable of bleve's, read by
// every search; it is written here before the first index opens, never after.
var clauseLimit sync.Once

// Open opens the current generation of dir read-only, so that several
// processes can serve one index, with default Options.
func Open(dir string) (*Index, error) {
	return OpenWithOptions(dir, Options{})
}

// OpenWithOptions opens the current generation of dir read-only with opts.
func OpenWithOptions(dir string, opts Options) (*Index, error) {
	if err := registerHighlighter(); err != nil {
		return nil, err
	}
	clauseLimit.Do(func() { searcher.DisjunctionMaxClauseCount = maxClauses })
	opts = opts.withDefaults()
	g, err := openCurrent(dir, opts)
	if err != nil {
		return nil, err
	}
	x := &Index{
		dir:   dir,
		opts:  opts,
		slots: make(chan struct{}, opts.MaxConcurrent),
	}
	x.cur.Store(g)
	return x, nil
}

// openCurrent opens the generation that dir/current names, after checking
// that it is complete and in the format this code reads, and loads its rank
// table.
func openCurrent(dir string, opts Options) (*generation, error) {
	name, err := readCurrent(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name)
	var meta genMeta
	if err := readJSON(filepath.Join(path, genMetaFile), &meta); err != nil {
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	if meta.Format != formatVersion {
		return nil, fmt.Errorf("open search index %s: format %d, this lobby reads format %d; run lobby build again",
			path, meta.Format, formatVersion)
	}
	var rank rankTable
	if err := readJSON(filepath.Join(path, genRankFile), &rank); err != nil {
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	var site [][]string
	if err := readJSON(filepath.Join(path, genSynonymsFile), &site); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	var texts []string
	if err := readJSON(filepath.Join(path, genPinyinFile), &texts); err != nil {
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	g := &generation{name: name, rank: rank, sections: []string{""}, synonyms: newSynonymTable(site),
		pinyin: newPinyinIndex(texts)}
	fail := func(err error) (*generation, error) {
		g.closeIndexes()
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	secIndex := map[string]uint16{"": 0}
	var tables []*docTable
	var urls [][]string
	for i := range max(meta.Shards, 1) {
		idx, err := openReadOnly(shardPath(path, i))
		if err != nil {
			return fail(err)
		}
		g.shards = append(g.shards, &shard{idx: idx})
		t, u, err := newDocTable(idx, rank, secIndex, &g.sections)
		if err != nil {
			return fail(err)
		}
		g.shards[i].table = t
		tables, urls = append(tables, t), append(urls, u)
	}
	if err := setOrder(tables, urls); err != nil {
		return fail(err)
	}
	if len(g.shards) > 1 {
		if g.stats, err = newCorpusStats(g.shards); err != nil {
			return fail(err)
		}
	}
	for _, sh := range g.shards {
		sh.postings = newPostingsCache(opts.cacheBytes/len(g.shards), opts.cacheMinDocs)
	}
	g.stopWarm, g.warmed = make(chan struct{}), make(chan struct{})
	go g.warm()
	return g, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

// Generation returns the name of the generation being served.
func (x *Index) Generation() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if g := x.cur.Load(); g != nil {
		return g.name
	}
	return ""
}

// Reload opens the generation dir/current names now, if it is not the one
// being served, and swaps it in: searches already running finish on the old
// generation, later ones see only the new one, and the old one is closed.
// On error the old generation keeps serving.
func (x *Index) Reload() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return ErrClosed
	}
	name, err := readCurrent(x.dir)
	if err != nil {
		return err
	}
	if name == x.cur.Load().name {
		return nil
	}
	g, err := openCurrent(x.dir, x.opts)
	if err != nil {
		return err
	}
	old := x.cur.Swap(g)
	if err := old.close(); err != nil { // waits for searches using it
		return fmt.Errorf("close search index generation: %w", err)
	}
	return nil
}

// Close stops serving and releases the index; searches after it fail with
// ErrClosed.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	if err := x.cur.Swap(nil).close(); err != nil { // waits for running searches
		return fmt.Errorf("close search index: %w", err)
	}
	return nil
}

// acquire takes a search slot, waiting at most QueueWait.
func (x *Index) acquire(ctx context.Context) (release func(), err error) {
	select {
	case x.slots <- struct{}{}:
		return func() { <-x.slots }, nil
	default:
	}
	if x.opts.QueueWait < 0 {
		return nil, ErrOverloaded
	}
	t := time.NewTimer(x.opts.QueueWait)
	defer t.Stop()
	select {
	case x.slots <- struct{}{}:
		return func() { <-x.slots }, nil
	case <-t.C:
		return nil, ErrOverloaded
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
	}
}

// searchError converts an error of bleve's into one of the package's.
func searchError(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
	case errors.Is(err, bleve.ErrorIndexClosed):
		return fmt.Errorf("%w: %w", ErrClosed, err)
	default:
		return fmt.Errorf("search: %w", err)
	}
}
