package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The caller leaves out drafts and feedback; Build must index exactly the
// documents it is given and no field the mapping does not name.
func TestBuildIndexesOnlyWhatItIsGiven(t *testing.T) {
	docs := fixtureDocs()
	withheld := []Doc{
		{URL: "/notices/draft/", Title: "草稿：涨价方案", Body: "尚未公开的涨价方案 confidentialdraft"},
		{URL: "/feedback/123/", Title: "投诉", Body: "我家楼上漏水 1380000 confidentialfeedback"},
	}
	x := openDocs(t, docs, Options{})
	n, err := x.cur.Load().shards[0].idx.DocCount()
	if err != nil || n != uint64(len(docs)) {
		t.Fatalf("DocCount = %d, %v; want %d", n, err, len(docs))
	}
	for _, q := range []string{"confidentialdraft", "confidentialfeedback", "涨价方案", "楼上漏水"} {
		res, err := x.Search(context.Background(), Request{Q: q})
		if err != nil || res.Total != 0 {
			t.Errorf("Search(%q) = %v, %v; want nothing (withheld: %d docs)", q, res, err, len(withheld))
		}
	}
	fields, err := x.cur.Load().shards[0].idx.Fields()
	if err != nil {
		t.Fatal(err)
	}
	known := []string{fieldTitle, fieldTitleChars, fieldBody, fieldBodyChars, fieldSummary, fieldSummaryShown, fieldExtra, fieldTags, fieldTag, fieldSection,
		fieldDate, fieldDateStr, fieldExpired, fieldURL, "_id", "_all"}
	for _, f := range fields {
		if !slices.Contains(known, f) {
			t.Errorf("index has unmapped field %q", f)
		}
	}
}

// An empty site builds an empty index, by either method, that answers with
// no hits.
func TestBuildEmpty(t *testing.T) {
	for _, m := range []buildMethod{viaBatches, viaBuilder} {
		dir := t.TempDir()
		if err := build(context.Background(), dir, nil, nil, m, 1); err != nil {
			t.Fatalf("method %d: %v", m, err)
		}
		x, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Search(context.Background(), Request{Q: "停水"})
		x.Close()
		if err != nil || res.Total != 0 {
			t.Errorf("method %d: %v, %v", m, res, err)
		}
	}
}

// Both build methods, cancelled at the start and after a batch, return the
// cancellation and leave nothing behind.
func TestBuildCancelled(t *testing.T) {
	docs := make([]Doc, batchSize+10)
	for i := range docs {
		docs[i] = Doc{URL: fmt.Sprintf("/p/%d/", i), Title: "电梯维修", Body: "电梯维修 lift repair"}
	}
	for _, m := range []buildMethod{viaBatches, viaBuilder} {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := build(ctx, dir, docs, nil, m, 2); !errors.Is(err, context.Canceled) {
			t.Errorf("method %d, cancelled first: err = %v", m, err)
		}
		if gens := generations(t, dir); len(gens) != 0 {
			t.Errorf("method %d: left %v", m, gens)
		}

		ctx = &cancelLater{Context: context.Background(), after: 1}
		if err := build(ctx, dir, docs, nil, m, 2); !errors.Is(err, context.Canceled) {
			t.Errorf("method %d, cancelled after a batch: err = %v", m, err)
		}
		if gens := generations(t, dir); len(gens) != 0 {
			t.Errorf("method %d: left %v", m, gens)
		}
	}
}

// cancelLater is a context whose Err reports cancellation from its
// (after+1)th call on: a build cancelled part way through.
type cancelLater struct {
	context.Context
	after int64
	calls atomic.Int64 // shards are built at once
}

func (c *cancelLater) Err() error {
	if c.calls.Add(1) > c.after {
		return context.Canceled
	}
	return nil
}

