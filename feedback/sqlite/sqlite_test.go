package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newCase(t *testing.T, key, msg string, at time.Time) *feedback.Case {
	t.Helper()
	s := feedback.Submission{Category: feedback.CategoryRepair, Name: "王芳", Unit: "3-1201", Contact: "138 0000 0000", Message: msg, Consent: true, Key: key}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return feedback.NewCase(s, at)
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func TestMigrationsFromEmpty(t *testing.T) {
	db := openTest(t)
	var v int
	if err := db.r.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != len(migrations) {
		t.Errorf("user_version = %d, want %d", v, len(migrations))
	}
	for _, table := range []string{"cases", "events"} {
		var n int
		if err := db.r.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: count %d, err %v", table, n, err)
		}
	}
	// Opening again applies nothing and keeps the data.
	if _, _, err := db.Create(context.Background(), newCase(t, "", "灯坏了", t0)); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	db2, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	cs, err := db2.Cases(context.Background(), feedback.Filter{})
	if err != nil || len(cs) != 1 {
		t.Fatalf("after reopening: %d cases, err %v", len(cs), err)
	}
}

func TestFilesReadableByOwnerOnly(t *testing.T) {
	db := openTest(t)
	if _, _, err := db.Create(context.Background(), newCase(t, "", "x", t0)); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(db.Path() + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group and others", filepath.Base(db.Path()+suffix), perm)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db := openTest(t)
	if _, err := db.w.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: err = %v, want one saying it is newer", err)
	}
}

func TestPragmasChecked(t *testing.T) {
	db := openTest(t)
	if err := checkPragmas(context.Background(), db.w); err != nil {
		t.Fatalf("writer: %v", err)
	}
	// A connection without synchronous=FULL is refused.
	weak, err := sql.Open("sqlite", db.Path()+"?_busy_timeout=5000&_foreign_keys=1&_synchronous=NORMAL")
	if err != nil {
		t.Fatal(err)
	}
	defer weak.Close()
	err = checkPragmas(context.Background(), weak)
	if err == nil || !strings.Contains(err.Error(), "synchronous") {
		t.Fatalf("checkPragmas with synchronous=NORMAL: err = %v, want a synchronous error", err)
	}
	// Nor is a database that is not in WAL mode.
	rollback, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db")+"?_busy_timeout=5000&_foreign_keys=1&_synchronous=FULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rollback.Close()
	err = checkPragmas(context.Background(), rollback)
	if err == nil || !strings.Contains(err.Error(), "journal_mode") {
		t.Fatalf("checkPragmas without WAL: err = %v, want a journal_mode error", err)
	}
}

func TestCreateAndIdempotency(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c, existed, err := db.Create(ctx, newCase(t, "key-0001-abcd", "楼道灯不亮", t0))
	if err != nil || existed {
		t.Fatalf("Create: existed %v, err %v", existed, err)
	}
	if _, ok := feedback.ParseRef(c.Ref); !ok {
		t.Errorf("ref %q is not a valid reference", c.Ref)
	}
	again, existed, err := db.Create(ctx, newCase(t, "key-0001-abcd", "something else", t0.Add(time.Minute)))
	if err != nil || !existed || again.Ref != c.Ref || again.Message != "楼道灯不亮" {
		t.Fatalf("Create with the same key: %+v existed %v err %v, want the first case", again, existed, err)
	}
	got, err := db.Case(ctx, c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "王芳" || got.Status != feedback.StatusReceived || len(got.History) != 1 || !got.CreatedAt.Equal(t0) {
		t.Errorf("Case(%s) = %+v", c.Ref, got)
	}
	if _, err := db.Case(ctx, "ZZZZZZZZ"); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("Case of an unknown ref: %v, want ENOTFOUND", err)
	}
}

