package e2e

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// siteNow is the moment the demo site is built and browsed at: the water
// shut-off (urgent, expires 2026-12-05) is active and the winter-solstice
// event is ahead. The server builds with --now siteNow and every tab's
// clock reads it too (see fakeClock), so the tests do not age.
const siteNow = "2026-11-27T10:00:00+08:00"

// serverStartTimeout bounds a server's build and start; the first build of
// a cold CI machine indexes the site too.
const serverStartTimeout = 90 * time.Second

// h is what the tests share: the binary, the browser and the demo server,
// each made the first time a test needs it and torn down by TestMain.
var h = &harness{}

func TestMain(m *testing.M) {
	code := m.Run()
	h.close()
	os.Exit(code)
}

// harness builds the lobby binary, starts Chromium and the shared demo
// server lazily, once each.
type harness struct {
	root string // the repository

	tmpOnce sync.Once
	tmp     string
	tmpErr  error

	binOnce sync.Once
	bin     string
	binErr  error

	demoOnce sync.Once
	demo     *lobbyServer
	demoErr  error

	browserOnce sync.Once
	browser     *browser
	browserErr  error

	tokenOnce  sync.Once
	staffToken string

	// cleanups run at the end, last first: servers of a test's own.
	cleanups []func()
}

// required reports whether the browser tests must run (CI): then a missing
// browser or axe-core fails them rather than skipping them.
func required() bool {
	return os.Getenv("LOBBY_BROWSER_TESTS") == "1"
}

// skipOrFail skips t with why, or fails it when the tests are required.
func skipOrFail(t testing.TB, why string) {
	t.Helper()
	if required() {
		t.Fatalf("%s (LOBBY_BROWSER_TESTS=1, so this is a failure)", why)
	}
	t.Skipf("%s; set LOBBY_BROWSER_TESTS=1 to make this a failure", why)
}

// chromiumPath finds the browser: $LOBBY_CHROMIUM, /usr/bin/chromium, then
// the usual names on PATH. It returns "" and why when there is none.
func chromiumPath() (path, why string) {
	if p := os.Getenv("LOBBY_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", "LOBBY_CHROMIUM=" + p + " is not there"
		}
		return p, ""
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chromium-headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, ""
		}
	}
	return "", "no Chromium found: install Debian's chromium and fonts-noto-cjk, or set LOBBY_CHROMIUM"
}

// needBrowser skips or fails t when the browser tests cannot run here.
func needBrowser(t testing.TB) {
	t.Helper()
	if testing.Short() && !required() {
		t.Skip("browser test skipped in -short mode")
	}
	if p, why := chromiumPath(); p == "" {
		skipOrFail(t, why)
	}
}

func (h *harness) tempDir(t testing.TB) string {
	t.Helper()
	h.tmpOnce.Do(func() {
		h.tmp, h.tmpErr = os.MkdirTemp("", "lobby-e2e-")
		if h.tmpErr == nil {
			h.root, h.tmpErr = filepath.Abs("..")
		}
	})
	if h.tmpErr != nil {
		t.Fatal(h.tmpErr)
	}
	return h.tmp
}

// binary builds ./cmd/lobby once and returns its path.
func (h *harness) binary(t testing.TB) string {
	t.Helper()
	tmp := h.tempDir(t)
	h.binOnce.Do(func() {
		h.bin = filepath.Join(tmp, "lobby")
		cmd := exec.Command("go", "build", "-o", h.bin, "./cmd/lobby")
		cmd.Dir = h.root
		out, err := cmd.CombinedOutput()
		if err != nil {
			h.binErr = fmt.Errorf("go build ./cmd/lobby: %v\n%s", err, out)
		}
	})
	if h.binErr != nil {
		t.Fatal(h.binErr)
	}
	return h.bin
}

// copySite copies the demo site's config.toml and content/ (not public/
// nor .lobby/) into a new folder and returns it.
func (h *harness) copySite(t testing.TB) string {
	t.Helper()
	tmp := h.tempDir(t)
	dst, err := os.MkdirTemp(tmp, "site-")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config.toml", "content"} {
		if err := copyTree(filepath.Join(h.root, name), filepath.Join(dst, name)); err != nil {
			t.Fatalf("copy the demo site: %v", err)
		}
	}
	return dst
}

