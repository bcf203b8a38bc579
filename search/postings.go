package search

import (
	"cmp"
	"context"
	"slices"
	"sync"

	index "github.com/blevesearch/bleve_index_api"
)

// Defaults of the postings cache (Options.cacheBytes, Options.cacheMinDocs).
const (
	// defaultCacheBytes bounds the decoded postings one generation keeps.
	// BenchmarkQuery's queries keep a few MB of it at 10,000 pages, and a
	// larger budget makes no difference to it at 50,000
	// (LOBBY_BENCH_DOCS=50000).
	defaultCacheBytes = 64 << 20
	// minCachedDocs is the fewest pages a term is in for its postings to
	// be kept: a shorter list costs little to decode.
	minCachedDocs = 256
)

// postingsCache keeps the decoded postings lists of one shard's common
// terms, so that later searches read them from memory instead of decoding
// them from the index again. The index of a generation never changes, so
// nothing kept goes stale; a rebuild opens a new generation with an empty
// cache. Lists are kept until the budget is spent, and never dropped: a
// term not kept is read from the index as before.
//
// Decoding a common word's postings is the largest cost of a search of it:
// zapx reads them as varints, chunk by chunk. A CPU profile of
// BenchmarkQuery with the cache off (Options.cacheBytes) shows it in zapx's
// term field readers.
type postingsCache struct {
	minDocs uint64

	total int // bytes

	mu     sync.Mutex
	lists  map[postingsKey]*postingList
	budget int // bytes left
}

type postingsKey struct{ field, term string }

func newPostingsCache(budget, minDocs int) *postingsCache {
	return &postingsCache{lists: map[postingsKey]*postingList{}, total: budget, budget: budget, minDocs: uint64(max(minDocs, 1))}
}

// postingList is a term's postings in one field: the pages that hold it, in
// ascending order, with the term's frequency, the field's norm and the
// term's positions in each.
type postingList struct {
	nums  []uint64
	freqs []uint32
	norms []float32 // zapx's norms are float32s
	locs  []uint32  // page i's positions are pos[locs[i]:locs[i+1]]
	pos   []uint32
	start []uint32
	end   []uint32
}

func (l *postingList) size() int {
	return 8*len(l.nums) + 4*(len(l.freqs)+len(l.norms)+len(l.locs)+len(l.pos)+len(l.start)+len(l.end))
}

// reader returns a reader of term in field of r (the shard's reader), from
// the cache, or from r after keeping the term's postings if it is common
// enough and they fit.
func (c *postingsCache) reader(ctx context.Context, r index.IndexReader, term []byte, field string,
	freq, norm, vectors bool) (index.TermFieldReader, error) {
	key := postingsKey{field, string(term)}
	l := c.kept(field, key.term)
	if l != nil {
		return &cachedReader{list: l, field: field, freq: freq, norm: norm, vectors: vectors}, nil
	}
	tfr, err := r.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil || tfr.Count() < c.minDocs {
		return tfr, err
	}
	c.mu.Lock()
	fits := c.budget > 0
	c.mu.Unlock()
	if !fits {
		return tfr, nil
	}
	if err := tfr.Close(); err != nil {
		return nil, err
	}
	if tfr, err = r.TermFieldReader(ctx, term, field, true, true, true); err != nil {
		return nil, err
	}
	l, err = decodePostings(tfr)
	if cerr := tfr.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if l == nil { // positions in arrays, which a list does not keep
		return r.TermFieldReader(ctx, term, field, freq, norm, vectors)
	}
	c.mu.Lock()
	if kept := c.lists[key]; kept != nil {
		l = kept // decoded at the same time by another search
	} else if n := l.size(); n <= c.budget {
		c.lists[key] = l
		c.budget -= n
	} else {
		c.budget = 0 // full: stop decoding whole lists to keep them
	}
	c.mu.Unlock()
	return &cachedReader{list: l, field: field, freq: freq, norm: norm, vectors: vectors}, nil
}

