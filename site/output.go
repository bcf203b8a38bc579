package site

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// output receives the files of a build as they are made. put is called
// from several goroutines at once and must not keep data, which the caller
// reuses. finish is called once at the end with the names of all the files
// of the build: those that were not put are as the previous build made
// them, and the previous build's files that are not among them are gone.
type output interface {
	put(name string, data []byte) error
	finish(names map[string]int) error
}

// memOutput collects the files in memory, in a Site's Files, which start as
// the previous build's.
type memOutput struct {
	mu    sync.Mutex
	files map[string][]byte
	added bool // a file was put that the previous build did not make
}

// newMemOutput returns an output into files that starts with prev's files.
func newMemOutput(files, prev map[string][]byte) *memOutput {
	maps.Copy(files, prev)
	return &memOutput{files: files}
}

func (m *memOutput) put(name string, data []byte) error {
	data = bytes.Clone(data)
	m.mu.Lock()
	if _, ok := m.files[name]; !ok {
		m.added = true
	}
	m.files[name] = data
	m.mu.Unlock()
	return nil
}

func (m *memOutput) finish(names map[string]int) error {
	if !m.added && len(m.files) == len(names) {
		return nil
	}
	for name := range m.files {
		if _, ok := names[name]; !ok {
			delete(m.files, name)
		}
	}
	if len(m.files) != len(names) {
		return errors.New("a file of the build was neither made nor kept")
	}
	return nil
}

// fileSum identifies the contents of a file: its length and its CRC-32 in
// two polynomials (both computed in hardware), so that a change that keeps
// the length goes unnoticed with a chance of about one in 2^64.
type fileSum struct {
	size       int64
	castagnoli uint32
	ieee       uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func sumOf(data []byte) fileSum {
	return fileSum{size: int64(len(data)), castagnoli: crc32.Checksum(data, castagnoli), ieee: crc32.ChecksumIEEE(data)}
}

// A manifest lists the files lobby wrote into an output folder with their
// sums, so that the next build writes only the files whose bytes changed.
// It is kept outside the folder, which holds only what a site publishes
// (no dot-files): beside it, in .lobby/<folder>.files, which is the site's
// .lobby/ for the usual public/. Its first line records the folder's
// modification time when it was written; a folder made again or changed at
// its top since then has another, and is then written afresh.
const manifestHeader = "lobby-files 1"

// stagePrefix starts the names of the folders that hold new files until
// they are renamed into place.
const stagePrefix = ".lobby-stage-"

// manifestPath is where the manifest of the output folder dest is kept.
func manifestPath(dest string) string {
	return filepath.Join(filepath.Dir(dest), ".lobby", filepath.Base(dest)+".files")
}

// folderStamp is the line that identifies dest in its manifest.
func folderStamp(dest string) (string, error) {
	fi, err := os.Stat(dest)
	if err != nil {
		return "", err
	}
	return manifestHeader + " " + strconv.FormatInt(fi.ModTime().UnixNano(), 10), nil
}

// readManifest reads dest's manifest; it returns nil when there is none, it
// cannot be read or dest changed since it was written, and the output is
// then written afresh.
func readManifest(dest string) map[string]fileSum {
	stamp, err := folderStamp(dest)
	if err != nil {
		return nil
	}
	f, err := os.Open(manifestPath(dest))
	if err != nil {
		return nil
	}
	defer f.Close()
	sums := make(map[string]fileSum, 1024)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() || sc.Text() != stamp {
		return nil
	}
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), " ", 4)
		if len(fields) != 4 {
			return nil
		}
		size, err1 := strconv.ParseInt(fields[0], 10, 64)
		c, err2 := strconv.ParseUint(fields[1], 16, 32)
		i, err3 := strconv.ParseUint(fields[2], 16, 32)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil
		}
		sums[fields[3]] = fileSum{size: size, castagnoli: uint32(c), ieee: uint32(i)}
	}
	if sc.Err() != nil {
		return nil
	}
	return sums
}

