package server

import (
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of the connection caps; see Config.MaxConns.
const (
	// DefaultMaxConns caps the connections open at once when the process
	// may open more than about twice as many files (each connection being
	// served also opens the file it sends).
	DefaultMaxConns = 4096
	// DefaultMaxConnsPerClient caps the connections from one client
	// address. A browser opens about 6 per site; a whole building behind
	// one NAT address still fits.
	DefaultMaxConnsPerClient = 256
	// DefaultCrowdedIdleTimeout is how long a kept-alive connection may
	// stay unused while the server is crowded (at 3/4 of MaxConns or more).
	DefaultCrowdedIdleTimeout = 5 * time.Second
	// reservedFiles are the file descriptors left for the store, the search
	// index and the files being sent, when the cap is taken from the
	// process's limit.
	reservedFiles = 256
)

// defaultMaxConns is DefaultMaxConns, lowered to fit the process's limit
// of open files: half of what is left after reservedFiles, since each
// connection being served opens a file too.
func defaultMaxConns() int {
	n := openFileLimit()
	if n <= 0 {
		return DefaultMaxConns
	}
	return max(16, min(DefaultMaxConns, (n-reservedFiles)/2))
}

// limitListener refuses connections past a cap on those open at once,
// overall and per client address, instead of letting them take the last
// file descriptors: a client that holds thousands of idle connections
// cannot starve the others. A refused connection is reset at once, so its
// client learns quickly, and the accept loop goes on with the next one.
// golang.org/x/net/netutil.LimitListener would wait for a free slot
// instead, leaving every new client queued behind the flood.
//
// Near the cap (3/4 of max and more), connections kept alive between
// requests get a short idle time, so that the slots they hold return to
// clients with something to ask.
type limitListener struct {
	net.Listener
	max, perClient int
	crowdedIdle    time.Duration
	// unlimited reports whether an address is exempt from perClient
	// (a trusted reverse proxy, which speaks for many clients).
	unlimited func(netip.Addr) bool

	mu       sync.Mutex
	open     int
	byClient map[netip.Addr]int
	idle     map[*limitedConn]struct{}
}

func newLimitListener(ln net.Listener, max, perClient int, crowdedIdle time.Duration, unlimited func(netip.Addr) bool) *limitListener {
	return &limitListener{Listener: ln, max: max, perClient: perClient, crowdedIdle: crowdedIdle, unlimited: unlimited,
		byClient: map[netip.Addr]int{}, idle: map[*limitedConn]struct{}{}}
}

// Accept returns the next connection within the caps, resetting those
// past them.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if lc := l.admit(c); lc != nil {
			return lc, nil
		}
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // reset: no FIN handshake, no TIME_WAIT kept for it
		}
		c.Close()
	}
}

// clientOf is the per-client key of a connection: its remote address,
// IPv6 cut to the /64 that one household or phone gets.
func clientOf(c net.Conn) netip.Addr {
	ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
	if err != nil {
		return netip.Addr{}
	}
	a := ap.Addr().Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}

// admit counts c in, or returns nil when it is past a cap.
func (l *limitListener) admit(c net.Conn) *limitedConn {
	client := clientOf(c)
	capped := l.unlimited == nil || !l.unlimited(client)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.max || capped && l.byClient[client] >= l.perClient {
		return nil
	}
	l.open++
	if capped {
		l.byClient[client]++
	}
	if l.open == l.crowdedAt() {
		// Just crowded: shorten the idle time of those already waiting.
		// The server sets its own deadline when a request starts, so a
		// connection that turns busy meanwhile loses nothing.
		deadline := time.Now().Add(l.crowdedIdle)
		for ic := range l.idle {
			ic.Conn.SetReadDeadline(deadline)
		}
	}
	return &limitedConn{Conn: c, l: l, client: client, capped: capped}
}

// crowded reports whether idle connections get the short idle time.
func (l *limitListener) crowded() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open >= l.crowdedAt()
}

// crowdedAt is the number of open connections from which idle ones get
// the short idle time.
func (l *limitListener) crowdedAt() int { return max(1, l.max*3/4) }

// release counts c out.
func (l *limitListener) release(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if c.capped {
		if n := l.byClient[c.client] - 1; n > 0 {
			l.byClient[c.client] = n
		} else {
			delete(l.byClient, c.client)
		}
	}
	delete(l.idle, c)
}

// connState follows the http.Server's view of each connection, to know
// which are idle between requests.
func (l *limitListener) connState(c net.Conn, st http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok {
		return
	}
	lc.setIdle(st == http.StateIdle)
}

// limitedConn is a connection counted by a limitListener.
type limitedConn struct {
	net.Conn
	l      *limitListener
	client netip.Addr
	capped bool
	once   sync.Once
	// idle is true from the moment the server reports the connection
	// idle until the next request's first bytes arrive.
	idle atomic.Bool
}

func (c *limitedConn) setIdle(idle bool) {
	if c.idle.Swap(idle) == idle {
		return
	}
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	if idle {
		c.l.idle[c] = struct{}{}
	} else {
		delete(c.l.idle, c)
	}
}

// Read notes that a request has begun, so that the deadlines the server
// sets for reading it are left as they are.
func (c *limitedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.idle.Load() {
		c.setIdle(false)
	}
	return n, err
}

// Close closes the connection and frees its slot (once, however often
// net/http closes it).
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c) })
	return err
}

// SetReadDeadline is how net/http sets the idle time of a kept-alive
// connection, right after reporting it idle: while the server is crowded,
// the deadline is brought forward to the short idle time.
func (c *limitedConn) SetReadDeadline(t time.Time) error {
	l := c.l
	if c.idle.Load() && l.crowded() {
		if short := time.Now().Add(l.crowdedIdle); t.IsZero() || t.After(short) {
			t = short
		}
	}
	return c.Conn.SetReadDeadline(t)
}
