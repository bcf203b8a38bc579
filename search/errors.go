package search

import (
	"context"
	"errors"
	"net/http"
)

// Errors a search can end with. Each is a condition a user or an operator can
// act on; StatusOf maps them to HTTP status codes and Message to plain text.
var (
	// ErrQueryTooLong reports a query longer than MaxQueryBytes.
	ErrQueryTooLong = errors.New("search: query too long")
	// ErrTooManyTerms reports a query with more than MaxTerms words and phrases.
	ErrTooManyTerms = errors.New("search: too many terms")
	// ErrBadParameter reports a limit, offset, page or section that is not
	// acceptable.
	ErrBadParameter = errors.New("search: bad parameter")
	// ErrOverloaded reports that every search slot was busy.
	ErrOverloaded = errors.New("search: overloaded")
	// ErrTimeout reports a search that ran out of time.
	ErrTimeout = errors.New("search: timed out")
	// ErrNoIndex reports that no index has been built in the directory yet.
	ErrNoIndex = errors.New("search: no index built")
	// ErrClosed reports a search on a closed Index.
	ErrClosed = errors.New("search: index closed")
)

// StatusOf returns the HTTP status code for an error returned by ParseRequest
// or Search: 400 for a request the user can fix, 503 for a server that is busy,
// slow or without an index, and 500 for anything else.
func StatusOf(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrQueryTooLong), errors.Is(err, ErrTooManyTerms),
		errors.Is(err, ErrBadParameter):
		return http.StatusBadRequest
	case errors.Is(err, ErrOverloaded), errors.Is(err, ErrTimeout),
		errors.Is(err, ErrNoIndex), errors.Is(err, ErrClosed),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// messages holds the text shown to residents for each error, by language.
var messages = map[string]map[error]string{
	"en": {
		ErrQueryTooLong: "The search is too long. Please use fewer words (at most 400 bytes, about 130 Chinese characters).",
		ErrTooManyTerms: "The search has too many words. Please use at most 32 words or phrases.",
		ErrBadParameter: "The search address is not valid. Please search again from the search box.",
		ErrOverloaded:   "Search is busy right now. Please try again in a moment.",
		ErrTimeout:      "The search took too long. Please try again, or use fewer or more specific words.",
		ErrNoIndex:      "Search is not available yet. Please try again later.",
		ErrClosed:       "Search is not available right now. Please try again in a moment.",
		nil:             "Search failed. Please try again later.",
	},
	"zh-CN": {
		ErrQueryTooLong: "搜索内容太长，请缩短（不超过约 130 个汉字）。",
		ErrTooManyTerms: "搜索词太多，请不要超过 32 个词或短语。",
		ErrBadParameter: "搜索地址无效，请从搜索框重新搜索。",
		ErrOverloaded:   "搜索繁忙，请稍后再试。",
		ErrTimeout:      "搜索超时，请重试，或换用更少、更具体的词。",
		ErrNoIndex:      "搜索暂不可用，请稍后再试。",
		ErrClosed:       "搜索暂不可用，请稍后再试。",
		nil:             "搜索出错，请稍后再试。",
	},
}

// Message returns English text for err that helps a user, never the text of
// an internal error.
func Message(err error) string {
	return LocalMessage("en", err)
}

// LocalMessage returns the text for err in the site language lang ("zh-CN" or
// "en"; anything else falls back to English).
func LocalMessage(lang string, err error) string {
	texts, ok := messages[lang]
	if !ok {
		texts = messages["en"]
	}
	for _, known := range []error{ErrQueryTooLong, ErrTooManyTerms, ErrBadParameter,
		ErrOverloaded, ErrTimeout, ErrNoIndex, ErrClosed} {
		if errors.Is(err, known) {
			return texts[known]
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return texts[ErrTimeout]
	}
	if errors.Is(err, context.Canceled) {
		return texts[ErrClosed]
	}
	return texts[nil]
}