// writeManifest records sums as the manifest of dest, by rename.
func writeManifest(dest string, manifest []byte) error {
	stamp, err := folderStamp(dest)
	if err != nil {
		return err
	}
	file := manifestPath(dest)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp := file + ".new"
	if err := os.WriteFile(tmp, append([]byte(stamp+"\n"), manifest...), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// manifestBytes is the text of a manifest, in the order of names (output
// name → position), so that two builds of the same site write the same
// manifest.
func manifestBytes(sums map[string]fileSum, names map[string]int) []byte {
	order := make([]string, len(names))
	for n, i := range names {
		order[i] = n
	}
	b := make([]byte, 0, len(sums)*80)
	for _, n := range order {
		s := sums[n]
		b = strconv.AppendInt(b, s.size, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(s.castagnoli), 16)
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(s.ieee), 16)
		b = append(b, ' ')
		b = append(b, n...)
		b = append(b, '\n')
	}
	return b
}

// dirOutput makes a folder hold exactly the files of a build. When the
// folder has a manifest from an earlier build, it writes only the files
// whose sums differ, each into a staging folder first; commit then removes
// the files the build no longer makes and renames the new ones into place,
// one atomic rename each, so a server never reads half a file. Without a
// manifest (a first build, or a folder lobby did not write) every file is
// written into a new folder that commit swaps in for the old one. Either
// way a build that fails before commit leaves the folder as it was.
type dirOutput struct {
	dest  string
	old   map[string]fileSum // the manifest of dest; nil when writing afresh
	stage string             // new folder (afresh) or staging folder inside dest

	mu      sync.Mutex
	sums    map[string]fileSum // every file of the build
	added   bool               // a file was put that old does not have
	gone    []string           // files of old that the build does not make
	names   map[string]int     // every file of the build → its place in the manifest
	staged  map[string]string  // output name → staged file (in place)
	dirs    sync.Map           // folders made below stage (afresh)
	counter atomic.Int64
	written atomic.Int64
}

// newDirOutput prepares to write into dest. old is the manifest of dest if
// the caller knows it (a Builder keeps the one it wrote); nil reads it from
// dest.
func newDirOutput(dest string, old map[string]fileSum) (*dirOutput, error) {
	dest = filepath.Clean(dest)
	if old == nil {
		old = readManifest(dest)
	}
	o := &dirOutput{dest: dest, old: old, sums: maps.Clone(old), staged: map[string]string{}}
	if o.sums == nil {
		o.sums = map[string]fileSum{}
	}
	if old == nil {
		parent := filepath.Dir(dest)
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return nil, err
		}
		tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".new-")
		if err != nil {
			return nil, err
		}
		if err := os.Chmod(tmp, 0o755); err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
		o.stage = tmp
		return o, nil
	}
	removeStale(dest)
	tmp, err := os.MkdirTemp(dest, stagePrefix)
	if err != nil {
		return nil, err
	}
	o.stage = tmp
	return o, nil
}

// removeStale removes staging folders that a build killed half-way left
// behind.
func removeStale(dest string) {
	entries, _ := os.ReadDir(dest)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagePrefix) {
			os.RemoveAll(filepath.Join(dest, e.Name()))
		}
	}
}

func checkName(name string) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) || strings.HasPrefix(name, stagePrefix) {
		return fmt.Errorf("output path %q is outside the output folder", name)
	}
	return nil
}

func (o *dirOutput) put(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	sum := sumOf(data)
	o.mu.Lock()
	if _, ok := o.sums[name]; !ok {
		o.added = true
	}
	o.sums[name] = sum
	o.mu.Unlock()
	if o.old != nil {
		if old, ok := o.old[name]; ok && old == sum {
			return nil
		}
		tmp := filepath.Join(o.stage, strconv.FormatInt(o.counter.Add(1), 10))
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return err
		}
		o.mu.Lock()
		o.staged[name] = tmp
		o.mu.Unlock()
		o.written.Add(1)
		return nil
	}
	file := filepath.Join(o.stage, filepath.FromSlash(name))
	if dir := path.Dir(name); dir != "." {
		if _, ok := o.dirs.Load(dir); !ok {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				return err
			}
			o.dirs.Store(dir, true)
		}
	}
	o.written.Add(1)
	return os.WriteFile(file, data, 0o644)
}

