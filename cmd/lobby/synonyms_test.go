package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A site's synonyms file, named in config.toml, is read into the index, and
// a bad line of it fails the build at its line.
func TestBuildReadsSiteSynonyms(t *testing.T) {
	dir := newSite(t)
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(readFile(t, cfg)+"\n[search]\nsynonyms = \"synonyms.txt\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	syn := filepath.Join(dir, "synonyms.txt")
	if _, _, err := runLobby(t, "build", "--source", dir, "--quiet"); err == nil || !strings.Contains(err.Error(), "synonyms.txt") {
		t.Errorf("build without the synonyms file = %v, want an error naming it", err)
	}
	if err := os.WriteFile(syn, []byte("# ours\n翠湖, 本小区\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := runLobby(t, "build", "--source", dir, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".lobby", "search", "current")); err != nil {
		t.Fatalf("no index: %v", err)
	}
	if err := os.WriteFile(syn, []byte("# ours\n翠湖, 本小区\n东门\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runLobby(t, "build", "--source", dir, "--quiet"); err == nil || !strings.Contains(err.Error(), "synonyms.txt:3:") {
		t.Errorf("build with a group of one word = %v, want an error at synonyms.txt:3", err)
	}
}
