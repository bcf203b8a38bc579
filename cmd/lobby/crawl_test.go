package main

import (
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/internal/crawl"
)

// demoSite copies the repository's demo site (config.toml, content/,
// layouts/) into a temporary folder that lobby serve may write in.
func demoSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	demo := lobby.Demo()
	for _, name := range []string{"content", "layouts"} {
		sub, err := fs.Sub(demo, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(filepath.Join(dir, name), sub); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := fs.ReadFile(demo, "config.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

var actionRE = regexp.MustCompile(`<form class="feedback-form" action="([^"]+)"`)

// postFeedbackForm posts the demo's feedback form as a browser without
// JavaScript does and returns the Location it is sent on to.
func postFeedbackForm(t *testing.T, root string) string {
	t.Helper()
	code, page := get(t, root+"feedback/")
	m := actionRE.FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("GET %sfeedback/: %d, no feedback form", root, code)
	}
	rootURL, _ := url.Parse(root)
	action, err := rootURL.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"category": {"repair"}, "unit": {"5-302"}, "message": {"楼道灯不亮了。"}, "consent": {"on"}, "website": {""}}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(action.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d, want 303", action, resp.StatusCode)
	}
	loc, err := action.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.String()
}

// lobby serve serves the demo under its base URL's path, or at the root of
// the host, with nothing broken: every page and file of the build, the
// search results page and the search API's results, and the pages a
// feedback form's post leads to, fragments included.
func TestServeHasNoBrokenReference(t *testing.T) {
	for _, base := range []string{"https://example.org/cuihu/", "https://example.org/"} {
		t.Run(base, func(t *testing.T) {
			dir := demoSite(t)
			served := startServe(t, "--source", dir, "--now", testNow, "--base-url", base)
			path := strings.TrimPrefix(base, "https://example.org")
			root := served + path
			if path != "/" {
				if code, _ := get(t, served+"/"); code != 200 {
					t.Errorf("GET / (redirected to %s) = %d", path, code)
				}
			}

			thanks := postFeedbackForm(t, root)
			if !strings.HasPrefix(thanks, root+"feedback/thanks/?ref=") {
				t.Fatalf("a feedback form's post leads to %s, want %sfeedback/thanks/?ref=REF", thanks, root)
			}
			ref := strings.TrimPrefix(thanks, root+"feedback/thanks/?ref=")
			seeds, err := crawl.FileSeeds(filepath.Join(dir, "public"), root)
			if err != nil {
				t.Fatal(err)
			}
			q := url.QueryEscape("停水")
			seeds = append(seeds, thanks, root+"feedback/status?ref="+ref,
				root+"search?q="+q, root+"search?q="+url.QueryEscape("通知")+"&page=2", root+"api/v1/search?q="+q)
			rep, err := crawl.Run(crawl.Config{Root: root, Canonical: base, Seeds: seeds})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d resources, %d references followed, %d skipped, %d broken", len(rep.Fetched), rep.Refs, len(rep.Skipped), len(rep.Broken))
			for _, b := range rep.Broken {
				t.Error(b)
			}
			if len(rep.Fetched) < 200 || rep.Refs < 2000 {
				t.Errorf("fetched %d resources with %d references: the crawl did not reach the site", len(rep.Fetched), rep.Refs)
			}
			// The search found something, and its results were followed.
			_, body := get(t, root+"api/v1/search?q="+q)
			if !strings.Contains(body, `"url":"`+path) {
				t.Errorf("the search API found no page below %s:\n%.300s", path, body)
			}
		})
	}
}

// A --base-url that could not be published under is refused, naming the
// flag, by build and by serve --no-build alike.
func TestBadBaseURLFlag(t *testing.T) {
	dir := newSite(t)
	for _, args := range [][]string{
		{"build", "--source", dir, "--no-index", "--base-url", "https://example.org/cuihu/?x=1"},
		{"serve", "--source", dir, "--no-build", "--addr", "127.0.0.1:0", "--base-url", "https://example.org/{cuihu}/"},
	} {
		_, _, err := runLobby(t, args...)
		if err == nil || !strings.Contains(err.Error(), "--base-url") {
			t.Errorf("lobby %s: err %v, want an error about --base-url", strings.Join(args, " "), err)
		}
	}
}
