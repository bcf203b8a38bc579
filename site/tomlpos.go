package site

import (
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/lobby-community/lobby/internal/msg"
)

// tomlError turns an error of the TOML decoder into an *Error located in the
// whole file: lineOffset is the line before the TOML text starts, and the
// decoder's byte column becomes a character column. target is the type the
// text was decoded into: a value it cannot hold gets a message that names
// its key and shows it written correctly, rather than the decoder's text.
func tomlError(err error, path, src string, lineOffset int, target reflect.Type) error {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		line := perr.Position.Line
		col := byteToCharCol(src, line, perr.Position.Col)
		t := tomlParseMessage(perr, src, target)
		if lines := strings.Split(src, "\n"); strings.Contains(perr.Message, "has already been defined") && line >= 1 && line <= len(lines) {
			// The decoder points after the value; the key is what to fix.
			l := lines[line-1]
			col = 1 + utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeft(l, " \t"))])
		}
		return &Error{Path: path, Line: line + lineOffset, Col: col, Msg: t.In(msg.En), Text: t}
	}
	// Type mismatches are plain errors with the line only in their text:
	// "toml: line 2 (last key "tags"): incompatible types: …".
	text := err.Error()
	if m := tomlLineRE.FindStringSubmatch(text); m != nil {
		line, _ := strconv.Atoi(m[1])
		e := &Error{Path: path, Line: line + lineOffset, Msg: strings.TrimSpace(m[3])}
		key, value, ok := tomlLineKey(src, line)
		if ok {
			_, e.Col = findTOMLKey(src, key)
		}
		if ok && strings.Contains(text, "incompatible types") && target != nil {
			e.Text, _ = valueMessage(formatTOML, keyKind(target, key), key[len(key)-1], value)
		}
		if !e.Text.IsZero() {
			e.Msg = e.Text.In(msg.En)
		}
		return e
	}
	return &Error{Path: path, Line: lineOffset + 1, Msg: strings.TrimPrefix(text, "toml: ")}
}

var tomlLineRE = regexp.MustCompile(`^toml: line (\d+)( \(last key "[^"]*"\))?: (.*)$`)

// tomlParseMessage explains a syntax error of the TOML decoder: by the key
// and the kind of value it takes when the line sets one, else in the
// decoder's words.
func tomlParseMessage(perr toml.ParseError, src string, target reflect.Type) msg.Text {
	raw := perr.Message
	if raw == "" {
		raw = perr.Error()
	}
	key, value, ok := tomlLineKey(src, perr.Position.Line)
	switch {
	case !ok:
	case strings.Contains(raw, "has already been defined"):
		return msgDuplicateKey.Text(strings.Join(key, "."))
	case strings.Contains(raw, "strings cannot contain newlines") || strings.Contains(raw, "unexpected EOF"):
		name := key[len(key)-1]
		return msgUnclosedQuote.Text(name, name+" = "+strconv.Quote(value))
	default:
		if t, ok := tomlValueMessage(src, perr.Position.Line, target); ok {
			return t
		}
	}
	if perr.LastKey != "" {
		return msgTOMLSyntaxAfter.Text(perr.LastKey, raw)
	}
	return msgTOMLSyntax.Text(raw)
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

// findTOMLTable returns the line and column of the header of the table
// key ("[office]"), or 0, 0.
func findTOMLTable(src string, key []string) (line, col int) {
	for i, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") && equalKeys(splitDotted(strings.Trim(strings.SplitN(t, "#", 2)[0], " []")), key) {
			return i + 1, 1 + utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeft(l, " \t"))])
		}
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
