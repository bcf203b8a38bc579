package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

func TestDecoysKeptAcrossReopenAndPurged(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	ref, err := db.CreateDecoy(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := feedback.ParseRef(ref); !ok {
		t.Fatalf("decoy ref %q", ref)
	}
	path := db.Path()
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if at, err := db.Decoy(ctx, ref); err != nil || !at.Equal(t0) {
		t.Fatalf("Decoy after reopening: %v, %v", at, err)
	}
	if _, err := db.Case(ctx, ref); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("a decoy is a case: %v", err)
	}
	if cs, _ := db.Cases(ctx, feedback.Filter{}); len(cs) != 0 {
		t.Errorf("a decoy is listed: %d cases", len(cs))
	}
	if _, err := db.Purge(ctx, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decoy(ctx, ref); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("Decoy after purge: %v, want ENOTFOUND", err)
	}
}

func TestDecoyNeverTakesACaseRef(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	refs := []string{"AAAAAAAA", "AAAAAAAA", "BBBBBBBB"}
	db.NewRef = func() string { r := refs[0]; refs = refs[1:]; return r }
	if _, _, err := db.Create(ctx, newCase(t, "", "一", t0)); err != nil {
		t.Fatal(err)
	}
	ref, err := db.CreateDecoy(ctx, t0)
	if err != nil || ref != "BBBBBBBB" {
		t.Errorf("CreateDecoy = %q, %v; want BBBBBBBB", ref, err)
	}
}

func TestCaseByKey(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c, _, err := db.Create(ctx, newCase(t, "key-0001-abcd", "漏水", t0))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.CaseByKey(ctx, "key-0001-abcd"); err != nil || got.Ref != c.Ref {
		t.Errorf("CaseByKey: %v, %v", got, err)
	}
	for _, key := range []string{"key-0002-abcd", ""} {
		if _, err := db.CaseByKey(ctx, key); feedback.ErrorCode(err) != feedback.ENOTFOUND {
			t.Errorf("CaseByKey(%q): %v, want ENOTFOUND", key, err)
		}
	}
}
