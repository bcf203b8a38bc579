package feedback

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text problems found by cleanText, used as field error codes.
const (
	codeRequired = "required"
	codeTooLong  = "too_long"
	codeInvalid  = "invalid"
)

// invisible reports whether r changes how text around it is shown while
// showing nothing itself: the bidirectional controls (which can make
// "3-1201" read as "1021-3", or hide a formula behind text) and the
// zero-width characters (which make two names that look alike differ).
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u2060', '\uFEFF', '\u180E', '\u2061', '\u2062', '\u2063', '\u2064':
		return true
	}
	return unicode.Is(unicode.Bidi_Control, r) || unicode.Is(unicode.Join_Control, r)
}

// stripInvisible removes the characters invisible reports.
func stripInvisible(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// EscapeInvisible replaces each character invisible reports with its
// \uXXXX escape, so that it shows where it was: in a message it may be
// deliberate, but staff must see it.
func EscapeInvisible(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if invisible(r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cleanText trims s and checks that it is valid UTF-8 without control
// characters and at most max characters long. Multi-line text keeps line
// breaks and tabs (CRLF becomes LF), and invisible characters as escapes;
// single-line text allows neither, and loses invisible characters. It
// returns the cleaned text, or a code naming the problem.
func cleanText(s string, max int, multiline bool) (string, string) {
	if !utf8.ValidString(s) {
		return "", codeInvalid
	}
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	} else {
		s = stripInvisible(s)
	}
	s = strings.TrimSpace(s)
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "", codeInvalid
		}
	}
	if utf8.RuneCountInString(s) > max {
		return "", codeTooLong
	}
	if multiline {
		s = EscapeInvisible(s)
	}
	return s, ""
}

// MaxNoteLength is the most characters a staff note may have.
const MaxNoteLength = 2000

// CleanNote trims a staff note and checks it like a message.
func CleanNote(note string) (string, error) {
	note, code := cleanText(note, MaxNoteLength, true)
	switch code {
	case codeTooLong:
		return "", Errorm(EINVALID, msgNoteTooLong, MaxNoteLength)
	case codeInvalid:
		return "", Errorm(EINVALID, msgNoteInvalid)
	}
	return note, nil
}
