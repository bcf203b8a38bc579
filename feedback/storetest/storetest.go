// Package storetest is the conformance suite of feedback.Store: every
// behaviour a store promises, run against each implementation by its own
// tests (feedback/sqlite, feedback/postgres), so that lobby behaves the same
// whichever store a site chooses.
package storetest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// Opener opens the store a test works on. Within one test, the first call
// gives a fresh, empty store; every further call opens another handle on
// the same data, as a second server (or a staff command beside the server)
// would. The opener closes what it opened when the test ends.
type Opener func(t *testing.T) feedback.Store

// RefSource is implemented by stores whose reference numbers a test can
// choose, to force collisions.
type RefSource interface {
	SetNewRef(func() string)
}

// Run runs the whole suite, each behaviour as a subtest.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"CreateAndIdempotency", testCreateAndIdempotency},
		{"ConcurrentDuplicateKeysStoreOnce", testConcurrentDuplicateKeysStoreOnce},
		{"KeyReplayedOnAnotherServer", testKeyReplayedOnAnotherServer},
		{"RefCollisionRetried", testRefCollisionRetried},
		{"ManyServersNeverShareARef", testManyServersNeverShareARef},
		{"StatusTransitionsKeepHistory", testStatusTransitionsKeepHistory},
		{"StatusSeenByAnotherServer", testStatusSeenByAnotherServer},
		{"PurgeWithFakeClock", testPurgeWithFakeClock},
		{"CasesFilter", testCasesFilter},
		{"CasesPagedByCursor", testCasesPagedByCursor},
		{"CaseByKey", testCaseByKey},
		{"DecoysKeptAndPurged", testDecoysKeptAndPurged},
		{"DecoyNeverTakesACaseRef", testDecoyNeverTakesACaseRef},
		{"EndSessionsOnEveryServer", testEndSessionsOnEveryServer},
		{"ClosedStoreRefusesWrites", testClosedStoreRefusesWrites},
		{"DataSurvivesReopening", testDataSurvivesReopening},
		{"CaseworkFieldsKept", testCaseworkFieldsKept},
		{"ResidentAnswersOnce", testResidentAnswersOnce},
		{"OverdueNotifiedOnce", testOverdueNotifiedOnce},
		{"CasesFilterForTheInbox", testCasesFilterForTheInbox},
		{"CasesNewestFirstPaged", testCasesNewestFirstPaged},
		{"MonthlyReport", testMonthlyReport},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// T0 is the moment the suite's cases are sent at.
var T0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// NewCase returns a validated repair case with the key and message, sent at.
func NewCase(t testing.TB, key, msg string, at time.Time) *feedback.Case {
	t.Helper()
	s := feedback.Submission{Category: feedback.CategoryRepair, Name: "王芳", Unit: "3-1201", Contact: "138 0000 0000", Message: msg, Consent: true, Key: key}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return feedback.NewCase(s, at)
}

func mustCreate(t *testing.T, s feedback.Store, c *feedback.Case) *feedback.Case {
	t.Helper()
	got, _, err := s.Create(context.Background(), c)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return got
}

func testCreateAndIdempotency(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	c, existed, err := db.Create(ctx, NewCase(t, "key-0001-abcd", "楼道灯不亮", T0))
	if err != nil || existed {
		t.Fatalf("Create: existed %v, err %v", existed, err)
	}
	if _, ok := feedback.ParseRef(c.Ref); !ok {
		t.Errorf("ref %q is not a valid reference", c.Ref)
	}
	again, existed, err := db.Create(ctx, NewCase(t, "key-0001-abcd", "something else", T0.Add(time.Minute)))
	if err != nil || !existed || again.Ref != c.Ref || again.Message != "楼道灯不亮" {
		t.Fatalf("Create with the same key: %+v existed %v err %v, want the first case", again, existed, err)
	}
	if again.Fingerprint != c.Fingerprint {
		t.Errorf("replayed case has fingerprint %q, want %q", again.Fingerprint, c.Fingerprint)
	}
	got, err := db.Case(ctx, c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "王芳" || got.Unit != "3-1201" || got.Contact != "138 0000 0000" || got.Category != feedback.CategoryRepair ||
		got.Status != feedback.StatusReceived || len(got.History) != 1 || !got.CreatedAt.Equal(T0) || !got.UpdatedAt.Equal(T0) {
		t.Errorf("Case(%s) = %+v", c.Ref, got)
	}
	if _, err := db.Case(ctx, "ZZZZZZZZ"); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("Case of an unknown ref: %v, want ENOTFOUND", err)
	}
	// Cases without a key never count as replays of each other.
	a := mustCreate(t, db, NewCase(t, "", "同一句话", T0))
	b := mustCreate(t, db, NewCase(t, "", "同一句话", T0))
	if a.Ref == b.Ref {
		t.Errorf("two cases without a key share ref %s", a.Ref)
	}
}

