package feedback

import (
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

// cleanText trims s and checks that it is valid UTF-8 without control
// characters and at most max characters long. Multi-line text keeps line
// breaks and tabs (CRLF becomes LF); single-line text allows neither. It
// returns the cleaned text, or a code naming the problem.
func cleanText(s string, max int, multiline bool) (string, string) {
	if !utf8.ValidString(s) {
		return "", codeInvalid
	}
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
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
	return s, ""
}

// MaxNoteLength is the most characters a staff note may have.
const MaxNoteLength = 2000

// CleanNote trims a staff note and checks it like a message.
func CleanNote(note string) (string, error) {
	note, code := cleanText(note, MaxNoteLength, true)
	switch code {
	case codeTooLong:
		return "", Errorf(EINVALID, "the note is longer than %d characters", MaxNoteLength)
	case codeInvalid:
		return "", Errorf(EINVALID, "the note is not valid text: it has control characters or invalid UTF-8")
	}
	return note, nil
}
