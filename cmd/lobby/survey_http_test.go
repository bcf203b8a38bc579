package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/sqlite"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
	"github.com/lobby-community/lobby/survey"
)

// surveyHTTPSite has two open surveys: one with household codes, one
// without.
const surveyHTTPSite = `
-- config.toml --
title = "翠湖花园"
baseURL = "https://example.org/"
language = "zh-CN"
timezone = "Asia/Shanghai"
[feedback]
enabled = true
-- content/surveys/coded.md --
+++
title = "满意度调查"
opens = 2026-11-20T08:00:00
closes = 2026-12-31T00:00:00
codes = true

[[questions]]
id = "overall"
kind = "rating"
text = "总体满意吗？"
labels = ["很不满意", "不满意", "一般", "满意", "很满意"]

[[questions]]
id = "priorities"
kind = "multiple"
max = 2
text = "优先改进？"
options = [
  { id = "security", label = "安保" },
  { id = "parking", label = "停车" },
  { id = "waste", label = "垃圾" },
]

[[questions]]
id = "comments"
kind = "text"
max_length = 20
text = "其他意见"
+++
-- content/surveys/open.md --
+++
title = "活动调查"
opens = 2026-11-20T08:00:00
closes = 2026-12-31T00:00:00

[[questions]]
id = "come"
kind = "single"
text = "会来吗？"
options = [
  { id = "yes", label = "会" },
  { id = "no", label = "不会" },
]
+++
`

type surveyRig struct {
	t     *testing.T
	h     http.Handler
	pages *themePages
	store *sqlite.DB
	now   time.Time
	log   *bytes.Buffer
}