func TestConcurrentDuplicateKeysStoreOnce(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	refs := make([]string, 20)
	for i := range refs {
		wg.Go(func() {
			c, _, err := db.Create(ctx, newCase(t, "same-key-123", "水管漏水", t0))
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
	cs, _ := db.Cases(ctx, feedback.Filter{})
	if len(cs) != 1 {
		t.Errorf("%d cases stored, want 1", len(cs))
	}
}

func TestRefCollisionRetried(t *testing.T) {
	db := openTest(t)
	refs := []string{"AAAAAAAA", "AAAAAAAA", "AAAAAAAA", "BBBBBBBB"}
	var mu sync.Mutex
	db.NewRef = func() string {
		mu.Lock()
		defer mu.Unlock()
		r := refs[0]
		refs = refs[1:]
		return r
	}
	ctx := context.Background()
	a, _, err := db.Create(ctx, newCase(t, "", "一", t0))
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := db.Create(ctx, newCase(t, "", "二", t0))
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != "AAAAAAAA" || b.Ref != "BBBBBBBB" {
		t.Errorf("refs %s, %s; want AAAAAAAA, BBBBBBBB", a.Ref, b.Ref)
	}
}

func TestStatusTransitionsKeepHistory(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c, _, err := db.Create(ctx, newCase(t, "", "电梯异响", t0))
	if err != nil {
		t.Fatal(err)
	}
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
	at := t0
	for _, s := range steps {
		at = at.Add(time.Hour)
		_, err := db.SetStatus(ctx, c.Ref, s.to, s.note, at)
		if got := feedback.ErrorCode(err); got != s.code {
			t.Fatalf("SetStatus(%s, %q): code %q (%v), want %q", s.to, s.note, got, err, s.code)
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
	if got.Status != feedback.StatusFollowedUp || !got.UpdatedAt.Equal(t0.Add(6*time.Hour)) {
		t.Errorf("status %s updated %v", got.Status, got.UpdatedAt)
	}
	if _, err := db.SetStatus(ctx, "ZZZZZZZZ", feedback.StatusResolved, "", at); feedback.ErrorCode(err) != feedback.ENOTFOUND {
		t.Errorf("SetStatus of an unknown ref: %v", err)
	}
}

func TestPurgeWithFakeClock(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	old, _, _ := db.Create(ctx, newCase(t, "", "旧的", t0))
	touched, _, _ := db.Create(ctx, newCase(t, "", "旧但有更新", t0))
	fresh, _, _ := db.Create(ctx, newCase(t, "", "新的", t0.AddDate(0, 0, 700)))
	if _, err := db.SetStatus(ctx, touched.Ref, feedback.StatusResolved, "", t0.AddDate(0, 0, 500)); err != nil {
		t.Fatal(err)
	}
	now := t0.AddDate(0, 0, 731) // a fake clock 731 days on
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
	var events int
	db.r.QueryRow("SELECT count(*) FROM events").Scan(&events)
	if events != 3 {
		t.Errorf("%d events left, want 3 (the purged case's history goes too)", events)
	}
}

func TestCasesFilter(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	a, _, _ := db.Create(ctx, newCase(t, "", "a", t0))
	db.Create(ctx, newCase(t, "", "b", t0.Add(48*time.Hour)))
	db.SetStatus(ctx, a.Ref, feedback.StatusFollowedUp, "", t0.Add(time.Hour))
	for _, tc := range []struct {
		f    feedback.Filter
		want string
	}{
		{feedback.Filter{}, "a,b"},
		{feedback.Filter{Status: feedback.StatusReceived}, "b"},
		{feedback.Filter{Open: true}, "b"},
		{feedback.Filter{Since: t0.Add(time.Hour)}, "b"},
		{feedback.Filter{Limit: 1}, "a"},
	} {
		cs, err := db.Cases(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.Message)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("Cases(%+v) = %v, want %s", tc.f, got, tc.want)
		}
	}
}

func TestClosedStoreRefusesWrites(t *testing.T) {
	db := openTest(t)
	db.Close()
	_, _, err := db.Create(context.Background(), newCase(t, "", "x", t0))
	if feedback.ErrorCode(err) != feedback.EUNAVAILABLE {
		t.Errorf("Create after Close: %v, want EUNAVAILABLE", err)
	}
	if err := db.Close(); err != nil && !errors.Is(err, sql.ErrConnDone) {
		t.Errorf("second Close: %v", err)
	}
}
