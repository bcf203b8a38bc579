package site

import (
	"errors"
	"os"
)

// WriteDir writes the output of Build to dest. A folder that an earlier
// build wrote keeps the files whose bytes are the same (their modification
// times too): only new and changed files are written, each beside its
// place and renamed over it, and the files the build no longer makes are
// removed. Any other folder is replaced as a whole: the files are written
// into a new folder beside dest, which is swapped in for it at the end. A
// failed write leaves the previous output as it was.
func (s *Site) WriteDir(dest string) error {
	return WriteFiles(s.Files, dest)
}

// WriteFiles writes files (slash-separated paths → contents) to dest as
// WriteDir does.
func WriteFiles(files map[string][]byte, dest string) error {
	out, err := newDirOutput(dest, nil)
	if err != nil {
		return err
	}
	names := sortedKeys(files)
	all := make(map[string]int, len(names))
	for i, name := range names {
		all[name] = i
	}
	errs := make([]error, len(names))
	parallel(len(names), func(i int) { errs[i] = out.put(names[i], files[names[i]]) })
	if err := errors.Join(append(errs, out.finish(all))...); err != nil {
		out.abort()
		return err
	}
	return out.commit(true)
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
