package feedback_test

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

func TestFormPostRedirectsToThanks(t *testing.T) {
	e := newEnv(t, nil)
	w := e.postForm(goodForm())
	if w.Code != 303 {
		t.Fatalf("status %d, want 303\n%s", w.Code, w.Body)
	}
	loc := w.Header().Get("Location")
	ref := strings.TrimPrefix(loc, "/feedback/thanks/?ref=")
	if _, ok := feedback.ParseRef(ref); !ok || loc == ref {
		t.Fatalf("Location %q, want /feedback/thanks/?ref=REF", loc)
	}
	cs := e.cases(t)
	if len(cs) != 1 {
		t.Fatalf("%d cases stored, want 1", len(cs))
	}
	c := cs[0]
	if c.Ref != ref || c.Category != "repair" || c.Name != "李明" || c.Unit != "5-302" || c.Contact != "13912345678" || c.Message != "厨房水管漏水，请尽快派人维修。" || c.Status != feedback.StatusReceived {
		t.Errorf("stored %+v", c)
	}
}

func TestJSONPostAnswers201(t *testing.T) {
	e := newEnv(t, nil)
	w := e.postJSON(goodJSON())
	if w.Code != 201 {
		t.Fatalf("status %d, want 201\n%s", w.Code, w.Body)
	}
	v := jsonBody(t, w)
	ref, _ := v["ref"].(string)
	if _, ok := feedback.ParseRef(ref); !ok || v["status"] != "received" {
		t.Errorf("answer %v, want a ref and status received", v)
	}
	if cs := e.cases(t); len(cs) != 1 || cs[0].Ref != ref {
		t.Errorf("stored %v", cs)
	}
}

func TestFieldErrors(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	tests := []struct {
		name  string
		edit  func(map[string]any)
		field string // the one field at fault; "" means accepted
	}{
		{"category missing", func(m map[string]any) { delete(m, "category") }, "category"},
		{"category unknown", func(m map[string]any) { m["category"] = "bribe" }, "category"},
		{"message missing", func(m map[string]any) { delete(m, "message") }, "message"},
		{"message blank", func(m map[string]any) { m["message"] = " \n\t " }, "message"},
		{"message 5000 characters", func(m map[string]any) { m["message"] = long(5000) }, ""},
		{"message 5001 characters", func(m map[string]any) { m["message"] = long(5001) }, "message"},
		{"message with NUL", func(m map[string]any) { m["message"] = "a\x00b" }, "message"},
		{"message with escape", func(m map[string]any) { m["message"] = "a\x1b[31mb" }, "message"},
		{"message with newlines", func(m map[string]any) { m["message"] = "第一行\r\n第二行" }, ""},
		{"name too long", func(m map[string]any) { m["name"] = long(101) }, "name"},
		{"name with newline", func(m map[string]any) { m["name"] = "a\nb" }, "name"},
		{"unit too long", func(m map[string]any) { m["unit"] = long(51) }, "unit"},
		{"unit with control", func(m map[string]any) { m["unit"] = "3\x07" }, "unit"},
		{"contact too long", func(m map[string]any) { m["contact"] = long(201) }, "contact"},
		{"contact not text", func(m map[string]any) { m["contact"] = 13800000000 }, "contact"},
		{"name, unit, contact left out", func(m map[string]any) { delete(m, "name"); delete(m, "unit"); delete(m, "contact") }, ""},
		{"consent missing", func(m map[string]any) { delete(m, "consent") }, "consent"},
		{"consent false", func(m map[string]any) { m["consent"] = false }, "consent"},
		{"consent a number", func(m map[string]any) { m["consent"] = 1 }, "consent"},
		{"key too short", func(m map[string]any) { m["key"] = "abc" }, "key"},
		{"key with spaces", func(m map[string]any) { m["key"] = "abc def ghi" }, "key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			m := goodJSON()
			tc.edit(m)
			w := e.postJSON(m)
			if tc.field == "" {
				if w.Code != 201 {
					t.Fatalf("status %d, want 201\n%s", w.Code, w.Body)
				}
				return
			}
			if w.Code != 400 {
				t.Fatalf("status %d, want 400\n%s", w.Code, w.Body)
			}
			errs, _ := jsonBody(t, w)["errors"].(map[string]any)
			if len(errs) != 1 || errs[tc.field] == nil || errs[tc.field] == "" {
				t.Errorf("errors %v, want one for %q", errs, tc.field)
			}
			if n := len(e.cases(t)); n != 0 {
				t.Errorf("%d cases stored, want 0", n)
			}
		})
	}
}

