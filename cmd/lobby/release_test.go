package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lobby-community/lobby/search"
)

// releaseSite is a site whose every page and stylesheet carry the number of
// the build that made them, with a notice of that build.
type releaseSite struct {
	t   *testing.T
	dir string
}

func newReleaseSite(t *testing.T) *releaseSite {
	r := &releaseSite{t: t, dir: newSite(t)}
	// Submissions in a loop would pass the default rate limit.
	cfg := readFile(t, filepath.Join(r.dir, "config.toml"))
	cfg = strings.Replace(cfg, `rate_limit = "10/10m"`, `rate_limit = "off"`, 1)
	if err := os.WriteFile(filepath.Join(r.dir, "config.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r.edit(r.dir, 1)
	return r
}

// edit makes the sources in dir those of build n: the site's title and its
// stylesheet name the build, and a notice announces it.
func (r *releaseSite) edit(dir string, n int) {
	t := r.t
	cfg := readFile(t, filepath.Join(dir, "config.toml"))
	cfg = regexp.MustCompile(`(?m)^title = .*$`).ReplaceAllString(cfg, fmt.Sprintf(`title = "我们的小区 build-%d"`, n))
	notice := fmt.Sprintf("+++\ntitle = \"第 %d 次发布\"\ndate = 2026-01-02T09:00:00+08:00\n+++\n\nreleasetoken%d 发布说明。\n", n, n)
	css := fmt.Sprintf("/* build-%d */\nbody { margin: 0 auto; max-width: 40rem; }\n", n)
	for name, data := range map[string]string{
		"config.toml": cfg,
		fmt.Sprintf("content/notices/release-%d.md", n): notice,
		"layouts/assets/lobby.css":                      css,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildInPlace lands build n by running lobby build in the site folder.
func (r *releaseSite) buildInPlace(n int) {
	r.edit(r.dir, n)
	if _, stderr, err := runLobby(r.t, "build", "--source", r.dir, "--quiet"); err != nil {
		r.t.Fatalf("build %d: %v\n%s", n, err, stderr)
	}
}

// upload lands build n as CI would: built elsewhere, copied beside the
// site's folders and swapped in for them with one atomic rename each (a
// RENAME_EXCHANGE, as mv --exchange does). With link, public/ becomes a
// symbolic link to the release's folder instead, swapped in the same way.
func (r *releaseSite) upload(n int, link bool) {
	t := r.t
	ci := filepath.Join(t.TempDir(), "ci")
	for _, name := range []string{"config.toml", "content", "layouts"} {
		copyTree(t, filepath.Join(r.dir, name), filepath.Join(ci, name))
	}
	r.edit(ci, n)
	if _, stderr, err := runLobby(t, "build", "--source", ci, "--quiet"); err != nil {
		t.Fatalf("CI build %d: %v\n%s", n, err, stderr)
	}
	// The sources go first: the server renders its own pages from them.
	for _, name := range []string{"config.toml", "content", "layouts"} {
		os.RemoveAll(filepath.Join(r.dir, name))
		copyTree(t, filepath.Join(ci, name), filepath.Join(r.dir, name))
	}
	swap := func(from, to string) {
		t.Helper()
		incoming := to + ".incoming"
		if link {
			release := filepath.Join(r.dir, "releases", fmt.Sprint(n), filepath.Base(to))
			os.MkdirAll(filepath.Dir(release), 0o755)
			if err := os.Rename(from, release); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(release, incoming); err != nil {
				t.Fatal(err)
			}
		} else if err := os.Rename(from, incoming); err != nil {
			t.Fatal(err)
		}
		exchange(t, incoming, to)
		if err := os.RemoveAll(incoming); err != nil {
			t.Fatal(err)
		}
	}
	swap(filepath.Join(ci, "public"), filepath.Join(r.dir, "public"))
	swap(filepath.Join(ci, ".lobby", "search"), filepath.Join(r.dir, ".lobby", "search"))
}

// copyTree copies the folder (or file) from to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dest := filepath.Join(to, rel)
		if fi.IsDir() {
			return os.MkdirAll(dest, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dest, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

var (
	buildOfPage = regexp.MustCompile(`build-(\d+)`)
	stylesheet  = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`)
	script      = regexp.MustCompile(`<script [^>]*src="([^"]+)"`)
)

// releaseClient requests pages, their assets, search and feedback from a
// server in a loop, and records every failure and every page shown with
// another build's stylesheet.
type releaseClient struct {
	base     string
	client   *http.Client
	mu       sync.Mutex
	failures []string
	requests atomic.Int64
}

func (c *releaseClient) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.failures) < 20 {
		c.failures = append(c.failures, fmt.Sprintf(format, args...))
	}
}

func (c *releaseClient) do(method, path, ctype, body string) (int, string) {
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.client.Do(req)
	c.requests.Add(1)
	if err != nil {
		c.fail("%s %s: %v", method, path, err)
		return 0, ""
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		c.fail("%s %s = %d", method, path, resp.StatusCode)
	}
	return resp.StatusCode, string(data)
}

// page requests a page and the assets it names, which must come from the
// page's own build.
func (c *releaseClient) page(path string) {
	code, body := c.do("GET", path, "", "")
	if code != 200 {
		return
	}
	m := buildOfPage.FindStringSubmatch(body)
	css := stylesheet.FindStringSubmatch(body)
	if m == nil || css == nil {
		c.fail("GET %s: no build number or no stylesheet", path)
		return
	}
	if code, sheet := c.do("GET", css[1], "", ""); code != 200 {
		c.fail("the stylesheet of %s (build %s) = %d", path, m[1], code)
	} else if !strings.Contains(sheet, "/* build-"+m[1]+" */") {
		c.fail("GET %s: a page of build %s has the stylesheet %s of another build: %.20q", path, m[1], css[1], sheet)
	}
	if js := script.FindStringSubmatch(body); js != nil {
		c.do("GET", js[1], "", "")
	}
}

func (c *releaseClient) loop(stop <-chan struct{}, worker int) {
	paths := []string{"/", "/notices/", "/notices/welcome/", "/handbook/repairs/", "/feedback/",
		"/search?q=" + url.QueryEscape("发布")}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		c.page(paths[(i+worker)%len(paths)])
		c.do("GET", "/api/v1/search?q=releasetoken1", "", "")
		if i%5 == 0 {
			c.do("POST", "/api/v1/feedback", "application/json",
				fmt.Sprintf(`{"category":"inquiry","message":"测试 %d-%d","consent":true}`, worker, i))
		}
	}
}

// served reports whether the server at base serves the notice of build n,
// as a page and in search.
func served(base string, n int) bool {
	resp, err := http.Get(fmt.Sprintf("%s/notices/release-%d/", base, n))
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return false
	}
	resp, err = http.Get(fmt.Sprintf("%s/api/v1/search?q=releasetoken%d", base, n))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var res struct {
		Hits []struct {
			URL string `json:"url"`
		} `json:"hits"`
	}
	json.NewDecoder(resp.Body).Decode(&res)
	return len(res.Hits) > 0 && res.Hits[0].URL == fmt.Sprintf("/notices/release-%d/", n)
}

