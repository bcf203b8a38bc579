package server

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long the watcher waits after the last change before
// it rebuilds, so that a burst of saves is one rebuild.
const DefaultDebounce = 100 * time.Millisecond

// RebuildFunc rebuilds the site. Changed holds the files (and removed
// folders) that changed since the last call, sorted, in the form of the roots
// given to the watcher; full is true when changes may have been missed and
// everything must be rebuilt.
type RebuildFunc func(ctx context.Context, changed []string, full bool) error

// WatchConfig is what NewWatcher needs; Roots and Rebuild are required.
type WatchConfig struct {
	// Roots are the folders (watched with all their subfolders) and files to
	// watch, such as content, layouts, static and config.toml. A root that
	// does not exist yet is picked up when it is created.
	Roots []string
	// Exclude are folders under a root not to watch, such as the output
	// folder when a root holds it. Folders whose names start with a dot
	// (.git, .lobby) are never watched.
	Exclude []string
	// Rebuild is called with each batch of changes, never twice at once.
	Rebuild RebuildFunc
	// Rebuilt, if set, is called with Rebuild's result after each call;
	// cmd passes (*Server).Reloaded. A failed rebuild does not stop the watcher.
	Rebuilt func(err error)
	// Debounce is the quiet time after the last change before a rebuild;
	// zero means DefaultDebounce.
	Debounce time.Duration
}

// Watcher calls a RebuildFunc when files under its roots change. It watches
// folders rather than files, so that editors that save by writing a new
// file and renaming it over the old one are seen, and it ignores editors'
// swap, backup and temporary files.
type Watcher struct {
	cfg     WatchConfig
	fsw     *fsnotify.Watcher
	roots   []string
	exclude []string
	watched map[string]bool // folders with a watch
}

// NewWatcher sets up the watches for cfg; changes made after it returns are
// seen. Call Run to act on them.
func NewWatcher(cfg WatchConfig) (*Watcher, error) {
	if len(cfg.Roots) == 0 || cfg.Rebuild == nil {
		return nil, errors.New("watch: no roots or no rebuild function")
	}
	if cfg.Debounce <= 0 {
		cfg.Debounce = DefaultDebounce
	}
	fsw, err := fsnotify.NewBufferedWatcher(1024)
	if err != nil {
		return nil, err
	}
	w := &Watcher{cfg: cfg, fsw: fsw, watched: make(map[string]bool)}
	for _, ex := range cfg.Exclude {
		w.exclude = append(w.exclude, filepath.Clean(ex))
	}
	for _, root := range cfg.Roots {
		root = filepath.Clean(root)
		w.roots = append(w.roots, root)
		// The parent folder tells us when the root itself is created,
		// removed or replaced by a rename.
		if err := w.add(filepath.Dir(root)); err != nil {
			fsw.Close()
			return nil, err
		}
		if _, err := w.addTree(root); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

// add watches one folder.
func (w *Watcher) add(dir string) error {
	if w.watched[dir] {
		return nil
	}
	if err := w.fsw.Add(dir); err != nil {
		return &fs.PathError{Op: "watch", Path: dir, Err: err}
	}
	w.watched[dir] = true
	return nil
}

// addTree watches dir and every folder below it that is not hidden or
// excluded, and returns the files it found there: created with the folder,
// they may have appeared before the watch did. A root that is a file or
// does not exist adds nothing.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone already; its removal is an event of its own
			}
			return err
		}
		if !w.relevant(p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			files = append(files, p)
			return nil
		}
		if err := w.add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
	return files, err
}

// forget drops the watches on dir and the folders below it, after dir was
// removed or renamed away.
func (w *Watcher) forget(dir string) {
	for d := range w.watched {
		if d == dir || strings.HasPrefix(d, dir+string(filepath.Separator)) {
			w.fsw.Remove(d) // the kernel may have dropped it already
			delete(w.watched, d)
		}
	}
}

// relevant reports whether p is a root or under one, and neither hidden,
// excluded, nor an editor's temporary file.
func (w *Watcher) relevant(p string) bool {
	for _, ex := range w.exclude {
		if p == ex || strings.HasPrefix(p, ex+string(filepath.Separator)) {
			return false
		}
	}
	for _, root := range w.roots {
		var rest string
		switch {
		case p == root:
		case root == ".":
			rest = p
		case strings.HasPrefix(p, root+string(filepath.Separator)):
			rest = p[len(root)+1:]
		default:
			continue
		}
		if rest == "" {
			return true
		}
		if filepath.IsAbs(rest) || rest == ".." || strings.HasPrefix(rest, ".."+string(filepath.Separator)) {
			continue
		}
		for _, elem := range strings.Split(rest, string(filepath.Separator)) {
			if strings.HasPrefix(elem, ".") {
				return false
			}
		}
		return !editorTemp(filepath.Base(p))
	}
	return false
}

