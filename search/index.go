package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// Defaults of Options.
const (
	DefaultMaxConcurrent = 4
	DefaultTimeout       = 2 * time.Second
	DefaultQueueWait     = 100 * time.Millisecond
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
	gen, idx, err := openCurrent(dir)
	if err != nil {
		return nil, err
	}
	return &Index{
		dir:   dir,
		opts:  opts,
		alias: bleve.NewIndexAlias(idx),
		slots: make(chan struct{}, opts.MaxConcurrent),
		cur:   idx,
		gen:   gen,
	}, nil
}

// openCurrent opens the generation that dir/current names, after checking
// that it is complete and in the format this code reads.
func openCurrent(dir string) (string, bleve.Index, error) {
	gen, err := readCurrent(dir)
	if err != nil {
		return "", nil, err
	}
	path := filepath.Join(dir, gen)
	b, err := os.ReadFile(filepath.Join(path, genMetaFile))
	if err != nil {
		return "", nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	var meta genMeta
	if err := json.Unmarshal(b, &meta); err != nil {
		return "", nil, fmt.Errorf("open search index %s: %s: %w", path, genMetaFile, err)
	}
	if meta.Format != formatVersion {
		return "", nil, fmt.Errorf("open search index %s: format %d, this lobby reads format %d; run lobby build again",
			path, meta.Format, formatVersion)
	}
	idx, err := openReadOnly(path)
	if err != nil {
		return "", nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	return gen, idx, nil
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
	_, idx, err := openCurrent(x.dir)
	if err != nil {
		return err
	}
	// Swap waits for searches holding the alias to finish, so nothing uses
	// the old index once it returns.
	x.alias.Swap([]bleve.Index{idx}, []bleve.Index{x.cur})
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
