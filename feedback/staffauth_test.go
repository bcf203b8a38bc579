package feedback_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
)

func TestCheckStaffToken(t *testing.T) {
	for _, tc := range []struct {
		token string
		ok    bool
	}{
		{"1", false},
		{" ", false},
		{strings.Repeat(" ", 40), false},
		{strings.Repeat("\t", 40), false},
		{strings.Repeat("a", 31), false},
		{" " + strings.Repeat("a", 32), false},
		{strings.Repeat("a", 32) + "\n", false},
		{strings.Repeat("a", 16) + "\x00" + strings.Repeat("a", 16), false},
		{strings.Repeat("a", 32), true},
		{"correct horse battery staple 2026 lobby", true},
		{strings.Repeat("口令", 16), true},
	} {
		err := feedback.CheckStaffToken(tc.token)
		if (err == nil) != tc.ok {
			t.Errorf("CheckStaffToken(%q) = %v, want ok %v", tc.token, err, tc.ok)
		}
	}
}

// A token that is short or only white space keeps the staff routes off:
// not even its own value opens them.
func TestWeakStaffTokenKeepsStaffOff(t *testing.T) {
	for _, token := range []string{"1", " ", "   ", strings.Repeat("x", 31)} {
		e := newEnv(t, func(c *feedback.Config) { c.StaffToken = token })
		ref := e.submit(t)
		for _, target := range []string{"/api/v1/staff/feedback", "/api/v1/staff/feedback/" + ref, "/staff/"} {
			if w := e.do("GET", target, "", "", "Authorization", "Bearer "+token); w.Code != 404 {
				t.Errorf("token %q: GET %s: %d, want 404", token, target, w.Code)
			}
		}
		if w := e.do("POST", "/staff/login", formType, "name=Zhang&token="+url.QueryEscape(token)); w.Code != 404 || len(w.Result().Cookies()) != 0 {
			t.Errorf("token %q: login with it: %d, want 404 and no cookie", token, w.Code)
		}
		if !strings.Contains(e.logs.String(), "staff pages and API are off") {
			t.Errorf("token %q: nothing logged about it:\n%s", token, e.logs)
		}
	}
}

// want429 checks a refusal by the limiter.
func want429(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("%s: %d, want 429", what, w.Code)
	}
	if s, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || s < 1 {
		t.Fatalf("%s: Retry-After %q, want seconds", what, w.Header().Get("Retry-After"))
	}
}

// Guessing is limited on each route that takes the token: the login
// form, the session cookie and the bearer API, with one count for all
// three, after which even the right token is refused from that address.
func TestStaffTokenGuessingLimitedOnEveryRoute(t *testing.T) {
	const attacker, staff = "192.0.2.66:5000", "198.51.100.7:6000"
	guess := map[string]func(e *testEnv, i int) *httptest.ResponseRecorder{
		"form": func(e *testEnv, i int) *httptest.ResponseRecorder {
			return e.doFrom(attacker, "POST", "/staff/login", formType, "token=guess"+strconv.Itoa(i))
		},
		"cookie": func(e *testEnv, i int) *httptest.ResponseRecorder {
			return e.doFrom(attacker, "GET", "/staff/", "", "", "Cookie", "lobby_staff=4102444800.0.forged"+strconv.Itoa(i))
		},
		"bearer": func(e *testEnv, i int) *httptest.ResponseRecorder {
			return e.doFrom(attacker, "GET", "/api/v1/staff/feedback", "", "", "Authorization", "Bearer guess"+strconv.Itoa(i))
		},
	}
	for name, try := range guess {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			for i := range 10 {
				if w := try(e, i); w.Code == http.StatusTooManyRequests {
					t.Fatalf("guess %d refused already", i+1)
				}
			}
			want429(t, "11th guess", try(e, 10))
			want429(t, "the right token from the same address", e.doFrom(attacker, "GET", "/api/v1/staff/feedback", "", "", "Authorization", "Bearer "+staffToken))
			want429(t, "the login form from the same address", e.doFrom(attacker, "POST", "/staff/login", formType, "name=Zhang&token="+url.QueryEscape(staffToken)))
			if w := e.doFrom(staff, "GET", "/api/v1/staff/feedback", "", "", "Authorization", "Bearer "+staffToken); w.Code != 200 {
				t.Errorf("staff from another address: %d, want 200", w.Code)
			}
			e.advance(time.Hour)
			if w := e.doFrom(attacker, "GET", "/api/v1/staff/feedback", "", "", "Authorization", "Bearer "+staffToken); w.Code != 200 {
				t.Errorf("the right token an hour later: %d, want 200", w.Code)
			}
		})
	}

	t.Run("shared", func(t *testing.T) {
		e := newEnv(t, nil)
		for i := range 10 {
			guess[[]string{"form", "cookie", "bearer"}[i%3]](e, i)
		}
		for name, try := range guess {
			want429(t, name+" after 10 guesses over all three routes", try(e, 99))
		}
	})

	t.Run("overall", func(t *testing.T) {
		e := newEnv(t, nil)
		for i := range 100 {
			from := "203.0.113." + strconv.Itoa(i) + ":1000"
			if w := e.doFrom(from, "GET", "/api/v1/staff/feedback", "", "", "Authorization", "Bearer guess"); w.Code != 401 {
				t.Fatalf("guess %d from its own address: %d, want 401", i+1, w.Code)
			}
		}
		want429(t, "a guess from a fresh address after 100 guesses in all", e.doFrom("192.0.2.200:1", "GET", "/api/v1/staff/feedback", "", "", "Authorization", "Bearer guess"))
	})
}

