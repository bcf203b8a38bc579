//go:build !linux

package main

import "testing"

func exchange(t *testing.T, a, b string) {
	t.Skip("an atomic exchange of two folders needs Linux's renameat2")
}

func hangUp(t *testing.T) {
	t.Skip("the SIGHUP test runs on Linux")
}