// copyTree copies the file or folder src to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// demoServer returns the shared server of the demo site, started once,
// with staff pages on (LOBBY_STAFF_TOKEN is h.staffToken).
func (h *harness) demoServer(t testing.TB) *lobbyServer {
	t.Helper()
	needBrowser(t)
	bin := h.binary(t)
	h.demoOnce.Do(func() {
		dir := h.copySite(t)
		// Every feedback journey posts from 127.0.0.1, more than the demo's
		// 10 a quarter-hour once tests run with -count; the limiter has
		// tests of its own in feedback/.
		if h.demoErr = noRateLimit(dir); h.demoErr != nil {
			return
		}
		h.demo, h.demoErr = startServer(bin, dir, []string{"LOBBY_STAFF_TOKEN=" + h.staffTokenOrNew()})
	})
	if h.demoErr != nil {
		t.Fatal(h.demoErr)
	}
	return h.demo
}

// rateLimitLine is the feedback rate limit's line in config.toml.
var rateLimitLine = regexp.MustCompile(`(?m)^rate_limit\s*=.*$`)

// noRateLimit turns the feedback rate limit off in the site at dir.
func noRateLimit(dir string) error {
	path := filepath.Join(dir, "config.toml")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !rateLimitLine.Match(b) {
		return fmt.Errorf("%s has no rate_limit line to turn off", path)
	}
	return os.WriteFile(path, rateLimitLine.ReplaceAll(b, []byte(`rate_limit = "off"`)), 0o644)
}

// newServer starts a server of its own for t, on a fresh copy of the demo
// site, with extra flags; it stops when t ends.
func (h *harness) newServer(t testing.TB, env []string, flags ...string) *lobbyServer {
	t.Helper()
	needBrowser(t)
	bin := h.binary(t)
	s, err := startServer(bin, h.copySite(t), env, flags...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("stop the server: %v", err)
		}
	})
	return s
}

func (h *harness) close() {
	for i := len(h.cleanups) - 1; i >= 0; i-- {
		h.cleanups[i]()
	}
	if h.browser != nil {
		h.browser.close()
	}
	if h.demo != nil {
		if err := h.demo.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: stop the demo server:", err)
		}
	}
	if h.tmp != "" {
		os.RemoveAll(h.tmp)
	}
}

// lobbyServer is a `lobby serve` child process.
type lobbyServer struct {
	URL string // "http://127.0.0.1:PORT", without the final slash
	Dir string // the site's folder
	cmd *exec.Cmd
	log *lockedBuffer
	// exited is closed when the process has ended; err is its Wait error.
	exited chan struct{}
	err    error
}

// startServer runs `lobby serve` on dir at siteNow with env added to the
// environment. It listens on 127.0.0.1:0, so the kernel picks a free port
// with no race between choosing and binding, and the port is read from
// the "serving on" line on standard output.
func startServer(bin, dir string, env []string, flags ...string) (*lobbyServer, error) {
	args := append([]string{"serve", "--source", dir, "--addr", "127.0.0.1:0", "--now", siteNow}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	s := &lobbyServer{Dir: dir, cmd: cmd, log: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = s.log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start lobby serve: %w", err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(s.log, line)
			if _, u, ok := strings.Cut(line, "serving on "); ok {
				select {
				case ready <- strings.TrimSuffix(strings.TrimSpace(u), "/"):
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	select {
	case u := <-ready:
		s.URL = u
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("lobby serve ended before serving (%v):\n%s", s.err, s.log.tail(4000))
	case <-time.After(serverStartTimeout):
		s.stop()
		return nil, fmt.Errorf("lobby serve did not say \"serving on\" within %v:\n%s", serverStartTimeout, s.log.tail(4000))
	}
}

// stop asks the server to finish (SIGINT, as Ctrl-C), and kills it if it
// has not ended within 20 seconds (its requests in flight have 10).
func (s *lobbyServer) stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("lobby serve did not stop on SIGINT within 20s; killed it:\n%s", s.log.tail(2000))
	}
	var exit *exec.ExitError
	if s.err != nil && !errors.As(s.err, &exit) {
		return s.err
	}
	return nil
}

// lockedBuffer collects a server's output for error messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 { // keep the last megabyte or so
		rest := b.buf.Bytes()[b.buf.Len()-(1<<19):]
		b.buf = *bytes.NewBuffer(append([]byte(nil), rest...))
	}
	return b.buf.Write(p)
}

// tail returns the last n bytes written.
func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}

// repoFile returns the path of a file in the repository.
func (h *harness) repoFile(t testing.TB, rel string) string {
	t.Helper()
	h.tempDir(t)
	return filepath.Join(h.root, filepath.FromSlash(rel))
}
