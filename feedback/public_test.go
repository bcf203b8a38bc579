package feedback_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

const xssScript = `<script>alert(1)</script>`
const xssImg = `"><img src=x onerror=alert(1)>`

func TestStatusPageShowsHistoryWithoutPersonalData(t *testing.T) {
	e := newEnv(t, nil)
	m := goodJSON()
	m["name"], m["unit"], m["contact"], m["message"] = "Private Name", "9-999", "javascript:alert(1)", xssScript+xssImg
	ref := jsonBody(t, e.postJSON(m))["ref"].(string)
	e.advance(2 * time.Hour)
	note, _ := json.Marshal(map[string]string{"status": "in_progress", "note": "internal: spoke to " + xssImg})
	if w := e.staff("PATCH", "/api/v1/staff/feedback/"+ref, jsonType, string(note)); w.Code != 200 {
		t.Fatalf("PATCH: %d %s", w.Code, w.Body)
	}
	e.advance(time.Hour)
	e.staff("PATCH", "/api/v1/staff/feedback/"+ref, jsonType, `{"status":"in_progress","note":"second note"}`)

	w := e.do("GET", "/feedback/status?ref="+strings.ToLower(ref), "", "")
	if w.Code != 200 {
		t.Fatalf("status %d, want 200", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{ref, "In progress", "2026-03-01 09:00", "2026-03-01 11:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q\n%s", want, body)
		}
	}
	for _, secret := range []string{"Private Name", "9-999", "javascript:", "alert", "internal", "second note", "12:00"} {
		if strings.Contains(body, secret) {
			t.Errorf("status page shows %q\n%s", secret, body)
		}
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
}

func TestStatusPageUnknownRefIs404(t *testing.T) {
	e := newEnv(t, nil)
	if w := e.do("GET", "/feedback/status", "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `name="ref"`) {
		t.Errorf("no ref: status %d, want 200 with the lookup form", w.Code)
	}
	for _, ref := range []string{"ZZZZZZZZ", "IIII0000", xssScript} {
		w := e.do("GET", "/feedback/status?ref="+url.QueryEscape(ref), "", "")
		if w.Code != 404 {
			t.Errorf("ref %q: status %d, want 404", ref, w.Code)
		}
		if !strings.Contains(w.Body.String(), "no case with this reference") || strings.Contains(w.Body.String(), "<script>") {
			t.Errorf("ref %q reflected unescaped", ref)
		}
	}
}

func TestThanksPageShowsValidRefOnly(t *testing.T) {
	e := newEnv(t, nil)
	w := e.do("GET", "/feedback/thanks/?ref=ABCD2345", "", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "ABCD2345") || !strings.Contains(w.Body.String(), `/feedback/status?ref=ABCD2345`) {
		t.Errorf("thanks: status %d\n%s", w.Code, w.Body)
	}
	w = e.do("GET", "/feedback/thanks/?ref="+url.QueryEscape(xssScript), "", "")
	if strings.Contains(w.Body.String(), "script") {
		t.Errorf("an invalid ref reached the thanks page:\n%s", w.Body)
	}
}
