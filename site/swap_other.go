//go:build !linux

package site

import "errors"

// exchange is only atomic on Linux; elsewhere the caller falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
