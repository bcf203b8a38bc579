package feedback_test

import (
	"net/http"
	"testing"
)

// TestUnavailableStoreAnswers503WithRetryAfter: when the store cannot
// answer (closed here; a lost database connection gives the same error),
// residents are told to try again shortly, in JSON, in the form and on the
// status page, and never get a 500.
func TestUnavailableStoreAnswers503WithRetryAfter(t *testing.T) {
	e := newEnv(t, nil)
	e.db.Close()
	for name, w := range map[string]interface {
		Result() *http.Response
	}{
		"json":   e.postJSON(goodJSON()),
		"form":   e.postForm(goodForm()),
		"status": e.do("GET", "/feedback/status?ref=ABCD2345", "", ""),
	} {
		res := w.Result()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: status %d, Retry-After %q; want 503 with Retry-After", name, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
}
