package site_test

import (
	"strings"
	"testing"

	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

func TestServerOriginIsCheckedAtItsLine(t *testing.T) {
	bad := []struct{ origin, why string }{
		{"lobby.example.org", "must start with https://"},
		{"ftp://lobby.example.org", "must start with https://"},
		{"https://", "no host"},
		{"https://lobby.example.org/api/", "without a path"},
		{"https://lobby.example.org?x=1", "without a path"},
		{"https://lobby.example.org/#top", "without a path"},
		{"https://staff:secret@lobby.example.org", "user name or password"},
		{"https://物业.example.org", "punycode"},
		{"https://lobby.example.org:", "empty port"},
	}
	for _, tc := range bad {
		t.Run(tc.origin, func(t *testing.T) {
			got := sitetest.BuildE(t, `-- config.toml --
title = "x"
baseURL = "https://example.org/"

[server]
origin = "`+tc.origin+`"
`)
			assertErrors(t, got, `config.toml:5:1: server.origin: "`+tc.origin+`" is not an origin`)
			if !strings.Contains(got[0], tc.why) {
				t.Errorf("error %q does not say %q", got[0], tc.why)
			}
		})
	}
}

func TestServerOriginIsWrittenAsBrowsersSendIt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://lobby.example.org", "https://lobby.example.org"},
		{"https://lobby.example.org/", "https://lobby.example.org"},
		{"HTTPS://Lobby.Example.ORG", "https://lobby.example.org"},
		{"https://lobby.example.org:443", "https://lobby.example.org"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://[::1]:80/", "http://[::1]"},
	}
	for _, tc := range tests {
		cfg, err := site.ParseConfig([]byte("title = \"x\"\nbaseURL = \"https://example.org/\"\n[server]\norigin = \"" + tc.in + "\"\n"))
		if err != nil {
			t.Errorf("origin %q: %v", tc.in, err)
			continue
		}
		if got := cfg.Server.Origin; got != tc.want {
			t.Errorf("origin %q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSiteOriginIsBaseURLWithoutPath(t *testing.T) {
	tests := []struct{ baseURL, want string }{
		{"https://example.org/", "https://example.org"},
		{"https://User.GitHub.io/cuihu/", "https://user.github.io"},
		{"https://example.org:443/cuihu/", "https://example.org"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
	}
	for _, tc := range tests {
		cfg, err := site.ParseConfig([]byte("title = \"x\"\nbaseURL = \"" + tc.baseURL + "\"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.SiteOrigin(); got != tc.want {
			t.Errorf("baseURL %q: SiteOrigin() = %q, want %q", tc.baseURL, got, tc.want)
		}
	}
}

func TestSniffLanguage(t *testing.T) {
	tests := []struct{ src, want string }{
		{"title = \"x\"\nlanguage = \"en\"\n", "en"},
		{"\ufefflanguage='zh-CN'\ntitle = \"x\" x\n", "zh-CN"},
		{"  language = \"en\" # comment\n", "en"},
		{"[params]\nlanguage = \"en\"\n", ""},
		{"languages = \"en\"\n", ""},
		{"title = \"x\"\n", ""},
	}
	for _, tc := range tests {
		if got := site.SniffLanguage([]byte(tc.src)); got != tc.want {
			t.Errorf("site.SniffLanguage(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}
