package server

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// static is the handler that serves the site built into dir: no file
// outside dir, no dotfile other than those under /.well-known/, no directory
// listing, "/x" redirected to "/x/" when x/index.html exists, and the site's
// own 404.html for anything missing. It sets Content-Type, ETag,
// Cache-Control and Vary, and serves gzip when the client accepts it; the
// security headers are added by Server. Dir is opened anew for each request,
// so a build that replaces the folder is served as soon as it is in place,
// and each request is answered from one build. The fingerprinted assets of
// the builds served before stay available after a newer build removed them
// (see keptAssets).
type static struct {
	dir   string
	etags etagCache
	gz    gzipCache
	mem   memory
	kept  keptAssets
}

func newStatic(dir string) *static {
	s := &static{dir: dir, gz: gzipCache{max: gzipCacheBytes}}
	s.keepAssets()
	return s
}

// reset forgets the files held in memory and the cached content hashes,
// and keeps the new build's assets, for use after a rebuild.
func (s *static) reset() {
	s.mem.reset()
	s.etags.reset()
	s.keepAssets()
}

// apiPrefix is where the content API lives: public JSON, open to any origin.
const apiPrefix = "/api/v1/"

func (s *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	api := strings.HasPrefix(r.URL.Path, apiPrefix)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if api {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
	case http.MethodOptions:
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		if api {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
			w.Header().Set("Access-Control-Max-Age", "86400")
		}
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}

	name, slash, status := resolvePath(r.URL.Path)
	if status == http.StatusBadRequest {
		http.Error(w, "400 bad request", http.StatusBadRequest)
		return
	}
	file := name
	if slash {
		file = path.Join(name, "index.html")
	}
	if status == 0 {
		if m := s.mem.get(file, filepath.Join(s.dir, filepath.FromSlash(file))); m != nil {
			s.serveMemory(w, r, file, m)
			return
		}
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		if status == 0 && !slash && s.serveKept(w, r, name, fs.ErrNotExist) {
			return
		}
		// The output folder is missing: not built yet, or caught between
		// the two renames of a rebuild.
		w.Header().Set("Retry-After", "1")
		http.Error(w, "503 the site is not available yet", http.StatusServiceUnavailable)
		return
	}
	defer root.Close()
	if status != 0 {
		s.notFound(w, r, root)
		return
	}

	if slash {
		name = path.Join(name, "index.html")
	}
	f, info, err := openFile(root, name)
	if errors.Is(err, errDirectory) && !slash {
		// "/x" is a folder: send the browser to "/x/" if that is a page,
		// so that its relative links work; never list the folder.
		if idx, _, err := openFile(root, path.Join(name, "index.html")); err == nil {
			idx.Close()
			redirectToDir(w, r)
			return
		}
		s.notFound(w, r, root)
		return
	}
	if err != nil {
		if s.serveKept(w, r, name, err) {
			return
		}
		s.fail(w, r, root, err)
		return
	}
	defer f.Close()
	if info.Size() <= memMaxFile {
		if m, err := s.load(root, name, f, info); err == nil {
			s.mem.put(name, m)
			if isFingerprinted(name) {
				s.kept.put(name, m)
			}
			s.serveMemory(w, r, name, m)
			return
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			s.fail(w, r, root, err)
			return
		}
	}
	if err := s.serveFile(w, r, root, name, f, info, http.StatusOK); err != nil {
		s.fail(w, r, root, err)
	}
}

// errTooBig is load's answer for a file it does not hold in memory.
var errTooBig = errors.New("too big to hold in memory")

// errDirectory is returned by openFile for a folder.
var errDirectory = errors.New("is a directory")

// openFile opens a regular file inside root: errDirectory for a folder,
// fs.ErrNotExist for anything else that is not a regular file. It opens
// without blocking, so that a FIFO cannot hold a request forever.
func openFile(root *os.Root, name string) (*os.File, os.FileInfo, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	switch {
	case err != nil:
	case info.IsDir():
		err = errDirectory
	case !info.Mode().IsRegular():
		err = fs.ErrNotExist
	default:
		return f, info, nil
	}
	f.Close()
	return nil, nil, err
}

