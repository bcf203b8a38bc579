// Package surveytest is the suite that every survey.Store passes.
package surveytest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/survey"
)

// Run runs the suite against stores that open makes, a fresh empty one
// for each test (a second call within one test may give another handle on
// the same store).
func Run(t *testing.T, open func(t *testing.T) survey.Store) {
	ctx := context.Background()
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	t.Run("ReplaceBySameRespondent", func(t *testing.T) {
		st := open(t)
		r := &survey.Response{Survey: "s", Respondent: "code:a", Answers: survey.Answers{"q": {"1"}}, CreatedAt: at, UpdatedAt: at}
		replaced, retried, err := st.SaveAnswer(ctx, r)
		if err != nil || replaced || retried {
			t.Fatalf("first save: replaced=%v retried=%v err=%v", replaced, retried, err)
		}
		r2 := &survey.Response{Survey: "s", Respondent: "code:a", Answers: survey.Answers{"q": {"5"}, "t": {"好"}}, CreatedAt: at.Add(time.Hour), UpdatedAt: at.Add(time.Hour)}
		if replaced, _, err := st.SaveAnswer(ctx, r2); err != nil || !replaced {
			t.Fatalf("second save: replaced=%v err=%v", replaced, err)
		}
		other := &survey.Response{Survey: "other", Respondent: "code:a", Answers: survey.Answers{"q": {"2"}}, CreatedAt: at, UpdatedAt: at}
		if replaced, _, err := st.SaveAnswer(ctx, other); err != nil || replaced {
			t.Fatalf("another survey: replaced=%v err=%v", replaced, err)
		}
		got, err := st.Responses(ctx, "s")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0].Answers, r2.Answers) || !got[0].CreatedAt.Equal(at) || !got[0].UpdatedAt.Equal(r2.UpdatedAt) {
			t.Errorf("responses = %+v, want one with the second answers, created at the first", got)
		}
	})
	t.Run("KeyRetriedStoresOnce", func(t *testing.T) {
		st := open(t)
		r := &survey.Response{Survey: "s", Respondent: "browser:x", Key: "k1", Answers: survey.Answers{"q": {"1"}}, CreatedAt: at, UpdatedAt: at}
		if _, retried, err := st.SaveAnswer(ctx, r); err != nil || retried {
			t.Fatal(retried, err)
		}
		// A retry comes before the cookie: another respondent, same key.
		r2 := *r
		r2.Respondent = "browser:y"
		if _, retried, err := st.SaveAnswer(ctx, &r2); err != nil || !retried {
			t.Fatalf("retry: retried=%v err=%v", retried, err)
		}
		got, _ := st.Responses(ctx, "s")
		if len(got) != 1 {
			t.Errorf("%d responses, want 1", len(got))
		}
	})
	t.Run("ConcurrentAnswers", func(t *testing.T) {
		st := open(t)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Go(func() {
				r := &survey.Response{Survey: "s", Respondent: fmt.Sprintf("code:%d", i%20), Answers: survey.Answers{"q": {fmt.Sprint(i)}}, CreatedAt: at, UpdatedAt: at}
				if _, _, err := st.SaveAnswer(ctx, r); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, _ := st.Responses(ctx, "s")
		if len(got) != 20 {
			t.Errorf("%d responses, want 20 (one per respondent)", len(got))
		}
	})
	t.Run("Codes", func(t *testing.T) {
		st := open(t)
		codes := []survey.Code{{Unit: "1-101", Hash: "h1", CreatedAt: at}, {Unit: "1-102", Hash: "h2", CreatedAt: at}}
		if err := st.AddCodes(ctx, "s", codes); err != nil {
			t.Fatal(err)
		}
		if unit, err := st.CodeUnit(ctx, "s", "h2"); err != nil || unit != "1-102" {
			t.Errorf("CodeUnit(h2) = %q, %v", unit, err)
		}
		if _, err := st.CodeUnit(ctx, "s", "nope"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("unknown code: err = %v, want ErrNotFound", err)
		}
		if _, err := st.CodeUnit(ctx, "other", "h1"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("another survey's code: err = %v, want ErrNotFound", err)
		}
		if err := st.AddCodes(ctx, "s", []survey.Code{{Unit: "1-103", Hash: "h3", CreatedAt: at}, {Unit: "1-101", Hash: "h4", CreatedAt: at}}); err == nil {
			t.Error("a second code for a unit was stored")
		}
		got, err := st.Codes(ctx, "s")
		if err != nil || len(got) != 2 || got[0].Unit != "1-101" || got[1].Hash != "h2" {
			t.Errorf("Codes = %+v, %v; want the first two only (all or none)", got, err)
		}
	})
}
