package feedback_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/feedback"
)

// submitAt stores a submission of category and unit at the fake clock's
// moment and returns its ref.
func (e *testEnv) submitAt(t *testing.T, cat, unit string) string {
	t.Helper()
	m := goodJSON()
	m["category"], m["unit"] = cat, unit
	w := e.postJSON(m)
	if w.Code != 201 {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	return jsonBody(t, w)["ref"].(string)
}

func decodeCases(t *testing.T, body string) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, body)
	}
	return out
}

// The staff API over the whole casework round: a note, a change of status
// with a name, a phone follow-up, and the overdue list with the clock.
func TestStaffAPICasework(t *testing.T) {
	e := newEnv(t, func(c *feedback.Config) {
		c.Targets = feedback.Targets{feedback.CategoryRepair: {Respond: 4 * time.Hour, Resolve: 48 * time.Hour}}
	})
	late := e.submitAt(t, "repair", "3-1201")
	e.advance(time.Hour)
	fresh := e.submitAt(t, "repair", "13-101")
	other := e.submitAt(t, "complaint", "3-502")
	e.advance(4 * time.Hour) // late is past its response target, fresh is not

	w := e.staff("GET", "/api/v1/staff/feedback?overdue=1", "", "")
	got := decodeCases(t, w.Body.String())
	if w.Code != 200 || len(got) != 1 || got[0]["ref"] != late {
		t.Fatalf("overdue=1: %d %s, want only %s", w.Code, w.Body, late)
	}
	if o, _ := got[0]["overdue"].(map[string]any); o["respond"] != true {
		t.Errorf("overdue field %v", got[0]["overdue"])
	}
	w = e.staff("GET", "/api/v1/staff/feedback?unit=3-&order=newest", "", "")
	if got := decodeCases(t, w.Body.String()); len(got) != 2 || got[0]["ref"] != other || got[1]["ref"] != late || got[0]["overdue"] != nil {
		t.Errorf("unit=3-&order=newest: %s", w.Body)
	}
	w = e.staff("GET", "/api/v1/staff/feedback?category=repair&status=pending", "", "")
	if got := decodeCases(t, w.Body.String()); len(got) != 2 {
		t.Errorf("category=repair&status=pending: %s", w.Body)
	}
	for _, q := range []string{"category=lift", "order=sideways", "overdue=maybe", "until=yesterday", "status=closed"} {
		if w := e.staff("GET", "/api/v1/staff/feedback?"+q, "", ""); w.Code != 400 {
			t.Errorf("%s: %d, want 400", q, w.Code)
		}
	}

	// A note, then a change of status, each with a name.
	if w := e.staff("POST", "/api/v1/staff/feedback/"+late+"/notes", jsonType, `{"note":"已电话联系","by":"前台小张"}`); w.Code != 200 {
		t.Fatalf("note: %d %s", w.Code, w.Body)
	}
	if w := e.staff("POST", "/api/v1/staff/feedback/"+late+"/notes", jsonType, `{"note":"  "}`); w.Code != 400 {
		t.Errorf("empty note: %d, want 400", w.Code)
	}
	if w := e.staff("POST", "/api/v1/staff/feedback/"+late+"/status", formType, "status=resolved&by="+url.QueryEscape("李师傅")); w.Code != 200 {
		t.Fatalf("resolve: %d %s", w.Code, w.Body)
	}
	if w := e.staff("POST", "/api/v1/staff/feedback/"+fresh+"/follow-up", jsonType, `{"verdict":"satisfied"}`); w.Code != 409 {
		t.Errorf("follow-up of an unresolved case: %d, want 409", w.Code)
	}
	if w := e.staff("POST", "/api/v1/staff/feedback/"+late+"/follow-up", jsonType, `{"verdict":"great"}`); w.Code != 400 {
		t.Errorf("unknown verdict: %d, want 400", w.Code)
	}
	w = e.staff("POST", "/api/v1/staff/feedback/"+late+"/follow-up", jsonType, `{"verdict":"mostly_satisfied","comment":"慢了点","by":"前台小张"}`)
	if w.Code != 200 {
		t.Fatalf("follow-up: %d %s", w.Code, w.Body)
	}
	c, err := e.db.Case(t.Context(), late)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, ev := range c.History {
		trail = append(trail, string(ev.Status)+"/"+ev.By+"/"+string(ev.Verdict)+"/"+string(ev.Via))
	}
	want := "received///,received/前台小张//,resolved/李师傅//,followed_up/前台小张/mostly_satisfied/phone"
	if strings.Join(trail, ",") != want {
		t.Errorf("history %s\nwant    %s", strings.Join(trail, ","), want)
	}
	if w := e.staff("POST", "/api/v1/staff/feedback/"+late+"/follow-up", jsonType, `{"verdict": 3}`); w.Code != 400 {
		t.Errorf("a verdict that is not a string: %d, want 400", w.Code)
	}
}

