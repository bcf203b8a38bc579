package main

// Tests that run the real lobby binary as a child process and end it the
// hard way: SIGKILL at random moments, a failpoint between
// commit and answer, SIGTERM with requests in flight, and a look
// at what it logged. The binary is built once per test run, from this
// package's folder, with the go command that runs the tests.

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/postgres/pgtest"
	"github.com/lobby-community/lobby/feedback/sqlite"
	"github.com/lobby-community/lobby/internal/msg"
)

// The crash test's size. A normal run takes a few seconds; go test -tags
// crash runs the full harness (feedback_crash_tag_test.go).
var (
	crashKills          = 5
	crashMinSubmissions = 300
	crashWorkers        = 8
)

// lobbyBin is the lobby binary the tests in this file run, built once.
var lobbyBin struct {
	once      sync.Once
	dir, path string
	err       error
}

func TestMain(m *testing.M) {
	code := pgtest.Main(m) // stops the PostgreSQL cluster a test started
	if lobbyBin.dir != "" {
		os.RemoveAll(lobbyBin.dir)
	}
	os.Exit(code)
}

// lobbyBinary builds lobby (go build of this folder) on first use and
// returns its path. With -short, the test is skipped instead.
func lobbyBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds lobby and runs it as a child process")
	}
	lobbyBin.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			lobbyBin.err = fmt.Errorf("no go command to build lobby with: %w", err)
			return
		}
		if lobbyBin.dir, lobbyBin.err = os.MkdirTemp("", "lobby-bin-"); lobbyBin.err != nil {
			return
		}
		lobbyBin.path = filepath.Join(lobbyBin.dir, "lobby")
		if out, err := exec.Command(goTool, "build", "-o", lobbyBin.path, ".").CombinedOutput(); err != nil {
			lobbyBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if lobbyBin.err != nil {
		t.Fatal(lobbyBin.err)
	}
	return lobbyBin.path
}

// childEnv is the tests' environment for a child, without the variables
// that change how lobby serve behaves, plus extra.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, feedback.FailpointEnv+"=") && !strings.HasPrefix(kv, staffTokenEnv+"=") {
			env = append(env, kv)
		}
	}
	// Children print English, as the tests assert, whatever the site's
	// language; an extra LOBBY_LANG comes later and wins.
	env = append(env, msg.EnvVar+"=en")
	return append(env, extra...)
}

