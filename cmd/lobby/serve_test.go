package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs lobby serve on a free port with args and returns its base
// URL; the server stops when the test ends, and must stop cleanly.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	base, _ := startServeLogged(t, args...)
	return base
}

// startServeLogged is startServe that also returns what the server writes
// to stderr (its log).
func startServeLogged(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	return startServeToken(t, "test-token-0123456789abcdefghijklmn", args...)
}

// startServeToken is startServeLogged with LOBBY_STAFF_TOKEN set to token.
func startServeToken(t *testing.T, token string, args ...string) (string, *lockedBuffer) {
	t.Helper()
	return startServeCmd(t, &serveCmd{}, token, args...)
}

// startServeWith is startServe with cmd's test settings.
func startServeWith(t *testing.T, cmd *serveCmd, args ...string) string {
	t.Helper()
	base, _ := startServeCmd(t, cmd, "test-token-0123456789abcdefghijklmn", args...)
	return base
}

// startServeCmd runs cmd with LOBBY_STAFF_TOKEN set to token, its output
// and environment set here.
func startServeCmd(t *testing.T, cmd *serveCmd, token string, args ...string) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var out bytes.Buffer
	errOut := &lockedBuffer{}
	cmd.env = env{stdout: &out, stderr: errOut, getenv: func(k string) string {
		if k == "LOBBY_STAFF_TOKEN" {
			return token
		}
		return ""
	}}
	cmd.ready = func(addr string) { ready <- addr }
	go func() { done <- cmd.Run(ctx, append(args, "--addr", "127.0.0.1:0")) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve ended with %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop after its context ended")
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr, errOut
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, errOut.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// lobby serve builds the site and serves pages, search
// and feedback together, in the site's theme.
func TestServeSiteSearchAndFeedback(t *testing.T) {
	dir := newSite(t)
	base := startServe(t, "--source", dir, "--now", testNow)

	if code, body := get(t, base+"/"); code != 200 || !strings.Contains(body, "这里是小区的业主之家") {
		t.Errorf("GET / = %d", code)
	}
	code, body := get(t, base+"/api/v1/search?q="+url.QueryEscape("回访"))
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			URL string `json:"url"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(body), &res); code != 200 || err != nil || res.Total == 0 || res.Hits[0].URL != "/handbook/repairs/" {
		t.Errorf("search API = %d %s", code, body)
	}
	if code, body := get(t, base+"/search?q="+url.QueryEscape("回访")); code != 200 || !strings.Contains(body, `href="/handbook/repairs/"`) || !strings.Contains(body, "<mark>") {
		t.Errorf("search page = %d", code)
	}
	// The page marks the query's words in titles as in snippets.
	if code, body := get(t, base+"/search?q="+url.QueryEscape("流程")); code != 200 || !strings.Contains(body, `<a href="/handbook/repairs/">报修<mark>流程</mark></a>`) {
		t.Errorf("search page = %d, want the title marked", code)
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"category": {"repair"}, "message": {"厨房漏水"}, "consent": {"on"}, "unit": {"3-101"}}
	resp, err := client.PostForm(base+"/api/v1/feedback", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/feedback/thanks/?ref=") {
		t.Fatalf("feedback POST = %d, Location %q", resp.StatusCode, loc)
	}
	ref := strings.TrimPrefix(loc, "/feedback/thanks/?ref=")
	if code, body := get(t, base+loc); code != 200 || !strings.Contains(body, ref) || !strings.Contains(body, "site-header") {
		t.Errorf("thanks page = %d, want the ref in the theme", code)
	}
	code, body = get(t, base+"/feedback/status?ref="+ref)
	if code != 200 || !strings.Contains(body, ref) || strings.Contains(body, "3-101") || strings.Contains(body, "厨房漏水") {
		t.Errorf("status page = %d, want the ref and no personal data", code)
	}
	// A form with an error is shown again in the theme, keeping what was typed.
	form.Set("message", "")
	form.Set("unit", "5-202")
	resp, err = client.PostForm(base+"/api/v1/feedback", form)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(page), `value="5-202"`) || !strings.Contains(string(page), "site-header") {
		t.Errorf("form with an error = %d", resp.StatusCode)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("healthz = %d", code)
	}
}

// --no-build serves an earlier build as it is.
func TestServeNoBuild(t *testing.T) {
	dir := newSite(t)
	if _, stderr, err := runLobby(t, "build", "--source", dir, "--now", testNow); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	os.WriteFile(filepath.Join(dir, "public", "marker.txt"), []byte("from the earlier build"), 0o644)
	base := startServe(t, "--source", dir, "--no-build")
	if code, body := get(t, base+"/marker.txt"); code != 200 || body != "from the earlier build" {
		t.Errorf("marker = %d %q: the output was rebuilt", code, body)
	}
	if code, _ := get(t, base+"/api/v1/search?q=%E5%9B%9E%E8%AE%BF"); code != 200 {
		t.Errorf("search on an earlier index = %d", code)
	}
}

// in watch mode an edit is rebuilt and served, and the rebuild
// logged with the files it wrote and its time.
func TestServeWatchRebuildsOnEdit(t *testing.T) {
	dir := newSite(t)
	base, log := startServeLogged(t, "--source", dir, "--watch", "--now", testNow)
	body := retitleWelcome(t, dir, base, "网站改版通知")
	if !strings.Contains(body, "/_lobby/reload.js") {
		t.Error("watch mode page has no reload script")
	}
	if !regexp.MustCompile(`msg=rebuilt written=[1-9][0-9]* took=[0-9.]+[µm]?s`).MatchString(log.String()) {
		t.Errorf("no rebuild in the log:\n%s", log.String())
	}
}

// retitleWelcome gives the welcome notice of newSite the title title and
// returns its page once the server at base serves it so.
func retitleWelcome(t *testing.T, dir, base, title string) string {
	t.Helper()
	src := filepath.Join(dir, "content", "notices", "welcome.md")
	data, _ := os.ReadFile(src)
	if err := os.WriteFile(src, bytes.Replace(data, []byte("网站开通通知"), []byte(title), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, body := get(t, base+"/notices/welcome/"); strings.Contains(body, title) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatal("the edit was not served within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// watch-mode rebuilds leave the output's manifest to the pause
// after them or to the server's stop, which writes it for the rebuilt
// output, so that the next lobby build or serve writes only what changed.
func TestServeWatchSavesTheManifestOnStop(t *testing.T) {
	dir := newSite(t)
	page := filepath.Join(dir, "public", "notices", "welcome", "index.html")
	t.Run("serve", func(t *testing.T) {
		base := startServe(t, "--source", dir, "--watch", "--now", testNow)
		retitleWelcome(t, dir, base, "网站全新改版通知") // longer: the page's size changes
	})
	fi, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, ".lobby", "public.files"))
	if err != nil {
		t.Fatalf("no manifest after the server stopped: %v", err)
	}
	size := fmt.Sprintf("%d ", fi.Size()) // a line is "size crc crc name"
	for line := range strings.Lines(string(manifest)) {
		if strings.HasSuffix(line, " notices/welcome/index.html\n") {
			if !strings.HasPrefix(line, size) {
				t.Errorf("the manifest has %q for a file of %d bytes", line, fi.Size())
			}
			return
		}
	}
	t.Error("the manifest does not list notices/welcome/index.html")
}

func TestServeWatchAndNoBuildConflict(t *testing.T) {
	if _, _, err := runLobby(t, "serve", "--watch", "--no-build"); err == nil {
		t.Error("serve --watch --no-build succeeded")
	}
}

// in watch mode a build error keeps the last good site served and
// is reported, with its file and line, to the pages' error overlay.
func TestServeWatchBuildErrorKeepsLastGoodSite(t *testing.T) {
	dir := newSite(t)
	base := startServe(t, "--source", dir, "--watch", "--now", testNow)
	bad := "+++\ntitle = \"坏\"\ntitel = \"x\"\n+++\n"
	if err := os.WriteFile(filepath.Join(dir, "content", "notices", "bad.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, body := get(t, base+"/_lobby/status")
		if strings.Contains(body, `content/notices/bad.md:3:1: unknown front matter key \"titel\"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no build error in /_lobby/status within 30 s: %s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, _ := get(t, base+"/notices/welcome/"); code != 200 {
		t.Errorf("the last good page = %d after a failed build", code)
	}
}