func TestBadBodiesAre400(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ ctype, body, field string }{
		{jsonType, `[1,2]`, "form"},
		{jsonType, `{"message":`, "form"},
		{jsonType, "{\"message\":\"\xff\"}", "form"},
		{formType, "message=%ff&category=repair&consent=on", "message"},
		{formType, "message=%zz", "form"},
	} {
		w := e.do("POST", "/api/v1/feedback", tc.ctype, tc.body)
		if w.Code != 400 {
			t.Errorf("%s %q: status %d, want 400", tc.ctype, tc.body, w.Code)
			continue
		}
		if tc.ctype == jsonType {
			if errs, _ := jsonBody(t, w)["errors"].(map[string]any); errs[tc.field] == nil {
				t.Errorf("%q: errors %v, want one for %q", tc.body, errs, tc.field)
			}
		}
	}
	if n := len(e.cases(t)); n != 0 {
		t.Errorf("%d cases stored, want 0", n)
	}
}

func TestFormShownAgainWithTypedValuesAndErrors(t *testing.T) {
	e := newEnv(t, nil)
	v := goodForm()
	v.Set("consent", "")
	v.Set("message", `水管漏了 <b>"急"</b>`)
	v.Set("unit", "7-701")
	w := e.postForm(v)
	if w.Code != 400 {
		t.Fatalf("status %d, want 400", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{
		`水管漏了 &lt;b&gt;&#34;急&#34;&lt;/b&gt;</textarea>`, // typed text kept, escaped
		`value="7-701"`,
		`<option value="repair" selected>`,
		feedback.Message("en", "consent", "consent"),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("form page lacks %q\n%s", want, body)
		}
	}
	if strings.Contains(body, "<b>") {
		t.Error("typed HTML reached the page unescaped")
	}
	if n := len(e.cases(t)); n != 0 {
		t.Errorf("%d cases stored, want 0", n)
	}
}

func TestCrossOriginRefused(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		{"Sec-Fetch-Site cross-site", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"Sec-Fetch-Site same-site", []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"Sec-Fetch-Site same-origin", []string{"Sec-Fetch-Site", "same-origin"}, 201},
		{"Sec-Fetch-Site none", []string{"Sec-Fetch-Site", "none"}, 201},
		{"Origin mismatch", []string{"Origin", "https://evil.example"}, 403},
		{"Origin null", []string{"Origin", "null"}, 403},
		{"Origin matches", []string{"Origin", "http://example.com"}, 201},
		{"neither header", nil, 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			w := e.postJSON(goodJSON(), tc.headers...)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d\n%s", w.Code, tc.want, w.Body)
			}
			if n := len(e.cases(t)); (n == 1) != (tc.want == 201) {
				t.Errorf("%d cases stored", n)
			}
		})
	}
}

func TestBodyOver64KiBIs413(t *testing.T) {
	e := newEnv(t, nil)
	big := "message=" + strings.Repeat("a", feedback.MaxBodyBytes+1)
	if w := e.do("POST", "/api/v1/feedback", formType, big); w.Code != 413 {
		t.Errorf("form: status %d, want 413", w.Code)
	}
	bigJSON := `{"message":"` + strings.Repeat("a", feedback.MaxBodyBytes) + `"}`
	if w := e.do("POST", "/api/v1/feedback", jsonType, bigJSON); w.Code != 413 {
		t.Errorf("JSON: status %d, want 413", w.Code)
	}
	if n := len(e.cases(t)); n != 0 {
		t.Errorf("%d cases stored, want 0", n)
	}
}

func TestOtherMediaTypesAre415(t *testing.T) {
	e := newEnv(t, nil)
	for _, ct := range []string{"text/plain", "application/xml", "", "multipart/form-data; boundary=x", "application/json-seq"} {
		if w := e.do("POST", "/api/v1/feedback", ct, `{"message":"hi"}`); w.Code != 415 {
			t.Errorf("Content-Type %q: status %d, want 415", ct, w.Code)
		}
	}
	if w := e.do("POST", "/api/v1/feedback", "application/json; charset=utf-8", `{}`); w.Code != 400 {
		t.Errorf("JSON with charset: status %d, want 400 (accepted, then invalid)", w.Code)
	}
}

func TestWrongMethodsAre405(t *testing.T) {
	e := newEnv(t, nil)
	ref := e.submit(t)
	for _, tc := range []struct{ method, target string }{
		{"GET", "/api/v1/feedback"},
		{"PUT", "/api/v1/feedback"},
		{"GET", "/api/v1/staff/feedback/" + ref + "/status"},
		{"DELETE", "/api/v1/staff/feedback/" + ref},
		{"PUT", "/feedback/status?ref=" + ref},
	} {
		w := e.staff(tc.method, tc.target, jsonType, `{"status":"resolved"}`)
		if w.Code != 405 {
			t.Errorf("%s %s: status %d, want 405", tc.method, tc.target, w.Code)
		}
	}
	if c, _ := e.db.Case(t.Context(), ref); c.Status != feedback.StatusReceived {
		t.Errorf("status changed to %s by a refused request", c.Status)
	}
}

