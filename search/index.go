package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	return o
}

// Index serves searches from the current generation of an index directory.
// It is safe for concurrent use; Reload swaps in a new generation while
// searches run.
type Index struct {
	dir   string
	opts  Options
	alias bleve.IndexAlias
	slots chan struct{}

	// rank is the rank table of the served generation. A query takes it
	// when it is built; during a swap a query may pair the new generation
	// with the old table, which only leaves new pages unadjusted once.
	rank atomic.Pointer[rankTable]

	mu     sync.Mutex // serialises Reload and Close
	cur    bleve.Index
	gen    string
	closed bool
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
	gen, idx, rank, err := openCurrent(dir)
	if err != nil {
		return nil, err
	}
	x := &Index{
		dir:   dir,
		opts:  opts,
		alias: bleve.NewIndexAlias(idx),
		slots: make(chan struct{}, opts.MaxConcurrent),
		cur:   idx,
		gen:   gen,
	}
	x.rank.Store(&rank)
	return x, nil
}

// openCurrent opens the generation that dir/current names, after checking
// that it is complete and in the format this code reads, and loads its rank
// table.
func openCurrent(dir string) (string, bleve.Index, rankTable, error) {
	gen, err := readCurrent(dir)
	if err != nil {
		return "", nil, nil, err
	}
	path := filepath.Join(dir, gen)
	var meta genMeta
	if err := readJSON(filepath.Join(path, genMetaFile), &meta); err != nil {
		return "", nil, nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	if meta.Format != formatVersion {
		return "", nil, nil, fmt.Errorf("open search index %s: format %d, this lobby reads format %d; run lobby build again",
			path, meta.Format, formatVersion)
	}
	var rank rankTable
	if err := readJSON(filepath.Join(path, genRankFile), &rank); err != nil {
		return "", nil, nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	idx, err := openReadOnly(path)
	if err != nil {
		return "", nil, nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	return gen, idx, rank, nil
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
	return x.gen
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
	gen, err := readCurrent(x.dir)
	if err != nil {
		return err
	}
	if gen == x.gen {
		return nil
	}
	_, idx, rank, err := openCurrent(x.dir)
	if err != nil {
		return err
	}
	// Swap waits for searches holding the alias to finish, so nothing uses
	// the old index once it returns.
	x.alias.Swap([]bleve.Index{idx}, []bleve.Index{x.cur})
	x.rank.Store(&rank)
	old := x.cur
	x.cur, x.gen = idx, gen
	if err := old.Close(); err != nil {
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
	err := x.alias.Close() // waits for running searches
	if cerr := x.cur.Close(); err == nil {
		err = cerr
	}
	if err != nil {
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
	case errors.Is(err, bleve.ErrorIndexClosed), errors.Is(err, bleve.ErrorAliasEmpty):
		return fmt.Errorf("%w: %w", ErrClosed, err)
	default:
		return fmt.Errorf("search: %w", err)
	}
}
