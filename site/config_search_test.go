package site_test

import (
	"testing"

	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

func TestConfigSearchSynonyms(t *testing.T) {
	cfg, err := site.ParseConfig([]byte("title = \"x\"\nbaseURL = \"https://example.org/\"\n[search]\nsynonyms = \"synonyms.txt\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Search.Synonyms != "synonyms.txt" {
		t.Errorf("search.synonyms = %q, want synonyms.txt", cfg.Search.Synonyms)
	}
}

func TestConfigBadSearchSynonymsAtItsLine(t *testing.T) {
	for _, bad := range []string{"../synonyms.txt", "/etc/synonyms.txt", `a\\b.txt`} {
		got := sitetest.BuildE(t, `-- config.toml --
title = "x"
baseURL = "https://example.org/"
[search]
synonyms = "`+bad+`"
`)
		assertErrors(t, got, `config.toml:4:1: search.synonyms`)
	}
}