func newSurveyRig(t *testing.T) *surveyRig {
	s, err := site.Build(sitetest.FS(surveyHTTPSite), lobby.Theme(), site.Options{Now: sitetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rig := &surveyRig{t: t, store: db, now: sitetest.Now, log: &bytes.Buffer{}}
	pages := &themePages{}
	pages.site.Store(s)
	rig.pages = pages
	limit := feedback.NewSubmissionLimit(feedback.Config{RateEvents: 100, RatePer: time.Minute})
	rig.h = survey.NewHandler(db, pages.survey, pages, survey.Config{Language: "zh-CN", Limit: limit},
		func() time.Time { return rig.now }, slog.New(slog.NewTextHandler(rig.log, nil)))
	return rig
}

// post sends a form post as a browser on the site's own origin does.
func (r *surveyRig) post(slug string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "https://example.org/api/v1/surveys/"+slug+"/answers", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	return w
}

func (r *surveyRig) responses(slug string) []*survey.Response {
	got, err := r.store.Responses(context.Background(), slug)
	if err != nil {
		r.t.Fatal(err)
	}
	return got
}

func (r *surveyRig) codes(units ...string) []string {
	var codes []string
	var stored []survey.Code
	for _, u := range units {
		c := survey.NewCode()
		codes = append(codes, c)
		stored = append(stored, survey.Code{Unit: u, Hash: survey.HashCode("coded", c), CreatedAt: r.now})
	}
	if err := r.store.AddCodes(context.Background(), "coded", stored); err != nil {
		r.t.Fatal(err)
	}
	return codes
}

func TestSurveyAnswerWithCodeChangeAndRefusal(t *testing.T) {
	rig := newSurveyRig(t)
	codes := rig.codes("1-101", "1-102")

	// The slip's QR code opens the form with the code filled in.
	req := httptest.NewRequest("GET", "https://example.org/api/v1/surveys/coded/form?code="+url.QueryEscape(codes[0]), nil)
	w := httptest.NewRecorder()
	rig.h.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `value="`+codes[0]+`"`) || w.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("form with code: %d, Referrer-Policy %q, code filled in: %v", w.Code, w.Header().Get("Referrer-Policy"), strings.Contains(w.Body.String(), codes[0]))
	}

	w = rig.post("coded", url.Values{"code": {strings.ToLower(codes[0])}, "q-overall": {"4"}, "q-priorities": {"security", "waste"}, "q-comments": {"电梯太慢"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/surveys/coded/thanks/" {
		t.Fatalf("answer: %d to %q, want 303 to the thanks page", w.Code, w.Header().Get("Location"))
	}
	// The same code again replaces the first answer.
	rig.now = rig.now.Add(time.Hour)
	w = rig.post("coded", url.Values{"code": {codes[0]}, "q-overall": {"2"}, "q-priorities": {"parking"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("second answer: %d", w.Code)
	}
	got := rig.responses("coded")
	if len(got) != 1 || got[0].Answers["overall"][0] != "2" || got[0].Answers["comments"] != nil {
		t.Fatalf("responses = %+v, want the second answer only", got)
	}
	// Another household's code adds an answer.
	if w := rig.post("coded", url.Values{"code": {codes[1]}, "q-overall": {"5"}, "q-priorities": {"waste"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("second household: %d", w.Code)
	}
	// An unknown code is refused next to the code field, with the answers kept.
	w = rig.post("coded", url.Values{"code": {"ZZZZZ-ZZZZZ"}, "q-overall": {"3"}, "q-comments": {"我的意见"}})
	body := w.Body.String()
	if w.Code != http.StatusBadRequest || !strings.Contains(body, `<p class="field-error" id="err-code">`) ||
		!strings.Contains(body, `value="3" checked`) || !strings.Contains(body, ">我的意见</textarea>") || !strings.Contains(body, `value="ZZZZZ-ZZZZZ"`) {
		t.Errorf("unknown code: %d; body %s", w.Code, excerptAround(body, "err-code"))
	}
	if w := rig.post("coded", url.Values{"q-overall": {"3"}}); w.Code != http.StatusBadRequest {
		t.Errorf("no code: %d, want 400", w.Code)
	}
	if n := len(rig.responses("coded")); n != 2 {
		t.Errorf("%d responses, want 2", n)
	}
	for _, secret := range []string{codes[0], codes[1], "电梯太慢", "我的意见", "1-101"} {
		if strings.Contains(rig.log.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, rig.log)
		}
	}
}

func TestSurveyValidationErrorsKeepEveryAnswer(t *testing.T) {
	rig := newSurveyRig(t)
	codes := rig.codes("2-201")
	w := rig.post("coded", url.Values{"code": {codes[0]}, "q-priorities": {"security", "parking", "waste"}, "q-comments": {strings.Repeat("长", 21)}})
	body := w.Body.String()
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", w.Code)
	}
	for _, want := range []string{
		`<p class="field-error" id="err-overall"><span class="visually-hidden">`, "请回答这一题。",
		`<p class="field-error" id="err-priorities">`, "最多选 2 项。",
		`<p class="field-error" id="err-comments">`, "最多 20 个字",
		`value="security" checked`, `value="parking" checked`, `value="waste" checked`,
		strings.Repeat("长", 21) + "</textarea>",
		`value="` + codes[0] + `"`,
		`<div class="error-summary" role="alert"`, `<a href="#q-overall">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := len(rig.responses("coded")); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
}

func TestSurveyRefusedOutsideItsWindow(t *testing.T) {
	rig := newSurveyRig(t)
	codes := rig.codes("3-301")
	for _, now := range []time.Time{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)} {
		rig.now = now
		w := rig.post("coded", url.Values{"code": {codes[0]}, "q-overall": {"4"}})
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "本次调查现在不接受回答。") {
			t.Errorf("at %s: %d, want 403 with the reason", now, w.Code)
		}
	}
	if n := len(rig.responses("coded")); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
}

func TestSurveyWithoutCodesIsOneAnswerPerBrowser(t *testing.T) {
	rig := newSurveyRig(t)
	w := rig.post("open", url.Values{"q-come": {"yes"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("answer: %d", w.Code)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != survey.CookieName || !cookies[0].HttpOnly {
		t.Fatalf("cookies = %v, want one HttpOnly %s", cookies, survey.CookieName)
	}
	if w := rig.post("open", url.Values{"q-come": {"no"}}, cookies[0]); w.Code != http.StatusSeeOther || len(w.Result().Cookies()) != 0 {
		t.Fatalf("second answer from the browser: %d, cookies %v", w.Code, w.Result().Cookies())
	}
	got := rig.responses("open")
	if len(got) != 1 || got[0].Answers["come"][0] != "no" {
		t.Fatalf("responses = %+v, want the browser's second answer only", got)
	}
	if w := rig.post("open", url.Values{"q-come": {"yes"}}); w.Code != http.StatusSeeOther {
		t.Fatal(w.Code)
	}
	if n := len(rig.responses("open")); n != 2 {
		t.Errorf("%d responses, want 2 from two browsers", n)
	}
}

func TestSurveyJSONAndRefusals(t *testing.T) {
	rig := newSurveyRig(t)
	do := func(ctype, body string, header map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "https://example.org/api/v1/surveys/open/answers", strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		rig.h.ServeHTTP(w, req)
		return w
	}
	if w := do("application/json", `{"answers": {"come": "yes"}}`, map[string]string{"Idempotency-Key": "k-1"}); w.Code != http.StatusCreated {
		t.Errorf("JSON: %d %s", w.Code, w.Body)
	}
	// A retry of the same post (its cookie lost) stores nothing more.
	if w := do("application/json", `{"answers": {"come": "yes"}}`, map[string]string{"Idempotency-Key": "k-1"}); w.Code != http.StatusCreated {
		t.Errorf("retry: %d %s", w.Code, w.Body)
	}
	if n := len(rig.responses("open")); n != 1 {
		t.Errorf("%d responses after a retry, want 1", n)
	}
	for _, tc := range []struct {
		name, ctype, body string
		header            map[string]string
		want              int
	}{
		{"invalid option", "application/json", `{"answers": {"come": "maybe"}}`, nil, 400},
		{"plain text", "text/plain", "q-come=yes", nil, 415},
		{"cross-site", "application/x-www-form-urlencoded", "q-come=yes", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"too large", "application/x-www-form-urlencoded", "q-come=" + strings.Repeat("x", survey.MaxBodyBytes), nil, 413},
	} {
		if w := do(tc.ctype, tc.body, tc.header); w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.want)
		}
	}
	req := httptest.NewRequest("POST", "https://example.org/api/v1/surveys/nope/answers", strings.NewReader("q-come=yes"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	rig.h.ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Errorf("unknown survey: %d", w.Code)
	}
}

func excerptAround(s, sub string) string {
	i := strings.Index(s, sub)
	if i < 0 {
		return "(no " + sub + ")"
	}
	return s[max(0, i-200):min(len(s), i+400)]
}

// Staff logged in to the workspace see a survey's live tallies, small
// counts too, and export every answer; nobody else does.
func TestSurveyLiveTalliesInTheStaffWorkspace(t *testing.T) {
	rig := newSurveyRig(t)
	codes := rig.codes("1-101")
	if w := rig.post("coded", url.Values{"code": {codes[0]}, "q-overall": {"4"}, "q-priorities": {"parking"}, "q-comments": {"=1+2"}}); w.Code != http.StatusSeeOther {
		t.Fatal(w.Code)
	}
	token := "staff-token-for-tests-0123456789abcdef"
	fh := feedback.NewHandler(rig.store, feedback.Config{StaffToken: token, Language: "zh-CN"}, nil, nil, nil)
	sh := rig.h.(*survey.Handler)
	staff := fh.StaffPagesOnly(sh.StaffHandler(time.UTC, rig.pages.surveys))

	get := func(path string, cookies []*http.Cookie) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "https://example.org"+path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		w := httptest.NewRecorder()
		staff.ServeHTTP(w, req)
		return w
	}
	if w := get("/staff/surveys/coded/", nil); w.Code != http.StatusUnauthorized || strings.Contains(w.Body.String(), "停车") {
		t.Fatalf("without a session: %d", w.Code)
	}
	req := httptest.NewRequest("POST", "https://example.org/staff/login", strings.NewReader(url.Values{"token": {token}, "name": {"周经理"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	fh.ServeHTTP(w, req)
	cookies := w.Result().Cookies()
	if w.Code != http.StatusSeeOther || len(cookies) == 0 {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	// The workspace's menu leads to the list of surveys, and that to each.
	w = get("/staff/surveys/", cookies)
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, `href="coded/"`) {
		t.Errorf("the list of surveys: %d\n%s", w.Code, body)
	}
	w = get("/staff/surveys/coded/", cookies)
	body := w.Body.String()
	for _, want := range []string{"实时统计", "已收答卷: <strong>1</strong> / 1", `<th scope="row">parking 停车</th><td>1</td>`, `<th scope="row">4 满意</th><td>1</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the tallies page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "=1+2") {
		t.Error("the tallies page shows a text answer")
	}
	w = get("/staff/surveys/coded/export.csv", cookies)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"'=1+2"`) || !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("export: %d %q %q", w.Code, w.Header().Get("Content-Disposition"), w.Body.String())
	}
}

// lobby serve rebuilds when a survey opens and when it closes, so that
// its page shows the form exactly while it takes answers.
func TestServeRebuildsWhenASurveyOpensAndCloses(t *testing.T) {
	s, err := site.Build(sitetest.FS(surveyHTTPSite), lobby.Theme(), site.Options{Now: sitetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	opens, closes := time.Date(2026, 11, 20, 8, 0, 0, 0, cst), time.Date(2026, 12, 31, 0, 0, 0, 0, cst)
	if got := nextExpiry(s, opens.Add(-time.Hour)); !got.Equal(opens) {
		t.Errorf("before it opens: next rebuild at %v, want %v", got, opens)
	}
	if got := nextExpiry(s, opens.Add(time.Hour)); !got.Equal(closes) {
		t.Errorf("while it is open: next rebuild at %v, want %v", got, closes)
	}
}
