package feedback_test

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// Status lookups are limited per client address, so that references
// cannot be tried by the thousand; the empty lookup form is not counted.
func TestStatusLookupsRateLimited(t *testing.T) {
	e := newEnv(t, nil)
	ref := e.submit(t)
	for range 20 {
		e.do("GET", "/feedback/status", "", "")
	}
	for i := range 60 {
		target := "/feedback/status?ref=" + ref
		if i%2 == 1 {
			target = "/feedback/status?ref=ABCD2345" // a guess
		}
		if w := e.do("GET", target, "", ""); w.Code == 429 {
			t.Fatalf("lookup %d refused already", i+1)
		}
	}
	w := e.do("GET", "/feedback/status?ref="+ref, "", "")
	want429(t, "61st lookup", w)
	if strings.Contains(w.Body.String(), ref) {
		t.Error("a refused lookup shows the case")
	}
	if w := e.doFrom("198.51.100.3:1", "GET", "/feedback/status?ref="+ref, "", ""); w.Code != 200 {
		t.Errorf("another address: %d, want 200", w.Code)
	}
	e.advance(10 * time.Minute)
	if w := e.do("GET", "/feedback/status?ref="+ref, "", ""); w.Code != 200 {
		t.Errorf("after the period: %d, want 200", w.Code)
	}
}

// A retry with the same key is answered with its reference even at the
// rate limit, and is not counted against it.
func TestIdempotentRetryNotCountedAgainstLimit(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) { c.RateEvents, c.RatePer = 2, 10*time.Minute })
	keyed := func(key string) map[string]any {
		m := goodJSON()
		m["key"] = key
		return m
	}
	first := e.postJSON(keyed("key-aaaa-0001"))
	if first.Code != 201 {
		t.Fatalf("first: %d", first.Code)
	}
	ref := jsonBody(t, first)["ref"]
	for i := range 3 { // retries below the limit take nothing from it
		if w := e.postJSON(keyed("key-aaaa-0001")); w.Code != 201 || jsonBody(t, w)["ref"] != ref {
			t.Fatalf("retry %d: %d %s", i+1, w.Code, w.Body)
		}
	}
	if w := e.postJSON(keyed("key-bbbb-0002")); w.Code != 201 {
		t.Fatalf("second submission after retries: %d, want 201 (retries are not counted)", w.Code)
	}
	// Now at the limit: a retry still gets its reference, as a form too.
	if w := e.postJSON(keyed("key-aaaa-0001")); w.Code != 201 || jsonBody(t, w)["ref"] != ref {
		t.Errorf("retry at the limit: %d %s, want 201 and %v", w.Code, w.Body, ref)
	}
	form := goodForm()
	form.Set("key", "key-cccc-0003")
	if w := e.postForm(form); w.Code != 429 {
		t.Fatalf("a new submission at the limit: %d, want 429", w.Code)
	}
	// Neither a new key nor an old key with other content gets through.
	other := keyed("key-aaaa-0001")
	other["message"] = "something else"
	if w := e.postJSON(other); w.Code != 429 {
		t.Errorf("an old key with another message at the limit: %d, want 429", w.Code)
	}
	if n := len(e.cases(t)); n != 2 {
		t.Errorf("%d cases stored, want 2", n)
	}
	// A form retry at the limit is answered as the first time.
	e.advance(time.Hour)
	form.Set("key", "key-dddd-0004")
	if w := e.postForm(form); w.Code != 303 {
		t.Fatalf("form: %d", w.Code)
	}
	e.postJSON(keyed("key-eeee-0005"))
	w := e.postForm(form)
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/feedback/thanks/?ref=") {
		t.Errorf("form retry at the limit: %d %q, want 303 to its thanks page", w.Code, w.Header().Get("Location"))
	}
}

// Bidirectional controls and zero-width characters are removed from
// names, units and contacts, kept visible as escapes in messages, and
// never reach a CSV cell or the staff API as they are.
func TestInvisibleCharactersCleaned(t *testing.T) {
	e := newEnv(t, nil)
	const rlo, zwsp, lri, pdi = "\u202E", "\u200B", "\u2066", "\u2069"
	v := url.Values{
		"category": {"repair"},
		"name":     {"王" + zwsp + "芳" + rlo},
		"unit":     {rlo + "1021-3"},
		"contact":  {"138" + zwsp + "0000" + "\u200D" + "0000"},
		"message":  {"灯坏了 " + lri + "=cmd|' /C calc'!A0" + pdi + "\u200F"},
		"consent":  {"on"},
	}
	if w := e.postForm(v); w.Code != 303 {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	c := e.cases(t)[0]
	if c.Name != "王芳" || c.Unit != "1021-3" || c.Contact != "13800000000" {
		t.Errorf("name %q, unit %q, contact %q: want the invisible characters removed", c.Name, c.Unit, c.Contact)
	}
	if want := `灯坏了 \u2066=cmd|' /C calc'!A0\u2069\u200F`; c.Message != want {
		t.Errorf("message %q, want %q", c.Message, want)
	}

	// Cases stored before the cleaning, and staff notes, are escaped in
	// the CSV export.
	old := &feedback.Case{Ref: "ABCD2345", Name: rlo + "=1+2", Unit: "3" + zwsp + "-1", Message: "x",
		History: []feedback.Event{{Status: feedback.StatusReceived, Note: "备注" + rlo}}}
	var buf bytes.Buffer
	if err := feedback.WriteCSV(&buf, []*feedback.Case{c, old}, nil); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []string{rlo, zwsp, lri, pdi, "\u200D", "\u200F"} {
		if strings.Contains(buf.String(), ch) {
			t.Errorf("the CSV holds %U", []rune(ch)[0])
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv: %v %q", err, rows)
	}
	if rows[2][5] != `\u202E=1+2` || rows[2][6] != `3\u200B-1` || !strings.HasSuffix(rows[2][9], `备注\u202E`) {
		t.Errorf("old case row %q", rows[2])
	}

	// A staff note is a message too.
	w := e.staff("PATCH", "/api/v1/staff/feedback/"+c.Ref, jsonType, `{"status":"in_progress","note":"看`+rlo+`过"}`)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `看\\u202E过`) {
		t.Errorf("note: %d %s", w.Code, w.Body)
	}
	// The fingerprint is taken after cleaning: the same text with other
	// invisible characters is the same submission.
	v.Set("key", "key-ffff-"+strconv.Itoa(6))
	e.postForm(v)
	v.Set("name", "王芳")
	if w := e.postForm(v); w.Code != 303 {
		t.Errorf("retry that differs only in invisible characters: %d, want 303", w.Code)
	}
}

// Cases stored before the cleaning show their invisible characters as
// escapes on the staff pages.
func TestStaffPagesShowInvisibleCharacters(t *testing.T) {
	e := newEnv(t, nil)
	s := feedback.Submission{Category: feedback.CategoryRepair, Message: "ok", Consent: true}
	c := feedback.NewCase(s, e.clock())
	c.Name, c.Unit, c.Message = "王\u200B芳", "\u202E1021-3", "a\u2066b" // as an older lobby stored them
	stored, _, err := e.db.Create(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	cookie := staffLogin(t, e, false)
	for _, target := range []string{"/staff/", "/staff/cases/" + stored.Ref} {
		body := e.page("GET", target, "", cookie).Body.String()
		if strings.ContainsAny(body, "\u200B\u202E\u2066") || !strings.Contains(body, `\u202E1021-3`) {
			t.Errorf("%s shows invisible characters as they are:\n%s", target, body)
		}
	}
}
