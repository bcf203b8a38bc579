package feedback

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestLimiterMemoryBounded(t *testing.T) {
	l := newLimiter(10, 10*time.Minute, 0)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100_000 {
		key := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String()
		if ok, _ := l.allow(key, now); !ok {
			t.Fatalf("key %d: refused on first sight", i)
		}
	}
	if n := l.len(); n != DefaultMaxClients {
		t.Errorf("after 100,000 keys the limiter holds %d, want the cap %d", n, DefaultMaxClients)
	}
	// Idle keys are forgotten once a whole period has passed.
	l.allow("a", now.Add(11*time.Minute))
	if n := l.len(); n != 1 {
		t.Errorf("after an idle period the limiter holds %d keys, want 1", n)
	}
}

func TestLimiterRefillsOverThePeriod(t *testing.T) {
	l := newLimiter(10, 10*time.Minute, 0)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		if ok, _ := l.allow("k", now); !ok {
			t.Fatalf("event %d refused", i+1)
		}
	}
	ok, wait := l.allow("k", now)
	if ok || wait != time.Minute {
		t.Fatalf("11th: ok %v wait %v, want refused for 1m", ok, wait)
	}
	if ok, _ := l.allow("k", now.Add(time.Minute)); !ok {
		t.Error("refused after waiting the Retry-After")
	}
}

func TestClientKey(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("192.0.2.10/32")}
	tests := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"203.0.113.5:1234", nil, "203.0.113.5"},
		{"203.0.113.5:1234", []string{"1.1.1.1"}, "203.0.113.5"}, // untrusted: XFF ignored
		{"10.0.0.1:80", []string{"6.6.6.6, 203.0.113.7"}, "203.0.113.7"},
		{"10.0.0.1:80", []string{"6.6.6.6, 203.0.113.7, 10.0.0.2"}, "203.0.113.7"},
		{"10.0.0.1:80", []string{"6.6.6.6", "203.0.113.7, 10.0.0.2"}, "203.0.113.7"}, // two headers
		{"10.0.0.1:80", nil, "10.0.0.1"},
		{"10.0.0.1:80", []string{"10.0.0.3"}, "10.0.0.3"},
		{"10.0.0.1:80", []string{"6.6.6.6, garbage"}, "10.0.0.1"},
		{"192.0.2.10:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"[2001:db8:1:2:3:4:5:6]:443", nil, "2001:db8:1:2::/64"},
		{"[fd00::1]:443", []string{"2001:db8:aa:bb::9"}, "2001:db8:aa:bb::/64"},
		{"[::ffff:203.0.113.9]:80", nil, "203.0.113.9"},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("POST", "/", nil)
		r.RemoteAddr = tc.remote
		for _, h := range tc.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := clientKey(r, trusted); got != tc.want {
			t.Errorf("remote %s, XFF %q: key %q, want %q", tc.remote, tc.xff, got, tc.want)
		}
	}
}

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

func TestNewRefAlphabet(t *testing.T) {
	seen := map[string]bool{}
	for range 10_000 {
		r := NewRef()
		if _, ok := ParseRef(r); !ok {
			t.Fatalf("NewRef() = %q is not a valid reference", r)
		}
		seen[r] = true
	}
	if len(seen) < 9_999 {
		t.Errorf("%d distinct refs in 10,000", len(seen))
	}
	if len(RefAlphabet) != 31 {
		t.Errorf("alphabet has %d characters", len(RefAlphabet))
	}
	for _, c := range "01OIL" {
		if containsStr(RefAlphabet, string(c)) {
			t.Errorf("alphabet holds the ambiguous %q", c)
		}
	}
	for in, want := range map[string]string{" abcd-2345 ": "ABCD2345", "ABCD 2345": "ABCD2345"} {
		if got, ok := ParseRef(in); !ok || got != want {
			t.Errorf("ParseRef(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"ABCD234", "ABCD23450", "ABCD234O", "ABCD2341", "ÄBCD2345"} {
		if _, ok := ParseRef(bad); ok {
			t.Errorf("ParseRef(%q) accepted", bad)
		}
	}

}

// len returns the number of keys remembered.
func (l *limiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
