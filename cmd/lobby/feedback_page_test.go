package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

// fillStore stores n open cases in the feedback store of the site in dir,
// a second apart, many at once so that their commits are grouped.
func fillStore(tb testing.TB, dir string, n int) {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, ".lobby", "feedback.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2024, 1, 10, 1, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s := feedback.Submission{Category: feedback.CategoryRepair, Name: "业主" + strconv.Itoa(i), Unit: strconv.Itoa(i%3000) + "室",
				Message: "第" + strconv.Itoa(i) + "件：楼道灯不亮，电梯异响，请尽快派人查看维修。", Consent: true}
			if err := s.Validate(); err != nil {
				tb.Error(err)
				return
			}
			if _, _, err := db.Create(context.Background(), feedback.NewCase(s, t0.Add(time.Duration(i)*time.Second))); err != nil {
				tb.Error(err)
			}
		})
	}
	wg.Wait()
}

var nextHint = regexp.MustCompile(`(\d+) cases shown; for the next page, add --after (\S+) `)

func TestFeedbackListPaginated(t *testing.T) {
	dir := newSite(t)
	fillStore(t, dir, 60)

	out, stderr, err := runLobby(t, "feedback", "list", "--format", "json", "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	var first []feedback.Case
	if err := json.Unmarshal([]byte(out), &first); err != nil || len(first) != feedback.DefaultPageSize {
		t.Fatalf("first page: %d cases, %v; want %d", len(first), err, feedback.DefaultPageSize)
	}
	m := nextHint.FindStringSubmatch(stderr)
	if m == nil || m[1] != "50" {
		t.Fatalf("stderr %q, want the next page's cursor", stderr)
	}
	out, stderr, err = runLobby(t, "feedback", "list", "--format", "json", "--after", m[2], "--source", dir)
	var second []feedback.Case
	if err != nil || json.Unmarshal([]byte(out), &second) != nil || len(second) != 10 || stderr != "" {
		t.Fatalf("second page: %d cases, err %v, stderr %q; want 10 and no hint", len(second), err, stderr)
	}
	if second[0].Ref == first[49].Ref || !second[0].CreatedAt.After(first[49].CreatedAt) {
		t.Error("the second page does not follow the first")
	}

	out, stderr, err = runLobby(t, "feedback", "list", "--all", "--source", dir)
	if n := strings.Count(out, "\n"); err != nil || n != 61 || stderr != "" {
		t.Errorf("--all: %d lines, err %v, stderr %q; want a header and 60 cases", n, err, stderr)
	}
	out, _, err = runLobby(t, "feedback", "list", "--limit", "500", "--source", dir)
	if n := strings.Count(out, "\n"); err != nil || n != 61 {
		t.Errorf("--limit 500: %d lines, err %v", n, err)
	}
	for _, bad := range [][]string{{"--limit", "501"}, {"--limit", "0"}, {"--after", "x"}, {"--all", "--limit", "10"}} {
		if _, _, err := runLobby(t, append([]string{"feedback", "list", "--source", dir}, bad...)...); err == nil {
			t.Errorf("list %v succeeded", bad)
		}
	}
}

// BenchmarkFeedbackListFirstPage100k measures lobby feedback list (its
// first page, as a table and as JSON) over 100,000 open cases.
func BenchmarkFeedbackListFirstPage100k(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := run(context.Background(), []string{"init", dir}, &strings.Builder{}, &strings.Builder{}); err != nil {
		b.Fatal(err)
	}
	fillStore(b, dir, 100_000)
	for _, format := range []string{"table", "json"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				var out, errOut strings.Builder
				if err := run(context.Background(), []string{"feedback", "list", "--format", format, "--source", dir}, &out, &errOut); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
