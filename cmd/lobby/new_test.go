package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
)

// lobby new writes a draft and says how to publish it; lobby build leaves
// the draft out until its draft line is deleted, so that an unfinished
// page committed as it is never goes live.
func TestNewPageIsDraftUntilItsLineIsDeleted(t *testing.T) {
	dir := newSite(t)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ kind, title, file, url string }{
		{"notice", "停水通知", "content/notices/2026-11-26-停水通知.md", "notices/停水通知/index.html"},
		{"fee", "2026 Q4", "content/fees/2026-q4.md", "fees/2026-q4/index.html"},
	} {
		var out, errOut bytes.Buffer
		cmd := &newCmd{env: env{stdout: &out, stderr: &errOut}, now: func() time.Time { return now }}
		if err := cmd.Run(context.Background(), []string{tc.kind, tc.title, "--source", dir}); err != nil {
			t.Fatalf("new %s: %v\n%s", tc.kind, err, errOut.String())
		}
		if got := out.String(); !strings.Contains(got, "draft") || !strings.Contains(got, `"draft = true"`) {
			t.Errorf("new %s printed %q; want it to say the page is a draft and which line to delete", tc.kind, got)
		}
		file := filepath.Join(dir, tc.file)
		src := readFile(t, file)
		if !strings.Contains(src, "\ndraft = true") {
			t.Fatalf("%s has no draft line:\n%s", tc.file, src)
		}

		public := filepath.Join(dir, "public")
		if _, stderr, err := runLobby(t, "build", "--source", dir, "--no-index", "--now", testNow); err != nil {
			t.Fatalf("build: %v\n%s", err, stderr)
		}
		if _, err := os.Stat(filepath.Join(public, tc.url)); err == nil {
			t.Errorf("lobby build published the draft %s", tc.url)
		}
		if found := filesContaining(t, public, tc.title); len(found) > 0 {
			t.Errorf("the draft's title is in %v", found)
		}

		var kept []string
		for _, l := range strings.Split(src, "\n") {
			if !strings.HasPrefix(l, "draft = true") {
				kept = append(kept, l)
			}
		}
		if err := os.WriteFile(file, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := runLobby(t, "build", "--source", dir, "--no-index", "--now", testNow); err != nil {
			t.Fatalf("build after the draft line is deleted: %v\n%s", err, stderr)
		}
		if _, err := os.Stat(filepath.Join(public, tc.url)); err != nil {
			t.Errorf("with its draft line deleted, %s is not published: %v", tc.url, err)
		}
	}
}

// filesContaining returns the files below dir that contain s.
func filesContaining(t *testing.T, dir, s string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if data, err := os.ReadFile(p); err == nil && bytes.Contains(data, []byte(s)) {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// Staff who read Chinese are told in Chinese that the page is a draft.
func TestNewSaysDraftInChinese(t *testing.T) {
	dir := newSite(t)
	stdout, stderr, err := runLobbyIn(t, msg.Zh, "new", "notice", "停水", "--source", dir)
	if err != nil {
		t.Fatalf("new: %v\n%s", err, stderr)
	}
	if want := `这是一篇草稿：删除前言中的 "draft = true" 这一行之前，lobby build 不会发布它`; !strings.Contains(stdout, want) {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
}
