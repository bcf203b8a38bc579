package search

import (
	"context"
	"sync"
	"sync/atomic"

	index "github.com/blevesearch/bleve_index_api"
)

// corpusStats gives the search of one shard the page count, the document
// frequencies and the dictionary sizes of the whole generation, so that a
// word weighs what it would in one index: BM25 weighs a word by how few
// pages hold it and a field's length against an average (which bleve takes
// from the size of the field's dictionary), and with each shard's own
// counts, the same page would score differently in another shard.
type corpusStats struct {
	docs    uint64
	readers []index.IndexReader // one per shard, open for the generation's life
	// terms is the number of distinct terms of each field over all shards,
	// which bleve's BM25 takes for the field's length (FieldCardinality).
	terms map[string]int

	// freqs caches docFreq's answers by postingsKey, up to maxCachedFreqs.
	freqs  sync.Map
	nFreqs atomic.Int64
}

// maxCachedFreqs bounds corpusStats.freqs: about 100 bytes each.
const maxCachedFreqs = 1 << 16

// docFreq returns the number of pages of all shards that hold term in
// field. Asking each shard costs a dictionary lookup and a reader per
// shard, for every term of every search; the counts never change.
func (c *corpusStats) docFreq(ctx context.Context, term []byte, field string) (uint64, error) {
	key := postingsKey{field, string(term)}
	if n, ok := c.freqs.Load(key); ok {
		return n.(uint64), nil
	}
	var n uint64
	for _, r := range c.readers {
		tfr, err := r.TermFieldReader(ctx, term, field, false, false, false)
		if err != nil {
			return 0, err
		}
		n += tfr.Count()
		if err := tfr.Close(); err != nil {
			return 0, err
		}
	}
	if c.nFreqs.Add(1) <= maxCachedFreqs {
		c.freqs.Store(key, n)
	}
	return n, nil
}

func newCorpusStats(shards []*shard) (*corpusStats, error) {
	c := &corpusStats{terms: map[string]int{}}
	for _, sh := range shards {
		r, err := reader(sh.idx)
		if err != nil {
			return nil, err
		}
		c.readers = append(c.readers, r)
		n, err := r.DocCount()
		if err != nil {
			return nil, err
		}
		c.docs += n
	}
	fields, err := shards[0].idx.Fields()
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		if c.terms[f], err = distinctTerms(c.readers, f); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// distinctTerms counts the terms of field in the union of the readers'
// dictionaries.
func distinctTerms(readers []index.IndexReader, field string) (int, error) {
	seen := map[string]struct{}{}
	for _, r := range readers {
		d, err := r.FieldDict(field)
		if err != nil {
			return 0, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return 0, err
			}
			if e == nil {
				break
			}
			seen[e.Term] = struct{}{}
		}
		if err := d.Close(); err != nil {
			return 0, err
		}
	}
	return len(seen), nil
}
