package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// answer is a stand-in for a handler written elsewhere: it names itself and
// breaks the header rules the server must mend.
func answer(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Powered-By", "PHP/5.1")
		w.Header().Set("Server", "lobby/1.2.3")
		fmt.Fprintf(w, `{"handler":%q}`, name)
	})
}

// every response carries the security headers.
func TestSecurityHeaders(t *testing.T) {
	dir := newSite(t)
	h := New(Config{Dir: dir, Search: answer("search")})
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/", 200},
		{"GET", "/about/", 200},
		{"GET", "/missing", 404},
		{"GET", "/api/v1/site.json", 200},
		{"GET", "/api/v1/search?q=停水", 200},
		{"GET", "/healthz", 200},
		{"GET", "/../etc/passwd", 400},
		{"POST", "/", 405},
		{"GET", "/about", 301},
	}
	for _, tc := range tests {
		res, _ := get(t, h, tc.method, tc.path, map[string]string{"Accept-Encoding": "gzip"})
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: StatusCode=%d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
		}
		want := map[string]string{
			"Content-Security-Policy": contentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
			"X-Powered-By":            "",
			"Server":                  "",
		}
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s %s: %s=%q, want %q", tc.method, tc.path, k, got, v)
			}
		}
		if ct := res.Header.Get("Content-Type"); tc.status != 301 && !strings.Contains(ct, "charset=utf-8") {
			t.Errorf("%s %s: Content-Type=%q, want charset=utf-8", tc.method, tc.path, ct)
		}
	}
	for _, directive := range []string{"default-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "object-src 'none'", "base-uri 'self'", "script-src 'self'"} {
		if !strings.Contains(contentSecurityPolicy, directive) {
			t.Errorf("CSP lacks %q", directive)
		}
	}
	if strings.Contains(contentSecurityPolicy, "unsafe-inline") {
		t.Errorf("CSP allows inline code")
	}
}

// Handlers given are mounted at their paths; absent ones leave those paths
// to the static files.
func TestMountedHandlers(t *testing.T) {
	dir := newSite(t)
	all := New(Config{Dir: dir, Search: answer("search"), SearchPage: answer("page"), Feedback: answer("feedback")})
	none := New(Config{Dir: dir})
	tests := []struct {
		method, path string
		want         string // handler name, or "" for the static files
	}{
		{"GET", "/api/v1/search?q=x", "search"},
		{"GET", "/search?q=x", "page"},
		{"POST", "/api/v1/feedback", "feedback"},
		{"GET", "/feedback/thanks/?ref=ABC", "feedback"},
		{"GET", "/feedback/status?ref=ABC", "feedback"},
		{"GET", "/api/v1/staff/cases", "feedback"},
		{"POST", "/api/v1/staff/cases/ABC", "feedback"},
		{"GET", "/staff/", "feedback"},
		{"GET", "/about/", ""},
		{"GET", "/api/v1/site.json", ""},
	}
	for _, tc := range tests {
		_, body := get(t, all, tc.method, tc.path, nil)
		if got := strings.Contains(body, `"handler"`); got != (tc.want != "") || !strings.Contains(body, tc.want) {
			t.Errorf("all handlers: %s %s: body=%.60q, want handler %q", tc.method, tc.path, body, tc.want)
		}
		res, body := get(t, none, tc.method, tc.path, nil)
		if strings.Contains(body, `"handler"`) {
			t.Errorf("no handlers: %s %s: answered by a handler", tc.method, tc.path)
		}
		if tc.want != "" && res.StatusCode != 404 && res.StatusCode != 405 {
			t.Errorf("no handlers: %s %s: StatusCode=%d, want 404 or 405", tc.method, tc.path, res.StatusCode)
		}
	}
}

func TestHealthz(t *testing.T) {
	res, body := get(t, New(Config{Dir: t.TempDir()}), "GET", "/healthz", nil)
	if res.StatusCode != 200 || body != "ok" {
		t.Errorf("StatusCode=%d body=%q, want 200 ok", res.StatusCode, body)
	}
}

// The access log has one line per request and no query string or client
// address.
func TestAccessLog(t *testing.T) {
	dir := newSite(t)
	var buf bytes.Buffer
	h := New(Config{Dir: dir, Logger: slog.New(slog.NewTextHandler(&buf, nil)), Search: answer("search")})
	requests := []struct{ method, target string }{
		{"GET", "/about/?name=Zhang+San&phone=13800000000"},
		{"GET", "/api/v1/search?q=secret-words"},
		{"GET", "/missing?ref=R-12345"},
		{"HEAD", "/"},
	}
	for _, rq := range requests {
		get(t, h, rq.method, rq.target, map[string]string{"X-Forwarded-For": "203.0.113.9"})
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(requests) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(requests), buf.String())
	}
	for i, want := range []string{
		"method=GET path=/about/ status=200",
		"method=GET path=/api/v1/search status=200",
		"method=GET path=/missing status=404",
		"method=HEAD path=/ status=200",
	} {
		if !strings.Contains(lines[i], want) || !strings.Contains(lines[i], "bytes=") || !strings.Contains(lines[i], "duration=") {
			t.Errorf("line %d = %q, want %q with bytes and duration", i, lines[i], want)
		}
	}
	for _, leak := range []string{"Zhang", "13800000000", "secret-words", "R-12345", "?", "192.0.2.1", "203.0.113.9"} {
		if strings.Contains(buf.String(), leak) {
			t.Errorf("log holds %q:\n%s", leak, buf.String())
		}
	}
}