// editorTempName matches vim's swap files (.swp, .swo, … and .swx) and
// sed -i's temporary file (GNU: sedXXXXXX).
var editorTempName = regexp.MustCompile(`\.sw[a-px]$|^sed[A-Za-z0-9]{6}$`)

// editorTemp reports whether a file name is an editor's swap, backup or
// temporary file: vim's .swp/.swx and 4913 probe, backups ending in ~,
// emacs's #autosave#, sed -i's sedXXXXXX, JetBrains' safe-write files.
func editorTemp(name string) bool {
	switch {
	case strings.HasPrefix(name, "."),
		strings.HasSuffix(name, "~"),
		name == "4913",
		len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"),
		editorTempName.MatchString(name):
		return true
	}
	return false
}

// batch collects the changes seen since the last rebuild.
type batch struct {
	// paths maps each changed path to whether its first event in this
	// batch was its creation: such a path that is gone again by the end
	// was a temporary file, not a change.
	paths map[string]bool
	full  bool
}

func (b *batch) note(p string, created bool) {
	if b.paths == nil {
		b.paths = make(map[string]bool)
	}
	if _, ok := b.paths[p]; !ok {
		b.paths[p] = created
	}
}

func (b *batch) empty() bool { return len(b.paths) == 0 && !b.full }

// changed returns the paths to rebuild for, sorted: files that exist, and
// paths that are gone but existed before the batch. Existing folders are
// left out; the files created with them are listed one by one.
func (b *batch) changed() []string {
	var out []string
	for p, created := range b.paths {
		info, err := os.Lstat(p)
		switch {
		case err == nil && info.IsDir():
		case err != nil && created:
		default:
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// handle records one event in b. It reports whether the event counts (and
// so restarts the quiet time), or an error when a new folder cannot be
// watched.
func (w *Watcher) handle(ev fsnotify.Event, b *batch) (bool, error) {
	p := filepath.Clean(ev.Name)
	if ev.Op == fsnotify.Chmod || !w.relevant(p) {
		return false, nil
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(p)
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(p); err == nil && info.IsDir() {
			files, err := w.addTree(p)
			if err != nil {
				return false, err
			}
			for _, f := range files {
				b.note(f, true)
			}
		}
	}
	b.note(p, ev.Has(fsnotify.Create))
	return true, nil
}

// Run watches until ctx is cancelled, calling Rebuild after each quiet time
// that follows changes. A full rebuild is asked for when the kernel's event
// queue overflowed or the watcher reported any other error, since events
// may have been lost. Run returns nil when ctx is cancelled, after the
// rebuild in progress, if any, has returned; it returns an error when a new
// folder cannot be watched (for instance past the system's watch limit).
// Run closes the watcher; call it once.
func (w *Watcher) Run(ctx context.Context) error {
	defer w.fsw.Close()
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	var (
		b       batch
		running chan error // non-nil while Rebuild runs
		again   bool       // the quiet time ended during a rebuild
	)
	start := func() {
		changed := b.changed()
		full := b.full
		b = batch{}
		if len(changed) == 0 && !full {
			return
		}
		running = make(chan error, 1)
		go func() { running <- w.cfg.Rebuild(ctx, changed, full) }()
	}
	for {
		select {
		case <-ctx.Done():
			if running != nil {
				<-running
			}
			return nil
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return errors.New("watch: watcher closed")
			}
			counts, err := w.handle(ev, &b)
			if err != nil {
				if running != nil {
					<-running
				}
				return err
			}
			if counts {
				quiet.Reset(w.cfg.Debounce)
			}
		case _, ok := <-w.fsw.Errors:
			if !ok {
				return errors.New("watch: watcher closed")
			}
			// fsnotify.ErrEventOverflow or a read error: events were lost.
			b.full = true
			quiet.Reset(w.cfg.Debounce)
		case <-quiet.C:
			if running != nil {
				again = true
				continue
			}
			start()
		case err := <-running:
			running = nil
			if w.cfg.Rebuilt != nil {
				w.cfg.Rebuilt(err)
			}
			if again && !b.empty() {
				start()
			}
			again = false
		}
	}
}