func (o *dirOutput) finish(names map[string]int) error {
	o.names = names
	if !o.added && len(o.sums) == len(names) {
		return nil
	}
	for name := range o.sums {
		if _, ok := names[name]; !ok {
			delete(o.sums, name)
			o.gone = append(o.gone, name)
		}
	}
	if len(o.sums) != len(names) {
		return errors.New("a file of the build was neither made nor kept")
	}
	return nil
}

// abort removes what the build wrote; dest stays as it was.
func (o *dirOutput) abort() { os.RemoveAll(o.stage) }

// commit puts the build in place. The manifest is removed first and
// written last, so that a build killed half-way is written afresh next time;
// with save false, it is left for the caller to write later (saveManifest).
func (o *dirOutput) commit(save bool) error {
	var manifest []byte
	if save {
		manifest = manifestBytes(o.sums, o.names)
	}
	if err := removeManifest(o.dest); err != nil {
		o.abort()
		return err
	}
	if o.old == nil {
		if err := swapDir(o.stage, o.dest); err != nil {
			o.abort()
			return err
		}
		if save {
			saveManifest(o.dest, manifest)
		}
		return nil
	}
	// Files the build no longer makes go first, and then their folders if
	// that left them empty, so that a new file may take a folder's name.
	gone := o.gone
	sort.Sort(sort.Reverse(sort.StringSlice(gone)))
	emptied := map[string]bool{}
	for _, name := range gone {
		if err := os.Remove(filepath.Join(o.dest, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			o.abort()
			return err
		}
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			emptied[d] = true
		}
	}
	dirs := make([]string, 0, len(emptied))
	for d := range emptied {
		dirs = append(dirs, d)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs))) // children before parents
	for _, d := range dirs {
		os.Remove(filepath.Join(o.dest, filepath.FromSlash(d))) // fails, as it should, when not empty
	}
	// Pages go last, so that a new page served while the others are being
	// renamed never names a stylesheet, script or image not yet in place.
	names := make([]string, 0, len(o.staged))
	for name := range o.staged {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		pi, pj := strings.HasSuffix(names[i], ".html"), strings.HasSuffix(names[j], ".html")
		if pi != pj {
			return pj
		}
		return names[i] < names[j]
	})
	made := map[string]bool{}
	for _, name := range names {
		file := filepath.Join(o.dest, filepath.FromSlash(name))
		if dir := path.Dir(name); dir != "." && !made[dir] {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				o.abort()
				return err
			}
			made[dir] = true
		}
		if err := os.Rename(o.staged[name], file); err != nil {
			o.abort()
			return err
		}
	}
	// The staging folder goes before the manifest records the folder's
	// time, which its removal changes.
	if err := os.RemoveAll(o.stage); err != nil {
		return err
	}
	if save {
		saveManifest(o.dest, manifest)
	}
	return nil
}

// removeManifest removes dest's manifest; it fails only when there is one
// that stays.
func removeManifest(dest string) error {
	err := os.Remove(manifestPath(dest))
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if _, serr := os.Lstat(manifestPath(dest)); serr != nil {
		return nil // not there: its folder is not one
	}
	return err
}

// saveManifest records the manifest of the build now in dest. It is only
// an aid to the next build: when it cannot be written, the output is whole
// all the same, and the next build writes every file afresh.
func saveManifest(dest string, manifest []byte) {
	if err := writeManifest(dest, manifest); err != nil {
		removeManifest(dest)
	}
}
