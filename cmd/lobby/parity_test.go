package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/internal/msg"
)

// Every value of config.toml that lobby serve or lobby feedback reads is
// parsed by site.ParseConfig, so lobby check refuses at its line what
// would stop the server, rather than passing it.
func TestCheckRefusesWhatServeRefuses(t *testing.T) {
	const head = "title = \"翠湖\"\nbaseURL = \"https://example.org/\"\n[feedback]\n"
	tests := []struct {
		name string
		line string // the fourth line of config.toml, in [feedback]
		want string
	}{
		{"rate limit in words", `rate_limit = "10 per minute"`,
			`config.toml:4:1: feedback.rate_limit: "10 per minute" is not a rate such as "10/10m" (10 submissions per 10 minutes) or "off"`},
		{"SQLite store without a path", `store = "sqlite:"`,
			`config.toml:4:1: feedback.store: "sqlite:" needs a file path without ? or #, such as "sqlite:.lobby/feedback.db"`},
		{"SQLite store with a query", `store = "sqlite:db?mode=ro"`,
			`config.toml:4:1: feedback.store: "sqlite:db?mode=ro" needs a file path without ? or #, such as "sqlite:.lobby/feedback.db"`},
		{"trusted proxy that is a host name", `trusted_proxies = ["proxy.internal"]`,
			`config.toml:4: feedback.trusted_proxies[0]: "proxy.internal" is not a network such as "10.0.0.0/8" or an address`},
		{"trusted proxy with a bad mask", `trusted_proxies = ["10.0.0.0/33"]`,
			`config.toml:4: feedback.trusted_proxies[0]: "10.0.0.0/33" is not a network such as "10.0.0.0/8" or an address`},
		{"retention in years", `retention = "2y"`,
			`config.toml:4:1: feedback.retention: "2y" is not a number of days such as "730d"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSite(t, map[string]string{
				"config.toml":       head + tc.line + "\n",
				"content/_index.md": "+++\ntitle = \"首页\"\n+++\n",
			})
			_, stderr, err := runLobby(t, "check", "--source", dir)
			if !errors.Is(err, errReported) {
				t.Fatalf("lobby check: err = %v, want the config refused\n%s", err, stderr)
			}
			if first := strings.SplitN(stderr, "\n", 2)[0]; first != tc.want {
				t.Errorf("lobby check:\ngot  %s\nwant %s", first, tc.want)
			}
			// lobby serve and lobby feedback read the config through the
			// same function and stop with the same message.
			_, _, err = runLobby(t, "feedback", "list", "--source", dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("lobby feedback list: err = %v, want %q", err, tc.want)
			}
		})
	}
}

// Keys of config.toml that are misspelt get the key they are closest to,
// at their line, in the staff's language.
func TestConfigKeyTypoSuggestion(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"config.toml":       "title = \"翠湖\"\nbaseURL = \"https://example.org/\"\nlangauge = \"en\"\n[feedback]\nrate_limt = \"5/m\"\n[ofice]\nname = \"物业\"\n",
		"content/_index.md": "+++\ntitle = \"首页\"\n+++\n",
	})
	want := map[msg.Lang]string{
		msg.En: `config.toml:3:1: unknown key "langauge" (did you mean "language"?)
config.toml:5:1: unknown key "feedback.rate_limt" (did you mean "feedback.rate_limit"?)
config.toml:6:1: unknown key "ofice" (did you mean "office"?)
3 errors
`,
		msg.Zh: `config.toml:3:1: 未知的键 "langauge"（是不是 "language"？）
config.toml:5:1: 未知的键 "feedback.rate_limt"（是不是 "feedback.rate_limit"？）
config.toml:6:1: 未知的键 "ofice"（是不是 "office"？）
共 3 处错误
`,
	}
	for _, lang := range []msg.Lang{msg.En, msg.Zh} {
		_, stderr, _ := runLobbyIn(t, lang, "check", "--source", dir)
		if stderr != want[lang] {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", lang, stderr, want[lang])
		}
	}
}
