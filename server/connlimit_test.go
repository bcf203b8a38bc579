package server

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"testing"
	"time"
)

// client is one kept-alive HTTP/1.1 connection from a loopback address.
type client struct {
	conn net.Conn
	br   *bufio.Reader
}

// dialFrom connects to addr from the loopback address local (such as
// 127.0.0.2), skipping the test where such an address cannot be bound. A
// connection reset at once (refused by the server) gives a client whose
// get fails.
func dialFrom(t *testing.T, local, addr string) *client {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 10 * time.Second}
	conn, err := d.Dial("tcp", addr)
	if errors.Is(err, syscall.ECONNRESET) {
		return &client{}
	}
	if err != nil {
		t.Skipf("cannot connect from %s: %v", local, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &client{conn: conn, br: bufio.NewReader(conn)}
}

// get sends GET /healthz on the connection and reports whether it was
// answered 200; a connection the server reset or closed is not.
func (c *client) get() bool {
	if c.conn == nil {
		return false
	}
	c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c.conn, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
		return false
	}
	res, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// flood opens n connections from local, each asking once, and returns
// those that were answered.
func flood(t *testing.T, local, addr string, n int) []*client {
	var served []*client
	for range n {
		c := dialFrom(t, local, addr)
		if c.get() {
			served = append(served, c)
		} else if c.conn != nil {
			c.conn.Close()
		}
	}
	return served
}

// A flood of idle kept-alive connections from a few addresses is held to
// the caps: the connections past them are refused, while those within
// keep being served and another client still gets in.
func TestConnectionFloodRefusedWhileOthersServed(t *testing.T) {
	srv := New(Config{Dir: newSite(t), MaxConns: 25, MaxConnsPerClient: 10,
		ReadHeaderTimeout: time.Minute, IdleTimeout: time.Hour, CrowdedIdleTimeout: time.Hour})
	addr := startServer(t, srv).addr

	first := flood(t, "127.0.0.1", addr, 30)
	if len(first) != 10 {
		t.Fatalf("from 127.0.0.1: %d of 30 connections served, want 10 (the per-client cap)", len(first))
	}
	if c := dialFrom(t, "127.0.0.2", addr); !c.get() {
		t.Fatal("a second client was refused while the first one flooded")
	}
	for i, c := range first {
		if !c.get() {
			t.Fatalf("kept-alive connection %d of the first client was not served again", i)
		}
	}

	// 10 + 1 are open; the third address gets the 14 slots left of 25.
	second := flood(t, "127.0.0.2", addr, 9)
	third := flood(t, "127.0.0.3", addr, 10)
	if len(second) != 9 || len(third) != 5 {
		t.Fatalf("served %d of 9 from 127.0.0.2 and %d of 10 from 127.0.0.3, want 9 and 5 (the overall cap)", len(second), len(third))
	}
	if dialFrom(t, "127.0.0.4", addr).get() {
		t.Fatal("a connection past the overall cap was served")
	}

	// A closed connection frees its slot.
	first[0].conn.Close()
	deadline := time.Now().Add(30 * time.Second)
	for !dialFrom(t, "127.0.0.4", addr).get() {
		if time.Now().After(deadline) {
			t.Fatal("the slot of a closed connection was not freed within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// From 3/4 of the cap on, connections kept alive between requests are
// closed after the short idle time, both those idle already and those
// that turn idle later.
func TestCrowdedServerCutsIdleTime(t *testing.T) {
	srv := New(Config{Dir: newSite(t), MaxConns: 8, MaxConnsPerClient: 8,
		IdleTimeout: time.Hour, CrowdedIdleTimeout: 50 * time.Millisecond})
	addr := startServer(t, srv).addr

	var idle []*client
	for i := range 6 { // 6 is 3/4 of 8
		c := dialFrom(t, "127.0.0.1", addr)
		if !c.get() {
			t.Fatalf("connection %d was not served", i)
		}
		idle = append(idle, c)
	}
	for i, c := range []*client{idle[0], idle[5]} {
		c.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, err := c.br.ReadByte()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("idle connection %d was still open after 30 s on a crowded server", i)
		}
	}
}

// Below 3/4 of the cap, an idle connection keeps its IdleTimeout.
func TestUncrowdedServerKeepsIdle(t *testing.T) {
	srv := New(Config{Dir: newSite(t), MaxConns: 100, IdleTimeout: time.Hour, CrowdedIdleTimeout: time.Millisecond})
	addr := startServer(t, srv).addr
	c := dialFrom(t, "127.0.0.1", addr)
	if !c.get() {
		t.Fatal("not served")
	}
	time.Sleep(50 * time.Millisecond)
	if !c.get() {
		t.Fatal("an idle connection was closed although the server was not crowded")
	}
}

func TestDefaultMaxConnsFitsFileLimit(t *testing.T) {
	n := openFileLimit()
	got := defaultMaxConns()
	if got > DefaultMaxConns || got < 16 {
		t.Fatalf("defaultMaxConns() = %d, want 16..%d", got, DefaultMaxConns)
	}
	if n > 0 && got > 16 && 2*got+reservedFiles > n {
		t.Errorf("defaultMaxConns() = %d leaves too few of %d open files", got, n)
	}
}

// A trusted reverse proxy speaks for many clients: its connections count
// toward the overall cap only.
func TestTrustedProxyExemptFromPerClientCap(t *testing.T) {
	srv := New(Config{Dir: newSite(t), MaxConns: 25, MaxConnsPerClient: 5,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		IdleTimeout:    time.Hour, CrowdedIdleTimeout: time.Hour})
	addr := startServer(t, srv).addr
	if n := len(flood(t, "127.0.0.1", addr, 30)); n != 25 {
		t.Errorf("from the proxy: %d of 30 served, want 25 (the overall cap)", n)
	}
}
