package site

import (
	"errors"
	"os"
)

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
