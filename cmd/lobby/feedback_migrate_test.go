package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/postgres/pgtest"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

// TestFeedbackMigrateToPostgresAndBack copies a site's SQLite store into
// PostgreSQL, switches the site to it, and copies it back into a new SQLite
// file: every case arrives with its reference, key, status and history.
func TestFeedbackMigrateToPostgresAndBack(t *testing.T) {
	dir, refs := feedbackTestSite(t)
	if _, _, err := runLobby(t, "feedback", "set", refs[0], "in_progress", "--note", "已派人", "--source", dir); err != nil {
		t.Fatal(err)
	}
	pgURL := pgtest.NewDatabase(t)
	out, stderr, err := runLobby(t, "feedback", "migrate", "--to", pgURL, "--source", dir)
	if err != nil || !strings.Contains(out, "copied 2 cases with 3 history entries") {
		t.Fatalf("migrate to PostgreSQL: %v\n%s%s", err, out, stderr)
	}
	// A second copy into the same database is refused.
	if _, _, err := runLobby(t, "feedback", "migrate", "--to", pgURL, "--source", dir); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("migrate into a store with cases: %v, want a refusal", err)
	}
	before, _, err := runLobby(t, "feedback", "list", "--format", "json", "--source", dir)
	if err != nil {
		t.Fatal(err)
	}

	// The site now uses PostgreSQL: the same cases list the same.
	cfgPath := filepath.Join(dir, "config.toml")
	src := readFile(t, cfgPath)
	from := `store = "sqlite:.lobby/feedback.db"`
	if !strings.Contains(src, from) {
		t.Fatalf("skeleton config lacks %s", from)
	}
	if err := os.WriteFile(cfgPath, []byte(strings.Replace(src, from, `store = "`+pgURL+`"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	after, _, err := runLobby(t, "feedback", "list", "--format", "json", "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	// PostgreSQL keeps times to the microsecond, SQLite's store to the
	// nanosecond, and RFC 3339 drops a fraction's trailing zeros.
	if after, before = microseconds(after), microseconds(before); after != before {
		t.Errorf("cases on PostgreSQL:\n%s\nwant as on SQLite:\n%s", after, before)
	}

	back := filepath.Join(t.TempDir(), "back.db")
	out, stderr, err = runLobby(t, "feedback", "migrate", "--to", "sqlite:"+back, "--source", dir)
	if err != nil || !strings.Contains(out, "copied 2 cases with 3 history entries") {
		t.Fatalf("migrate back to SQLite: %v\n%s%s", err, out, stderr)
	}
	db, err := sqlite.Open(context.Background(), back)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.Case(context.Background(), refs[0])
	if err != nil || c.Status != feedback.StatusInProgress || len(c.History) != 2 || c.History[1].Note != "已派人" || c.Contact != "+86 138 0000 0000" {
		t.Errorf("case %s after the round trip: %+v, %v", refs[0], c, err)
	}
}

func TestFeedbackMigrateRefusesNonEmptySQLite(t *testing.T) {
	dir, _ := feedbackTestSite(t)
	other, _ := feedbackTestSite(t)
	target := "sqlite:" + filepath.Join(other, ".lobby", "feedback.db")
	if _, _, err := runLobby(t, "feedback", "migrate", "--to", target, "--source", dir); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("migrate into a store with cases: %v, want a refusal", err)
	}
	if _, _, err := runLobby(t, "feedback", "migrate", "--source", dir); err == nil || !strings.Contains(err.Error(), "--to") {
		t.Errorf("migrate without --to: %v", err)
	}
	if _, _, err := runLobby(t, "feedback", "migrate", "--to", "postgres://u:pw@127.0.0.1:1/x", "--source", dir); err == nil || strings.Contains(err.Error(), "pw@") {
		t.Errorf("migrate to a URL with a password: %v, want a refusal that does not repeat it", err)
	}
}

// microseconds cuts the RFC 3339 times in s to whole microseconds, written
// without trailing zeros.
func microseconds(s string) string {
	return fraction.ReplaceAllStringFunc(s, func(f string) string {
		digits := strings.TrimRight(f[1:min(len(f)-1, 7)], "0")
		if digits == "" {
			return "Z"
		}
		return "." + digits + "Z"
	})
}

var fraction = regexp.MustCompile(`\.\d+Z`)
