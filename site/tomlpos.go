package site

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// tomlError turns an error of the TOML decoder into an *Error located in the
// whole file: lineOffset is the line before the TOML text starts, and the
// decoder's byte column becomes a character column.
func tomlError(err error, path, src string, lineOffset int) error {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		line := perr.Position.Line
		col := byteToCharCol(src, line, perr.Position.Col)
		return &Error{Path: path, Line: line + lineOffset, Col: col, Msg: tomlMessage(perr)}
	}
	// Type mismatches are plain errors with the line only in their text:
	// "toml: line 2 (last key "tags"): incompatible types: …".
	msg := err.Error()
	if m := tomlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Path: path, Line: line + lineOffset, Msg: strings.TrimSpace(m[3])}
	}
	return &Error{Path: path, Line: lineOffset + 1, Msg: strings.TrimPrefix(msg, "toml: ")}
}

var tomlLineRE = regexp.MustCompile(`^toml: line (\d+)( \(last key "[^"]*"\))?: (.*)$`)

func tomlMessage(perr toml.ParseError) string {
	msg := perr.Message
	if msg == "" {
		msg = perr.Error()
	}
	if perr.LastKey != "" {
		msg += " (after key " + strconv.Quote(perr.LastKey) + ")"
	}
	return msg
}

// byteToCharCol converts a 1-based byte column on a 1-based line of src into a
// character column.
func byteToCharCol(src string, line, col int) int {
	lines := strings.SplitN(src, "\n", line+1)
	if line < 1 || line > len(lines) || col < 1 {
		return col
	}
	l := lines[line-1]
	if col-1 > len(l) {
		return utf8.RuneCountInString(l) + 1
	}
	return utf8.RuneCountInString(l[:col-1]) + 1
}

// findTOMLKey returns the 1-based line and character column where key (a
// dotted path such as office.phone or income.amount) is set in src, or 0, 0
// when it cannot be found. The decoder does not export key positions, so
// this follows table headers line by line. index picks the n-th array table
// (0-based) when the key lies in one, and is ignored otherwise.
func findTOMLKey(src string, key []string, index ...int) (line, col int) {
	want := -1
	if len(index) > 0 {
		want = index[0]
	}
	var table []string
	seen := map[string]int{}
	for i, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			name := strings.Trim(strings.SplitN(t, "#", 2)[0], " []")
			table = splitDotted(name)
			if strings.HasPrefix(t, "[[") {
				seen[name]++
			}
			continue
		}
		eq := strings.IndexByte(t, '=')
		if eq <= 0 || strings.HasPrefix(t, "#") {
			continue
		}
		full := append(append([]string{}, table...), splitDotted(strings.TrimSpace(t[:eq]))...)
		if !equalKeys(full, key) {
			// An inline table: "fund = { opening = "1" }" sets fund.opening.
			if len(full) < len(key) && equalKeys(full, key[:len(full)]) && strings.Contains(t[eq:], key[len(key)-1]) {
				return i + 1, 1 + utf8.RuneCountInString(l[:strings.Index(l, strings.TrimSpace(l))])
			}
			continue
		}
		if want >= 0 && len(table) > 0 && seen[strings.Join(table, ".")]-1 != want {
			continue
		}
		return i + 1, 1 + utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeft(l, " \t"))])
	}
	return 0, 0
}

func splitDotted(s string) []string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return parts
}

func equalKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
