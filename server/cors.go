package server

import (
	"net/http"
	"slices"
	"strings"
)

// corsMaxAge is how long, in seconds, a browser may keep a preflight's
// answer: Chromium keeps one at most two hours whatever it is told, and a
// change of the site's origin reaches browsers within that time.
const corsMaxAge = "7200"

// corsRoute is what the pages of the site's origin may do on one path.
type corsRoute struct {
	methods []string // allowed from the site's origin; OPTIONS is implied
	headers []string // request headers a script may set, besides the simple ones
	expose  []string // response headers a script may read, besides the simple ones
}

// allowOrigin lets scripts on pages of origin (the site's own, published on
// a static host) use next across origins with the methods and headers of
// route; every other origin gets no CORS header and so cannot read the
// answer. It answers the browser's preflight (OPTIONS with
// Access-Control-Request-Method) itself. No credentials are allowed:
// residents' search and feedback need no cookie. An empty origin returns
// next as it is.
//
// CORS only decides whether a script may read an answer; whether a
// request may change anything is for the handler to decide (the feedback
// form's cross-origin protection).
func allowOrigin(origin string, route corsRoute, next http.Handler) http.Handler {
	if origin == "" {
		return next
	}
	methods := strings.Join(route.methods, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		from := r.Header.Get("Origin")
		if r.Method == http.MethodOptions && from != "" && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			if from != origin || !route.allows(r) {
				http.Error(w, "403 this request is not allowed from another website", http.StatusForbidden)
				return
			}
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", methods)
			if len(route.headers) > 0 {
				h.Set("Access-Control-Allow-Headers", strings.Join(route.headers, ", "))
			}
			h.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if from == origin {
			h.Set("Access-Control-Allow-Origin", origin)
			if len(route.expose) > 0 {
				h.Set("Access-Control-Expose-Headers", strings.Join(route.expose, ", "))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// allows reports whether the method and headers a preflight asks for are
// the route's.
func (c corsRoute) allows(r *http.Request) bool {
	if !slices.Contains(c.methods, r.Header.Get("Access-Control-Request-Method")) {
		return false
	}
	for _, line := range r.Header.Values("Access-Control-Request-Headers") {
		for name := range strings.SplitSeq(line, ",") {
			name = strings.TrimSpace(name)
			if name != "" && !slices.ContainsFunc(c.headers, func(h string) bool { return strings.EqualFold(h, name) }) {
				return false
			}
		}
	}
	return true
}