// testConcurrentDuplicateKeysStoreOnce sends one key 20 times at once
// through one handle, as a resident's double tap and retries would.
func testConcurrentDuplicateKeysStoreOnce(t *testing.T, open Opener) {
	sendKeyAtOnce(t, []feedback.Store{open(t)}, 20, "same-key-123", "水管漏水")
}

// testKeyReplayedOnAnotherServer sends one key through two handles at once,
// as a client retrying through a load balancer would.
func testKeyReplayedOnAnotherServer(t *testing.T, open Opener) {
	sendKeyAtOnce(t, []feedback.Store{open(t), open(t)}, 16, "replayed-key-42", "垃圾没人收")
}

// sendKeyAtOnce creates n cases with one key at once, spread over stores in
// turn, and checks that all got one reference and that every store holds
// one case.
func sendKeyAtOnce(t *testing.T, stores []feedback.Store, n int, key, message string) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	refs := make([]string, n)
	for i := range refs {
		s := stores[i%len(stores)]
		wg.Go(func() {
			c, _, err := s.Create(ctx, NewCase(t, key, message, T0))
			if err != nil {
				t.Error(err)
				return
			}
			refs[i] = c.Ref
		})
	}
	wg.Wait()
	for _, r := range refs {
		if r != refs[0] {
			t.Fatalf("refs differ: %v", refs)
		}
	}
	for _, s := range stores {
		cs, err := s.Cases(ctx, feedback.Filter{})
		if err != nil || len(cs) != 1 {
			t.Errorf("%d cases stored (err %v), want 1", len(cs), err)
		}
	}
}

