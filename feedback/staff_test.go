package feedback_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

func TestStaffAPIOffWithoutToken(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) { c.StaffToken = "" })
	ref := e.submit(t)
	for _, target := range []string{"/api/v1/staff/feedback", "/api/v1/staff/feedback/" + ref, "/api/v1/staff/feedback/export.csv", "/staff/"} {
		if w := e.do("GET", target, "", "", "Authorization", "Bearer "); w.Code != 404 {
			t.Errorf("GET %s: status %d, want 404", target, w.Code)
		}
	}
}

func TestStaffAPIRequiresToken(t *testing.T) {
	e := newEnv(t, nil)
	ref := e.submit(t)
	for _, tc := range []struct{ method, target, auth string }{
		{"GET", "/api/v1/staff/feedback", ""},
		{"GET", "/api/v1/staff/feedback", "Bearer wrong"},
		{"GET", "/api/v1/staff/feedback", "Basic " + staffToken},
		{"GET", "/api/v1/staff/feedback", "Bearer " + staffToken + "x"},
		{"GET", "/api/v1/staff/feedback/export.csv", ""},
		{"GET", "/api/v1/staff/feedback/" + ref, "Bearer"},
		{"PATCH", "/api/v1/staff/feedback/" + ref, "Bearer nope"},
		{"POST", "/api/v1/staff/feedback/" + ref + "/status", ""},
	} {
		var hdr []string
		if tc.auth != "" {
			hdr = []string{"Authorization", tc.auth}
		}
		w := e.do(tc.method, tc.target, jsonType, `{"status":"resolved"}`, hdr...)
		if w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s with %q: status %d, want 401 with WWW-Authenticate", tc.method, tc.target, tc.auth, w.Code)
		}
		if strings.Contains(w.Body.String(), "李明") || strings.Contains(w.Body.String(), "Ann Lee") {
			t.Errorf("%s %s: personal data in a refused answer", tc.method, tc.target)
		}
	}
	if c, _ := e.db.Case(t.Context(), ref); c.Status != feedback.StatusReceived {
		t.Errorf("status changed to %s without the token", c.Status)
	}
}

func TestStaffAPIListShowSet(t *testing.T) {
	e := newEnv(t, nil)
	a := e.submit(t)
	e.advance(48 * time.Hour)
	b := e.submit(t)

	w := e.staff("GET", "/api/v1/staff/feedback", "", "")
	var all []feedback.Case
	if err := json.Unmarshal(w.Body.Bytes(), &all); err != nil || w.Code != 200 || len(all) != 2 {
		t.Fatalf("list: status %d, %d cases, %v", w.Code, len(all), err)
	}
	if all[0].Ref != a || all[0].Name != "Ann Lee" || len(all[0].History) != 1 {
		t.Errorf("list[0] = %+v", all[0])
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("staff answers must not be cached")
	}

	if w := e.staff("PATCH", "/api/v1/staff/feedback/"+a, jsonType, `{"status":"in_progress","note":"plumber booked"}`); w.Code != 200 {
		t.Fatalf("PATCH: status %d\n%s", w.Code, w.Body)
	}
	if w := e.staff("POST", "/api/v1/staff/feedback/"+a+"/status", formType, "status=resolved&note=fixed"); w.Code != 200 {
		t.Fatalf("POST status: %d\n%s", w.Code, w.Body)
	}
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"status":"received"}`, 409},
		{`{"status":"closed"}`, 400},
		{`{"status":"resolved"}`, 400}, // already resolved, no note
		{`not json`, 400},
	} {
		if w := e.staff("PATCH", "/api/v1/staff/feedback/"+a, jsonType, tc.body); w.Code != tc.want {
			t.Errorf("PATCH %s: status %d, want %d", tc.body, w.Code, tc.want)
		}
	}
	if w := e.staff("PATCH", "/api/v1/staff/feedback/"+a, "text/plain", `{}`); w.Code != 415 {
		t.Errorf("PATCH text/plain: %d, want 415", w.Code)
	}
	if w := e.staff("PATCH", "/api/v1/staff/feedback/ZZZZZZZZ", jsonType, `{"status":"resolved"}`); w.Code != 404 {
		t.Errorf("PATCH unknown: %d, want 404", w.Code)
	}

	w = e.staff("GET", "/api/v1/staff/feedback/"+a, "", "")
	var one feedback.Case
	json.Unmarshal(w.Body.Bytes(), &one)
	if one.Status != feedback.StatusResolved || len(one.History) != 3 || one.History[1].Note != "plumber booked" {
		t.Errorf("GET one: %+v", one)
	}
	if w := e.staff("GET", "/api/v1/staff/feedback/ZZZZZZZZ", "", ""); w.Code != 404 {
		t.Errorf("GET unknown: %d, want 404", w.Code)
	}

	for _, tc := range []struct {
		query string
		want  []string
		code  int
	}{
		{"?status=resolved", []string{a}, 200},
		{"?status=received", []string{b}, 200},
		{"?since=2026-03-02", []string{b}, 200},
		{"?since=2026-03-01T00:00:00Z", []string{a, b}, 200},
		{"?status=bogus", nil, 400},
		{"?since=yesterday", nil, 400},
	} {
		w := e.staff("GET", "/api/v1/staff/feedback"+tc.query, "", "")
		if w.Code != tc.code {
			t.Errorf("list%s: status %d, want %d", tc.query, w.Code, tc.code)
			continue
		}
		if tc.code != 200 {
			continue
		}
		var cs []feedback.Case
		json.Unmarshal(w.Body.Bytes(), &cs)
		var got []string
		for _, c := range cs {
			got = append(got, c.Ref)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("list%s = %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestStaffAPIExportCSV(t *testing.T) {
	e := newEnv(t, nil)
	m := goodJSON()
	m["name"], m["message"] = `=HYPERLINK("http://x")`, "电梯坏了"
	e.postJSON(m)
	w := e.staff("GET", "/api/v1/staff/feedback/export.csv", "", "")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
		t.Fatalf("export: status %d, Content-Disposition %q", w.Code, w.Header().Get("Content-Disposition"))
	}
	body := w.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Error("export lacks the UTF-8 byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("export reads back as %d rows, %v", len(rows), err)
	}
	if rows[1][5] != `'=HYPERLINK("http://x")` || rows[1][8] != "电梯坏了" {
		t.Errorf("row %q", rows[1])
	}
}