// submit stores a good JSON submission and returns its ref.
func (e *testEnv) submit(t testing.TB) string {
	t.Helper()
	w := e.postJSON(goodJSON())
	if w.Code != 201 {
		t.Fatalf("submit: status %d\n%s", w.Code, w.Body)
	}
	return jsonBody(t, w)["ref"].(string)
}

func TestRateLimitPerConnectionAddress(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) { c.RateEvents, c.RatePer = 10, 10*time.Minute })
	for i := range 10 {
		// A spoofed X-Forwarded-For from a direct client changes nothing.
		w := e.postJSON(goodJSON(), "X-Forwarded-For", "198.51.100."+strconv.Itoa(i))
		if w.Code != 201 {
			t.Fatalf("submission %d: status %d, want 201", i+1, w.Code)
		}
	}
	w := e.postJSON(goodJSON(), "X-Forwarded-For", "198.51.100.99")
	if w.Code != 429 {
		t.Fatalf("11th submission: status %d, want 429", w.Code)
	}
	ra, err := strconv.Atoi(w.Header().Get("Retry-After"))
	if err != nil || ra < 1 || ra > 600 {
		t.Errorf("Retry-After %q, want whole seconds in 1..600", w.Header().Get("Retry-After"))
	}
	// The form gets its page again, with what was typed.
	w = e.postForm(goodForm())
	if w.Code != 429 || !strings.Contains(w.Body.String(), "厨房水管漏水") || w.Header().Get("Retry-After") == "" {
		t.Errorf("form at the limit: status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if n := len(e.cases(t)); n != 10 {
		t.Errorf("%d cases stored, want 10", n)
	}
	e.advance(time.Duration(ra) * time.Second)
	if w := e.postJSON(goodJSON()); w.Code != 201 {
		t.Errorf("after Retry-After: status %d, want 201", w.Code)
	}
}

func TestRateLimitBehindTrustedProxy(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) {
		c.RateEvents, c.RatePer = 2, time.Hour
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	post := func(xff string) int {
		return e.doFrom("10.0.0.5:5555", "POST", "/api/v1/feedback", formType, goodForm().Encode(), "X-Forwarded-For", xff).Code
	}
	// The client 203.0.113.7 forges a leftmost entry; the proxies append.
	for i := range 2 {
		if got := post("6.6.6." + strconv.Itoa(i) + ", 203.0.113.7, 10.0.0.2"); got != 303 {
			t.Fatalf("submission %d: status %d, want 303", i+1, got)
		}
	}
	if got := post("7.7.7.7, 203.0.113.7, 10.0.0.2"); got != 429 {
		t.Errorf("third from 203.0.113.7 with a new forged entry: status %d, want 429", got)
	}
	if got := post("203.0.113.8"); got != 303 {
		t.Errorf("another client behind the proxy: status %d, want 303", got)
	}
	// A direct client is limited by its own address, whatever it forwards.
	if got := e.doFrom("198.51.100.9:1", "POST", "/api/v1/feedback", formType, goodForm().Encode(), "X-Forwarded-For", "203.0.113.7").Code; got != 303 {
		t.Errorf("direct client forwarding the limited address: status %d, want 303", got)
	}
}