func TestBuildRejectsBadDocs(t *testing.T) {
	dir := t.TempDir()
	for name, docs := range map[string][]Doc{
		"no URL":        {{Title: "x"}},
		"duplicate URL": {{URL: "/a/", Title: "a"}, {URL: "/a/", Title: "b"}},
	} {
		if err := Build(context.Background(), dir, docs, nil); err == nil {
			t.Errorf("%s: Build succeeded", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, currentFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed build left %s: %v", currentFile, err)
	}
}

func TestBuildCancelledKeepsCurrent(t *testing.T) {
	dir := t.TempDir()
	if err := Build(context.Background(), dir, fixtureDocs(), nil); err != nil {
		t.Fatal(err)
	}
	before, _ := readCurrent(dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Build(ctx, dir, fixtureDocs(), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Build: err = %v", err)
	}
	after, _ := readCurrent(dir)
	if before != after {
		t.Errorf("current moved from %s to %s on a cancelled build", before, after)
	}
	if gens := generations(t, dir); len(gens) != 1 {
		t.Errorf("generations after a cancelled build: %v, want only %s", gens, before)
	}
}

func generations(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), genPrefix) {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestBuildKeepsCurrentAndPreviousGenerations(t *testing.T) {
	dir := t.TempDir()
	var built []string
	for i := range 4 {
		if err := Build(context.Background(), dir, fixtureDocs()[:5+i], nil); err != nil {
			t.Fatal(err)
		}
		cur, err := readCurrent(dir)
		if err != nil {
			t.Fatal(err)
		}
		built = append(built, cur)
	}
	gens := generations(t, dir)
	want := built[2:]
	if !slices.Equal(gens, want) {
		t.Errorf("generations = %v, want %v (current and previous)", gens, want)
	}

	// A young incomplete generation may be another build in progress: kept.
	// An old one is an abandoned build: removed.
	young := filepath.Join(dir, genPrefix+"young")
	old := filepath.Join(dir, genPrefix+"old")
	for _, p := range []string{young, old} {
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * abandonedAfter)
	os.Chtimes(old, long, long)
	if err := Build(context.Background(), dir, fixtureDocs(), nil); err != nil {
		t.Fatal(err)
	}
	gens = generations(t, dir)
	if !slices.Contains(gens, genPrefix+"young") || slices.Contains(gens, genPrefix+"old") {
		t.Errorf("generations = %v: want young kept, old removed", gens)
	}
}

func TestOpenWithoutIndex(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNoIndex) {
		t.Fatalf("err = %v, want ErrNoIndex", err)
	}
}

func TestOpenRefusesOtherFormat(t *testing.T) {
	dir := t.TempDir()
	if err := Build(context.Background(), dir, fixtureDocs(), nil); err != nil {
		t.Fatal(err)
	}
	gen, _ := readCurrent(dir)
	os.WriteFile(filepath.Join(dir, gen, genMetaFile), []byte(`{"format":999}`), 0o644)
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "format 999") {
		t.Fatalf("err = %v, want a format error", err)
	}
}

func TestOpenRejectsBadPointer(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, currentFile), []byte("../../etc\n"), 0o644)
	if _, err := Open(dir); err == nil {
		t.Fatal("Open followed a pointer outside the index directory")
	}
}

