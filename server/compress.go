package server

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
)

const (
	// minCompress is the smallest file compressed on the fly: below it the
	// gzip header and trailer eat the gain.
	minCompress = 256
	// maxCompress is the largest file compressed on the fly; a larger one is
	// served as it is unless the build wrote a .gz beside it.
	maxCompress = 4 << 20
	// gzipCacheBytes bounds the memory held by compressed bodies.
	gzipCacheBytes = 32 << 20
)

// representation is one encoding of a file, ready to send.
type representation struct {
	body     io.ReadSeeker
	size     int64
	etag     string
	encoding string // "" for identity
	close    func() // releases body, if it needs releasing
}

// represent chooses how to send f: its precompressed name.gz sidecar when the
// client accepts gzip and the sidecar exists, else a gzip of f compressed on
// the fly (and cached by ETag) when its type is worth it, else f itself.
// Each encoding has its own ETag.
func (s *static) represent(r *http.Request, root *os.Root, name string, f *os.File, info os.FileInfo, ctype string) (representation, error) {
	etag, err := s.etags.get(name, f, info)
	if err != nil {
		return representation{}, err
	}
	identity := representation{body: f, size: info.Size(), etag: etag}
	if !compressible(ctype) || !acceptsGzip(r.Header.Values("Accept-Encoding")) {
		return identity, nil
	}
	if rep, ok := s.sidecar(root, name+".gz"); ok {
		return rep, nil
	}
	gz, err := s.compressed(etag, info.Size(), f)
	if err != nil {
		return representation{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return representation{}, err
	}
	if gz == nil {
		return identity, nil
	}
	return representation{
		body:     bytes.NewReader(gz),
		size:     int64(len(gz)),
		etag:     gzipETag(etag),
		encoding: "gzip",
	}, nil
}

// compressed returns the gzip form of the size bytes of r, whose ETag is
// etag, compressing on the fly and caching by ETag; nil when the size is
// not worth it or compressing did not make it smaller.
func (s *static) compressed(etag string, size int64, r io.Reader) ([]byte, error) {
	if size < minCompress || size > maxCompress {
		return nil, nil
	}
	if gz, ok := s.gz.get(etag); ok {
		return gz, nil
	}
	gz, err := gzipBytes(r, size)
	if err != nil {
		return nil, err
	}
	s.gz.put(etag, gz)
	return gz, nil
}

// gzipETag is the ETag of the gzip form of a file whose ETag is etag.
func gzipETag(etag string) string { return strings.TrimSuffix(etag, `"`) + `-gzip"` }

// sidecar opens a precompressed file written by the build, if there is one.
func (s *static) sidecar(root *os.Root, name string) (representation, bool) {
	f, info, err := openFile(root, name)
	if err != nil {
		return representation{}, false
	}
	etag, err := s.etags.get(name, f, info)
	if err != nil {
		f.Close()
		return representation{}, false
	}
	return representation{
		body:     f,
		size:     info.Size(),
		etag:     gzipETag(etag),
		encoding: "gzip",
		close:    func() { f.Close() },
	}, true
}

// gzipBytes compresses size bytes of r. It returns nil when the result is
// not smaller than the input.
func gzipBytes(r io.Reader, size int64) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.CopyN(zw, r, size); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if int64(buf.Len()) >= size {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// acceptsGzip reports whether Accept-Encoding values allow gzip: "gzip",
// "x-gzip" or "*" with a q-value above 0, the named coding taking precedence
// over "*". A missing header means identity only.
func acceptsGzip(values []string) bool {
	named, star := -1.0, -1.0
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(item, ";")
			q := qvalue(params)
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				named = max(named, q)
			case "*":
				star = max(star, q)
			}
		}
	}
	if named >= 0 {
		return named > 0
	}
	return star > 0
}

// qvalue reads the q parameter of an Accept-Encoding element: 1 when absent,
// 0 when malformed, so that a value we cannot read never enables an encoding.
func qvalue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// gzipCache holds compressed bodies by the ETag of their source, least
// recently used first out, within max bytes. A nil body records that
// compressing the source did not pay.
type gzipCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order list.List // of *gzipEntry, most recent at the front
	m     map[string]*list.Element
}

type gzipEntry struct {
	etag string
	body []byte
}

func (c *gzipCache) get(etag string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[etag]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*gzipEntry).body, true
}

func (c *gzipCache) put(etag string, body []byte) {
	if len(body) > c.max/4 {
		return // one big file must not empty the cache
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*list.Element)
	}
	if _, ok := c.m[etag]; ok {
		return
	}
	c.m[etag] = c.order.PushFront(&gzipEntry{etag: etag, body: body})
	c.size += len(body) + len(etag)
	for c.size > c.max {
		old := c.order.Back()
		e := old.Value.(*gzipEntry)
		c.order.Remove(old)
		delete(c.m, e.etag)
		c.size -= len(e.body) + len(e.etag)
	}
}

// gzipPages compresses the pages that a handler makes at run time (the
// search results page) for clients that accept gzip, as the static files
// are. The page is held until it is complete: it is small, and compressing
// the whole of it lets a page that would not shrink go out as it is. A
// page past maxCompress goes out as it is from there on.
//
// The search page reflects the query, but holds nothing secret beside it
// (no token, no personal data), so compressing it gives an attacker who
// chooses queries nothing to guess at (BREACH needs a secret).
func gzipPages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Values("Accept-Encoding")) {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(gw, r)
		gw.finish()
	})
}

// gzipWriter holds back a response to send it compressed.
type gzipWriter struct {
	http.ResponseWriter
	status  int
	wrote   bool // WriteHeader was called
	through bool // the response goes out as it is
	buf     bytes.Buffer
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.wrote || w.through {
		if code < 200 && w.through {
			w.ResponseWriter.WriteHeader(code)
		}
		return
	}
	if code < 200 {
		w.ResponseWriter.WriteHeader(code) // an informational answer goes out at once
		return
	}
	w.wrote, w.status = true, code
	h := w.Header()
	if h.Get("Content-Encoding") != "" || code == http.StatusNoContent || code == http.StatusNotModified ||
		!compressible(h.Get("Content-Type")) {
		w.passThrough()
	}
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.wrote && !w.through {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.through {
		return w.ResponseWriter.Write(b)
	}
	if w.buf.Len()+len(b) > maxCompress {
		w.passThrough()
		return w.ResponseWriter.Write(b)
	}
	return w.buf.Write(b)
}

// passThrough sends the status and what is held, and everything after as
// it comes.
func (w *gzipWriter) passThrough() {
	w.through = true
	w.ResponseWriter.WriteHeader(w.status)
	if w.buf.Len() > 0 {
		w.ResponseWriter.Write(w.buf.Bytes())
		w.buf.Reset()
	}
}

// finish sends the held response, compressed when that makes it smaller.
func (w *gzipWriter) finish() {
	if w.through {
		return
	}
	h := w.Header()
	body := w.buf.Bytes()
	if len(body) >= minCompress {
		if gz, err := gzipBytes(bytes.NewReader(body), int64(len(body))); err == nil && gz != nil {
			body = gz
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(w.status)
	w.ResponseWriter.Write(body)
}
