// Package msg is lobby's catalogue of staff-facing messages: what the
// build, check, new, serve and feedback commands print, in the staff's
// language. Each message is one Message value holding its English and
// Chinese text side by side, declared beside the code that uses it, and
// rendered in a language when it is printed.
//
// A plain typed table is used rather than golang.org/x/text/message: that
// printer formats numbers for the locale ("line 12,345"), looks messages up
// by their English text with a silent fallback, and keeps its catalogue in
// package state; lobby needs none of its plural rules, since Chinese has
// none and the English messages avoid them.
package msg

import (
	"fmt"
	"strings"
)

// Lang is a language that messages are written in.
type Lang string

// The languages of the catalogue, named as config.toml's language names
// them.
const (
	En Lang = "en"
	Zh Lang = "zh-CN"
)

// Default is the language used when neither LOBBY_LANG nor the site says.
const Default = Zh

// EnvVar is the environment variable that overrides the site's language
// for messages.
const EnvVar = "LOBBY_LANG"

// ParseLang reads a language name as staff may write it in LOBBY_LANG or
// config.toml: "en", "zh-CN", and the usual variants ("zh", "zh_CN.UTF-8",
// "en_US"). ok is false for anything else.
func ParseLang(s string) (lang Lang, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i] // a locale's encoding: zh_CN.UTF-8
	}
	s = strings.ReplaceAll(s, "_", "-")
	switch {
	case s == "zh" || s == "zh-cn" || s == "zh-hans" || strings.HasPrefix(s, "zh-hans-"):
		return Zh, true
	case s == "en" || strings.HasPrefix(s, "en-"):
		return En, true
	}
	return "", false
}

// Message is one message in both languages: two fmt format strings that
// take the same arguments in the same order (write %[2]s to use them in
// another order in one language). Arguments that are errors, Texts or
// anything else with an In method are rendered in the same language.
type Message struct {
	En string
	Zh string
}

// In renders the message in lang with args.
func (m Message) In(lang Lang, args ...any) string {
	format := m.En
	if lang == Zh && m.Zh != "" {
		format = m.Zh
	}
	if len(args) == 0 {
		return format
	}
	local := make([]any, len(args))
	for i, a := range args {
		local[i] = localize(a, lang)
	}
	return fmt.Sprintf(format, local...)
}

// Text returns the message with its arguments, to be rendered later in
// the language of whoever prints it.
func (m Message) Text(args ...any) Text {
	return Text{m: &m, args: args}
}

// Error returns the message with its arguments as an error. Its Error
// method gives the English text; ErrorIn gives it in a language. Arguments
// that are errors are wrapped, so errors.Is and errors.As see through it.
func (m Message) Error(args ...any) error {
	return &Error{Text: m.Text(args...)}
}

// Text is a Message with its arguments, rendered when it is printed.
// The zero Text is empty.
type Text struct {
	m    *Message
	args []any
}

// IsZero reports whether t holds no message.
func (t Text) IsZero() bool { return t.m == nil }

// In renders t in lang.
func (t Text) In(lang Lang) string {
	if t.m == nil {
		return ""
	}
	return t.m.In(lang, t.args...)
}

// String renders t in English.
func (t Text) String() string { return t.In(En) }

// Error is a Text that is an error.
type Error struct {
	Text Text
}

func (e *Error) Error() string { return e.Text.In(En) }

// In renders the error in lang.
func (e *Error) In(lang Lang) string { return e.Text.In(lang) }

// Unwrap returns the errors among the message's arguments.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, a := range e.Text.args {
		if err, ok := a.(error); ok {
			errs = append(errs, err)
		}
	}
	return errs
}

// Localizer is implemented by values that render themselves in a language:
// Text, *Error, and the error types of other packages that carry a Text.
type Localizer interface {
	In(lang Lang) string
}

// ErrorIn returns the text of err in lang: err's own In when it has one,
// else its Error text. An error that merely wraps a Localizer (as
// fmt.Errorf's %w does) has English around it, so it is printed as it is:
// wrap with a Message instead.
func ErrorIn(err error, lang Lang) string {
	if err == nil {
		return ""
	}
	if l, ok := err.(Localizer); ok {
		return l.In(lang)
	}
	return err.Error()
}

func localize(a any, lang Lang) any {
	switch a := a.(type) {
	case Localizer:
		return a.In(lang)
	case error:
		return ErrorIn(a, lang)
	}
	return a
}