func TestHoneypotAnswersSuccessAndStoresNothing(t *testing.T) {
	e := newEnv(t, nil)
	v := goodForm()
	v.Set("website", "http://spam.example")
	w := e.postForm(v)
	ref := strings.TrimPrefix(w.Header().Get("Location"), "/feedback/thanks/?ref=")
	if w.Code != 303 {
		t.Fatalf("form: status %d, want 303", w.Code)
	}
	if _, ok := feedback.ParseRef(ref); !ok {
		t.Errorf("honeypot ref %q does not look like a reference", ref)
	}
	m := goodJSON()
	m["website"] = "x"
	if w := e.postJSON(m); w.Code != 201 {
		t.Errorf("JSON: status %d, want 201", w.Code)
	}
	if n := len(e.cases(t)); n != 0 {
		t.Errorf("%d cases stored, want 0", n)
	}

	// Its status page reads as a real case's just received, so a bot
	// cannot tell that it was caught.
	real := e.submit(t)
	decoy := e.do("GET", "/feedback/status?ref="+ref, "", "")
	want := e.do("GET", "/feedback/status?ref="+real, "", "")
	if decoy.Code != 200 || want.Code != 200 {
		t.Fatalf("status pages: honeypot %d, real %d; want 200, 200", decoy.Code, want.Code)
	}
	if got := strings.ReplaceAll(decoy.Body.String(), ref, real); got != want.Body.String() {
		t.Errorf("the honeypot's status page differs from a real one's:\n%s\nwant\n%s", got, want.Body)
	}
	if strings.Join(decoy.Header().Values("Cache-Control"), ",") != strings.Join(want.Header().Values("Cache-Control"), ",") {
		t.Error("the headers differ")
	}
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t, nil)
	m := goodJSON()
	m["key"] = "2f1e6a52-8a0b-4d5e-9c41-0d5b1f0c7a11"
	first := e.postJSON(m)
	again := e.postJSON(m)
	if first.Code != 201 || again.Code != 201 {
		t.Fatalf("statuses %d, %d; want 201, 201", first.Code, again.Code)
	}
	if a, b := jsonBody(t, first)["ref"], jsonBody(t, again)["ref"]; a != b {
		t.Errorf("refs %v, %v; want the first answer again", a, b)
	}
	// The same key by header, with the same body, is the same submission.
	delete(m, "key")
	if w := e.postJSON(m, "Idempotency-Key", "2f1e6a52-8a0b-4d5e-9c41-0d5b1f0c7a11"); w.Code != 201 || jsonBody(t, w)["ref"] != jsonBody(t, first)["ref"] {
		t.Errorf("by header: status %d, %s", w.Code, w.Body)
	}
	if n := len(e.cases(t)); n != 1 {
		t.Errorf("%d cases stored, want 1", n)
	}
	// Same key, other content: 422, and nothing new.
	m["message"] = "Something else entirely."
	if w := e.postJSON(m, "Idempotency-Key", "2f1e6a52-8a0b-4d5e-9c41-0d5b1f0c7a11"); w.Code != 422 {
		t.Errorf("same key, other body: status %d, want 422", w.Code)
	}
	// A form gets its page again.
	v := goodForm()
	v.Set("key", "2f1e6a52-8a0b-4d5e-9c41-0d5b1f0c7a11")
	if w := e.postForm(v); w.Code != 422 || !strings.Contains(w.Body.String(), "厨房水管漏水") {
		t.Errorf("form, same key, other body: status %d", w.Code)
	}
	// A key in the body and a different one in the header are refused.
	m["key"] = "aaaaaaaa-1111"
	if w := e.postJSON(m, "Idempotency-Key", "bbbbbbbb-2222"); w.Code != 400 {
		t.Errorf("two different keys: status %d, want 400", w.Code)
	}
	if n := len(e.cases(t)); n != 1 {
		t.Errorf("%d cases stored, want 1", n)
	}
}

func TestConcurrentDuplicatesGetTheFirstAnswer(t *testing.T) {
	e := newEnv(t, nil)
	m := goodJSON()
	m["key"] = "concurrent-key-0001"
	var wg sync.WaitGroup
	refs := make([]any, 16)
	codes := make([]int, 16)
	for i := range refs {
		wg.Go(func() {
			w := e.postJSON(m)
			codes[i] = w.Code
			if w.Code == 201 {
				refs[i] = jsonBody(t, w)["ref"]
			}
		})
	}
	wg.Wait()
	for i := range refs {
		if codes[i] != 201 || refs[i] != refs[0] {
			t.Fatalf("answers %v refs %v: want every one 201 with one ref", codes, refs)
		}
	}
	if n := len(e.cases(t)); n != 1 {
		t.Errorf("%d cases stored, want 1", n)
	}
}

func TestLogsHoldNoPersonalData(t *testing.T) {
	e := newEnv(t, nil)
	m := goodJSON()
	m["name"], m["unit"], m["contact"], m["message"] = "Zhang Secretname", "UNIT-4242", "+86 139 0000 4242", "private words here"
	ref := jsonBody(t, e.postJSON(m))["ref"].(string)
	e.staff("PATCH", "/api/v1/staff/feedback/"+ref, jsonType, `{"status":"in_progress","note":"called Zhang at home"}`)
	logs := e.logs.String()
	if !strings.Contains(logs, ref) || !strings.Contains(logs, "category=complaint") {
		t.Errorf("log lacks the ref and category:\n%s", logs)
	}
	for _, secret := range []string{"Secretname", "4242", "private words", "called Zhang", "192.0.2.1"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
	if n := strings.Count(logs, "feedback received"); n != 1 {
		t.Errorf("%d log lines for one submission, want 1", n)
	}
}

func TestUnsupportedRouteWithoutURLEncodingTrouble(t *testing.T) {
	// A ref with characters outside the alphabet never reaches the store.
	e := newEnv(t, nil)
	if w := e.do("GET", "/feedback/status?ref="+url.QueryEscape("' OR 1=1 --"), "", ""); w.Code != 404 {
		t.Errorf("status %d, want 404", w.Code)
	}
}