// resolvePath maps an URL path to a slash-separated name inside the output
// folder. It reports whether the path ended in a slash, and a status: 0 when
// name may be opened, 400 for a path no browser sends (a ".." element, a NUL,
// a backslash, invalid UTF-8), 404 for a hidden name (a dotfile or
// dot-directory other than /.well-known/).
func resolvePath(urlPath string) (name string, slash bool, status int) {
	if urlPath == "" {
		urlPath = "/"
	}
	if urlPath[0] != '/' || strings.ContainsAny(urlPath, "\x00\\") || !utf8.ValidString(urlPath) {
		return "", false, http.StatusBadRequest
	}
	for i, elem := range strings.Split(urlPath[1:], "/") {
		switch {
		case elem == "..":
			return "", false, http.StatusBadRequest
		case elem == "" || elem == ".":
		case elem[0] == '.' && !(i == 0 && elem == ".well-known"):
			return "", false, http.StatusNotFound
		}
	}
	name = strings.TrimPrefix(path.Clean(urlPath), "/")
	if name == "" {
		name = "."
	}
	if !fs.ValidPath(name) {
		return "", false, http.StatusBadRequest
	}
	return name, strings.HasSuffix(urlPath, "/"), 0
}

// redirectToDir answers 301 from "/x" to "/x/" with a relative Location,
// so that a crafted path such as "//host/x" cannot turn into an open redirect.
func redirectToDir(w http.ResponseWriter, r *http.Request) {
	loc := (&url.URL{Path: path.Base(r.URL.Path) + "/"}).String()
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusMovedPermanently)
}

// fail maps an error from the file system to a response without showing
// its text: permission → 403, anything else (missing, a link leading out of
// the folder, a name too long) → the site's 404 page.
func (s *static) fail(w http.ResponseWriter, r *http.Request, root *os.Root, err error) {
	if errors.Is(err, fs.ErrPermission) {
		http.Error(w, "403 forbidden", http.StatusForbidden)
		return
	}
	s.notFound(w, r, root)
}

// notFound answers 404 with the site's 404.html, or a plain line when the
// site has none.
func (s *static) notFound(w http.ResponseWriter, r *http.Request, root *os.Root) {
	if f, info, err := openFile(root, "404.html"); err == nil {
		defer f.Close()
		if err := s.serveFile(w, r, root, "404.html", f, info, http.StatusNotFound); err == nil {
			return
		}
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// serveFile writes f, the file name in root, with status, choosing its
// representation (identity or gzip). A status other than 200 is written as is,
// without conditional or range handling. It returns an error, having written
// nothing, when the file cannot be read.
func (s *static) serveFile(w http.ResponseWriter, r *http.Request, root *os.Root, name string, f *os.File, info os.FileInfo, status int) error {
	ctype := contentType(name)
	rep, err := s.represent(r, root, name, f, info, ctype)
	if err != nil {
		return err
	}
	if rep.close != nil {
		defer rep.close()
	}
	s.send(w, r, name, ctype, rep, info.ModTime(), status)
	return nil
}

// send writes rep, a representation of the file name, with status.
func (s *static) send(w http.ResponseWriter, r *http.Request, name, ctype string, rep representation, modTime time.Time, status int) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", cacheControl(name, status))
	if compressible(ctype) {
		h.Add("Vary", "Accept-Encoding")
	}
	if rep.encoding != "" {
		h.Set("Content-Encoding", rep.encoding)
		// A byte range of a compressed body is of little use and easy to get
		// wrong; answer the whole body instead (RFC 9110 allows ignoring Range).
		r.Header.Del("Range")
	}
	if status == http.StatusOK {
		h.Set("ETag", rep.etag)
		http.ServeContent(w, r, "", modTime, rep.body)
		return
	}
	h.Set("Content-Length", strconv.FormatInt(rep.size, 10))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		io.Copy(w, rep.body) // the status is sent; a failed copy can only cut the body short
	}
}