// The resident's answer: the reference is the only key, the page shows no
// personal data, and what does not fit is refused without a change.
func TestResidentVerdictRefusals(t *testing.T) {
	e := newEnv(t, nil)
	ref := e.submit(t)
	post := func(body string, headers ...string) int {
		return e.do("POST", "/feedback/status", formType, body, headers...).Code
	}
	if code := post("ref=" + ref + "&verdict=satisfied"); code != 409 {
		t.Errorf("verdict on a received case: %d, want 409", code)
	}
	if _, err := e.db.Update(t.Context(), ref, feedback.Change{Status: feedback.StatusResolved}, e.clock()); err != nil {
		t.Fatal(err)
	}
	w := e.do("GET", "/feedback/status?ref="+ref, "", "")
	if !strings.Contains(w.Body.String(), `name="verdict"`) || strings.Contains(w.Body.String(), "Ann Lee") || strings.Contains(w.Body.String(), "12-0801") {
		t.Errorf("status page of a resolved case:\n%s", w.Body)
	}
	for _, tc := range []struct {
		name, body string
		headers    []string
		want       int
	}{
		{"unknown ref", "ref=ZZZZZZZZ&verdict=satisfied", nil, 404},
		{"no verdict", "ref=" + ref, nil, 400},
		{"unknown verdict", "ref=" + ref + "&verdict=great", nil, 400},
		{"comment too long", "ref=" + ref + "&verdict=satisfied&comment=" + strings.Repeat("长", 1001), nil, 400},
		{"cross-site", "ref=" + ref + "&verdict=satisfied", []string{"Sec-Fetch-Site", "cross-site"}, 403},
	} {
		if code := post(tc.body, tc.headers...); code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, code, tc.want)
		}
	}
	if w := e.do("POST", "/feedback/status", jsonType, `{"ref":"`+ref+`","verdict":"satisfied"}`); w.Code != 415 {
		t.Errorf("JSON verdict: %d, want 415", w.Code)
	}
	if c, _ := e.db.Case(t.Context(), ref); c.Status != feedback.StatusResolved || len(c.History) != 2 {
		t.Fatalf("refused answers changed the case: %+v", c)
	}
	if code := post("ref=" + strings.ToLower(ref) + "&verdict=dissatisfied&comment=" + url.QueryEscape("还是坏的")); code != 303 {
		t.Fatalf("verdict: %d, want 303", code)
	}
	if code := post("ref=" + ref + "&verdict=satisfied"); code != 409 {
		t.Errorf("second verdict: %d, want 409", code)
	}
	c, _ := e.db.Case(t.Context(), ref)
	if c.Status != feedback.StatusInProgress || !c.ResidentAnswered() {
		t.Errorf("after 不满意: %s", c.Status)
	}
	w = e.do("GET", "/feedback/status?ref="+ref, "", "")
	if strings.Contains(w.Body.String(), "还是坏的") || strings.Contains(w.Body.String(), `name="verdict"`) {
		t.Errorf("status page after the answer shows the comment or asks again:\n%s", w.Body)
	}
}
