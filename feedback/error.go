package feedback

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lobby-community/lobby/internal/msg"
)

// Error codes: each names a kind of failure that the HTTP layer maps to one
// status code and the CLI reports as it is.
const (
	EINVALID      = "invalid"      // the request is wrong; the message says how
	EUNAUTHORIZED = "unauthorized" // no or a wrong staff token
	EFORBIDDEN    = "forbidden"    // a cross-origin request
	ENOTFOUND     = "not_found"    // no such case
	ECONFLICT     = "conflict"     // the change does not fit the case's state
	ETOOLARGE     = "too_large"    // the body is over the size limit
	EUNSUPPORTED  = "unsupported"  // the body is neither a form nor JSON
	EKEYREUSED    = "key_reused"   // an idempotency key sent again with other content
	ERATELIMIT    = "rate_limited" // too many submissions from one client
	EUNAVAILABLE  = "unavailable"  // the store is busy or closed; try again
	EINTERNAL     = "internal"     // anything else: never shown in detail
)

// Error is a failure whose Message may be shown to the person who caused it:
// it never holds a Go error string or personal data.
type Error struct {
	Code    string
	Message string // in English, as the HTTP API answers it

	// text is the message in every language, when it was made by Errorm:
	// staff read it in theirs on the workspace's pages and from the CLI.
	text msg.Text
}

// Error returns the message with its code.
func (e *Error) Error() string { return fmt.Sprintf("feedback: %s: %s", e.Code, e.Message) }

// In renders the message, without the code, for staff who read lang: in
// English when it was not made by Errorm.
func (e *Error) In(lang msg.Lang) string {
	if e.text.IsZero() {
		return e.Message
	}
	return e.text.In(lang)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Errorm returns an *Error with the code and the message m, which staff
// see in their language.
func Errorm(code string, m msg.Message, args ...any) *Error {
	return &Error{Code: code, Message: m.In(msg.En, args...), text: m.Text(args...)}
}

// ValidationError reports the fields of a submission at fault, each with a
// code (required, too_long, invalid, choice, consent) that Message turns
// into words for a resident.
type ValidationError struct {
	Fields map[string]string
}

// Error lists the fields at fault and their codes.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for f, c := range e.Fields {
		parts = append(parts, f+": "+c)
	}
	sort.Strings(parts)
	return "feedback: invalid submission: " + strings.Join(parts, ", ")
}

// ErrorCode returns the code of err, EINVALID for a *ValidationError and
// EINTERNAL for any error this package did not make.
func ErrorCode(err error) string {
	var e *Error
	var v *ValidationError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &v):
		return EINVALID
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns text about err that is safe to show: its Message,
// or a generic sentence for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Something went wrong on our side. Please try again later, or call the office."
}

// staffErrorMessage is ErrorMessage for staff who read the site's
// language lang ("zh-CN" or "en").
func staffErrorMessage(err error, lang string) string {
	var e *Error
	if l, ok := msg.ParseLang(lang); ok && errors.As(err, &e) && e.Code != EINTERNAL {
		return e.In(l)
	}
	return ErrorMessage(err)
}
