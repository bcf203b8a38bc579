package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/internal/msg"
)

// writeSite writes files (path → text) into a fresh folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The staff's language comes from LOBBY_LANG, else the site's language
// line, else Chinese; the path:line:col prefix is the same in both.
func TestMessagesInTheStaffsLanguage(t *testing.T) {
	page := "+++\ntitle = \"坏\"\n+++\n"
	tests := []struct {
		name     string
		language string // config.toml's language line, "" for none
		env      string // LOBBY_LANG
		want     string
	}{
		{"zh-CN site", `language = "zh-CN"`, "", "共 1 处错误"},
		{"en site", `language = "en"`, "", "1 error"},
		{"no language line", "", "", "共 1 处错误"},
		{"LOBBY_LANG=en on a zh-CN site", `language = "zh-CN"`, "en", "1 error"},
		{"LOBBY_LANG=zh-CN on an en site", `language = "en"`, "zh-CN", "共 1 处错误"},
		{"LOBBY_LANG of another language", `language = "en"`, "fr", "1 error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSite(t, map[string]string{
				"config.toml":       "title = \"翠湖\"\nbaseURL = \"https://example.org/\"\n" + tc.language + "\n",
				"content/_index.md": page,
				"content/about.md":  page + "[x](/nowhere/)\n",
			})
			var out, errOut bytes.Buffer
			getenv := func(k string) string {
				if k == msg.EnvVar {
					return tc.env
				}
				return ""
			}
			runEnv(context.Background(), []string{"check", "--source", dir}, env{stdout: &out, stderr: &errOut, getenv: getenv})
			if !strings.Contains(errOut.String(), "content/about.md:4:1: ") {
				t.Errorf("stderr lacks the path:line:col prefix:\n%s", errOut.String())
			}
			if last := lastLine(errOut.String()); last != tc.want {
				t.Errorf("last line = %q, want %q\n%s", last, tc.want, errOut.String())
			}
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestSourceArg(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"build"}, "."},
		{[]string{"build", "--source", "site"}, "site"},
		{[]string{"new", "notice", "停水", "-source=site"}, "site"},
		{[]string{"feedback", "list", "--source=a/b"}, "a/b"},
		{[]string{"new", "--", "--source", "x"}, "."},
	}
	for _, tc := range tests {
		if got := sourceArg(tc.args); got != tc.want {
			t.Errorf("sourceArg(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
