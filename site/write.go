package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// WriteDir writes the output to dest. It writes into a new folder beside
// dest and swaps it into place only when every file is written, so a
// failed build leaves the previous output untouched.
func (s *Site) WriteDir(dest string) error {
	return WriteFiles(s.Files, dest)
}

// WriteFiles writes files (slash-separated paths → contents) to dest,
// replacing what is there as one swap.
func WriteFiles(files map[string][]byte, dest string) error {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".new-")
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, name := range names {
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			return fmt.Errorf("output path %q is outside the output folder", name)
		}
		if dir := filepath.Dir(filepath.FromSlash(name)); dir != "." {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		if err := root.WriteFile(filepath.FromSlash(name), files[name], 0o644); err != nil {
			return err
		}
	}
	if err := swapDir(tmp, dest); err != nil {
		return err
	}
	ok = true
	return nil
}

// swapDir puts the folder tmp at dest. When dest exists the two are
// exchanged in one atomic rename (Linux renameat2), so a server never sees
// a missing folder; the old output is then removed.
func swapDir(tmp, dest string) error {
	if _, err := os.Lstat(dest); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dest)
	}
	err := exchange(tmp, dest)
	if err != nil {
		// Not Linux, or a file system without exchange: two renames.
		old := tmp + ".old"
		if err := os.Rename(dest, old); err != nil {
			return err
		}
		if err := os.Rename(tmp, dest); err != nil {
			os.Rename(old, dest)
			return err
		}
		return os.RemoveAll(old)
	}
	return os.RemoveAll(tmp) // tmp now holds the previous output
}