func TestBodyLimit(t *testing.T) {
	var readErr error
	fb := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	})
	h := New(Config{Dir: t.TempDir(), Feedback: fb, MaxBodyBytes: 1000})
	req := func(n int, chunked bool) *http.Request {
		var body io.Reader = strings.NewReader(strings.Repeat("x", n))
		if chunked {
			body = io.MultiReader(body) // hides the length
		}
		r, _ := http.NewRequest("POST", "/api/v1/feedback", body)
		r.Host = "localhost"
		return r
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req(2000, false))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("Content-Length 2000: StatusCode=%d, want 413", rec.Code)
	}
	readErr = nil
	h.ServeHTTP(httptest.NewRecorder(), req(2000, true))
	var mbe *http.MaxBytesError
	if !errors.As(readErr, &mbe) {
		t.Errorf("unknown length 2000: handler read error=%v, want *http.MaxBytesError", readErr)
	}
	readErr = errors.New("not called")
	h.ServeHTTP(httptest.NewRecorder(), req(500, true))
	if readErr != nil {
		t.Errorf("500 bytes: handler read error=%v, want nil", readErr)
	}
}

// running is a Server serving on 127.0.0.1 for a test.
type running struct {
	addr   string
	cancel context.CancelFunc
	done   chan struct{} // closed when Serve has returned err
	err    error
}

// startServer runs s on 127.0.0.1:0 until the test ends.
func startServer(t *testing.T, s *Server) *running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{addr: ln.Addr().String(), cancel: cancel, done: make(chan struct{})}
	go func() {
		r.err = s.Serve(ctx, ln)
		close(r.done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(15 * time.Second):
			t.Error("server did not stop")
		}
	})
	return r
}

// 20 KiB of headers is refused with 431.
func TestHeaderTooLarge(t *testing.T) {
	addr := startServer(t, New(Config{Dir: newSite(t)})).addr
	for _, tc := range []struct {
		size int
		want int
	}{{20 << 10, http.StatusRequestHeaderFieldsTooLarge}, {8 << 10, http.StatusOK}} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", tc.size))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("size=%d: %v", tc.size, err)
		}
		res.Body.Close()
		conn.Close()
		if res.StatusCode != tc.want {
			t.Errorf("header size=%d: StatusCode=%d, want %d", tc.size, res.StatusCode, tc.want)
		}
	}
}

// a client that never finishes its header is cut off by
// ReadHeaderTimeout, while others are served.
func TestSlowHeaderClosed(t *testing.T) {
	addr := startServer(t, New(Config{Dir: newSite(t), ReadHeaderTimeout: 200 * time.Millisecond})).addr
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("a normal request beside the slow one: %v", err)
	}
	res.Body.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the connection was still open after 5 s: %v", err)
	}
}

// a body sent at a trickle is cut at ReadTimeout; the
// handler sees an error and so stores nothing.
func TestSlowBodyCut(t *testing.T) {
	readErr := make(chan error, 1)
	fb := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		readErr <- err
	})
	addr := startServer(t, New(Config{Dir: t.TempDir(), Feedback: fb, ReadTimeout: 300 * time.Millisecond})).addr
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /api/v1/feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{")
	select {
	case err := <-readErr:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("handler read error=%v, want a timeout", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the slow body was not cut within 10 s")
	}
}

// cancelling ctx lets requests in flight finish and
// refuses new connections.
func TestGracefulShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	srv := startServer(t, New(Config{Dir: t.TempDir(), Search: slow}))
	addr := srv.addr

	type result struct {
		status int
		body   string
		err    error
	}
	inflight := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/api/v1/search?q=x")
		if err != nil {
			inflight <- result{err: err}
			return
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		inflight <- result{res.StatusCode, string(b), err}
	}()
	select {
	case <-entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the request never reached the handler")
	}
	srv.cancel()

	// The listener closes while the request is still running.
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections still accepted 5 s after cancel")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	select {
	case r := <-inflight:
		if r.err != nil || r.status != 200 || r.body != "finished" {
			t.Errorf("in-flight request: status=%d body=%q err=%v, want 200 finished", r.status, r.body, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the in-flight request never finished")
	}
	select {
	case <-srv.done:
		if srv.err != nil {
			t.Errorf("Serve=%v, want nil after a graceful shutdown", srv.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
}
