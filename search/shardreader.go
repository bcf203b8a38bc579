package search

import (
	"context"
	"fmt"

	index "github.com/blevesearch/bleve_index_api"
)

// reader returns the reader a search of shard i of g goes through: it
// reads common terms from the shard's postings cache, and for a generation
// of several shards answers with their statistics (corpusStats). A nil g
// gives r itself.
func (g *generation) reader(r index.IndexReader, i int) index.IndexReader {
	if g == nil {
		return r
	}
	return g.shardReader(r, i)
}

// shardReader returns r, the reader of shard i, as a search of g sees it.
func (g *generation) shardReader(r index.IndexReader, i int) shardReader {
	return shardReader{IndexReader: r, postings: g.shards[i].postings, stats: g.stats, shard: i}
}

// shardReader is the reader of one shard of a generation (generation.reader).
type shardReader struct {
	index.IndexReader // of shard
	postings          *postingsCache
	stats             *corpusStats // nil for a generation of one shard
	shard             int
}

func (r shardReader) DocCount() (uint64, error) {
	if r.stats == nil {
		return r.IndexReader.DocCount()
	}
	return r.stats.docs, nil
}

// FieldCardinality is bleve's BM25Reader's: the size of field's dictionary.
func (r shardReader) FieldCardinality(field string) (int, error) {
	if r.stats == nil {
		br, ok := r.IndexReader.(index.BM25Reader)
		if !ok {
			return 0, fmt.Errorf("search: %T has no field cardinality", r.IndexReader)
		}
		return br.FieldCardinality(field)
	}
	return r.stats.terms[field], nil
}

func (r shardReader) TermFieldReader(ctx context.Context, term []byte, field string,
	includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	tfr, err := r.postings.reader(ctx, r.IndexReader, term, field, includeFreq, includeNorm, includeTermVectors)
	if err != nil || r.stats == nil {
		return tfr, err
	}
	count, err := r.stats.docFreq(ctx, term, field)
	if err != nil {
		tfr.Close()
		return nil, err
	}
	return countedTermReader{TermFieldReader: tfr, count: count}, nil
}

// countedTermReader reports count as the number of pages holding its term.
type countedTermReader struct {
	index.TermFieldReader
	count uint64
}

func (r countedTermReader) Count() uint64 { return r.count }
