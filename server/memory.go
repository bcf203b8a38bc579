package server

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"sync"
)

const (
	// memMaxFile is the largest file held in memory.
	memMaxFile = 256 << 10
	// memBytes bounds the memory held by files; past it, the memory is
	// emptied and fills again with the files asked for.
	memBytes = 64 << 20
)

// memFile is a file held in memory with its gzip form, so that a page
// asked for again is served after one stat instead of opening it again.
type memFile struct {
	ctype  string
	info   os.FileInfo // of the file read, opened inside the output folder
	data   []byte
	etag   string
	gz     []byte // nil when the file is not worth compressing
	gzETag string
}

// memory holds recently served small files of the output folder by name.
type memory struct {
	max   int // the bound on bytes held; 0 means memBytes
	mu    sync.Mutex
	m     map[string]*memFile
	bytes int
}

// get returns the file held for name if the file at path is still the one
// read: the same file (a symbolic link put in its place is another), of the
// same size and modification time. A stat of path is one system call, where
// opening the file inside the output folder takes one for each element of
// its name and more.
func (c *memory) get(name, path string) *memFile {
	c.mu.Lock()
	f := c.m[name]
	c.mu.Unlock()
	if f == nil {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil || !os.SameFile(info, f.info) || info.Size() != f.info.Size() || !info.ModTime().Equal(f.info.ModTime()) {
		return nil
	}
	return f
}

func (c *memory) put(name string, f *memFile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.max
	if limit == 0 {
		limit = memBytes
	}
	if c.m == nil || c.bytes+len(f.data)+len(f.gz) > limit {
		c.m, c.bytes = map[string]*memFile{}, 0
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
	c.m, c.bytes = nil, 0
	c.mu.Unlock()
}

// load reads f, the file name in root, into memory with the gzip form that
// represent would send: the build's name.gz sidecar, or a compression of
// its own, cached by ETag.
func (s *static) load(root *os.Root, name string, f *os.File, info os.FileInfo) (*memFile, error) {
	etag, err := s.etags.get(name, f, info)
	if err != nil {
		return nil, err
	}
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	m := &memFile{ctype: contentType(name), info: info, data: data, etag: etag}
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
	gz, err := s.compressed(etag, info.Size(), bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if gz != nil {
		m.gz, m.gzETag = gz, gzipETag(etag)
	}
	return m, nil
}

// serveMemory writes m with status 200, as serveFile would.
func (s *static) serveMemory(w http.ResponseWriter, r *http.Request, name string, m *memFile) {
	rep := representation{body: bytes.NewReader(m.data), size: int64(len(m.data)), etag: m.etag}
	if m.gz != nil && acceptsGzip(r.Header.Values("Accept-Encoding")) {
		rep = representation{body: bytes.NewReader(m.gz), size: int64(len(m.gz)), etag: m.gzETag, encoding: "gzip"}
	}
	s.send(w, r, name, m.ctype, rep, m.info.ModTime(), http.StatusOK)
}