// runBinary runs the lobby binary with args and fails the test unless it
// succeeds.
func runBinary(t testing.TB, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lobby %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// processSite makes a site with lobby init, turns rate limiting off (these
// tests send hundreds of submissions from one address), adds extra to the
// [feedback] table, and builds it once with lobby build. It returns the
// site's folder.
func processSite(t testing.TB, bin, extra string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	runBinary(t, bin, "init", dir)
	path := filepath.Join(dir, "config.toml")
	cfg := readFile(t, path)
	rate := regexp.MustCompile(`(?m)^rate_limit = .*$`)
	if !rate.MatchString(cfg) {
		t.Fatalf("config.toml of lobby init has no rate_limit line:\n%s", cfg)
	}
	cfg = rate.ReplaceAllLiteralString(cfg, `rate_limit = "off"`+extra)
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	runBinary(t, bin, "build", "--quiet", "--source", dir)
	return dir
}

// freeAddr returns a loopback address with a port that was free a moment
// ago. Every run of a server in one test uses it, so that clients keep
// one URL across restarts.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// lockedBuffer is a bytes.Buffer safe for a writer and readers at once; when
// signal is set, ready is closed once the text holds it.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	signal string
	ready  chan struct{}
	once   sync.Once
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.signal != "" && strings.Contains(b.buf.String(), b.signal) {
		b.once.Do(func() { close(b.ready) })
	}
	return n, err
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveProcess is one run of lobby serve as a child process.
type serveProcess struct {
	cmd    *exec.Cmd
	stdout *lockedBuffer
	stderr *lockedBuffer
	exited chan struct{} // closed once the process has ended
	err    error         // what Wait returned; read after exited is closed
}

// startServeProcess runs lobby serve --no-build on the site in dir at addr,
// with extra environment variables, and returns once it prints "serving
// on". The test's cleanup kills it if it still runs.
func startServeProcess(t testing.TB, bin, dir, addr string, env ...string) *serveProcess {
	t.Helper()
	p := &serveProcess{
		stdout: &lockedBuffer{signal: "serving on http://" + addr + "/", ready: make(chan struct{})},
		stderr: &lockedBuffer{},
		exited: make(chan struct{}),
	}
	p.cmd = exec.Command(bin, "serve", "--no-build", "--source", dir, "--addr", addr)
	p.cmd.Env = childEnv(env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	p.cmd.WaitDelay = 5 * time.Second // a notify command left running must not hold Wait
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	select {
	case <-p.stdout.ready:
		return p
	case <-p.exited:
		t.Fatalf("lobby serve ended before serving: %v\nstdout:\n%s\nstderr:\n%s", p.err, p.stdout, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("lobby serve did not print %q within 30s\nstderr:\n%s", p.stdout.signal, p.stderr)
	}
	return nil
}

// wait waits at most d for the process to end and returns what Wait
// returned, failing the test when it does not end in time.
func (p *serveProcess) wait(t testing.TB, d time.Duration) error {
	t.Helper()
	select {
	case <-p.exited:
		return p.err
	case <-time.After(d):
		t.Fatalf("lobby serve still runs %v later\nstderr:\n%s", d, p.stderr)
		return nil
	}
}

// kill ends the process with SIGKILL and waits for it.
func (p *serveProcess) kill(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	p.wait(t, 10*time.Second)
}

// stop sends SIGTERM and fails the test unless the process ends within
// 10 s with status 0.
func (p *serveProcess) stop(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	if err := p.wait(t, 10*time.Second); err != nil {
		t.Errorf("lobby serve after SIGTERM: %v\nstderr:\n%s", err, p.stderr)
	}
}

// submission is one resident's submission as a test sends it.
type submission struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Contact  string `json:"contact"`
	Message  string `json:"message"`
	Consent  bool   `json:"consent"`
	Key      string `json:"key"`
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	crand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newSubmission makes a submission with a fresh key, which its message
// repeats.
func newSubmission(worker, n int) submission {
	key := newUUID()
	return submission{
		Category: "repair",
		Name:     fmt.Sprintf("Resident %d-%d", worker, n),
		Unit:     fmt.Sprintf("%d-%d", worker+1, 100+n%900),
		Contact:  fmt.Sprintf("+86 138 %04d %04d", worker, n%10000),
		Message:  "楼道灯坏了 key " + key + "\nplease fix",
		Consent:  true,
		Key:      key,
	}
}

func (s submission) body() []byte {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return b
}

// postFeedback sends body as a JSON submission once and returns the status
// and the reference of a 201, or the error of a request that got no answer.
func postFeedback(client *http.Client, base string, body []byte) (int, string, error) {
	resp, err := client.Post(base+"/api/v1/feedback", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var v struct {
		Ref string `json:"ref"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil && resp.StatusCode == http.StatusCreated {
		return 0, "", fmt.Errorf("reading the answer: %w", err) // cut off: no acknowledgement
	}
	return resp.StatusCode, v.Ref, nil
}

// submitUntilAcked sends s until it is acknowledged with 201, retrying the
// same key with backoff when the server cannot be reached or answers 5xx,
// for at most 30 s or until quit is set. Any other answer is an error.
func submitUntilAcked(client *http.Client, base string, s submission, quit *atomic.Bool) (string, error) {
	body := s.body()
	deadline := time.Now().Add(30 * time.Second)
	backoff := 5 * time.Millisecond
	for {
		code, ref, err := postFeedback(client, base, body)
		if err == nil && code == http.StatusCreated {
			return ref, nil
		}
		if err == nil && code < 500 {
			return "", fmt.Errorf("key %s: answered %d", s.Key, code)
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("key %s: not acknowledged within 30s: status %d, %v", s.Key, code, err)
		}
		if quit.Load() {
			return "", fmt.Errorf("key %s: not acknowledged when the test gave up: status %d, %v", s.Key, code, err)
		}
		time.Sleep(backoff/2 + rand.N(backoff))
		backoff = min(2*backoff, 400*time.Millisecond)
	}
}

// checkStore opens the site's feedback store directly and checks that
// PRAGMA integrity_check is ok, that every acknowledged key is stored
// exactly once, under the reference it was acknowledged with and with the
// fields that were sent, and that no key is stored that was never sent. It
// returns the number of cases stored.
func checkStore(t *testing.T, dir string, sent map[string]submission, acked map[string]string) int {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, ".lobby", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	cases, err := db.Cases(ctx, feedback.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return checkCases(t, cases, sent, acked)
}

// checkCases checks that every acknowledged key is among cases exactly
// once, under the reference it was acknowledged with and with the fields
// that were sent, and that no key is there that was never sent. It returns
// the number of cases.
func checkCases(t *testing.T, cases []*feedback.Case, sent map[string]submission, acked map[string]string) int {
	t.Helper()
	times := map[string]int{}
	for _, c := range cases {
		times[c.Key]++
		s, ok := sent[c.Key]
		if !ok {
			t.Errorf("case %s has key %q, which no client sent", c.Ref, c.Key)
			continue
		}
		got := submission{Category: string(c.Category), Name: c.Name, Unit: c.Unit, Contact: c.Contact, Message: c.Message, Consent: true, Key: c.Key}
		if got != s {
			t.Errorf("case %s is stored as %+v, sent as %+v", c.Ref, got, s)
		}
		if ref, ok := acked[c.Key]; ok && ref != c.Ref {
			t.Errorf("key %s was acknowledged as %s, is stored as %s", c.Key, ref, c.Ref)
		}
	}
	for key := range acked {
		if times[key] != 1 {
			t.Errorf("acknowledged key %s is stored %d times, want 1", key, times[key])
		}
	}
	return len(cases)
}

// lobby serve takes submissions from several
// goroutines, is killed with SIGKILL at random moments and restarted on the
// same folder, several times; every acknowledged key is then stored exactly
// once with what was sent, and PRAGMA integrity_check is ok. go test -tags
// crash runs the longer version.
func TestFeedbackCrashServeKeepsAcknowledged(t *testing.T) {
	bin := lobbyBinary(t)
	began := time.Now()
	dir := processSite(t, bin, "")
	addr := freeAddr(t)
	base := "http://" + addr
	var current atomic.Pointer[serveProcess]
	current.Store(startServeProcess(t, bin, dir, addr))

	transport := &http.Transport{MaxIdleConnsPerHost: crashWorkers}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	clients := startCrashClients(t, func(_, _ int, s submission, quit *atomic.Bool) (string, error) {
		return submitUntilAcked(client, base, s, quit)
	})
	kills := 0
	for range crashKills {
		time.Sleep(50*time.Millisecond + rand.N(450*time.Millisecond))
		current.Load().kill(t)
		kills++
		current.Store(startServeProcess(t, bin, dir, addr))
	}
	clients.finish()
	current.Load().stop(t)

	stored := checkStore(t, dir, clients.sent, clients.acked)
	clients.check(t, stored)
	t.Logf("%d SIGKILLs, %d workers: %d keys sent, %d acknowledged, %d stored; %v", kills, crashWorkers, len(clients.sent), len(clients.acked), stored, time.Since(began).Round(time.Millisecond))
}

// crashClients are the clients of a crash test: crashWorkers goroutines
// that each send new submissions one after the other, every one retried by
// submit until it is acknowledged, for as long as the test kills servers
// and then until crashMinSubmissions are acknowledged in all.
type crashClients struct {
	mu      sync.Mutex
	sent    map[string]submission
	acked   map[string]string // key → ref
	done    atomic.Int64
	killing atomic.Bool
	failed  atomic.Bool
	wg      sync.WaitGroup
}

// startCrashClients starts the clients; submit gets the worker's number and
// its submission's, so that it can spread attempts over servers.
func startCrashClients(t *testing.T, submit func(w, n int, s submission, quit *atomic.Bool) (string, error)) *crashClients {
	c := &crashClients{sent: map[string]submission{}, acked: map[string]string{}}
	c.killing.Store(true)
	t.Cleanup(func() {
		// Let the clients go when the test ends early.
		c.failed.Store(true)
		c.wg.Wait()
	})
	for w := range crashWorkers {
		c.wg.Go(func() {
			for n := 0; !c.failed.Load() && (c.killing.Load() || c.done.Load() < int64(crashMinSubmissions)); n++ {
				s := newSubmission(w, n)
				c.mu.Lock()
				c.sent[s.Key] = s
				c.mu.Unlock()
				ref, err := submit(w, n, s, &c.failed)
				if err != nil {
					t.Error(err)
					c.failed.Store(true)
					return
				}
				c.mu.Lock()
				c.acked[s.Key] = ref
				c.mu.Unlock()
				c.done.Add(1)
			}
		})
	}
	return c
}

// finish tells the clients that no more servers will be killed and waits
// until they have sent their share.
func (c *crashClients) finish() {
	c.killing.Store(false)
	c.wg.Wait()
}

// check compares the number of cases stored with what the clients saw
// acknowledged: each client retried its key until it was, so the two are
// equal unless a client failed (and that failure is reported already).
func (c *crashClients) check(t *testing.T, stored int) {
	t.Helper()
	if !c.failed.Load() && stored != len(c.acked) {
		t.Errorf("%d cases stored, %d acknowledged", stored, len(c.acked))
	}
	if len(c.acked) < crashMinSubmissions {
		t.Errorf("only %d submissions acknowledged, want at least %d", len(c.acked), crashMinSubmissions)
	}
}

// with LOBBY_FAILPOINT=after-commit, lobby serve exits
// with status 137 after committing a new case and before answering; the
// client's retry with the same key, to the restarted server, gets the case
// already stored, which stays stored once.
func TestFeedbackFailpointAfterCommit(t *testing.T) {
	bin := lobbyBinary(t)
	dir := processSite(t, bin, "")
	addr := freeAddr(t)
	base := "http://" + addr
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

	p := startServeProcess(t, bin, dir, addr, feedback.FailpointEnv+"="+feedback.FailpointAfterCommit)
	s := newSubmission(0, 0)
	if code, _, err := postFeedback(client, base, s.body()); err == nil {
		t.Fatalf("the failpoint did not fire: the server answered %d", code)
	}
	var exit *exec.ExitError
	if err := p.wait(t, 10*time.Second); !errors.As(err, &exit) || exit.ExitCode() != 137 {
		t.Fatalf("lobby serve ended with %v, want exit status 137\nstderr:\n%s", err, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "failpoint after-commit") {
		t.Errorf("stderr does not name the failpoint:\n%s", p.stderr)
	}

	// The case was committed before the process ended, unanswered.
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, ".lobby", "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	cases, err := db.Cases(context.Background(), feedback.Filter{})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1 || cases[0].Key != s.Key {
		t.Fatalf("after the failpoint the store holds %d cases, want the one sent", len(cases))
	}
	ref := cases[0].Ref

	// The retry, without the failpoint, answers with the stored case.
	p = startServeProcess(t, bin, dir, addr)
	code, got, err := postFeedback(client, base, s.body())
	if err != nil || code != http.StatusCreated || got != ref {
		t.Errorf("retry: %d %q %v, want 201 with the stored reference %s", code, got, err, ref)
	}
	// A new submission is stored and answered as usual: without the
	// variable, the failpoint is off.
	s2 := newSubmission(0, 1)
	code, ref2, err := postFeedback(client, base, s2.body())
	if err != nil || code != http.StatusCreated {
		t.Errorf("new submission: %d %v", code, err)
	}
	p.stop(t)
	if !strings.Contains(p.stderr.String(), `msg="feedback retry" ref=`+ref) {
		t.Errorf("the restarted server did not log the retry of %s:\n%s", ref, p.stderr)
	}
	if n := checkStore(t, dir, map[string]submission{s.Key: s, s2.Key: s2}, map[string]string{s.Key: ref, s2.Key: ref2}); n != 2 {
		t.Errorf("%d cases stored, want 2", n)
	}
}

// gatedReader is a request body that gives nothing until gate is closed.
type gatedReader struct {
	gate <-chan struct{}
	r    io.Reader
}

func (g *gatedReader) Read(p []byte) (int, error) {
	<-g.gate
	return g.r.Read(p)
}

// SIGTERM with 50 submissions in flight. Each is held in
// its handler (its body is sent only after "100 Continue", and then only
// once the signal is sent) while other clients keep submitting. New
// connections are refused at once, the 50 are answered 201 and stored,
// as is every other acknowledged submission, and the process exits with
// status 0 within 10 s of the signal.
func TestFeedbackShutdownKeepsInFlight(t *testing.T) {
	bin := lobbyBinary(t)
	dir := processSite(t, bin, "")
	addr := freeAddr(t)
	base := "http://" + addr
	p := startServeProcess(t, bin, dir, addr)

	const inFlight = 50
	var (
		mu    sync.Mutex
		sent  = map[string]submission{}
		acked = map[string]string{}
		wg    sync.WaitGroup

		heldAcked, freeAcked, refused atomic.Int64
	)
	record := func(s submission, ref string) {
		mu.Lock()
		defer mu.Unlock()
		acked[s.Key] = ref
	}
	gate := make(chan struct{})
	release := sync.OnceFunc(func() { close(gate) })
	defer func() {
		// When the test ends early, let the clients go.
		release()
		p.cmd.Process.Kill()
		wg.Wait()
	}()
	handling := make(chan struct{}, inFlight) // one per handler reading its body
	held := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 30 * time.Second, MaxConnsPerHost: inFlight}, Timeout: 30 * time.Second}
	heldErrs := make(chan error, inFlight)
	for i := range inFlight {
		s := newSubmission(i, 0)
		sent[s.Key] = s
		wg.Go(func() {
			body := s.body()
			trace := &httptrace.ClientTrace{Got100Continue: func() { handling <- struct{}{} }}
			req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
				"POST", base+"/api/v1/feedback", &gatedReader{gate: gate, r: bytes.NewReader(body)})
			req.ContentLength = int64(len(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Expect", "100-continue")
			resp, err := held.Do(req)
			if err != nil {
				heldErrs <- fmt.Errorf("key %s: %w", s.Key, err)
				return
			}
			defer resp.Body.Close()
			var v struct {
				Ref string `json:"ref"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusCreated {
				heldErrs <- fmt.Errorf("key %s: answered %d, %v", s.Key, resp.StatusCode, err)
				return
			}
			record(s, v.Ref)
			heldAcked.Add(1)
		})
	}
	// Other clients submit without pause until they can no longer connect.
	free := &http.Client{Timeout: 10 * time.Second}
	for w := range 4 {
		wg.Go(func() {
			for n := 1; ; n++ {
				s := newSubmission(100+w, n)
				mu.Lock()
				sent[s.Key] = s
				mu.Unlock()
				code, ref, err := postFeedback(free, base, s.body())
				if err != nil {
					refused.Add(1)
					return
				}
				if code != http.StatusCreated {
					t.Errorf("key %s: answered %d", s.Key, code)
					return
				}
				record(s, ref)
				freeAcked.Add(1)
			}
		})
	}
	for range inFlight {
		select {
		case <-handling:
		case <-time.After(30 * time.Second):
			t.Fatal("the 50 submissions did not all reach their handler within 30s")
		}
	}
	for deadline := time.Now().Add(30 * time.Second); freeAcked.Load() < 20; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the other clients were not answered within 30s")
		}
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	signalled := time.Now()
	// New connections are refused while the 50 are still held.
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			// A connect that races the listener's close is reset rather
			// than refused; both mean the server took no new connection.
			if !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("a connection after SIGTERM: %v, want connection refused", err)
			}
			break
		}
		conn.Close()
		if time.Since(signalled) > 10*time.Second {
			t.Fatal("connections are still accepted 10s after SIGTERM")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case <-p.exited:
		t.Fatalf("lobby serve exited with 50 requests in flight: %v", p.err)
	default:
	}
	release()
	wg.Wait()
	close(heldErrs)
	for err := range heldErrs {
		t.Errorf("a submission in flight at SIGTERM: %v", err)
	}
	select {
	case <-p.exited:
	case <-time.After(time.Until(signalled.Add(10 * time.Second))):
		t.Fatalf("lobby serve still runs 10s after SIGTERM\nstderr:\n%s", p.stderr)
	}
	if p.err != nil {
		t.Errorf("lobby serve after SIGTERM: %v\nstderr:\n%s", p.err, p.stderr)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("a connection was accepted after lobby serve exited")
	}

	stored := checkStore(t, dir, sent, acked)
	if heldAcked.Load() != inFlight {
		t.Errorf("%d of the %d submissions in flight at SIGTERM were acknowledged", heldAcked.Load(), inFlight)
	}
	t.Logf("%d in flight at SIGTERM, %d acknowledged in all, %d stored; %d free clients refused after SIGTERM", inFlight, len(acked), stored, refused.Load())
}

