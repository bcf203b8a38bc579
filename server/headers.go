package server

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// contentSecurityPolicy allows scripts, styles and everything else from the
// site's own origin only, and no inline script: markup injected into a page
// cannot run code. Pages may not be framed, nor forms posted elsewhere.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
	"script-src 'self'; frame-ancestors 'none'; form-action 'self'; object-src 'none'; base-uri 'self'"

// securityHeaders sets the headers every response carries, before the
// handler runs, so that a handler with a reason to may still change them.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		next.ServeHTTP(w, r)
	})
}

// tidyHeaders wraps a handler written elsewhere (search, feedback) so that
// its responses meet the same rules as the static ones: a charset on text
// types, and no X-Powered-By or Server header.
func tidyHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&tidyWriter{ResponseWriter: w}, r)
	})
}

// tidyWriter fixes the header of a response just before it is sent.
type tidyWriter struct {
	http.ResponseWriter
	sent bool
}

func (w *tidyWriter) tidy() {
	if w.sent {
		return
	}
	w.sent = true
	h := w.Header()
	h.Del("X-Powered-By")
	h.Del("Server")
	if ct := h.Get("Content-Type"); ct != "" {
		h.Set("Content-Type", withCharset(ct))
	}
}

func (w *tidyWriter) WriteHeader(code int) {
	if code >= 200 {
		w.tidy()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *tidyWriter) Write(b []byte) (int, error) {
	w.tidy()
	return w.ResponseWriter.Write(b)
}

func (w *tidyWriter) ReadFrom(r io.Reader) (int64, error) {
	w.tidy()
	return readFrom(w.ResponseWriter, r)
}

func (w *tidyWriter) Flush() {
	w.tidy()
	http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *tidyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// readFrom copies r to w, through w's own ReadFrom when it has one, so that a
// wrapper does not cost the sendfile path of a plain ResponseWriter.
func readFrom(w http.ResponseWriter, r io.Reader) (int64, error) {
	if rf, ok := w.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{w}, r)
}

// contentTypes are the types of the files a build writes, fixed here rather
// than taken from the machine's mime.types, so that every server sends the
// same ones.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json; charset=utf-8",
	".map":         "application/json; charset=utf-8",
	".webmanifest": "application/manifest+json; charset=utf-8",
	".xml":         "application/xml; charset=utf-8",
	".ics":         "text/calendar; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".svg":         "image/svg+xml; charset=utf-8",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".pdf":         "application/pdf",
	".wasm":        "application/wasm",
	".gz":          "application/gzip",
}

// contentType returns the Content-Type for a file name, from its extension.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return withCharset(t)
	}
	return "application/octet-stream"
}

// withCharset adds charset=utf-8 to a textual media type that has none.
func withCharset(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	textual := strings.HasPrefix(mt, "text/") || mt == "application/json" ||
		mt == "application/xml" || strings.HasSuffix(mt, "+xml") || strings.HasSuffix(mt, "+json")
	if !textual || strings.Contains(strings.ToLower(ct), "charset=") {
		return ct
	}
	return ct + "; charset=utf-8"
}

// compressible reports whether a response of this Content-Type is worth
// compressing (text, JSON, XML, SVG, JavaScript, WebAssembly).
func compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	mt = strings.TrimSpace(mt)
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+xml") ||
		strings.HasSuffix(mt, "+json") || mt == "application/json" ||
		mt == "application/xml" || mt == "application/wasm"
}

// fingerprinted matches a file name with a content hash of 8 or more hex
// digits before its extension, as the build names its assets
// (lobby.3f2a9c1e.css): such a name never changes its content.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{8,}\.[A-Za-z0-9]+$`)

// cacheControl returns the Cache-Control for a file served with status:
// a year and immutable for fingerprinted assets, otherwise no-cache, so that
// browsers revalidate with the ETag and a notice is never shown stale.
func cacheControl(name string, status int) string {
	if status == http.StatusOK && fingerprinted.MatchString(path.Base(name)) {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

// maxETags bounds the ETag cache; past it the cache starts afresh.
const maxETags = 100_000

// etagCache remembers the content hash of each file by its size and
// modification time, so a file is hashed once and not on every request.
type etagCache struct {
	mu sync.Mutex
	m  map[string]etagEntry
}

type etagEntry struct {
	size    int64
	modTime time.Time
	etag    string
}

// get returns the strong ETag of f (named name, described by info), hashing
// it when the cache has no entry of the same size and modification time.
// It leaves f at offset 0.
func (c *etagCache) get(name string, f *os.File, info os.FileInfo) (string, error) {
	c.mu.Lock()
	e, ok := c.m[name]
	c.mu.Unlock()
	if ok && e.size == info.Size() && e.modTime.Equal(info.ModTime()) {
		return e.etag, nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum.Sum(nil)[:16]) + `"`
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxETags {
		c.m = make(map[string]etagEntry)
	}
	c.m[name] = etagEntry{size: info.Size(), modTime: info.ModTime(), etag: etag}
	c.mu.Unlock()
	return etag, nil
}

// reset forgets every entry.
func (c *etagCache) reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
