package search

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRequest reads a search from the query string of r: q, section, limit
// and offset, or page (1-based, in pages of limit) instead of offset. Limit
// and offset are clamped to their ranges; a value that is not a number, a
// query longer than MaxQueryBytes and a malformed section are errors for
// which StatusOf gives 400.
func ParseRequest(r *http.Request) (Request, error) {
	v := r.URL.Query()
	req := Request{Q: strings.TrimSpace(v.Get("q")), Section: strings.TrimSpace(v.Get("section"))}
	if len(req.Q) > MaxQueryBytes {
		return Request{}, fmt.Errorf("%w: %d bytes, at most %d", ErrQueryTooLong, len(req.Q), MaxQueryBytes)
	}
	if !validSection(req.Section) {
		return Request{}, fmt.Errorf("%w: section", ErrBadParameter)
	}
	number := func(name string) (int, error) {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				// Far too large or small: clamping gives the same answer.
				if strings.HasPrefix(s, "-") {
					return -1, nil
				}
				return MaxOffset + MaxLimit, nil
			}
			return 0, fmt.Errorf("%w: %s is not a number", ErrBadParameter, name)
		}
		return n, nil
	}
	var err error
	if req.Limit, err = number("limit"); err != nil {
		return Request{}, err
	}
	if req.Offset, err = number("offset"); err != nil {
		return Request{}, err
	}
	page, err := number("page")
	if err != nil {
		return Request{}, err
	}
	req = req.normalized()
	if page > 1 && v.Get("offset") == "" {
		req.Offset = min((page-1)*req.Limit, MaxOffset)
		if page > MaxOffset { // (page-1)*limit could overflow
			req.Offset = MaxOffset
		}
	}
	return req, nil
}

// apiResponse is the JSON body of GET /api/v1/search.
type apiResponse struct {
	Query  string                    `json:"query"`
	Total  int                       `json:"total"`
	TookMS int64                     `json:"took_ms"`
	Hits   []apiHit                  `json:"hits"`
	Facets map[string]map[string]int `json:"facets"`
	// Pinyin are the words a query of letters was read as, when it
	// found nothing as typed (Result.Pinyin).
	Pinyin []string `json:"pinyin,omitempty"`
}

type apiHit struct {
	URL   string `json:"url"`
	Title string `json:"title"`
	// TitleHTML is the title, HTML-escaped, with the matched words in
	// <mark> elements, as the snippet marks them.
	TitleHTML string `json:"title_html"`
	Section   string `json:"section"`
	Date      string `json:"date,omitempty"`
	Snippet   string `json:"snippet"`
	Expired   bool   `json:"expired"`
}

type apiError struct {
	Error string `json:"error"`
}

// APIHandler returns the handler of GET /api/v1/search?q=&section=&limit=&offset=.
// It answers 200 with the results as JSON, 400 with {"error": …} for a query
// the user can fix, 405 for methods other than GET and HEAD, and 503 when the
// search is overloaded, timed out or closed.
func (x *Index) APIHandler() http.Handler {
	return apiHandler(func(r *http.Request) (*Result, error) {
		req, err := ParseRequest(r)
		if err != nil {
			return nil, err
		}
		return x.Search(r.Context(), req)
	})
}

// Unavailable returns a handler for the search API of a server that has no
// open Index, for example because Open failed with ErrNoIndex: it answers
// every search with StatusOf(err) and Message(err).
func Unavailable(err error) http.Handler {
	return apiHandler(func(*http.Request) (*Result, error) { return nil, err })
}

// apiHandler serves the search API with answer, which runs one search.
// All errors go through StatusOf and Message, so no internal error text
// reaches a user.
func apiHandler(answer func(*http.Request) (*Result, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, apiError{Error: "Use GET to search."})
			return
		}
		res, err := answer(r)
		if err != nil {
			status := StatusOf(err)
			if status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "1")
			}
			writeJSON(w, status, apiError{Error: Message(err)})
			return
		}
		writeJSON(w, http.StatusOK, toAPI(res))
	})
}

func toAPI(res *Result) apiResponse {
	out := apiResponse{
		Query:  res.Query,
		Total:  res.Total,
		TookMS: res.TookMS,
		Hits:   make([]apiHit, 0, len(res.Hits)),
		Facets: res.Facets,
		Pinyin: res.Pinyin,
	}
	for _, h := range res.Hits {
		ah := apiHit{URL: h.URL, Title: h.Title, TitleHTML: string(h.TitleHTML), Section: h.Section,
			Snippet: string(h.Snippet), Expired: h.Expired}
		if !h.Date.IsZero() {
			ah.Date = h.Date.Format(time.RFC3339)
		}
		out.Hits = append(out.Hits, ah)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":"Search failed. Please try again later."}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
