package main

import (
	"os"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// exchange swaps the paths a and b in one atomic rename, as mv --exchange
// does.
func exchange(t *testing.T, a, b string) {
	t.Helper()
	if err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE); err != nil {
		t.Fatal(err)
	}
}

// hangUp sends SIGHUP to the test process, where lobby serve runs.
func hangUp(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
}
