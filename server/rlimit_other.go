//go:build !unix

package server

// openFileLimit is 0 where the limit on open files cannot be read.
func openFileLimit() int { return 0 }