// Several read-only opens of one generation coexist, as several
// `lobby serve --no-build` processes do, here of two shards.
func TestReadOnlyOpensShareOneIndex(t *testing.T) {
	dir := t.TempDir()
	if err := build(context.Background(), dir, fixtureDocs(), nil, defaultBuildMethod, 2); err != nil {
		t.Fatal(err)
	}
	var xs []*Index
	for range 3 {
		x, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		xs = append(xs, x)
	}
	for _, x := range xs {
		res, err := x.Search(context.Background(), Request{Q: "停水"})
		if err != nil || res.Total == 0 {
			t.Fatalf("Search = %v, %v", res, err)
		}
	}
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	if err := Build(context.Background(), dir, fixtureDocs(), nil); err != nil {
		t.Fatal(err)
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	first := x.Generation()
	if err := x.Reload(); err != nil || x.Generation() != first {
		t.Fatalf("Reload without a new build: %v, generation %s → %s", err, first, x.Generation())
	}

	docs := append(fixtureDocs(), Doc{URL: "/notices/new/", Title: "新通知：游泳池开放", Body: "游泳池六月开放。"})
	if err := Build(context.Background(), dir, docs, nil); err != nil {
		t.Fatal(err)
	}
	res, _ := x.Search(context.Background(), Request{Q: "游泳池"})
	if res.Total != 0 {
		t.Fatalf("new page visible before Reload")
	}
	if err := x.Reload(); err != nil {
		t.Fatal(err)
	}
	if x.Generation() == first {
		t.Fatal("generation unchanged after Reload")
	}
	res, err = x.Search(context.Background(), Request{Q: "游泳池"})
	if err != nil || res.Total != 1 {
		t.Fatalf("after Reload: %v, %v; want the new page", res, err)
	}

	x.Close()
	if err := x.Reload(); !errors.Is(err, ErrClosed) {
		t.Errorf("Reload after Close: %v, want ErrClosed", err)
	}
	if _, err := x.Search(context.Background(), Request{Q: "游泳池"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
}

// A server keeps answering from a generation a later build deleted.
func TestOpenGenerationSurvivesRemoval(t *testing.T) {
	dir := t.TempDir()
	if err := Build(context.Background(), dir, fixtureDocs(), nil); err != nil {
		t.Fatal(err)
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := os.RemoveAll(filepath.Join(dir, x.Generation())); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), Request{Q: "停水"})
	if err != nil || res.Total == 0 {
		t.Fatalf("after rm -rf of the served generation: %v, %v", res, err)
	}
}

// The builder, fed documents analysed ahead on every core, makes
// the index that bleve's own batches make: the same pages, in the same
// order, with the same snippets and counts, for words and phrases in both
// languages and a single character.
func TestBuildMethodsAgree(t *testing.T) {
	docs := append(fixtureDocs(), syntheticDocs(300)...)
	var idx [2]*Index
	for i, m := range []buildMethod{viaBatches, viaBuilder} {
		dir := t.TempDir()
		if err := build(context.Background(), dir, docs, nil, m, 1); err != nil {
			t.Fatalf("method %d: %v", m, err)
		}
		x, err := OpenWithOptions(dir, Options{Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		idx[i] = x
	}
	for _, q := range append(benchQueries, "停水", `"bike storage"`, "停车位", "水", "xylophone") {
		var res [2]*Result
		for i, x := range idx {
			r, err := x.Search(context.Background(), Request{Q: q, Limit: 50})
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			r.TookMS = 0
			res[i] = r
		}
		if !reflect.DeepEqual(res[0], res[1]) {
			t.Errorf("Search(%q): batches gave %d hits %v, the builder %d hits %v", q, res[0].Total, urls(res[0].Hits), res[1].Total, urls(res[1].Hits))
		}
	}
}

// A summary the site cut from the body is shown, not searched: its words
// are the body's. A summary written for the page is searched.
func TestSummaryFromBodyIsShownNotSearched(t *testing.T) {
	x := openDocs(t, []Doc{
		{URL: "/a/", Title: "电梯年检 liftcheck", Summary: "电梯年检安排：木琴", SummaryFromBody: true, Body: "电梯年检在周六。"},
		{URL: "/b/", Title: "石英", Summary: "石英摘要 quartzword", Body: "正文。"},
	}, Options{})
	for q, want := range map[string][]string{
		"木琴":         nil, // only in the cut summary
		"quartzword": {"/b/"},
		"liftcheck":  {"/a/"},
	} {
		res, err := x.Search(context.Background(), Request{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(res.Hits); !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
		if q == "liftcheck" && len(res.Hits) == 1 && res.Hits[0].Snippet != "电梯年检安排：木琴" {
			t.Errorf("Search(%q): snippet %q, want the summary", q, res.Hits[0].Snippet)
		}
	}
}
