package server

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// reloadScript is served at /_lobby/reload.js in watch mode: it listens to
// /_lobby/events, reloads the page (keeping its scroll position) after a
// successful rebuild, and shows a failed build's error over the page.
//
//go:embed reload.js
var reloadScript []byte

// reloadTag is what watch mode puts before </body> in every HTML response.
const reloadTag = `<script src="/_lobby/reload.js" defer></script>`

// keepAlive is how often an idle event stream sends a comment, so that a
// closed tab is noticed.
const keepAlive = 30 * time.Second

// buildStatus is the outcome of the last rebuild, as the page script sees it.
type buildStatus struct {
	OK         bool   `json:"ok"`
	Error      string `json:"error,omitempty"`
	Generation uint64 `json:"generation"`
	// Instance changes when the server restarts, so that a page that
	// reconnects to a new server reloads.
	Instance string `json:"instance"`
}

// hub holds the last build status and wakes the open event streams when
// it changes.
type hub struct {
	mu     sync.Mutex
	status buildStatus
	subs   map[chan struct{}]struct{}
	done   chan struct{}
	once   sync.Once
}

func newHub() *hub {
	return &hub{
		status: buildStatus{OK: true, Instance: strconv.FormatInt(time.Now().UnixNano(), 36)},
		subs:   make(map[chan struct{}]struct{}),
		done:   make(chan struct{}),
	}
}

// publish records the outcome of a rebuild and wakes every stream.
func (h *hub) publish(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status.Generation++
	h.status.OK = err == nil
	h.status.Error = ""
	if err != nil {
		h.status.Error = err.Error()
	}
	for c := range h.subs {
		select {
		case c <- struct{}{}:
		default: // already woken; it will read the latest status
		}
	}
}

func (h *hub) current() buildStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status
}

func (h *hub) subscribe() (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}
}

// close ends every event stream; the server calls it when shutting down.
func (h *hub) close() { h.once.Do(func() { close(h.done) }) }

// serveStatus answers /_lobby/status with the last build status as JSON.
func (h *hub) serveStatus(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(h.current())
}

// serveEvents answers /_lobby/events with a Server-Sent Events stream: a
// "status" event at once and after each failed rebuild, a "reload" event
// after each successful one.
func (h *hub) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The stream outlives the server's WriteTimeout by design. (net/http
	// already clears the read deadline while a handler runs.)
	rc.SetWriteDeadline(time.Time{})
	woken, unsubscribe := h.subscribe()
	defer unsubscribe()

	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	st := h.current()
	fmt.Fprint(w, "retry: 1000\n")
	if writeEvent(w, "status", st) != nil || rc.Flush() != nil {
		return
	}
	seen := st.Generation
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		case <-tick.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
		case <-woken:
			st := h.current()
			if st.Generation == seen {
				continue
			}
			seen = st.Generation
			event := "reload"
			if !st.OK {
				event = "status"
			}
			if writeEvent(w, event, st) != nil {
				return
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// writeEvent writes one SSE event whose data is st as one line of JSON.
func writeEvent(w io.Writer, event string, st buildStatus) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data)
	return err
}

// serveReloadScript answers /_lobby/reload.js.
func serveReloadScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(len(reloadScript)))
	w.Write(reloadScript)
}

// injectReload puts reloadTag into every HTML response outside /_lobby/.
// It asks the handler below for a whole, uncompressed, unconditional body
// (no Accept-Encoding, Range or If-* headers), since it rewrites that body,
// and sends the result uncached: the injected page exists only in watch mode.
func injectReload(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || strings.HasPrefix(r.URL.Path, "/_lobby/") {
			next.ServeHTTP(w, r)
			return
		}
		for _, k := range []string{"Accept-Encoding", "Range", "If-Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"} {
			r.Header.Del(k)
		}
		iw := &injectWriter{ResponseWriter: w, head: r.Method == http.MethodHead}
		next.ServeHTTP(iw, r)
		iw.finish()
	})
}

// injectWriter holds back an HTML response to add reloadTag to it; any other
// response passes straight through.
type injectWriter struct {
	http.ResponseWriter
	head    bool
	decided bool
	html    bool
	status  int
	buf     bytes.Buffer
}

func (w *injectWriter) WriteHeader(code int) {
	if w.decided || code < 200 {
		if !w.html {
			w.ResponseWriter.WriteHeader(code)
		}
		return
	}
	w.decided = true
	h := w.Header()
	mt, _, _ := strings.Cut(h.Get("Content-Type"), ";")
	if strings.TrimSpace(strings.ToLower(mt)) == "text/html" && h.Get("Content-Encoding") == "" &&
		code != http.StatusNoContent && code != http.StatusNotModified {
		w.html, w.status = true, code
		h.Del("Content-Length")
		h.Del("ETag")
		h.Del("Last-Modified")
		h.Set("Cache-Control", "no-store")
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *injectWriter) Write(b []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.html {
		return w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *injectWriter) ReadFrom(r io.Reader) (int64, error) {
	if !w.decided {
		return io.Copy(struct{ io.Writer }{w}, r) // Write decides, from the first bytes
	}
	if w.html {
		return w.buf.ReadFrom(r)
	}
	return readFrom(w.ResponseWriter, r)
}

func (w *injectWriter) Flush() {
	if w.html {
		return // sent whole by finish
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *injectWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish sends a held-back HTML response with reloadTag in it.
func (w *injectWriter) finish() {
	if !w.html {
		return
	}
	if w.head {
		w.ResponseWriter.WriteHeader(w.status)
		return
	}
	body := insertBeforeBodyEnd(w.buf.Bytes(), reloadTag)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(w.status)
	w.ResponseWriter.Write(body)
}

// insertBeforeBodyEnd puts tag before the last </body> of page (in any letter
// case), or at its end when it has none.
func insertBeforeBodyEnd(page []byte, tag string) []byte {
	const end = "</body>"
	at := len(page)
	for i := len(page) - len(end); i >= 0; i-- {
		if bytes.EqualFold(page[i:i+len(end)], []byte(end)) {
			at = i
			break
		}
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:at]...)
	out = append(out, tag...)
	return append(out, page[at:]...)
}

// localOnly guards watch mode: it answers 403 to a request
// whose Host is not a loopback name (or, with ipHosts, an IP address),
// which stops DNS rebinding, and to a /_lobby/ request from another origin,
// which stops other sites reading the event stream or the build errors.
func localOnly(next http.Handler, ipHosts bool) http.Handler {
	allowed := func(host string) bool { return isLocalHost(host) || ipHosts && isIPHost(host) }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(r.Host) {
			http.Error(w, "403 forbidden: lobby serve --watch answers only to localhost", http.StatusForbidden)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/_lobby/") && !sameOrigin(r, allowed) {
			http.Error(w, "403 forbidden: cross-origin request", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isLocalHost reports whether a Host header names the local machine:
// localhost, a name under .localhost, or a loopback address, with any port.
func isLocalHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isIPHost reports whether a Host header is an IP address, with any port.
func isIPHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return net.ParseIP(strings.Trim(host, "[]")) != nil
}

// sameOrigin reports whether r comes from a page of this server: no Origin
// (a same-origin GET need not send one) or an Origin whose host is r.Host
// and allowed, and no Sec-Fetch-Site saying otherwise.
func sameOrigin(r *http.Request, allowed func(host string) bool) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false // including "null"
	}
	return strings.EqualFold(u.Host, r.Host) && allowed(u.Host)
}
