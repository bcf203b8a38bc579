package search

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// docTable holds what scoring, filtering and counting need of each page of
// one shard, by document number (bleve's internal ID).
type docTable struct {
	entries []rankEntry
	section []uint16 // index into the generation's sections; 0 for none
	// order is each page's place among all the generation's pages by URL,
	// which settles ties between equal scores: the same way in every
	// build, however bleve's builder numbered the pages, and the same way
	// as bleve's own sort by score and then ID.
	order []uint32
}

// reader opens a reader of idx's current snapshot; the caller closes it.
func reader(idx bleve.Index) (index.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// docNum returns the document number of an internal ID: scorch's internal
// IDs are 8-byte big-endian numbers.
func docNum(id index.IndexInternalID) uint64 {
	if len(id) != 8 {
		return ^uint64(0)
	}
	return binary.BigEndian.Uint64(id)
}

// newDocTable reads the document numbers of every page of idx and pairs
// them with the rank table Build wrote, and returns their URLs by number
// too, for setOrder. Sections are numbered by secIndex and named in
// sections, which the shards of a generation share.
func newDocTable(idx bleve.Index, rank rankTable, secIndex map[string]uint16, sections *[]string) (*docTable, []string, error) {
	r, err := reader(idx)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, nil, err
	}
	defer ids.Close()
	t := &docTable{}
	var urls []string
	for {
		id, err := ids.Next()
		if err != nil {
			return nil, nil, err
		}
		if id == nil {
			break
		}
		n := docNum(id)
		if n > 1<<31 {
			return nil, nil, fmt.Errorf("document number %d out of range", n)
		}
		url, err := r.ExternalID(id)
		if err != nil {
			return nil, nil, err
		}
		e, ok := rank[url]
		if !ok {
			return nil, nil, fmt.Errorf("page %s missing from %s", url, genRankFile)
		}
		s, ok := secIndex[e.Section]
		if !ok {
			if len(*sections) > 1<<16-1 {
				return nil, nil, fmt.Errorf("more than %d sections", 1<<16-1)
			}
			s = uint16(len(*sections))
			secIndex[e.Section] = s
			*sections = append(*sections, e.Section)
		}
		for uint64(len(t.entries)) <= n {
			t.entries = append(t.entries, rankEntry{})
			t.section = append(t.section, 0)
			urls = append(urls, "")
		}
		t.entries[n], t.section[n], urls[n] = e, s, url
	}
	return t, urls, nil
}

// setOrder sets the order of every page of the tables, the shards of one
// generation, by URL; urls[i] are the URLs of tables[i] by page number.
func setOrder(tables []*docTable, urls [][]string) error {
	type page struct {
		shard, num int
	}
	var pages []page
	for i, t := range tables {
		for n, u := range urls[i] {
			if u != "" {
				pages = append(pages, page{i, n})
			}
		}
		t.order = make([]uint32, len(urls[i]))
	}
	if len(pages) > 1<<32-1 {
		return fmt.Errorf("%d pages: too many", len(pages))
	}
	slices.SortFunc(pages, func(a, b page) int { return strings.Compare(urls[a.shard][a.num], urls[b.shard][b.num]) })
	for i, p := range pages {
		tables[p.shard].order[p.num] = uint32(i)
	}
	return nil
}

// internalID returns the internal ID of document number n.
func internalID(n uint64) index.IndexInternalID {
	return binary.BigEndian.AppendUint64(make(index.IndexInternalID, 0, 8), n)
}