// warm keeps the postings of r's commonest terms in fields, the most pages
// first, until half of the budget is spent or stop is closed, so that the
// first searches of common words need not decode them: they are the costly
// ones. The other half is left for the terms that searches bring.
func (c *postingsCache) warm(r index.IndexReader, fields []string, stop <-chan struct{}) error {
	type common struct {
		field, term string
		pages       uint64
	}
	var terms []common
	for _, f := range fields {
		d, err := r.FieldDict(f)
		if err != nil {
			return err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return err
			}
			if e == nil {
				break
			}
			if e.Count >= c.minDocs {
				terms = append(terms, common{f, e.Term, e.Count})
			}
		}
		if err := d.Close(); err != nil {
			return err
		}
	}
	slices.SortStableFunc(terms, func(a, b common) int { return cmp.Compare(b.pages, a.pages) })
	for _, t := range terms {
		select {
		case <-stop:
			return nil
		default:
		}
		c.mu.Lock()
		half := c.budget <= c.total/2
		c.mu.Unlock()
		if half {
			return nil
		}
		tfr, err := c.reader(context.Background(), r, []byte(t.term), t.field, false, false, false)
		if err != nil {
			return err
		}
		if err := tfr.Close(); err != nil {
			return err
		}
	}
	return nil
}

// kept returns the list kept for term in field, or nil.
func (c *postingsCache) kept(field, term string) *postingList {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lists[postingsKey{field, term}]
}

// decodePostings reads all of tfr, opened with frequencies, norms and
// vectors, or returns nil if a position lies in an array (a page's tags),
// which a postingList does not keep.
func decodePostings(tfr index.TermFieldReader) (*postingList, error) {
	n := int(tfr.Count())
	l := &postingList{
		nums:  make([]uint64, 0, n),
		freqs: make([]uint32, 0, n),
		norms: make([]float32, 0, n),
		locs:  make([]uint32, 1, n+1),
	}
	var tfd index.TermFieldDoc
	for {
		d, err := tfr.Next(tfd.Reset())
		if err != nil {
			return nil, err
		}
		if d == nil {
			break
		}
		l.nums = append(l.nums, d.ID.Value())
		l.freqs = append(l.freqs, uint32(d.Freq))
		l.norms = append(l.norms, float32(d.Norm))
		for _, v := range d.Vectors {
			if len(v.ArrayPositions) > 0 {
				return nil, nil
			}
			l.pos = append(l.pos, uint32(v.Pos))
			l.start = append(l.start, uint32(v.Start))
			l.end = append(l.end, uint32(v.End))
		}
		l.locs = append(l.locs, uint32(len(l.pos)))
	}
	l.pos, l.start, l.end = slices.Clip(l.pos), slices.Clip(l.start), slices.Clip(l.end)
	return l, nil
}

// cachedReader reads a postingList the way zapx's reader reads the index:
// it fills the TermFieldDoc it is given with what was asked for, and reuses
// its own vectors from one page to the next.
type cachedReader struct {
	list                *postingList
	field               string
	freq, norm, vectors bool
	next                int // index in list of the next page
	vecs                []index.TermFieldVector
}

func (r *cachedReader) Next(tfd *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	l, i := r.list, r.next
	if i >= len(l.nums) {
		return nil, nil
	}
	r.next++
	if tfd == nil {
		tfd = &index.TermFieldDoc{}
	}
	tfd.ID = index.NewIndexInternalID(tfd.ID, l.nums[i])
	if r.freq {
		tfd.Freq = uint64(l.freqs[i])
	}
	if r.norm {
		tfd.Norm = float64(l.norms[i])
	}
	if r.vectors {
		lo, hi := int(l.locs[i]), int(l.locs[i+1])
		if cap(r.vecs) < hi-lo {
			r.vecs = make([]index.TermFieldVector, hi-lo)
		}
		r.vecs = r.vecs[:hi-lo]
		tfd.Vectors = tfd.Vectors[:0]
		for j := range r.vecs {
			r.vecs[j] = index.TermFieldVector{Field: r.field,
				Pos: uint64(l.pos[lo+j]), Start: uint64(l.start[lo+j]), End: uint64(l.end[lo+j])}
			tfd.Vectors = append(tfd.Vectors, &r.vecs[j])
		}
	}
	return tfd, nil
}

// Advance moves to the first page at id or after it, backwards too.
func (r *cachedReader) Advance(id index.IndexInternalID, tfd *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	r.next, _ = slices.BinarySearch(r.list.nums, docNum(id))
	return r.Next(tfd)
}

func (r *cachedReader) Count() uint64 { return uint64(len(r.list.nums)) }

func (r *cachedReader) Close() error { return nil }

// Size is what bleve's memory estimate counts for the reader: the list is
// the cache's.
func (r *cachedReader) Size() int {
	return 64 + len(r.field) + cap(r.vecs)*48
}
