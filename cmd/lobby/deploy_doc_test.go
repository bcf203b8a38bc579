package main

import (
	"os"
	"regexp"
	"testing"

	"github.com/lobby-community/lobby/site"
)

// TestDeployDocMultiServerConfig reads the example config.toml of "More
// than one server" in docs/deploy.md, so that the documented setup stays
// one that lobby accepts: a PostgreSQL store without a password, trusted
// proxies and a rate limit that parse.
func TestDeployDocMultiServerConfig(t *testing.T) {
	doc, err := os.ReadFile("../../docs/deploy.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## More than one server.*?```toml\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/deploy.md has no toml example under \"## More than one server\"")
	}
	sc, err := site.ParseConfig(m[1])
	if err != nil {
		t.Fatalf("the example config: %v\n%s", err, m[1])
	}
	if kind := sc.Feedback.StoreKind; kind != "postgres" {
		t.Errorf("the example's store %q: kind %q, want postgres", sc.Feedback.Store, kind)
	}
}
