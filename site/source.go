package site

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

var bom = []byte("\xef\xbb\xbf")

// cleanSource strips a byte-order mark, turns CRLF line endings into LF and
// checks that src is valid UTF-8, reporting the line and column of the first
// invalid byte.
func cleanSource(src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, bom)
	if bytes.Contains(src, []byte("\r\n")) {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	if utf8.Valid(src) {
		return src, nil
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return nil, &Error{Line: line, Col: col, Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x): save the file as UTF-8", src[i])}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return src, nil // unreachable: utf8.Valid said otherwise
}

// withPath sets the path of a located *Error that has none.
func withPath(err error, path string, lineOffset int) error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		if c.Path == "" {
			c.Path = path
		}
		if c.Line > 0 {
			c.Line += lineOffset
		}
		return &c
	}
	return &Error{Path: path, Msg: err.Error()}
}

// lineCol converts a byte offset in src into a 1-based line and a 1-based
// column counted in characters.
func lineCol(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line = 1 + bytes.Count(src[:off], []byte("\n"))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(src[start:off])
}
