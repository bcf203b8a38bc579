package server

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"sync"
)

// keptBytes bounds the memory held by the fingerprinted assets of earlier
// builds; past it, the assets kept longest go first.
const keptBytes = 16 << 20

// keptDir is the folder of the output whose fingerprinted files are read
// into memory whenever a build lands: the theme's stylesheets and scripts.
const keptDir = "assets"

// keptAssets holds the fingerprinted files (name.<hash>.ext) of every build
// the server has served, after a newer build has removed them from the
// output folder. A page of the previous build, loaded a moment before the
// new one landed or still open in a browser, names the stylesheet and
// script of its own build; they are served from here, so the page is never
// shown without its style or with another build's. Serving an old one is
// always right, since its name is its content's hash.
type keptAssets struct {
	mu    sync.Mutex
	m     map[string]*memFile
	order []string // oldest first
	bytes int
}

func (k *keptAssets) get(name string) *memFile {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.m[name]
}

func (k *keptAssets) put(name string, f *memFile) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[name]; ok {
		return
	}
	if k.m == nil {
		k.m = map[string]*memFile{}
	}
	k.m[name] = f
	k.order = append(k.order, name)
	k.bytes += len(f.data) + len(f.gz)
	for k.bytes > keptBytes && len(k.order) > 1 {
		old := k.m[k.order[0]]
		delete(k.m, k.order[0])
		k.order = k.order[1:]
		k.bytes -= len(old.data) + len(old.gz)
	}
}

// isFingerprinted reports whether name, slash-separated, is a file named
// after its content's hash.
func isFingerprinted(name string) bool {
	return fingerprinted.MatchString(path.Base(name))
}

// keepAssets reads the fingerprinted files under keptDir of the output now
// in place into memory, so that they outlive the next build. A build that
// lands and is replaced before this runs leaves only the assets that were
// asked for in between.
func (s *static) keepAssets() {
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		return
	}
	defer root.Close()
	fs.WalkDir(root.FS(), keptDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isFingerprinted(name) || s.kept.get(name) != nil {
			return nil
		}
		f, info, err := openFile(root, name)
		if err != nil {
			return nil
		}
		defer f.Close()
		if info.Size() > memMaxFile {
			return nil
		}
		if m, err := s.load(root, name, f, info); err == nil {
			s.kept.put(name, m)
		}
		return nil
	})
}

// serveKept serves name from the kept assets when it is one and the output
// folder no longer has it; it reports whether it did.
func (s *static) serveKept(w http.ResponseWriter, r *http.Request, name string, err error) bool {
	if !errors.Is(err, fs.ErrNotExist) || !isFingerprinted(name) {
		return false
	}
	m := s.kept.get(name)
	if m == nil {
		return false
	}
	s.serveMemory(w, r, name, m)
	return true
}
