package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lobby serve takes its connection caps from config.toml's [server].
func TestServeConnectionCapFromConfig(t *testing.T) {
	dir := newSite(t)
	cfg := filepath.Join(dir, "config.toml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append(b, "\n[server]\nmax_connections_per_client = 2\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--source", dir, "--now", testNow)
	addr := strings.TrimPrefix(base, "http://")
	served := 0
	for range 4 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			continue
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
		if res, err := http.ReadResponse(bufio.NewReader(conn), nil); err == nil && res.StatusCode == 200 {
			served++
		}
	}
	if served != 2 {
		t.Errorf("%d of 4 kept-alive connections from one address served, want 2", served)
	}
}

// A weak staff token is refused when serve starts, saying why, and the
// staff routes stay off while the site is served.
func TestServeRefusesWeakStaffToken(t *testing.T) {
	dir := newSite(t)
	base, logs := startServeToken(t, "1", "--source", dir, "--now", testNow)
	if code, _ := get(t, base+"/"); code != 200 {
		t.Errorf("GET / = %d, want 200", code)
	}
	for _, path := range []string{"/staff/", "/api/v1/staff/feedback"} {
		if code, _ := get(t, base+path); code != 404 {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
	}
	if log := logs.String(); !strings.Contains(log, "staff pages and API are off") || !strings.Contains(log, "LOBBY_STAFF_TOKEN") {
		t.Errorf("the log does not say why the staff pages are off:\n%s", log)
	}
}

// Past the limit on status lookups, the theme's status page says so.
func TestServeStatusLookupsLimitedInTheme(t *testing.T) {
	dir := newSite(t)
	base := startServe(t, "--source", dir, "--now", testNow)
	var code int
	var body string
	for range 61 {
		code, body = get(t, base+"/feedback/status?ref=ABCD2345")
	}
	if code != http.StatusTooManyRequests || !strings.Contains(body, "查询过于频繁") || strings.Contains(body, "没有找到") {
		t.Errorf("61st lookup: %d, want 429 with the theme's sentence for it\n%s", code, body)
	}
}