// A request without any credential is refused (401, or the login form)
// but not counted: a crawler cannot lock staff out.
func TestStaffRequestsWithoutCredentialsNotCounted(t *testing.T) {
	e := newEnv(t, nil)
	for range 50 {
		e.do("GET", "/api/v1/staff/feedback", "", "")
		e.do("GET", "/staff/", "", "")
	}
	if w := e.staff("GET", "/api/v1/staff/feedback", "", ""); w.Code != 200 {
		t.Errorf("staff after 100 requests without credentials: %d, want 200", w.Code)
	}
}

// A logout ends every session, also after the server restarts and on
// another server sharing the store; a new login works again.
func TestLogoutEndsEverySessionAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedback.db")
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	open := func() (*feedback.Handler, *sqlite.DB) {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		cfg := feedback.Config{StaffToken: staffToken, Language: "en"}
		return feedback.NewHandler(db, cfg, func() time.Time { return now }, slog.New(slog.DiscardHandler), nil), db
	}
	serve := func(h *feedback.Handler, method, target, body string, c *http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.RemoteAddr = "192.0.2.9:1234"
		if body != "" {
			r.Header.Set("Content-Type", formType)
		}
		if c != nil {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	login := func(h *feedback.Handler) *http.Cookie {
		w := serve(h, "POST", "/staff/login", "name=Zhang&token="+url.QueryEscape(staffToken), nil)
		if w.Code != 303 || len(w.Result().Cookies()) != 1 {
			t.Fatalf("login: %d", w.Code)
		}
		return w.Result().Cookies()[0]
	}
	loggedIn := func(h *feedback.Handler, c *http.Cookie) bool {
		w := serve(h, "GET", "/staff/", "", c)
		return w.Code == 200 && !strings.Contains(w.Body.String(), `name="token"`)
	}

	a, dbA := open()
	b, dbB := open() // a second server on the same store
	kept := login(a) // a session on another computer, saved before the logout
	mine := login(b)
	if !loggedIn(a, kept) || !loggedIn(b, kept) {
		t.Fatal("a fresh session is not logged in")
	}
	if w := serve(b, "POST", "/staff/logout", "x=1", mine); w.Code != 303 {
		t.Fatalf("logout: %d", w.Code)
	}
	if loggedIn(a, kept) {
		t.Error("a session saved before a logout still works on the other server")
	}
	dbA.Close()
	dbB.Close()

	h, db := open()
	defer db.Close()
	if loggedIn(h, kept) || loggedIn(h, mine) {
		t.Error("a session saved before a logout works again after a restart")
	}
	if c := login(h); !loggedIn(h, c) {
		t.Error("a login after the logout does not work")
	}
}

// A logout needs a live session: without one it ends nobody's.
func TestLogoutWithoutSessionEndsNothing(t *testing.T) {
	e := newEnv(t, nil)
	c := staffLogin(t, e, false)
	e.page("POST", "/staff/logout", "x=1", nil)
	e.page("POST", "/staff/logout", "x=1", &http.Cookie{Name: "lobby_staff", Value: "4102444800.0.forged"})
	if w := e.page("GET", "/staff/", "", c); strings.Contains(w.Body.String(), `name="token"`) {
		t.Error("a logout without a session ended another session")
	}
}

// A new token ends the sessions made with the old one.
func TestTokenChangeEndsSessions(t *testing.T) {
	e := newEnv(t, nil)
	c := staffLogin(t, e, false)
	other := feedback.NewHandler(e.db, feedback.Config{StaffToken: strings.Repeat("n", 40), Language: "en"}, e.clock, nil, nil)
	r := httptest.NewRequest("GET", "/staff/", nil)
	r.AddCookie(c)
	w := httptest.NewRecorder()
	other.ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), `name="token"`) {
		t.Errorf("a session made with the old token still works with the new one:\n%s", w.Body)
	}
}
