package server

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

const (
	// memFresh is how long a file held in memory is served without a look
	// at the file. lobby's own rebuilds empty the memory at once (Reloaded),
	// and so does an output folder replaced or changed at its top (a deploy
	// under a --no-build server); a file rewritten in place by some other
	// program shows within this time.
	memFresh = time.Second
	// memMaxFile is the largest file held in memory.
	memMaxFile = 256 << 10
	// memBytes bounds the memory held by files; past it, the memory is
	// emptied and fills again with the files asked for.
	memBytes = 64 << 20
)

// memFile is a file held in memory with its gzip form, so that a page
// asked for again is served without opening anything.
type memFile struct {
	ctype   string
	modTime time.Time
	loaded  time.Time
	data    []byte
	etag    string
	gz      []byte // nil when the file is not worth compressing
	gzETag  string
}

// memory holds recently served small files of one output folder by name.
type memory struct {
	mu    sync.Mutex
	dir   os.FileInfo // the output folder the files are from
	m     map[string]*memFile
	bytes int
}

// sameDir reports whether dir is the folder the files held are from, as
// it was: the same folder, not changed at its top since.
func (c *memory) sameDir(dir os.FileInfo) bool {
	return c.dir != nil && os.SameFile(c.dir, dir) && c.dir.ModTime().Equal(dir.ModTime())
}

// get returns the file held for name if it was read within memFresh from
// the output folder dir.
func (c *memory) get(name string, dir os.FileInfo, now time.Time) *memFile {
	c.mu.Lock()
	var f *memFile
	if c.sameDir(dir) {
		f = c.m[name]
	}
	c.mu.Unlock()
	if f == nil || now.Sub(f.loaded) >= memFresh {
		return nil
	}
	return f
}

func (c *memory) put(name string, f *memFile, dir os.FileInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes > memBytes || !c.sameDir(dir) {
		c.m, c.bytes, c.dir = map[string]*memFile{}, 0, dir
	}
	if old := c.m[name]; old != nil {
		c.bytes -= len(old.data) + len(old.gz)
	}
	c.m[name] = f
	c.bytes += len(f.data) + len(f.gz)
}

// reset forgets every file.
func (c *memory) reset() {
	c.mu.Lock()
	c.m, c.bytes, c.dir = nil, 0, nil
	c.mu.Unlock()
}

// load reads f, the file name in root, into memory with the gzip form that
// represent would send: the build's name.gz sidecar, or a compression of
// its own, cached by ETag.
func (s *static) load(root *os.Root, name string, f *os.File, info os.FileInfo, now time.Time) (*memFile, error) {
	etag, err := s.etags.get(name, f, info)
	if err != nil {
		return nil, err
	}
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	m := &memFile{ctype: contentType(name), modTime: info.ModTime(), loaded: now, data: data, etag: etag}
	if !compressible(m.ctype) {
		return m, nil
	}
	if rep, ok := s.sidecar(root, name+".gz"); ok {
		gz, err := io.ReadAll(io.LimitReader(rep.body, memMaxFile+1))
		rep.close()
		if err != nil || len(gz) > memMaxFile {
			return nil, errTooBig
		}
		m.gz, m.gzETag = gz, rep.etag
		return m, nil
	}
	if info.Size() < minCompress {
		return m, nil
	}
	gz, ok := s.gz.get(etag)
	if !ok {
		if gz, err = gzipBytes(bytes.NewReader(data), info.Size()); err != nil {
			return nil, err
		}
		s.gz.put(etag, gz)
	}
	if gz != nil {
		m.gz, m.gzETag = gz, strings.TrimSuffix(etag, `"`)+`-gzip"`
	}
	return m, nil
}

// serveMemory writes m with status 200, as serveFile would.
func (s *static) serveMemory(w http.ResponseWriter, r *http.Request, name string, m *memFile) {
	rep := representation{body: bytes.NewReader(m.data), size: int64(len(m.data)), etag: m.etag}
	if m.gz != nil && acceptsGzip(r.Header.Values("Accept-Encoding")) {
		rep = representation{body: bytes.NewReader(m.gz), size: int64(len(m.gz)), etag: m.gzETag, encoding: "gzip"}
	}
	s.send(w, r, name, m.ctype, rep, m.modTime, http.StatusOK)
}