func testRefCollisionRetried(t *testing.T, open Opener) {
	db := open(t)
	rs, ok := db.(RefSource)
	if !ok {
		t.Skip("this store does not let a test choose references")
	}
	rs.SetNewRef(refsInOrder("AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "BBBBBBBB"))
	a := mustCreate(t, db, NewCase(t, "", "一", T0))
	b := mustCreate(t, db, NewCase(t, "", "二", T0))
	if a.Ref != "AAAAAAAA" || b.Ref != "BBBBBBBB" {
		t.Errorf("refs %s, %s; want AAAAAAAA, BBBBBBBB", a.Ref, b.Ref)
	}
	got, err := db.Case(context.Background(), "AAAAAAAA")
	if err != nil || got.Message != "一" {
		t.Errorf("AAAAAAAA holds %+v (err %v), want the first case", got, err)
	}
}

// testManyServersNeverShareARef draws references on two handles from a
// tiny pool, so that they collide often: the store, not the server, must
// decide who gets each one.
func testManyServersNeverShareARef(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	ra, okA := a.(RefSource)
	rb, okB := b.(RefSource)
	if !okA || !okB {
		t.Skip("this store does not let a test choose references")
	}
	pool := []string{"CCCCCCC2", "CCCCCCC3", "CCCCCCC4", "CCCCCCC5", "CCCCCCC6", "CCCCCCC7", "CCCCCCC8", "CCCCCCC9"}
	var mu sync.Mutex
	n := 0
	draw := func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return pool[(n*5)%len(pool)]
	}
	ra.SetNewRef(draw)
	rb.SetNewRef(draw)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 6 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			if _, _, err := s.Create(ctx, NewCase(t, "", "并发", T0)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	cs, err := a.Cases(ctx, feedback.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[c.Ref] {
			t.Errorf("ref %s given twice", c.Ref)
		}
		seen[c.Ref] = true
	}
	if len(cs) != 6 {
		t.Errorf("%d cases stored, want 6", len(cs))
	}
}

func testStatusTransitionsKeepHistory(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	c := mustCreate(t, db, NewCase(t, "", "电梯异响", T0))
	steps := []struct {
		to   feedback.Status
		note string
		code string // expected error code, "" for success
	}{
		{feedback.StatusInProgress, "已派维修工", ""},
		{feedback.StatusReceived, "", feedback.ECONFLICT},
		{feedback.StatusInProgress, "", feedback.EINVALID},
		{feedback.StatusInProgress, "等零件", ""},
		{feedback.StatusResolved, "已更换", ""},
		{feedback.StatusFollowedUp, "业主满意", ""},
		{feedback.Status("closed"), "", feedback.EINVALID},
	}
	at := T0
	for _, s := range steps {
		at = at.Add(time.Hour)
		got, err := db.Update(ctx, c.Ref, feedback.Change{Status: s.to, Note: s.note}, at)
		if code := feedback.ErrorCode(err); code != s.code {
			t.Fatalf("Update(%s, %q): code %q (%v), want %q", s.to, s.note, code, err, s.code)
		}
		if err == nil && (got.Status != s.to || !got.UpdatedAt.Equal(at)) {
			t.Errorf("Update(%s) returned status %s updated %v", s.to, got.Status, got.UpdatedAt)
		}
	}
	got, err := db.Case(ctx, c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, ev := range got.History {
		trail = append(trail, string(ev.Status)+":"+ev.Note)
	}
	want := "received:,in_progress:已派维修工,in_progress:等零件,resolved:已更换,followed_up:业主满意"
	if strings.Join(trail, ",") != want {
		t.Errorf("history %s\nwant    %s", strings.Join(trail, ","), want)
	}
	if got.Status != feedback.StatusFollowedUp || !got.UpdatedAt.Equal(T0.Add(6*time.Hour)) {
		t.Errorf("status %s updated %v", got.Status, got.UpdatedAt)
	}
	if _, err := db.Update(ctx, "ZZZZZZZZ", feedback.Change{Status: feedback.StatusResolved}, at); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("Update of an unknown ref: %v", err)
	}
}

// testStatusSeenByAnotherServer changes a case on one handle and reads it,
// and changes it again, on another: no server may work from a stale copy.
func testStatusSeenByAnotherServer(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	ctx := context.Background()
	c := mustCreate(t, a, NewCase(t, "", "门禁坏了", T0))
	if _, err := a.Update(ctx, c.Ref, feedback.Change{Status: feedback.StatusResolved, Note: "已修好"}, T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// On b the case is resolved already, so received is a step back.
	if _, err := b.Update(ctx, c.Ref, feedback.Change{Status: feedback.StatusReceived}, T0.Add(2*time.Hour)); feedback.ErrorCode(err) != feedback.ECONFLICT {
		t.Errorf("Update back to received on another server: %v, want ECONFLICT", err)
	}
	got, err := b.Update(ctx, c.Ref, feedback.Change{Status: feedback.StatusFollowedUp, Note: "回访"}, T0.Add(3*time.Hour))
	if err != nil || len(got.History) != 3 {
		t.Fatalf("Update on another server: %+v, %v; want three events", got, err)
	}
	// Concurrent notes on both servers are all kept.
	var wg sync.WaitGroup
	for i := range 10 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			if _, err := s.Update(ctx, c.Ref, feedback.Change{Status: feedback.StatusFollowedUp, Note: "再次回访"}, T0.Add(4*time.Hour)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err = a.Case(ctx, c.Ref)
	if err != nil || len(got.History) != 13 {
		t.Errorf("after concurrent notes: %d events (err %v), want 13", len(got.History), err)
	}
}

func testPurgeWithFakeClock(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	old := mustCreate(t, db, NewCase(t, "old-key-0001", "旧的", T0))
	touched := mustCreate(t, db, NewCase(t, "", "旧但有更新", T0))
	fresh := mustCreate(t, db, NewCase(t, "", "新的", T0.AddDate(0, 0, 700)))
	if _, err := db.Update(ctx, touched.Ref, feedback.Change{Status: feedback.StatusResolved}, T0.AddDate(0, 0, 500)); err != nil {
		t.Fatal(err)
	}
	now := T0.AddDate(0, 0, 731) // a fake clock 731 days on
	n, err := db.Purge(ctx, now.Add(-730*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("Purge: %d, %v; want 1 deleted", n, err)
	}
	if _, err := db.Case(ctx, old.Ref); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("purged case still there: %v", err)
	}
	for _, ref := range []string{touched.Ref, fresh.Ref} {
		if _, err := db.Case(ctx, ref); err != nil {
			t.Errorf("case %s: %v", ref, err)
		}
	}
	// The purged case's key goes with it: the key makes a new case.
	again, existed, err := db.Create(ctx, NewCase(t, "old-key-0001", "旧的", now))
	if err != nil || existed || again.Ref == old.Ref {
		t.Errorf("Create with a purged case's key: %+v existed %v err %v, want a new case", again, existed, err)
	}
}

func testCasesFilter(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	a := mustCreate(t, db, NewCase(t, "", "a", T0))
	mustCreate(t, db, NewCase(t, "", "b", T0.Add(48*time.Hour)))
	mustCreate(t, db, NewCase(t, "", "c", T0.Add(72*time.Hour)))
	if _, err := db.Update(ctx, a.Ref, feedback.Change{Status: feedback.StatusFollowedUp}, T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    feedback.Filter
		want string
	}{
		{feedback.Filter{}, "a,b,c"},
		{feedback.Filter{Status: feedback.StatusReceived}, "b,c"},
		{feedback.Filter{Open: true}, "b,c"},
		{feedback.Filter{Since: T0.Add(time.Hour)}, "b,c"},
		{feedback.Filter{Since: T0.Add(48 * time.Hour)}, "b,c"},
		{feedback.Filter{Limit: 1}, "a"},
		{feedback.Filter{Open: true, Limit: 1}, "b"},
		{feedback.Filter{Status: feedback.StatusResolved}, ""},
	} {
		cs, err := db.Cases(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.Message)
			if len(c.History) == 0 {
				t.Errorf("Cases(%+v): case %s has no history", tc.f, c.Ref)
			}
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("Cases(%+v) = %v, want %s", tc.f, got, tc.want)
		}
	}
}

func testEndSessionsOnEveryServer(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	ctx := context.Background()
	e0, err := b.SessionEpoch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e1, err := a.EndSessions(ctx)
	if err != nil || e1 <= e0 {
		t.Fatalf("EndSessions: %d, %v; want more than %d", e1, err, e0)
	}
	if got, err := b.SessionEpoch(ctx); err != nil || got != e1 {
		t.Errorf("the other server's epoch is %d (err %v), want %d", got, err, e1)
	}
	e2, err := b.EndSessions(ctx)
	if err != nil || e2 <= e1 {
		t.Errorf("EndSessions on the other server: %d, %v; want more than %d", e2, err, e1)
	}
}

func testClosedStoreRefusesWrites(t *testing.T, open Opener) {
	db := open(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_, _, err := db.Create(context.Background(), NewCase(t, "", "x", T0))
	if feedback.ErrorCode(err) != feedback.EUNAVAILABLE {
		t.Errorf("Create after Close: %v, want EUNAVAILABLE", err)
	}
	if _, err := db.Case(context.Background(), "ZZZZZZZZ"); feedback.ErrorCode(err) != feedback.EUNAVAILABLE {
		t.Errorf("Case after Close: %v, want EUNAVAILABLE", err)
	}
	db.Close() // a second Close does no harm
}

func testDataSurvivesReopening(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	c := mustCreate(t, db, NewCase(t, "reopen-key-1", "灯坏了", T0))
	if _, err := db.Update(ctx, c.Ref, feedback.Change{Status: feedback.StatusInProgress, Note: "已派人"}, T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	epoch, err := db.EndSessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2 := open(t)
	got, err := db2.Case(ctx, c.Ref)
	if err != nil || got.Status != feedback.StatusInProgress || len(got.History) != 2 || got.History[1].Note != "已派人" {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
	if e, err := db2.SessionEpoch(ctx); err != nil || e != epoch {
		t.Errorf("after reopening the epoch is %d (err %v), want %d", e, err, epoch)
	}
	if _, existed, err := db2.Create(ctx, NewCase(t, "reopen-key-1", "灯坏了", T0)); err != nil || !existed {
		t.Errorf("key after reopening: existed %v, err %v", existed, err)
	}
}

func testCasesPagedByCursor(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	// The first three cases share one moment: the reference orders them.
	var want []string
	for i := range 5 {
		at := T0.Add(time.Duration(max(i-2, 0)) * time.Hour)
		c := mustCreate(t, db, NewCase(t, "", fmt.Sprint(i), at))
		want = append(want, c.Ref)
	}
	sort.Slice(want[:3], func(i, j int) bool { return want[i] < want[j] })
	var got []string
	var after feedback.Cursor
	for pages := 0; pages < 10; pages++ {
		cs, err := db.Cases(ctx, feedback.Filter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			break
		}
		for _, c := range cs {
			got = append(got, c.Ref)
		}
		after = feedback.CursorOf(cs[len(cs)-1])
		// A cursor goes through its text form, as in a URL.
		if after, err = feedback.ParseCursor(after.String()); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("pages of 2 gave %v, want %v", got, want)
	}
}

func testCaseByKey(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	c := mustCreate(t, db, NewCase(t, "key-0001-abcd", "漏水", T0))
	if got, err := db.CaseByKey(ctx, "key-0001-abcd"); err != nil || got.Ref != c.Ref || len(got.History) != 1 {
		t.Errorf("CaseByKey: %+v, %v", got, err)
	}
	mustCreate(t, db, NewCase(t, "", "没有键", T0))
	for _, key := range []string{"key-0002-abcd", ""} {
		if _, err := db.CaseByKey(ctx, key); feedback.ErrorCode(err) != feedback.ENOTFOUND {
			t.Errorf("CaseByKey(%q): %v, want ENOTFOUND", key, err)
		}
	}
}

func testDecoysKeptAndPurged(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	ref, err := db.CreateDecoy(ctx, T0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := feedback.ParseRef(ref); !ok {
		t.Fatalf("decoy ref %q", ref)
	}
	other := open(t)
	if at, err := other.Decoy(ctx, ref); err != nil || !at.Equal(T0) {
		t.Fatalf("Decoy on another handle: %v, %v", at, err)
	}
	if _, err := other.Case(ctx, ref); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("a decoy is a case: %v", err)
	}
	if cs, _ := other.Cases(ctx, feedback.Filter{}); len(cs) != 0 {
		t.Errorf("a decoy is listed: %d cases", len(cs))
	}
	if n, err := db.Purge(ctx, T0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("Purge: %d, %v; want 0 cases", n, err)
	}
	if _, err := db.Decoy(ctx, ref); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("Decoy after purge: %v, want ENOTFOUND", err)
	}
}

func testDecoyNeverTakesACaseRef(t *testing.T, open Opener) {
	db := open(t)
	rs, ok := db.(RefSource)
	if !ok {
		t.Skip("this store does not let a test choose references")
	}
	rs.SetNewRef(refsInOrder("AAAAAAAA", "AAAAAAAA", "BBBBBBBB"))
	ctx := context.Background()
	mustCreate(t, db, NewCase(t, "", "一", T0))
	ref, err := db.CreateDecoy(ctx, T0)
	if err != nil || ref != "BBBBBBBB" {
		t.Errorf("CreateDecoy = %q, %v; want BBBBBBBB", ref, err)
	}
}

// refsInOrder returns a reference maker that hands out refs in order, so
// that a test decides which reference collides with which. It is safe for
// concurrent use, as a store's reference maker must be.
func refsInOrder(refs ...string) func() string {
	var mu sync.Mutex
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		r := refs[0]
		refs = refs[1:]
		return r
	}
}
