package feedback

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr returns the address of the client that sent r: the
// connection's, or, when the connection comes from a trusted proxy, the
// rightmost X-Forwarded-For entry that is not itself a trusted proxy. An
// untrusted client's X-Forwarded-For is ignored, so it cannot choose its
// own rate-limit key.
func clientAddr(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	addr, ok := parseHostAddr(r.RemoteAddr)
	if !ok || !isTrusted(addr, trusted) {
		return addr, ok
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHostAddr(strings.TrimSpace(hops[i]))
		if !ok {
			break // a garbled entry: stop at the last proxy we trust
		}
		if !isTrusted(hop, trusted) {
			return hop, true
		}
		addr = hop
	}
	return addr, true
}

// parseHostAddr parses "ip", "ip:port" or "[ipv6]:port".
func parseHostAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientKey returns the rate-limit key of r: the client's address, with
// IPv6 addresses cut to their /64, since one household or phone gets a
// whole /64.
func clientKey(r *http.Request, trusted []netip.Prefix) string {
	a, ok := clientAddr(r, trusted)
	if !ok {
		return r.RemoteAddr
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// forwardedHTTPS reports whether a trusted proxy says the client used HTTPS.
func forwardedHTTPS(r *http.Request, trusted []netip.Prefix) bool {
	addr, ok := parseHostAddr(r.RemoteAddr)
	return ok && isTrusted(addr, trusted) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
