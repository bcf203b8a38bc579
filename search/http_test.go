package search

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestAPIStatusCodes(t *testing.T) {
	x := openFixture(t, Options{})
	h := x.APIHandler()
	long := url.QueryEscape(strings.Repeat("停", 4000))
	tests := []struct {
		name   string
		method string
		target string
		want   int
	}{
		{"search", "GET", "/api/v1/search?q=" + url.QueryEscape("停水"), 200},
		{"head", "HEAD", "/api/v1/search?q=" + url.QueryEscape("停水"), 200},
		{"empty q", "GET", "/api/v1/search", 200},
		{"10 KB query", "GET", "/api/v1/search?q=" + long, 400},
		{"too many terms", "GET", "/api/v1/search?q=" + url.QueryEscape(strings.Repeat("b ", 40)), 400},
		{"limit not a number", "GET", "/api/v1/search?q=a&limit=ten", 400},
		{"section with spaces", "GET", "/api/v1/search?q=a&section=" + url.QueryEscape("a b"), 400},
		{"huge limit clamped", "GET", "/api/v1/search?q=x&limit=100000&offset=10000000", 200},
		{"huger than int", "GET", "/api/v1/search?q=x&limit=99999999999999999999999", 200},
		{"POST", "POST", "/api/v1/search?q=a", 405},
		{"DELETE", "DELETE", "/api/v1/search?q=a", 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, h, tc.method, tc.target)
			if rec.Code != tc.want {
				t.Fatalf("%s %s: StatusCode=%d, want %d; body %s", tc.method, tc.target, rec.Code, tc.want, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if tc.want == 405 && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", rec.Header().Get("Allow"))
			}
			if tc.want != 200 {
				var e map[string]string
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e["error"] == "" || len(e) != 1 {
					t.Errorf("error body %s, want {\"error\": …}", rec.Body)
				}
				if strings.Contains(e["error"], "search:") {
					t.Errorf("error body shows an internal error: %s", rec.Body)
				}
			}
		})
	}
}

func TestAPI503(t *testing.T) {
	x := openFixture(t, Options{MaxConcurrent: 1, QueueWait: -1})
	x.slots <- struct{}{}
	rec := get(t, x.APIHandler(), "GET", "/api/v1/search?q=abc")
	if rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("overloaded: StatusCode=%d Retry-After=%q, want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	<-x.slots

	y := openFixture(t, Options{Timeout: time.Nanosecond})
	if rec := get(t, y.APIHandler(), "GET", "/api/v1/search?q=abc"); rec.Code != 503 {
		t.Errorf("timed out: StatusCode=%d, want 503", rec.Code)
	}

	_, err := Open(t.TempDir())
	if rec := get(t, Unavailable(err), "GET", "/api/v1/search?q=abc"); rec.Code != 503 || !strings.Contains(rec.Body.String(), "not available") {
		t.Errorf("no index: StatusCode=%d body %s, want 503", rec.Code, rec.Body)
	}

	z := openFixture(t, Options{})
	z.Close()
	if rec := get(t, z.APIHandler(), "GET", "/api/v1/search?q=abc"); rec.Code != 503 {
		t.Errorf("closed: StatusCode=%d, want 503", rec.Code)
	}
}

// The JSON answer has exactly the fields of the search API, no more.
func TestAPIShape(t *testing.T) {
	x := openFixture(t, Options{})
	rec := get(t, x.APIHandler(), "GET", "/api/v1/search?q="+url.QueryEscape("停水")+"&limit=5")
	var body map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"query", "total", "took_ms", "hits", "facets"} {
		if _, ok := body[k]; !ok {
			t.Errorf("no %q in %s", k, rec.Body)
		}
	}
	if len(body) != 5 {
		t.Errorf("keys %d, want 5: %s", len(body), rec.Body)
	}
	var hits []map[string]any
	if err := json.Unmarshal(body["hits"], &hits); err != nil || len(hits) != 2 {
		t.Fatalf("hits %s: %v", body["hits"], err)
	}
	for _, k := range []string{"url", "title", "section", "date", "snippet", "expired"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("hit has no %q: %v", k, hits[0])
		}
	}
	if d, _ := hits[0]["date"].(string); d != daysAgo(2).Format(time.RFC3339) {
		t.Errorf("date = %q, want RFC 3339 %q", d, daysAgo(2).Format(time.RFC3339))
	}
	if hits[1]["expired"] != true {
		t.Errorf("second hit expired = %v, want true", hits[1]["expired"])
	}
	var facets map[string]map[string]int
	if err := json.Unmarshal(body["facets"], &facets); err != nil || facets["section"]["notices"] != 2 {
		t.Errorf("facets = %s", body["facets"])
	}

	// A page without a date has no "date" key.
	rec = get(t, x.APIHandler(), "GET", "/api/v1/search?q=parking")
	var res struct{ Hits []map[string]any }
	json.Unmarshal(rec.Body.Bytes(), &res)
	if len(res.Hits) == 0 || res.Hits[0]["url"] != "/parking/" {
		t.Fatalf("parking: %s", rec.Body)
	}
	if _, ok := res.Hits[0]["date"]; ok {
		t.Errorf("undated page has a date: %v", res.Hits[0])
	}

	// Empty q: 200, zero hits, an empty list rather than null.
	rec = get(t, x.APIHandler(), "GET", "/api/v1/search?q=")
	if !strings.Contains(rec.Body.String(), `"hits":[]`) || !strings.Contains(rec.Body.String(), `"total":0`) {
		t.Errorf("empty q: %s", rec.Body)
	}
}

func TestParseRequest(t *testing.T) {
	tests := []struct {
		query string
		want  Request
	}{
		{"q=%E5%81%9C%E6%B0%B4", Request{Q: "停水", Limit: 10}},
		{"q=+a+&section=notices&limit=5&offset=15", Request{Q: "a", Section: "notices", Limit: 5, Offset: 15}},
		{"q=a&page=3", Request{Q: "a", Limit: 10, Offset: 20}},
		{"q=a&page=3&limit=20", Request{Q: "a", Limit: 20, Offset: 40}},
		{"q=a&page=999999999999", Request{Q: "a", Limit: 10, Offset: MaxOffset}},
		{"q=a&limit=0&offset=-3", Request{Q: "a", Limit: 10, Offset: 0}},
		{"q=a&limit=-1", Request{Q: "a", Limit: 1, Offset: 0}},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/search?"+tc.query, nil)
		got, err := ParseRequest(r)
		if err != nil || got != tc.want {
			t.Errorf("ParseRequest(%s) = %+v, %v; want %+v", tc.query, got, err, tc.want)
		}
	}
}
