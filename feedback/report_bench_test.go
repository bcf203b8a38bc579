package feedback_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

// benchCases makes n cases sent over October and November 2026, most
// responded to and resolved, a third of the resolved rated.
func benchCases(n int) []*feedback.Case {
	rng := rand.New(rand.NewPCG(1, 2))
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai)
	var out []*feedback.Case
	for range n {
		sent := from.Add(time.Duration(rng.Int64N(61*24*3600)) * time.Second)
		steps := []step{{time.Duration(1+rng.IntN(48*3600)) * time.Second, feedback.StatusInProgress, ""}}
		if rng.IntN(4) > 0 {
			steps = append(steps, step{steps[0].after + time.Duration(rng.IntN(96*3600))*time.Second, feedback.StatusResolved, ""})
			if rng.IntN(3) == 0 {
				steps = append(steps, step{steps[1].after + time.Hour, feedback.StatusFollowedUp, feedback.Verdicts()[rng.IntN(3)]})
			}
		}
		out = append(out, madeCase(feedback.Categories()[rng.IntN(5)], sent, steps...))
	}
	return out
}

var benchOptions = feedback.ReportOptions{Month: feedback.Month{Year: 2026, Month: time.November}, Location: shanghai,
	AsOf: time.Date(2026, 12, 7, 10, 0, 0, 0, shanghai), Targets: repairTargets}

// BenchmarkBuildReport10k is the report's arithmetic alone, over 10,000
// cases in memory.
func BenchmarkBuildReport10k(b *testing.B) {
	cases := benchCases(10000)
	for b.Loop() {
		if _, err := feedback.BuildReport(cases, benchOptions); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMonthReportSQLite10k is the report as the staff page makes it:
// reading two months' cases, with their histories, from a SQLite store of
// 10,000 cases, then the arithmetic.
func BenchmarkMonthReportSQLite10k(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "feedback.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, c := range benchCases(10000) {
		s := feedback.Submission{Category: c.Category, Message: "月报基准", Consent: true}
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
		stored, _, err := db.Create(ctx, feedback.NewCase(s, c.CreatedAt))
		if err != nil {
			b.Fatal(err)
		}
		for _, ev := range c.History[1:] {
			ch := feedback.Change{Status: ev.Status}
			if ev.Verdict != "" {
				ch = feedback.Change{Verdict: ev.Verdict, Via: feedback.ViaPhone}
			}
			if _, err := db.Update(ctx, stored.Ref, ch, ev.At); err != nil {
				b.Fatal(err)
			}
		}
	}
	for b.Loop() {
		if _, err := feedback.MonthReport(ctx, db, benchOptions); err != nil {
			b.Fatal(err)
		}
	}
}