// staffLogin logs in through the staff page and returns the session cookie.
func staffLogin(t *testing.T, e *testEnv, secure bool) *http.Cookie {
	t.Helper()
	r := httptest.NewRequest("POST", "/staff/login", strings.NewReader("name=Zhang&token="+url.QueryEscape(staffToken)))
	if secure {
		r = httptest.NewRequest("POST", "https://example.com/staff/login", strings.NewReader("name=Zhang&token="+url.QueryEscape(staffToken)))
	}
	r.Header.Set("Content-Type", formType)
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	if w.Code != 303 {
		t.Fatalf("login: status %d\n%s", w.Code, w.Body)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("login set %d cookies", len(cookies))
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != secure || strings.Contains(c.Value, staffToken) {
		t.Errorf("cookie %s: HttpOnly %v SameSite %v Secure %v", c.String(), c.HttpOnly, c.SameSite, c.Secure)
	}
	return c
}

func (e *testEnv) page(method, target, body string, c *http.Cookie, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", formType)
	}
	if c != nil {
		r.AddCookie(c)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func TestStaffPageLoginListAndSet(t *testing.T) {
	e := newEnv(t, nil)
	m := goodJSON()
	m["name"], m["contact"], m["message"] = xssImg, "javascript:alert(1)", xssScript
	ref := jsonBody(t, e.postJSON(m))["ref"].(string)

	// Not logged in: the login form, no cases.
	w := e.page("GET", "/staff/", "", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `name="token"`) || strings.Contains(w.Body.String(), ref) {
		t.Fatalf("/staff/ without a session: %d\n%s", w.Code, w.Body)
	}
	if w := e.page("POST", "/staff/login", "token=wrong", nil); w.Code != 401 || len(w.Result().Cookies()) != 0 {
		t.Errorf("wrong token: status %d, %d cookies", w.Code, len(w.Result().Cookies()))
	}
	staffLogin(t, e, true)
	c := staffLogin(t, e, false)

	w = e.page("GET", "/staff/", "", c)
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, ref) {
		t.Fatalf("/staff/: %d\n%s", w.Code, body)
	}
	csp := w.Header().Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "<img") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("staff list does not escape the message:\n%s", body)
	}
	w = e.page("GET", "/staff/cases/"+ref, "", c)
	body = w.Body.String()
	if w.Code != 200 || strings.Contains(body, "<img") || strings.Contains(body, `href="javascript`) || !strings.Contains(body, "&lt;img src=x") {
		t.Errorf("staff case page: %d\n%s", w.Code, body)
	}

	// A change of status: POST only, same origin only, then redirect.
	if w := e.page("POST", "/staff/cases/"+ref, "status=in_progress&note="+url.QueryEscape(xssScript), c, "Sec-Fetch-Site", "cross-site"); w.Code != 403 {
		t.Errorf("cross-site status change: %d, want 403", w.Code)
	}
	if w := e.page("POST", "/staff/cases/"+ref, "status=in_progress", nil); w.Code != 401 {
		t.Errorf("status change without a session: %d, want 401", w.Code)
	}
	w = e.page("POST", "/staff/cases/"+ref, "status=in_progress&note="+url.QueryEscape(xssScript), c, "Sec-Fetch-Site", "same-origin")
	if w.Code != 303 || w.Header().Get("Location") != "/staff/cases/"+ref {
		t.Fatalf("status change: %d %q", w.Code, w.Header().Get("Location"))
	}
	w = e.page("GET", "/staff/cases/"+ref, "", c)
	if strings.Contains(w.Body.String(), "<script") || !strings.Contains(w.Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;</p>") {
		t.Errorf("note not shown escaped:\n%s", w.Body)
	}
	if w := e.page("POST", "/staff/cases/"+ref, "status=received", c); w.Code != 409 {
		t.Errorf("back to received: %d, want 409", w.Code)
	}

	// A session ends after its life, and on logout.
	e.advance(13 * time.Hour)
	if w := e.page("GET", "/staff/", "", c); strings.Contains(w.Body.String(), ref) {
		t.Error("an expired session still shows cases")
	}
	w = e.page("POST", "/staff/logout", "x=1", c)
	if got := w.Result().Cookies(); w.Code != 303 || len(got) != 1 || got[0].MaxAge >= 0 {
		t.Errorf("logout: %d %v", w.Code, got)
	}
}

func TestStaffLoginRateLimited(t *testing.T) {
	e := newEnv(t, nil)
	var last int
	for range 11 {
		last = e.page("POST", "/staff/login", "token=guess", nil).Code
	}
	if last != 429 {
		t.Errorf("11th wrong login: %d, want 429", last)
	}
}
