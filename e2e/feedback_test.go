package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// repairRequest is what a resident types into the feedback form.
type repairRequest struct {
	message, unit, name, contact string
}

var leak = repairRequest{
	message: "3幢2单元1201卫生间天花板漏水，请尽快派人查看。",
	unit:    "3幢2单元1201",
	name:    "李阿姨",
	contact: "138 0000 0000",
}

// fillRepair fills the feedback form on the open page as a repair
// request, with r's fields, and ticks the consent box.
func (tb *tab) fillRepair(r repairRequest) {
	tb.t.Helper()
	tb.click("#f-category-repair")
	tb.typeInto("#f-message", r.message)
	tb.typeInto("#f-unit", r.unit)
	tb.typeInto("#f-name", r.name)
	tb.typeInto("#f-contact", r.contact)
	tb.click("#f-consent")
}

// submitForm presses the form's send button and waits for the next page.
func (tb *tab) submitForm() {
	tb.t.Helper()
	tb.clickAndWaitLoad("form[data-feedback] button[type=submit]")
}

// thanksRef checks that the open page is the thank-you page and returns
// the reference it shows, which must be the one in its URL.
func (tb *tab) thanksRef() string {
	tb.t.Helper()
	loc := tb.location()
	u, err := url.Parse(loc)
	if err != nil || u.Path != "/feedback/thanks/" || u.Query().Get("ref") == "" {
		tb.t.Fatalf("after sending, the page is %s, want /feedback/thanks/?ref=…; it says:\n%s", loc, tb.bodyText())
	}
	ref := u.Query().Get("ref")
	if shown := tb.text(".ref-box .ref-number"); shown != ref {
		tb.t.Errorf("the thank-you page shows reference %q, want %q from its URL", shown, ref)
	}
	return ref
}

// statusOf opens the status page of ref and returns the status it shows.
func (tb *tab) statusOf(ref string) string {
	tb.t.Helper()
	tb.open("/feedback/status?ref=" + url.QueryEscape(ref))
	if shown := tb.text(".status-box .ref-number"); shown != ref {
		tb.t.Fatalf("status page shows reference %q, want %q; it says:\n%s", shown, ref, tb.bodyText())
	}
	return tb.text(".status-current strong")
}

// formState is what the feedback form holds after the server sent it back.
type formState struct {
	Unit, Name, Contact, Message string
	Repair, Consent              bool
	MessageInvalid               bool
	DescribedBy                  string
	ErrorText                    string
	ErrorInField                 bool    // the error is in the message's own field
	Gap                          float64 // px from the error's bottom to the textarea's top
	SummaryLink                  bool    // the error summary links to the textarea
}

// a repair request sent through the feedback form,
// with JavaScript and without. A message of only spaces comes back with
// the error next to the message box and everything else as typed; once
// fixed, the resident gets a reference on the thank-you page and its
// status page says the case is received.
func TestFeedbackRepairRequestGetsAReferenceAndStatus(t *testing.T) {
	srv := h.demoServer(t)
	withAndWithoutScript(t, func(t *testing.T) *tab { return h.newTab(t, srv, phone) }, func(t *testing.T, tb *tab, js bool) {
		tb.open("/feedback/")
		blank := leak
		blank.message = "   "
		tb.fillRepair(blank)
		key := eval[string](tb, `document.querySelector("form[data-feedback] input[name=key]").value`)
		if js && key == "" {
			t.Errorf("with JavaScript the form has no idempotency key")
		}
		tb.submitForm()

		got := eval[formState](tb, `(() => {
  const v = id => document.getElementById(id);
  const msg = v("f-message"), err = v("err-message");
  return {Unit: v("f-unit").value, Name: v("f-name").value, Contact: v("f-contact").value, Message: msg.value,
    Repair: v("f-category-repair").checked, Consent: v("f-consent").checked,
    MessageInvalid: msg.getAttribute("aria-invalid") === "true",
    DescribedBy: msg.getAttribute("aria-describedby") || "",
    ErrorText: err ? err.textContent.trim() : "",
    ErrorInField: !!err && err.closest(".field") === msg.closest(".field"),
    Gap: err ? msg.getBoundingClientRect().top - err.getBoundingClientRect().bottom : -1,
    SummaryLink: !!document.querySelector('.error-summary a[href="#f-message"]')};
})()`)
		if got.ErrorText == "" || !got.ErrorInField {
			t.Fatalf("no error next to the message box (%+v); the page says:\n%s", got, tb.bodyText())
		}
		if got.Gap < 0 || got.Gap > 80 {
			t.Errorf("the error ends %.0f px above the message box, want it right above (0–80 px)", got.Gap)
		}
		if !got.MessageInvalid || !strings.Contains(got.DescribedBy, "err-message") {
			t.Errorf("message box aria-invalid=%v aria-describedby=%q, want true and the error's id", got.MessageInvalid, got.DescribedBy)
		}
		if !got.SummaryLink {
			t.Errorf("the error summary does not link to the message box")
		}
		if got.Unit != leak.unit || got.Name != leak.name || got.Contact != leak.contact || !got.Repair || !got.Consent {
			t.Errorf("the form came back as %+v, want what was typed: %+v, repair, consent", got, leak)
		}
		if js {
			if again := eval[string](tb, `document.querySelector("form[data-feedback] input[name=key]").value`); again != key {
				t.Errorf("the key came back as %q, want %q (a retry must not store twice)", again, key)
			}
		}

		eval[string](tb, `document.getElementById("f-message").value = ""`)
		tb.typeInto("#f-message", leak.message)
		tb.submitForm()
		ref := tb.thanksRef()

		tb.clickAndWaitLoad(`.ref-box a[href^="/feedback/status"]`)
		if st := tb.text(".status-current strong"); st != "已受理" {
			t.Errorf("status of %s = %q, want 已受理", ref, st)
		}
		if st := tb.statusOf(ref); st != "已受理" {
			t.Errorf("status of %s = %q, want 已受理", ref, st)
		}
	})
}

