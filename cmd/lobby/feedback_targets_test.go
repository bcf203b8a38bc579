package main

import (
	"slices"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/site"
)

// site checks [feedback.targets] without importing feedback: its list of
// categories must be feedback's.
func TestTargetCategoriesAreFeedbacks(t *testing.T) {
	var want []string
	for _, c := range feedback.Categories() {
		want = append(want, string(c))
	}
	if !slices.Equal(site.FeedbackCategories, want) {
		t.Errorf("site.FeedbackCategories = %v, want %v", site.FeedbackCategories, want)
	}
}

func TestServiceTargetsReachTheFeedbackConfig(t *testing.T) {
	sc, err := site.ParseConfig([]byte(`title = "x"
baseURL = "https://example.org/"
[feedback.targets]
repair = { respond = "4h", resolve = "2天" }
complaint = { respond = "24h" }
`))
	if err != nil {
		t.Fatal(err)
	}
	cfg := feedbackConfig(sc, nil)
	want := feedback.Targets{
		feedback.CategoryRepair:    {Respond: 4 * time.Hour, Resolve: 48 * time.Hour},
		feedback.CategoryComplaint: {Respond: 24 * time.Hour},
	}
	if len(cfg.Targets) != len(want) || cfg.Targets[feedback.CategoryRepair] != want[feedback.CategoryRepair] ||
		cfg.Targets[feedback.CategoryComplaint] != want[feedback.CategoryComplaint] {
		t.Errorf("Targets = %v, want %v", cfg.Targets, want)
	}
}
