package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

// feedbackSite makes a site with lobby init and stores cases in its
// feedback store: one sent on t0 and one 40 days later. It returns the
// folder and the refs.
func feedbackTestSite(t *testing.T) (dir string, refs []string) {
	t.Helper()
	dir = newSite(t)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, ".lobby", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2024, 1, 10, 1, 0, 0, 0, time.UTC)
	for i, s := range []feedback.Submission{
		{Category: feedback.CategoryRepair, Name: `=HYPERLINK("http://x")`, Unit: "3-1201", Contact: "+86 138 0000 0000", Message: "楼道灯坏了\n请尽快修", Consent: true},
		{Category: feedback.CategoryPraise, Name: "李明", Message: "保安很负责", Consent: true},
	} {
		c, _, err := db.Create(context.Background(), feedback.NewCase(s, t0.AddDate(0, 0, 40*i)))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Ref)
	}
	return dir, refs
}

func TestFeedbackListFormats(t *testing.T) {
	dir, refs := feedbackTestSite(t)
	out, _, err := runLobby(t, "feedback", "list", "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "REF") || !strings.Contains(lines[1], refs[0]) ||
		!strings.Contains(lines[1], "2024-01-10 09:00") || !strings.Contains(lines[1], "楼道灯坏了 请尽快修") {
		t.Errorf("table:\n%s", out)
	}

	out, _, err = runLobby(t, "feedback", "list", "--format", "json", "--since", "2024-02-01", "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []map[string]any
	if err := json.Unmarshal([]byte(out), &cases); err != nil || len(cases) != 1 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	c := cases[0]
	if c["ref"] != refs[1] || c["name"] != "李明" || c["status"] != "received" || c["category"] != "praise" {
		t.Errorf("json case %v", c)
	}
	if h, _ := c["history"].([]any); len(h) != 1 {
		t.Errorf("json history %v", c["history"])
	}

	out, _, err = runLobby(t, "feedback", "list", "--status", "resolved", "--format", "json", "--source", dir)
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("no resolved cases: %q, %v", out, err)
	}
	out, _, err = runLobby(t, "feedback", "list", "--format", "csv", "--source", dir)
	if err != nil || !strings.HasPrefix(out, "\uFEFF\"ref\"") {
		t.Errorf("csv: %v\n%s", err, out)
	}
	for _, bad := range [][]string{{"--status", "done"}, {"--since", "last week"}, {"--format", "xml"}} {
		if _, _, err := runLobby(t, append([]string{"feedback", "list", "--source", dir}, bad...)...); err == nil {
			t.Errorf("list %v succeeded", bad)
		}
	}
}

func TestFeedbackShowAndSet(t *testing.T) {
	dir, refs := feedbackTestSite(t)
	out, _, err := runLobby(t, "feedback", "set", strings.ToLower(refs[0]), "in_progress", "--note", "已派电工", "--source", dir)
	if err != nil || out != refs[0]+": in_progress\n" {
		t.Fatalf("set: %q, %v", out, err)
	}
	out, _, err = runLobby(t, "feedback", "show", refs[0], "--source", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ref:       " + refs[0], "Status:    in_progress", "Unit:      3-1201", "  楼道灯坏了\n  请尽快修", "received", "in_progress  已派电工"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := runLobby(t, "feedback", "set", refs[0], "received", "--source", dir); err == nil || !strings.Contains(err.Error(), "received") {
		t.Errorf("set back to received: %v", err)
	}
	if _, _, err := runLobby(t, "feedback", "set", refs[0], "closed", "--source", dir); err == nil || strings.Contains(err.Error(), "feedback: invalid") {
		t.Errorf("set to an unknown status: %v (want a plain message)", err)
	}
	if _, _, err := runLobby(t, "feedback", "show", "ZZZZZZZZ", "--source", dir); err == nil || !strings.Contains(err.Error(), "no case") {
		t.Errorf("show unknown: %v", err)
	}
	if _, _, err := runLobby(t, "feedback", "show", "nope", "--source", dir); err == nil || !strings.Contains(err.Error(), "not a reference") {
		t.Errorf("show malformed: %v", err)
	}
}

func TestFeedbackExportCSV(t *testing.T) {
	dir, refs := feedbackTestSite(t)
	file := filepath.Join(t.TempDir(), "cases.csv")
	out, _, err := runLobby(t, "feedback", "export", "--csv", file, "--source", dir)
	if err != nil || !strings.Contains(out, "exported 2 cases") {
		t.Fatalf("export: %q, %v", out, err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Error("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("read back: %d rows, %v", len(rows), err)
	}
	if rows[1][0] != refs[0] || rows[1][5] != `'=HYPERLINK("http://x")` || rows[1][7] != "'+86 138 0000 0000" || rows[2][5] != "李明" {
		t.Errorf("rows %q", rows)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v, want 0600", fi.Mode().Perm())
	}
	if _, _, err := runLobby(t, "feedback", "export", "--source", dir); err == nil {
		t.Error("export without --csv succeeded")
	}
}

func TestFeedbackPurgeWithFakeClock(t *testing.T) {
	dir, refs := feedbackTestSite(t)
	// The default retention is 730 days: on 2026-01-20 only the first
	// case (2024-01-10) is past it.
	out, _, err := runLobby(t, "feedback", "purge", "--now", "2026-01-20T00:00:00+08:00", "--source", dir)
	if err != nil || !strings.HasPrefix(out, "purged 1 cases") {
		t.Fatalf("purge: %q, %v", out, err)
	}
	if _, _, err := runLobby(t, "feedback", "show", refs[0], "--source", dir); err == nil {
		t.Error("purged case still shown")
	}
	if _, _, err := runLobby(t, "feedback", "show", refs[1], "--source", dir); err != nil {
		t.Errorf("recent case gone: %v", err)
	}
}

func TestFeedbackHelp(t *testing.T) {
	for _, sub := range []string{"list", "show", "set", "export", "purge"} {
		_, stderr, err := runLobby(t, "feedback", sub, "-h")
		if err == nil || !strings.Contains(stderr, "usage: lobby feedback "+sub) {
			t.Errorf("feedback %s -h: %v\n%s", sub, err, stderr)
		}
	}
	if _, stderr, _ := runLobby(t, "feedback", "-h"); !strings.Contains(stderr, "usage: lobby feedback") {
		t.Errorf("feedback -h:\n%s", stderr)
	}
	if _, _, err := runLobby(t, "feedback", "frobnicate"); err == nil {
		t.Error("unknown subcommand succeeded")
	}
	if _, _, err := runLobby(t, "feedback", "show"); err == nil {
		t.Error("show without REF succeeded")
	}
}

func TestFeedbackConfigErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{`rate_limit = "10/10m"`, `rate_limit = "often"`, "feedback.rate_limit"},
		{`rate_limit = "10/10m"`, `rate_limit = "10/10m"` + "\ntrusted_proxies = [\"10.0.0.0/33\"]", "feedback.trusted_proxies"},
	} {
		dir := newSite(t)
		cfgPath := filepath.Join(dir, "config.toml")
		src := readFile(t, cfgPath)
		if !strings.Contains(src, tc.from) {
			t.Fatalf("skeleton config lacks %s", tc.from)
		}
		os.WriteFile(cfgPath, []byte(strings.Replace(src, tc.from, tc.to, 1)), 0o644)
		if _, _, err := runLobby(t, "feedback", "list", "--source", dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one naming %s", tc.to, err, tc.want)
		}
	}
}

func TestPasswordInStoreURLIsAnErrorAtItsLine(t *testing.T) {
	dir := newSite(t)
	cfgPath := filepath.Join(dir, "config.toml")
	src := readFile(t, cfgPath)
	from := `store = "sqlite:.lobby/feedback.db"`
	line := strings.Count(src[:strings.Index(src, from)], "\n") + 1
	os.WriteFile(cfgPath, []byte(strings.Replace(src, from, `store = "postgres://lobby:hunter2@db.example/lobby?sslmode=require"`, 1)), 0o644)
	_, _, err := runLobby(t, "feedback", "list", "--source", dir)
	want := fmt.Sprintf("config.toml:%d:", line)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "LOBBY_DATABASE_PASSWORD") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("password in feedback.store: err %v, want one at %s naming LOBBY_DATABASE_PASSWORD, without the password", err, want)
	}
}
