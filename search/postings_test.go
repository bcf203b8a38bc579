package search

import (
	"context"
	"fmt"
	"strings"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

// readAll describes every page a reader gives, from Next or from one
// Advance: ID, frequency, norm and positions.
func readAll(t *testing.T, tfr index.TermFieldReader, advanceTo uint64) string {
	t.Helper()
	var b strings.Builder
	var tfd index.TermFieldDoc
	d, err := tfr.Advance(internalID(advanceTo), tfd.Reset())
	for ; d != nil && err == nil; d, err = tfr.Next(tfd.Reset()) {
		fmt.Fprintf(&b, "%d f%d n%v", docNum(d.ID), d.Freq, d.Norm)
		for _, v := range d.Vectors {
			fmt.Fprintf(&b, " %s@%d[%d:%d]%v", v.Field, v.Pos, v.Start, v.End, v.ArrayPositions)
		}
		b.WriteByte('\n')
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A term read from the postings cache reads as from the index: the same
// pages with the same frequencies, norms and positions, from the start or
// from any page moved to, forwards and backwards, with vectors or without;
// the first read keeps the term and later reads come from the cache.
func TestCachedPostingsReadAsTheIndex(t *testing.T) {
	x := openDocs(t, append(fixtureDocs(), syntheticDocs(200)...), Options{})
	r := openReader(t, x.cur.Load().shards[0])
	n, _ := r.DocCount()
	c := newPostingsCache(1<<30, 1)
	ctx := context.Background()
	for _, tc := range []struct {
		field, term string
		kept        bool
	}{
		{fieldBody, "电梯", true}, {fieldBody, "停水", true}, {fieldBody, "park", true},
		{fieldTitle, "电梯", true}, {fieldExtra, "花园", true}, {fieldTitleChars, "水", true},
		{fieldTags, "park", true}, {fieldBody, "xylophone", false},
	} {
		for _, vectors := range []bool{true, false} {
			for round := range 2 {
				for _, from := range []uint64{0, n / 3, n / 2, n / 3, n - 1, n + 5, 0} {
					want, err := r.TermFieldReader(ctx, []byte(tc.term), tc.field, vectors, vectors, vectors)
					if err != nil {
						t.Fatal(err)
					}
					got, err := c.reader(ctx, r, []byte(tc.term), tc.field, vectors, vectors, vectors)
					if err != nil {
						t.Fatal(err)
					}
					w, g := readAll(t, want, from), readAll(t, got, from)
					if tc.kept && from == 0 && w == "" {
						t.Fatalf("%s:%s: no page holds it", tc.field, tc.term)
					}
					if g != w {
						t.Errorf("%s:%s, vectors %v, round %d, from page %d:\ncache:\n%sindex:\n%s",
							tc.field, tc.term, vectors, round, from, g, w)
					}
					if got.Count() != want.Count() {
						t.Errorf("%s:%s: Count %d, want %d", tc.field, tc.term, got.Count(), want.Count())
					}
					want.Close()
					got.Close()
				}
			}
		}
		_, kept := c.lists[postingsKey{tc.field, tc.term}]
		if kept != tc.kept {
			t.Errorf("%s:%s kept %v, want %v", tc.field, tc.term, kept, tc.kept)
		}
	}
}

// The cache keeps lists until its budget is spent, then no more, and a
// term below its fewest pages is not kept.
func TestPostingsCacheBudget(t *testing.T) {
	x := openDocs(t, append(fixtureDocs(), syntheticDocs(200)...), Options{})
	r := openReader(t, x.cur.Load().shards[0])
	ctx := context.Background()
	size := func(term string) int {
		tfr, err := r.TermFieldReader(ctx, []byte(term), fieldBody, true, true, true)
		if err != nil {
			t.Fatal(err)
		}
		defer tfr.Close()
		l, err := decodePostings(tfr)
		if err != nil || l == nil {
			t.Fatalf("decodePostings(%s): %v, %v", term, l, err)
		}
		return l.size()
	}
	open := func(c *postingsCache, term string) {
		tfr, err := c.reader(ctx, r, []byte(term), fieldBody, true, true, true)
		if err != nil {
			t.Fatal(err)
		}
		tfr.Close()
	}
	kept := func(c *postingsCache, term string) bool { return c.lists[postingsKey{fieldBody, term}] != nil }

	// One byte more than both: park is decoded, does not fit, and fills
	// the cache.
	c := newPostingsCache(size("电梯")+size("停水")+1, 1)
	for _, term := range []string{"电梯", "停水", "park", "电梯"} {
		open(c, term)
	}
	if !kept(c, "电梯") || !kept(c, "停水") || kept(c, "park") {
		t.Errorf("budget for 电梯 and 停水: kept %v", c.lists)
	}
	if c.budget != 0 {
		t.Errorf("budget left %d after a list that did not fit, want 0", c.budget)
	}

	tfr, err := r.TermFieldReader(ctx, []byte("park"), fieldBody, false, false, false)
	if err != nil {
		t.Fatal(err)
	}
	pages := int(tfr.Count())
	tfr.Close()
	c = newPostingsCache(1<<30, pages+1)
	open(c, "park")
	if kept(c, "park") {
		t.Errorf("park, in %d pages, kept by a cache of terms in %d or more", pages, pages+1)
	}
}

// fakeReader gives one page whose one position lies in an array.
type fakeReader struct {
	index.TermFieldReader
	done bool
}

func (r *fakeReader) Count() uint64 { return 1 }

func (r *fakeReader) Next(tfd *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	if r.done {
		return nil, nil
	}
	r.done = true
	tfd.ID = internalID(7)
	tfd.Vectors = append(tfd.Vectors, &index.TermFieldVector{Field: fieldBody, ArrayPositions: []uint64{1}})
	return tfd, nil
}

// A list does not keep array positions, so a term that has them is not
// decoded into one (lobby's mapping gives positions only to fields of one
// string).
func TestDecodePostingsRefusesArrays(t *testing.T) {
	if l, err := decodePostings(&fakeReader{}); l != nil || err != nil {
		t.Errorf("decodePostings = %v, %v; want nil, nil", l, err)
	}
}

// Opening an index warms its postings caches with the commonest terms of
// the searched fields, most pages first, before any search, up to half of
// the budget: with room for one list in that half, the one kept is of a
// term in the most pages.
func TestOpenWarmsTheCommonestTerms(t *testing.T) {
	docs := append(fixtureDocs(), syntheticDocs(200)...)
	x := openDocs(t, docs, Options{cacheMinDocs: 1})
	g := x.cur.Load()
	<-g.warmed
	c := g.shards[0].postings
	if l := c.kept(fieldBody, "电梯"); l == nil {
		t.Errorf("body:电梯 not kept after warming")
	}
	var most uint64
	r := openReader(t, g.shards[0])
	for _, f := range searchFields {
		d, err := r.FieldDict(f.name)
		if err != nil {
			t.Fatal(err)
		}
		for e, _ := d.Next(); e != nil; e, _ = d.Next() {
			most = max(most, e.Count)
		}
		d.Close()
	}
	var top *postingList
	for _, l := range c.lists {
		if top == nil || len(l.nums) > len(top.nums) {
			top = l
		}
	}

	y := openDocs(t, docs, Options{cacheMinDocs: 1, cacheBytes: 2 * top.size()})
	h := y.cur.Load()
	<-h.warmed
	lists := h.shards[0].postings.lists
	if len(lists) != 1 {
		t.Fatalf("room for one list in half the budget: %d kept", len(lists))
	}
	for k, l := range lists {
		if uint64(len(l.nums)) != most {
			t.Errorf("kept %s:%s, in %d pages; the commonest term is in %d", k.field, k.term, len(l.nums), most)
		}
	}
}