// staffLogin logs the tab in on /staff/ with the demo's staff token and a
// display name, from the keyboard: Enter in the last field sends the form.
func (tb *tab) staffLogin(name string) {
	tb.t.Helper()
	tb.open("/staff/")
	tb.typeInto("#token", h.staffToken)
	tb.typeInto("#staff-name", name)
	tb.clickAndWaitLoad(`form[action="/staff/login"] button[type=submit]`)
	if tb.count(".staff-bar") != 1 {
		tb.t.Fatalf("staff login failed; the page says:\n%s", tb.bodyText())
	}
}

// setStatus changes the status of the case open in the tab from its
// case page, with a note.
func (tb *tab) setStatus(ref, status, note string) {
	tb.t.Helper()
	form := `form.staff-action:has(input[name=action][value=status])`
	tb.do(chromedp.SetValue(chromedp.CSS(form+" select[name=status]"), status))
	tb.typeInto(form+" textarea[name=note]", note)
	tb.clickAndWaitLoad(form + " button[type=submit]")
	if loc := tb.location(); loc != "/staff/cases/"+ref {
		tb.t.Errorf("after saving, staff are on %s, want the case page", loc)
	}
}

// staff log in on /staff/ with LOBBY_STAFF_TOKEN and their name, respond
// to a resident's repair request and resolve it; the resident's status
// page says so without the staff's notes, asks once whether they are
// satisfied, and after the answer the case is followed up, with every
// step's name on the staff's case page.
func TestStaffResolvesCaseAndResidentSeesIt(t *testing.T) {
	srv := h.demoServer(t)
	resident := h.newTab(t, srv, phone)
	resident.open("/feedback/")
	resident.fillRepair(leak)
	resident.submitForm()
	ref := resident.thanksRef()

	staff := h.newTab(t, srv, desktop)
	staff.staffLogin("李师傅")
	row := `a[href="/staff/cases/` + ref + `"]`
	if staff.count(row) != 1 {
		t.Fatalf("the staff list has no case %s; it says:\n%s", ref, staff.bodyText())
	}
	staff.clickAndWaitLoad(row)
	staff.setStatus(ref, "in_progress", "已派人查看")
	staff.setStatus(ref, "resolved", "已更换破损水管")
	if !strings.Contains(staff.bodyText(), "已更换破损水管") || !strings.Contains(staff.bodyText(), "李师傅") {
		t.Errorf("the case page does not show the note and the name; it says:\n%s", staff.bodyText())
	}

	if st := resident.statusOf(ref); st != "已办结" {
		t.Errorf("resident sees status %q for %s, want 已办结", st, ref)
	}
	if n := resident.count(".history li"); n < 3 {
		t.Errorf("status history has %d entries, want received, in progress and resolved", n)
	}
	if strings.Contains(resident.bodyText(), "已更换破损水管") {
		t.Errorf("the resident's status page shows the staff note")
	}
	if strings.Contains(resident.bodyText(), leak.contact) || strings.Contains(resident.bodyText(), leak.name) {
		t.Errorf("the status page shows personal data")
	}
	// The resident answers the follow-up, without JavaScript needed.
	if resident.count(`form.verdict-form input[name=verdict]`) != 3 {
		t.Fatalf("the status page of a resolved case does not ask; it says:\n%s", resident.bodyText())
	}
	resident.click("#v-satisfied")
	resident.typeInto("#v-comment", "师傅很细心")
	resident.clickAndWaitLoad("form.verdict-form button[type=submit]")
	if st := resident.text(".status-current strong"); st != "已回访" || resident.count("form.verdict-form") != 0 {
		t.Errorf("after answering: status %q, form still there: %v; it says:\n%s", st, resident.count("form.verdict-form") != 0, resident.bodyText())
	}
	staff.open("/staff/cases/" + ref)
	if body := staff.bodyText(); !strings.Contains(body, "师傅很细心") || !strings.Contains(body, "满意") {
		t.Errorf("the case page lacks the resident's verdict; it says:\n%s", body)
	}
}
