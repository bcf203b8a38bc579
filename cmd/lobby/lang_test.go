package main

import (
	"bytes"
	"context"
	"errors"
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

// The CLI's own messages, each in both languages, exactly.
func TestCLIMessagesGolden(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"config.toml":       "title = \"翠湖\"\nbaseURL = \"https://example.org/\"\n",
		"content/_index.md": "+++\ntitle = \"首页\"\n+++\n",
	})
	tests := []struct {
		args   []string
		en, zh string
	}{
		{[]string{"check", "--source", dir, "--format", "xml"},
			`--format "xml": use text or github`,
			`--format "xml" 无效：请用 text 或 github`},
		{[]string{"build", "--source", dir, "public"},
			`build takes no arguments, got ["public"]`,
			`build 不接受参数，但收到了 ["public"]`},
		{[]string{"build", "--source", dir, "--now", "2026-12-01"},
			`--now "2026-12-01": write a time with its offset, such as 2026-12-01T09:00:00+08:00`,
			`--now "2026-12-01"：请写带时区的时间，如 2026-12-01T09:00:00+08:00`},
		{[]string{"serve", "--source", dir, "--watch", "--no-build"},
			`--watch rebuilds: it cannot go with --no-build`,
			`--watch 会重新生成网站，不能与 --no-build 同时使用`},
		{[]string{"new", "notise", "停水", "--source", dir},
			`unknown kind "notise": use notice, event, newsletter, fee, handbook, survey or page`,
			`没有 "notise" 这种页面：请用 notice、event、newsletter、fee、handbook、survey 或 page`},
		{[]string{"feedback", "frobnicate", "--source", dir},
			`feedback: unknown command "frobnicate": use list, show, set, note, followup, export, purge, migrate or report`,
			`feedback：没有 "frobnicate" 这个命令：请用 list、show、set、note、followup、export、purge、migrate 或 report`},
		{[]string{"feedback", "list", "--source", dir, "--format", "xml"},
			`--format "xml": use table, json or csv`,
			`--format "xml" 无效：请用 table、json 或 csv`},
		{[]string{"feedback", "show", "no", "--source", dir},
			`"no" is not a reference: references have 8 characters such as ABCD2345`,
			`"no" 不是受理编号：编号有 8 个字符，如 ABCD2345`},
		{[]string{"build", "--source", t.TempDir()},
			`config.toml: no config.toml: is --source the site's folder?`,
			`config.toml: 找不到 config.toml：--source 指向的是网站文件夹吗？`},
	}
	for _, tc := range tests {
		for _, want := range []struct {
			lang msg.Lang
			text string
		}{{msg.En, tc.en}, {msg.Zh, tc.zh}} {
			_, stderr, err := runLobbyIn(t, want.lang, tc.args...)
			got := strings.TrimSpace(stderr)
			if err != nil && !errors.Is(err, errReported) {
				got = msg.ErrorIn(err, want.lang)
			}
			if got != want.text && lastLine(stderr) != want.text && firstLine(stderr) != want.text {
				t.Errorf("lobby %q in %s:\ngot  %q\nwant %q", tc.args, want.lang, got, want.text)
			}
		}
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

// lobby check's closing line and its warnings are in the staff's language.
func TestCheckSummaryAndWarningsInChinese(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"config.toml":       "title = \"翠湖\"\nbaseURL = \"https://example.org/\"\n",
		"content/_index.md": "+++\ntitle = \"首页\"\n+++\n",
		"content/notices/water.md": "+++\ntitle = \"停水\"\ndate = 2026-11-27T08:00:00+08:00\n" +
			"expires = 2026-11-27T18:00:00+08:00\n+++\n",
	})
	stdout, stderr, err := runLobbyIn(t, msg.Zh, "check", "--source", dir, "--now", testNow)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, stderr)
	}
	if want := "警告：content/notices/water.md: 通知将在 24 小时内过期，时间为 2026-11-27 18:00:00\n"; stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	if !strings.HasPrefix(stdout, "检查通过：已生成 1 个页面（notices 1），共 ") {
		t.Errorf("stdout = %q, want the summary in Chinese", stdout)
	}
}

// The build errors that watch mode shows in the page are in the staff's
// language, as printed.
func TestReportedErrorsInStaffLanguage(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"config.toml":       "title = \"翠湖\"\nbaseURL = \"https://example.org/\"\n",
		"content/_index.md": "+++\ntitle = \"首页\"\n+++\n[x](/nowhere/)\n",
	})
	sf := siteFlags{source: dir}
	var out, errOut bytes.Buffer
	_, err := sf.load(context.Background(), env{stdout: &out, stderr: &errOut, lang: msg.Zh}, "text", true)
	if want := "content/_index.md:4:1: 链接 /nowhere/ 指向的页面或文件不存在"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// lobby alone prints its commands in the staff's language.
func TestUsageInStaffLanguage(t *testing.T) {
	for lang, want := range map[msg.Lang]string{msg.En: "lobby builds and serves", msg.Zh: "lobby 生成并运行住宅小区的网站。"} {
		_, stderr, err := runLobbyIn(t, lang)
		if !errors.Is(err, errReported) || !strings.HasPrefix(stderr, want) {
			t.Errorf("lobby in %s: err %v, stderr %.40q, want it to start with %q", lang, err, stderr, want)
		}
	}
}