// what lobby serve logs about submissions holds no names,
// units, phone numbers, addresses or messages: not for a new case, a retry,
// a reused key, a refused or too large submission, a form shown again, the
// honeypot, the status page, the staff API (a note included) or a failing
// notify command that echoes the case it gets.
func TestFeedbackLogsHoldNoPersonalData(t *testing.T) {
	bin := lobbyBinary(t)
	tmp := t.TempDir()
	notify := filepath.Join(tmp, "notify.sh")
	// The command echoes the case (JSON on its standard input) to both
	// outputs and fails.
	if err := os.WriteFile(notify, []byte("#!/bin/sh\ntee /dev/stderr\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := processSite(t, bin, "\nnotify_command = \""+notify+"\"")
	addr := freeAddr(t)
	base := "http://" + addr
	const token = "log-test-token-0123456789abcdefghij"
	p := startServeProcess(t, bin, dir, addr, staffTokenEnv+"="+token)

	// The personal data, each piece distinctive enough to find in a log.
	const (
		name    = "Zhuang Wenqian 庄文倩"
		unit    = "17-2304"
		phone   = "+86 139 1234 5678"
		email   = "wenqian.zhuang@example.com"
		message = "Water is leaking above the stairwell, 楼上漏水很严重"
		note    = "called Zhuang back on 13912345678"
	)
	needles := []string{"Zhuang", "Wenqian", "庄文倩", unit, "1234 5678", "13912345678", "wenqian.zhuang", "leaking", "stairwell", "漏水", "called"}

	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	do := func(method, path, contentType, body string, want int, header ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s %s: %d, want %d", method, path, resp.StatusCode, want)
		}
		return resp
	}
	js := func(v map[string]any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	key := newUUID()
	full := map[string]any{"category": "repair", "name": name, "unit": unit, "contact": phone, "message": message, "consent": true, "key": key}
	loc := do("POST", "/api/v1/feedback", "application/json", js(full), 201).Header.Get("Location")
	ref := strings.TrimPrefix(loc, "/feedback/status?ref=")
	if ref == loc || ref == "" {
		t.Fatalf("Location %q has no reference", loc)
	}
	do("POST", "/api/v1/feedback", "application/json", js(full), 201) // a retry
	reused := map[string]any{"category": "repair", "name": name, "unit": unit, "contact": email, "message": message + " again", "consent": true, "key": key}
	do("POST", "/api/v1/feedback", "application/json", js(reused), 422)
	noConsent := map[string]any{"category": "repair", "name": name, "unit": unit, "contact": phone, "message": message}
	do("POST", "/api/v1/feedback", "application/json", js(noConsent), 400)
	do("POST", "/api/v1/feedback", "application/json", `{"name": "`+name+`", "message": `, 400)
	do("POST", "/api/v1/feedback", "text/plain", message+" "+phone, 415)
	do("POST", "/api/v1/feedback", "application/json", `{"name": "`+name+`", "message": "`+strings.Repeat(message, 2000)+`"}`, 413)
	form := url.Values{"category": {"complaint"}, "name": {name}, "unit": {unit}, "contact": {email}, "message": {message}, "consent": {"on"}}
	do("POST", "/api/v1/feedback", "application/x-www-form-urlencoded", form.Encode(), 303)
	form.Del("consent")
	do("POST", "/api/v1/feedback", "application/x-www-form-urlencoded", form.Encode(), 400) // the form again
	form.Set("consent", "on")
	form.Set("website", "http://spam.example/"+email)
	do("POST", "/api/v1/feedback", "application/x-www-form-urlencoded", form.Encode(), 303) // the honeypot
	do("POST", "/api/v1/feedback", "application/json", js(full), 403, "Sec-Fetch-Site", "cross-site")
	do("GET", "/feedback/status?ref="+ref, "", "", 200)
	do("GET", "/feedback/thanks/?ref="+ref, "", "", 200)

	auth := []string{"Authorization", "Bearer " + token}
	do("GET", "/api/v1/staff/feedback", "", "", 200, auth...)
	do("GET", "/api/v1/staff/feedback/"+ref, "", "", 200, auth...)
	do("GET", "/api/v1/staff/feedback/export.csv", "", "", 200, auth...)
	do("POST", "/api/v1/staff/feedback/"+ref+"/status", "application/json", js(map[string]any{"status": "in_progress", "note": note}), 200, auth...)
	do("POST", "/api/v1/staff/feedback/"+ref+"/status", "application/json", js(map[string]any{"status": "received", "note": note}), 409, auth...)
	do("GET", "/api/v1/staff/feedback", "", "", 401, "Authorization", "Bearer "+name)
	p.stop(t) // waits for the notify commands, so their failures are logged

	logs := p.stderr.String()
	for _, n := range needles {
		if strings.Contains(logs, n) {
			t.Errorf("the log holds %q:\n%s", n, logs)
		}
	}
	// The log was read at all: it has the lines these requests make.
	for _, want := range []string{`msg="feedback received" ref=` + ref, `msg="feedback retry" ref=` + ref, `msg="feedback honeypot"`, `msg="feedback status" ref=` + ref, `msg="feedback notify failed" ref=` + ref, "status=413"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
}
