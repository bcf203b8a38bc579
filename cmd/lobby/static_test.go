package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// setServerOrigin adds [server] origin to the config.toml of the site in dir.
func setServerOrigin(t *testing.T, dir, origin string) {
	t.Helper()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(readFile(t, cfg)+"\n[server]\norigin = \""+origin+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A site checked for a static host without a server to answer its search
// and feedback is told so once, as a warning: the check still passes.
func TestCheckWarnsOfAStaticHostWithoutServer(t *testing.T) {
	dir := newSite(t)
	const warning = "no [server] origin"
	tests := []struct {
		name  string
		args  []string
		wantN int
	}{
		{"for lobby serve", nil, 0},
		{"for a static host", []string{"--no-index"}, 1},
	}
	for _, tc := range tests {
		stdout, stderr, err := runLobby(t, append([]string{"check", "--source", dir, "--now", testNow}, tc.args...)...)
		if err != nil {
			t.Fatalf("%s: check failed: %v\n%s", tc.name, err, stderr)
		}
		if n := strings.Count(stderr, warning); n != tc.wantN {
			t.Errorf("%s: the warning is printed %d times, want %d:\n%s", tc.name, n, tc.wantN, stderr)
		}
		if tc.wantN > 0 && !strings.Contains(stderr, "warning: config.toml: no [server] origin") {
			t.Errorf("%s: stderr %q, want a warning naming config.toml", tc.name, stderr)
		}
		if !strings.HasPrefix(stdout, "ok:") {
			t.Errorf("%s: stdout %q, want ok:", tc.name, stdout)
		}
	}

	stdout, _, err := runLobby(t, "check", "--source", dir, "--now", testNow, "--no-index", "--format", "github")
	if err != nil || !strings.Contains(stdout, "::warning file=config.toml::no [server] origin") {
		t.Errorf("--format github: %v, stdout %q, want a ::warning annotation", err, stdout)
	}

	setServerOrigin(t, dir, "https://lobby.example.org")
	_, stderr, err := runLobby(t, "check", "--source", dir, "--now", testNow, "--no-index")
	if err != nil || strings.Contains(stderr, warning) {
		t.Errorf("with a server origin: %v, stderr %q, want no warning", err, stderr)
	}
}
