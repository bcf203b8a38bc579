package site

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lobby-community/lobby/internal/msg"
)

// Error is a problem in a site's input, located at a file and line.
// Line and Col are 1-based; Col counts characters, not bytes, and is 0 when
// unknown.
type Error struct {
	Path string
	Line int
	Col  int
	// Msg is the message in English.
	Msg string
	// Text is the message in the catalogue, for staff who read another
	// language; when it is zero, Msg is all there is.
	Text msg.Text
}

// newError returns an error at path:line:col whose message is m with args.
func newError(path string, line, col int, m msg.Message, args ...any) *Error {
	t := m.Text(args...)
	return &Error{Path: path, Line: line, Col: col, Msg: t.In(msg.En), Text: t}
}

func (e *Error) Error() string { return e.In(msg.En) }

// Message returns the message, without its position, in lang.
func (e *Error) Message(lang msg.Lang) string {
	if e.Text.IsZero() {
		return e.Msg
	}
	return e.Text.In(lang)
}

// In returns path:line:col: message with the message in lang; the
// position stays as it is, for editors and CI to read.
func (e *Error) In(lang msg.Lang) string {
	m := e.Message(lang)
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, m)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, m)
	default:
		return fmt.Sprintf("%s: %s", e.Path, m)
	}
}

// ErrorList is every problem found in one build, sorted by path and line.
type ErrorList []*Error

func (l ErrorList) Error() string { return l.In(msg.En) }

// In returns the errors one a line, their messages in lang.
func (l ErrorList) In(lang msg.Lang) string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.In(lang))
	}
	return b.String()
}

// Sort orders the list by path, line and column, and drops exact duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && sameError(e, s[i-1]) {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

func sameError(a, b *Error) bool {
	return a.Path == b.Path && a.Line == b.Line && a.Col == b.Col && a.Msg == b.Msg
}

// msgf appends an error at path:line:col whose message is m with args.
func (l *ErrorList) msgf(path string, line, col int, m msg.Message, args ...any) {
	*l = append(*l, newError(path, line, col, m, args...))
}

// add appends err, flattening an ErrorList or *Error; any other error is
// attributed to path.
func (l *ErrorList) add(path string, err error) {
	if err == nil {
		return
	}
	var list ErrorList
	if errors.As(err, &list) {
		*l = append(*l, list...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*l = append(*l, e)
		return
	}
	e = &Error{Path: path, Msg: err.Error()}
	if l, ok := err.(msg.Localizer); ok {
		e.Text = msg.Message{En: "%v", Zh: "%v"}.Text(l)
	}
	*l = append(*l, e)
}

// err returns the list as an error, or nil when it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}
