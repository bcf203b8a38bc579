package feedback_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

const staffToken = "staff-token-0123456789-abcdefghij"

// testEnv is a Handler over a real SQLite store in a temporary folder, with
// a fake clock and the log captured.
type testEnv struct {
	h    *feedback.Handler
	db   *sqlite.DB
	cfg  feedback.Config
	logs *syncBuffer

	mu  sync.Mutex
	now time.Time
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newEnv(t testing.TB, configure func(*feedback.Config)) *testEnv {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := feedback.Config{StaffToken: staffToken, Language: "en", Retention: 730 * 24 * time.Hour}
	if configure != nil {
		configure(&cfg)
	}
	e := &testEnv{db: db, cfg: cfg, logs: &syncBuffer{}, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	logger := slog.New(slog.NewTextHandler(e.logs, nil))
	e.h = feedback.NewHandler(db, cfg, e.clock, logger, nil)
	t.Cleanup(func() {
		e.h.Close()
		db.Close()
	})
	return e
}

func (e *testEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *testEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// do serves one request; headers come in name, value pairs.
func (e *testEnv) do(method, target, ctype, body string, headers ...string) *httptest.ResponseRecorder {
	return e.doFrom("192.0.2.1:40000", method, target, ctype, body, headers...)
}

// doFrom serves one request from the connection address remote.
func (e *testEnv) doFrom(remote, method, target, ctype, body string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.RemoteAddr = remote
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

const (
	formType = "application/x-www-form-urlencoded"
	jsonType = "application/json"
)

func (e *testEnv) postForm(v url.Values, headers ...string) *httptest.ResponseRecorder {
	return e.do("POST", "/api/v1/feedback", formType, v.Encode(), headers...)
}

func (e *testEnv) postJSON(v any, headers ...string) *httptest.ResponseRecorder {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return e.do("POST", "/api/v1/feedback", jsonType, string(b), headers...)
}

// cases returns every stored case.
func (e *testEnv) cases(t testing.TB) []*feedback.Case {
	t.Helper()
	cs, err := e.db.Cases(context.Background(), feedback.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// goodForm is a valid form submission.
func goodForm() url.Values {
	return url.Values{
		"category": {"repair"},
		"name":     {"李明"},
		"unit":     {"5-302"},
		"contact":  {"13912345678"},
		"message":  {"厨房水管漏水，请尽快派人维修。"},
		"consent":  {"on"},
		"website":  {""},
	}
}

// goodJSON is a valid JSON submission.
func goodJSON() map[string]any {
	return map[string]any{
		"category": "complaint",
		"name":     "Ann Lee",
		"unit":     "12-0801",
		"contact":  "ann@example.org",
		"message":  "The lift has been stuck since Monday.",
		"consent":  true,
	}
}

// jsonBody decodes a JSON answer.
func jsonBody(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, w.Body)
	}
	return v
}

// staff serves a staff API request with the token.
func (e *testEnv) staff(method, target, ctype, body string) *httptest.ResponseRecorder {
	return e.do(method, target, ctype, body, "Authorization", "Bearer "+staffToken)
}
