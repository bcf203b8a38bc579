package main

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// caseworkClient is a browser-like client: it keeps cookies and does not
// follow redirects, so that each answer can be checked.
func caseworkClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send does one request and returns its status, Location and body.
func send(t *testing.T, c *http.Client, method, u string, form url.Values) (int, string, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// caseworkSite is the demo site with service targets for repairs.
func caseworkSite(t *testing.T) string {
	dir := newSite(t)
	cfg := filepath.Join(dir, "config.toml")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n[feedback.targets]\nrepair = { respond = \"4h\", resolve = \"48h\" }\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return dir
}

// The whole round of a case through HTTP, in the site's theme: a resident
// sends a repair, staff log in under their name, respond and resolve it,
// the resident answers the follow-up on the status page (once), and the
// case is followed up with the verdict and every step's who and when.
func TestCaseFromSubmissionToVerdict(t *testing.T) {
	const token = "test-token-0123456789abcdefghijklmn"
	base, _ := startServeToken(t, token, "--source", caseworkSite(t), "--now", testNow)
	resident, staff := caseworkClient(t), caseworkClient(t)

	code, loc, _ := send(t, resident, "POST", base+"/api/v1/feedback", url.Values{
		"category": {"repair"}, "message": {"厨房水管漏水"}, "consent": {"on"}, "unit": {"3-1201"}, "contact": {"13912345678"},
	})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/feedback/thanks/?ref=") {
		t.Fatalf("submit: %d %q", code, loc)
	}
	ref := strings.TrimPrefix(loc, "/feedback/thanks/?ref=")

	// Staff log in with the token and their name; the inbox is in the
	// site's theme, with the new case.
	if code, _, body := send(t, staff, "POST", base+"/staff/login", url.Values{"token": {token}}); code != http.StatusBadRequest || !strings.Contains(body, "姓名") {
		t.Errorf("login without a name: %d, want 400 asking for it", code)
	}
	if code, loc, _ := send(t, staff, "POST", base+"/staff/login", url.Values{"token": {token}, "name": {"李师傅"}}); code != http.StatusSeeOther || loc != "/staff/" {
		t.Fatalf("login: %d %q", code, loc)
	}
	req, _ := http.NewRequest("GET", base+"/staff/", nil)
	resp, err := staff.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	inbox, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{ref, "site-header", "staff.", "李师傅", "待处理事项", "3-1201"} {
		if !strings.Contains(string(inbox), want) {
			t.Errorf("inbox lacks %q", want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("inbox CSP %q", csp)
	}
	// The CSP forbids every script, so the page asks for none: a blocked
	// script is an error in the browser's console on every staff page.
	if strings.Contains(string(inbox), "<script") {
		t.Error("the inbox loads a script its CSP blocks")
	}

	// Respond, then resolve, from the case page.
	for _, st := range []string{"in_progress", "resolved"} {
		code, loc, body := send(t, staff, "POST", base+"/staff/cases/"+ref, url.Values{"action": {"status"}, "status": {st}, "note": {"已派人 " + st}})
		if code != http.StatusSeeOther || loc != "/staff/cases/"+ref {
			t.Fatalf("set %s: %d %q\n%s", st, code, loc, body)
		}
	}
	// A change the case refuses is explained in the site's language, with
	// the rule that refused it, not only its kind.
	if code, _, body := send(t, staff, "POST", base+"/staff/cases/"+ref, url.Values{"action": {"status"}, "status": {"received"}, "note": {"退回"}}); code != http.StatusConflict || !strings.Contains(body, "事项不能退回到“已受理”") {
		t.Errorf("a move back to received: %d, want 409 saying why in Chinese\n%s", code, excerptAround(body, "未保存"))
	}
	// A resolved case leaves the inbox of cases to do.
	if _, _, body := send(t, staff, "GET", base+"/staff/", nil); strings.Contains(body, ref) {
		t.Error("a resolved case is listed under 待处理事项")
	}
	if _, _, body := send(t, staff, "GET", base+"/staff/?status=resolved", nil); !strings.Contains(body, ref) {
		t.Error("a resolved case is missing from the resolved list")
	}

	// The resident's status page asks once, without personal data.
	_, _, page := send(t, resident, "GET", base+"/feedback/status?ref="+ref, nil)
	if !strings.Contains(page, `name="verdict"`) || !strings.Contains(page, "基本满意") || strings.Contains(page, "3-1201") || strings.Contains(page, "李师傅") {
		t.Fatalf("status page of a resolved case does not ask, or shows personal data:\n%s", page)
	}
	code, loc, _ = send(t, resident, "POST", base+"/feedback/status", url.Values{"ref": {ref}, "verdict": {"satisfied"}, "comment": {"师傅很细心"}})
	if code != http.StatusSeeOther || loc != "/feedback/status?ref="+ref {
		t.Fatalf("verdict: %d %q", code, loc)
	}
	_, _, page = send(t, resident, "GET", base+loc, nil)
	if strings.Contains(page, `name="verdict"`) || !strings.Contains(page, "已收到您的评价") || strings.Contains(page, "师傅很细心") {
		t.Errorf("status page after the answer:\n%s", page)
	}
	if code, _, _ := send(t, resident, "POST", base+"/feedback/status", url.Values{"ref": {ref}, "verdict": {"dissatisfied"}}); code != http.StatusConflict {
		t.Errorf("second answer: %d, want 409", code)
	}

	// Staff see every step with who and when, and the verdict.
	_, _, casePage := send(t, staff, "GET", base+"/staff/cases/"+ref, nil)
	for _, want := range []string{"已回访", "满意", "师傅很细心", "业主在网上评价", "李师傅", "已派人 resolved", "13912345678"} {
		if !strings.Contains(casePage, want) {
			t.Errorf("case page lacks %q", want)
		}
	}

	// The list exports as CSV with the session, not only with the token.
	code, _, body := send(t, staff, "GET", base+"/staff/export.csv?status=all", nil)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if code != 200 || err != nil || len(rows) != 2 || rows[1][0] != ref || rows[1][12] != "satisfied" {
		t.Errorf("export with the session: %d, %v, %v", code, err, rows)
	}
	if code, _, _ := send(t, resident, "GET", base+"/staff/export.csv", nil); code == 200 {
		t.Error("export without a session answered 200")
	}
}

// 不满意 reopens the case for staff, with the resident's comment, and a
// phone follow-up recorded by staff closes it.
func TestDissatisfiedVerdictReopensTheCase(t *testing.T) {
	const token = "test-token-0123456789abcdefghijklmn"
	base, _ := startServeToken(t, token, "--source", caseworkSite(t), "--now", testNow)
	resident, staff := caseworkClient(t), caseworkClient(t)
	_, loc, _ := send(t, resident, "POST", base+"/api/v1/feedback", url.Values{"category": {"complaint"}, "message": {"噪音扰民"}, "consent": {"on"}})
	ref := strings.TrimPrefix(loc, "/feedback/thanks/?ref=")
	send(t, staff, "POST", base+"/staff/login", url.Values{"token": {token}, "name": {"前台小张"}})
	if code, _, _ := send(t, staff, "POST", base+"/staff/cases/"+ref, url.Values{"action": {"status"}, "status": {"resolved"}}); code != http.StatusSeeOther {
		t.Fatalf("resolve: %d", code)
	}
	send(t, resident, "POST", base+"/feedback/status", url.Values{"ref": {ref}, "verdict": {"dissatisfied"}, "comment": {"晚上还是很吵"}})
	_, _, inbox := send(t, staff, "GET", base+"/staff/", nil)
	if !strings.Contains(inbox, ref) {
		t.Fatal("the reopened case is not in the inbox")
	}
	_, _, casePage := send(t, staff, "GET", base+"/staff/cases/"+ref, nil)
	if !strings.Contains(casePage, "晚上还是很吵") || !strings.Contains(casePage, "不满意") || !strings.Contains(casePage, `status-in_progress`) {
		t.Errorf("reopened case page lacks the comment or the status:\n%s", casePage)
	}
	send(t, staff, "POST", base+"/staff/cases/"+ref, url.Values{"action": {"status"}, "status": {"resolved"}})
	// The resident answered once already: the page no longer asks.
	if _, _, page := send(t, resident, "GET", base+"/feedback/status?ref="+ref, nil); strings.Contains(page, `name="verdict"`) {
		t.Error("the status page asks a second time")
	}
	code, _, body := send(t, staff, "POST", base+"/staff/cases/"+ref, url.Values{"action": {"follow-up"}, "verdict": {"mostly_satisfied"}, "comment": {"基本解决"}})
	if code != http.StatusSeeOther {
		t.Fatalf("phone follow-up: %d\n%s", code, body)
	}
	_, _, casePage = send(t, staff, "GET", base+"/staff/cases/"+ref, nil)
	if !strings.Contains(casePage, "电话回访") || !strings.Contains(casePage, "基本满意") || !strings.Contains(casePage, "status-followed_up") {
		t.Errorf("case page after the phone follow-up:\n%s", casePage)
	}
}
