package search

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/site"
)

// judgedGoal is the share of judged queries whose wanted page must be among
// the first judgedDepth results: a change that loses ground fails. Raise
// it as search gets better, never lower it to pass.
const (
	judgedGoal  = 0.95
	judgedDepth = 3
)

// judgedQuery is one line of testdata/judged.tsv: a query as a resident
// types it and the pages that answer it.
type judgedQuery struct {
	line  int
	kind  string
	q     string
	wants []string
}

// readJudged reads the judged queries: kind, query and the wanted URLs,
// separated by tabs, the URLs by spaces; # starts a comment line.
func readJudged(t testing.TB, path string) []judgedQuery {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []judgedQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("%s:%d: want kind, query and URLs separated by tabs", path, n)
		}
		out = append(out, judgedQuery{line: n, kind: parts[0], q: parts[1], wants: strings.Fields(parts[2])})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// demoDocs are the search documents of the demo site, made as lobby build
// makes them.
func demoDocs(t testing.TB) []Doc {
	t.Helper()
	s, err := site.Load(lobby.Demo(), lobby.Theme(), site.Options{})
	if err != nil {
		t.Fatalf("load the demo: %v", err)
	}
	return SiteDocs(s)
}

// TestJudgedQueries runs the judged resident queries against the demo site
// and reports, by kind and overall, the share whose wanted page is in the
// top judgedDepth (recall@3) and the mean reciprocal rank of the first
// wanted page in the first ten (MRR).
func TestJudgedQueries(t *testing.T) {
	docs := demoDocs(t)
	known := map[string]bool{}
	for _, d := range docs {
		known[d.URL] = true
	}
	judged := readJudged(t, filepath.Join("testdata", "judged.tsv"))
	if len(judged) < 80 {
		t.Errorf("%d judged queries, want at least 80", len(judged))
	}
	// The demo's dates lie around the turn of 2026 and 2027.
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	x := openDocs(t, docs, Options{Now: func() time.Time { return now }})

	type tally struct {
		n, hit int
		rr     float64
	}
	kinds := map[string]*tally{}
	var all tally
	var misses []string
	for _, jq := range judged {
		for _, w := range jq.wants {
			if !known[w] {
				t.Errorf("judged.tsv:%d: %s is no page of the demo", jq.line, w)
			}
		}
		res, err := x.Search(context.Background(), Request{Q: jq.q, Limit: 10})
		if err != nil {
			t.Fatalf("judged.tsv:%d: Search(%q): %v", jq.line, jq.q, err)
		}
		rank := 0
		for i, h := range res.Hits {
			if slices.Contains(jq.wants, h.URL) {
				rank = i + 1
				break
			}
		}
		k := kinds[jq.kind]
		if k == nil {
			k = &tally{}
			kinds[jq.kind] = k
		}
		for _, tl := range []*tally{k, &all} {
			tl.n++
			if rank > 0 && rank <= judgedDepth {
				tl.hit++
			}
			if rank > 0 {
				tl.rr += 1 / float64(rank)
			}
		}
		if rank == 0 || rank > judgedDepth {
			top := urls(res.Hits)
			if len(top) > judgedDepth {
				top = top[:judgedDepth]
			}
			misses = append(misses, fmt.Sprintf("  %-8s %-16q rank %d, top %v", jq.kind, jq.q, rank, top))
		}
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		tl := kinds[k]
		t.Logf("%-8s %3d queries  recall@%d %.3f  MRR %.3f", k, tl.n, judgedDepth, float64(tl.hit)/float64(tl.n), tl.rr/float64(tl.n))
	}
	recall := float64(all.hit) / float64(all.n)
	t.Logf("%-8s %3d queries  recall@%d %.3f  MRR %.3f", "all", all.n, judgedDepth, recall, all.rr/float64(all.n))
	if len(misses) > 0 {
		t.Logf("wanted page not in the top %d:\n%s", judgedDepth, strings.Join(misses, "\n"))
	}
	if recall < judgedGoal {
		t.Errorf("recall@%d %.3f, want at least %.2f", judgedDepth, recall, judgedGoal)
	}
}

// TestJudgedURLs lists the demo's pages, for writing judged queries.
func TestJudgedURLs(t *testing.T) {
	if os.Getenv("LOBBY_JUDGED_URLS") == "" {
		t.Skip("set LOBBY_JUDGED_URLS=1 to list the demo's pages")
	}
	for _, d := range demoDocs(t) {
		t.Logf("%s\t%s\t%v", d.URL, d.Title, d.Tags)
	}
}