// watch mode answers IP-address hosts only when it listens beyond
// the loopback interface.
func TestLoopbackOnly(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:1313": true, "localhost:1313": true, "[::1]:1313": true, "127.0.0.2:80": true,
		"0.0.0.0:1313": false, ":1313": false, "192.168.1.5:1313": false, "[::]:1313": false,
	} {
		if got := loopbackOnly(addr); got != want {
			t.Errorf("loopbackOnly(%q) = %v, want %v", addr, got, want)
		}
	}
}

// A server named in a site's server.origin answers the site's pages on a
// static host: their scripts may read search and feedback answers, and
// their form posts are taken, from the origin of baseURL and no other.
func TestServeAnswersTheSiteOnAStaticHost(t *testing.T) {
	dir := newSite(t)
	setServerOrigin(t, dir, "https://lobby.example.org")
	// The server answers under the base URL's path, as the pages do.
	host := startServe(t, "--source", dir, "--now", testNow, "--base-url", "https://pages.example.net/cuihu/")
	base := host + "/cuihu"
	const site = "https://pages.example.net"
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path, ctype, body string, header ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}

	resp := do("GET", "/api/v1/search?q="+url.QueryEscape("回访"), "", "", "Origin", site, "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != site {
		t.Errorf("search from the site: %d, Access-Control-Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	resp = do("GET", "/api/v1/search?q="+url.QueryEscape("回访"), "", "", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("search from another origin: Access-Control-Allow-Origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}

	form := url.Values{"category": {"repair"}, "message": {"厨房漏水"}, "consent": {"on"}}.Encode()
	const formType = "application/x-www-form-urlencoded"
	resp = do("POST", "/api/v1/feedback", formType, form, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != 403 {
		t.Errorf("form from another origin: %d, want 403", resp.StatusCode)
	}
	resp = do("POST", "/api/v1/feedback", formType, form, "Origin", site, "Sec-Fetch-Site", "cross-site")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/cuihu/feedback/thanks/?ref=") {
		t.Fatalf("form from the site: %d, Location %q", resp.StatusCode, loc)
	}
	ref := strings.TrimPrefix(loc, "/cuihu/feedback/thanks/?ref=")
	if code, body := get(t, host+loc); code != 200 || !strings.Contains(body, ref) {
		t.Errorf("the server's thanks page: %d, want the reference %s", code, ref)
	}

	resp = do("OPTIONS", "/api/v1/feedback", "", "", "Origin", site, "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "content-type,idempotency-key")
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != site {
		t.Errorf("preflight from the site: %d, Access-Control-Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	resp = do("POST", "/api/v1/feedback", "application/json", `{"category":"praise","message":"谢谢保安","consent":true}`,
		"Origin", site, "Sec-Fetch-Site", "cross-site", "Idempotency-Key", "7f0c5a52-3d2b-4f4e-9c61-0d7a3c1e2b44")
	if resp.StatusCode != 201 || resp.Header.Get("Access-Control-Allow-Origin") != site {
		t.Errorf("JSON from the site: %d, Access-Control-Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
}
