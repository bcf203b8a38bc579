package site

import (
	"bytes"
	"errors"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var bom = []byte("\xef\xbb\xbf")

// cleanSource strips a byte-order mark, turns CRLF and CR line endings
// into LF and checks that src is valid UTF-8, reporting the line and
// column of the first invalid byte.
func cleanSource(src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, bom)
	if bytes.Contains(src, []byte("\r\n")) {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		// A lone CR ends a line for the YAML decoder but not for the
		// line counts of error positions: make it one line ending.
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	if utf8.Valid(src) {
		return src, nil
	}
	gbk := looksGBK(src)
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			if gbk {
				// Count the columns as the file's own encoding shows them.
				start := bytes.LastIndexByte(src[:i], '\n') + 1
				prefix, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(src[start:i])
				return nil, newError("", line, 1+utf8.RuneCount(prefix), msgLooksGBK)
			}
			return nil, newError("", line, col, msgNotUTF8, src[i])
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

// looksGBK reports whether src, which is not UTF-8, reads as Chinese in
// GB18030 (of which GBK and GB2312 are parts), the encoding that Windows
// editors in China save "ANSI" files in: it decodes without a fault, and
// nearly all of its non-ASCII characters are Chinese characters or
// punctuation. Text in another legacy encoding (Latin-1, Big5 read wrong)
// rarely passes both.
func looksGBK(src []byte) bool {
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
	if err != nil {
		return false
	}
	var nonASCII, chinese int
	for _, r := range string(text) {
		switch {
		case r == utf8.RuneError:
			return false
		case r < utf8.RuneSelf:
		case unicode.Is(unicode.Han, r), r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xffef:
			nonASCII++
			chinese++
		default:
			nonASCII++
		}
	}
	return chinese > 0 && chinese*10 >= nonASCII*9
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