// lobby serve --no-build follows the builds that land in its folder, five
// times, while clients ask for pages, assets, search and feedback: every
// answer is 2xx, every page comes with its own build's stylesheet, and each
// new build's notice is served, as a page and in search, within 2 s of its
// landing (a functional bound: the server looks once a second).
func TestServeNoBuildFollowsReleases(t *testing.T) {
	if testing.Short() {
		t.Skip("five builds under load")
	}
	r := newReleaseSite(t)
	r.buildInPlace(1)
	base := startServe(t, "--source", r.dir, "--no-build")
	c := &releaseClient{base: base, client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() { c.loop(stop, w) })
	}
	for n := 2; n <= 6; n++ {
		switch n {
		case 3:
			r.upload(n, false)
		case 5:
			r.upload(n, true)
		default:
			r.buildInPlace(n)
		}
		landed := time.Now()
		for !served(base, n) {
			if time.Since(landed) > 2*time.Second {
				t.Errorf("build %d was not served within 2 s of its landing", n)
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if n == 5 {
			if fi, err := os.Lstat(filepath.Join(r.dir, "public")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("public/ is not the link of the upload: %v", err)
			}
		}
	}
	close(stop)
	wg.Wait()
	if c.requests.Load() < 50 {
		t.Errorf("only %d requests ran across five releases", c.requests.Load())
	}
	for _, f := range c.failures {
		t.Error(f)
	}
}

// SIGHUP makes a server of an earlier build look for a new one at once.
func TestServeNoBuildLooksAtSIGHUP(t *testing.T) {
	r := newReleaseSite(t)
	r.buildInPlace(1)
	base := startServeWith(t, &serveCmd{poll: time.Hour}, "--source", r.dir, "--no-build")
	r.buildInPlace(2)
	if served(base, 2) {
		t.Fatal("the new index was served before the server was told to look")
	}
	hangUp(t)
	deadline := time.Now().Add(30 * time.Second)
	for !served(base, 2) {
		if time.Now().After(deadline) {
			t.Fatal("the new build was not served within 30 s of SIGHUP")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expiringSite is a built site with a notice that expires a few seconds
// from now, and the moment it expires.
func expiringSite(t *testing.T) (string, time.Time) {
	t.Helper()
	dir := newSite(t)
	expires := time.Now().Add(6 * time.Second).Truncate(time.Second)
	notice := fmt.Sprintf("+++\ntitle = \"电梯检修\"\ndate = 2026-01-02T09:00:00+08:00\nurgency = \"urgent\"\nexpires = %s\n+++\n\n电梯今天检修。\n",
		expires.Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, "content", "notices", "lift.md"), []byte(notice), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := runLobby(t, "build", "--source", dir, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if time.Until(expires) < time.Second {
		t.Skip("the build took until the notice's expiry")
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "public", "notices", "index.html")), "电梯检修") {
		t.Fatal("the notice is not in the list before it expires")
	}
	return dir, expires
}

// A server of an earlier build whose folder has the site's sources builds
// the site again when a notice of the output expires, so the notice
// leaves the lists on time there too.
func TestServeNoBuildRebuildsAtExpiry(t *testing.T) {
	dir, expires := expiringSite(t)
	base := startServe(t, "--source", dir, "--no-build")
	deadline := expires.Add(30 * time.Second)
	for {
		_, list := get(t, base+"/notices/")
		_, archive := get(t, base+"/notices/archive/")
		if !strings.Contains(list, "电梯检修") && strings.Contains(archive, "电梯检修") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired notice is still listed 30 s after its expiry")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if time.Now().Before(expires) {
		t.Error("the notice left the list before it expired")
	}
}

// A server that has only the output cannot build it again: it says so in
// its log when a notice expires.
func TestServeNoBuildWithoutSourcesLogsExpiry(t *testing.T) {
	dir, expires := expiringSite(t)
	if err := os.RemoveAll(filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	_, log := startServeLogged(t, "--source", dir, "--no-build")
	deadline := expires.Add(30 * time.Second)
	for !strings.Contains(log.String(), "needs a rebuild") {
		if time.Now().After(deadline) {
			t.Fatalf("nothing in the log 30 s after the notice expired:\n%s", log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(log.String(), "notice=/notices/lift/") {
		t.Errorf("the log does not name the notice:\n%s", log.String())
	}
}

// BenchmarkLook is the cost of one look for a new build when none has
// landed, which a server of an earlier build pays once a second.
func BenchmarkLook(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	var out strings.Builder
	if err := run(context.Background(), []string{"init", dir}, &out, &out); err != nil {
		b.Fatal(err)
	}
	if err := run(context.Background(), []string{"build", "--source", dir, "--quiet"}, &out, &out); err != nil {
		b.Fatal(err)
	}
	s := &serving{env: env{stdout: io.Discard, stderr: io.Discard}, flags: siteFlags{source: dir},
		public: filepath.Join(dir, "public"), logger: slog.New(slog.DiscardHandler), pages: &themePages{}}
	idx, err := search.Open(indexDir(dir))
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	s.index.Store(idx)
	f := &follower{s: s}
	f.look()
	b.ResetTimer()
	for b.Loop() {
		f.look()
	}
}
