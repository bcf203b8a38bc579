package e2e

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// surveyServer serves a copy of the demo site whose satisfaction survey
// is open both at the build's time and at the clock's (the server judges
// answers by the clock), with household codes made for two units. It
// returns the server and the paths the units' slips lead to.
func surveyServer(t *testing.T) (*lobbyServer, []string) {
	t.Helper()
	needBrowser(t)
	bin := h.binary(t)
	dir := h.copySite(t)
	if err := noRateLimit(dir); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "content", "surveys", "2026-satisfaction.md")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	window := regexp.MustCompile(`(?m)^opens = .*\ncloses = .*$`)
	closes := time.Now().AddDate(1, 0, 0).Format("2006-01-02T15:04:05")
	src = window.ReplaceAll(src, []byte("opens = 2026-11-01T00:00:00\ncloses = "+closes))
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	units := filepath.Join(dir, "units.txt")
	os.WriteFile(units, []byte("1-101\n1-102\n"), 0o644)
	sheet := filepath.Join(dir, "slips.html")
	cmd := exec.Command(bin, "survey", "codes", "2026-satisfaction", "--units", units, "--out", sheet, "--source", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lobby survey codes: %v\n%s", err, out)
	}
	data, err := os.ReadFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, m := range regexp.MustCompile(`aria-label="QR code: ([^"]+)"`).FindAllStringSubmatch(string(data), -1) {
		u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, u.RequestURI())
	}
	if len(paths) != 2 {
		t.Fatalf("the sheet has %d QR codes, want 2", len(paths))
	}
	s, err := startServer(bin, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop() })
	return s, paths
}

// surveyForm is what the survey's form looks like on the phone.
type surveyForm struct {
	Code          string
	ScrollWidth   float64
	Width         float64
	SmallestTap   float64 // px: the lowest option label
	FontSize      float64 // px: an option label's text
	OverallError  string
	ErrorNearby   bool // the error is inside the question's fieldset
	CleaningKept  bool
	PrioritiesSet int
	Comments      string
}

const readSurveyForm = `(() => {
  const labels = [...document.querySelectorAll(".survey-form .choice")];
  const err = document.getElementById("err-overall");
  return {
    Code: (document.getElementById("f-code") || {}).value || "",
    ScrollWidth: document.scrollingElement.scrollWidth, Width: window.innerWidth,
    SmallestTap: Math.min(...labels.map(l => l.getBoundingClientRect().height)),
    FontSize: parseFloat(getComputedStyle(labels[0]).fontSize),
    OverallError: err ? err.textContent.trim() : "",
    ErrorNearby: !!err && err.closest("fieldset") === document.getElementById("q-overall"),
    CleaningKept: !!document.querySelector("#f-cleaning-4:checked"),
    PrioritiesSet: document.querySelectorAll("input[name=q-priorities]:checked").length,
    Comments: (document.getElementById("f-comments") || {}).value || "",
  };
})()`

// A household scans its slip on a phone, answers all but the first
// question, sees the error next to it with every other answer kept, then
// answers it and is thanked; with JavaScript and without. The two runs
// use the same code: the second answer replaces the first.
func TestSurveyAnsweredOnAPhone(t *testing.T) {
	srv, paths := surveyServer(t)
	src := axeSource(t)
	withAndWithoutScript(t, func(t *testing.T) *tab { return h.newTab(t, srv, phone) }, func(t *testing.T, tb *tab, js bool) {
		tb.open(paths[0])
		got := eval[surveyForm](tb, readSurveyForm)
		if got.Code == "" || !strings.Contains(paths[0], url.QueryEscape(got.Code)) {
			t.Fatalf("the slip's link opened the form with code %q; the page says:\n%s", got.Code, tb.bodyText())
		}
		if got.ScrollWidth > got.Width {
			t.Errorf("the form is %.0f px wide on a %.0f px phone: it scrolls sideways", got.ScrollWidth, got.Width)
		}
		if got.SmallestTap < 44 || got.FontSize < 16 {
			t.Errorf("options are %.0f px high with %.0f px text, want at least 44 and 16", got.SmallestTap, got.FontSize)
		}
		tb.click("#f-cleaning-4")
		tb.click("#f-repairs-same-day")
		tb.click("#f-priorities-parking")
		tb.click("#f-priorities-lifts")
		tb.typeInto("#f-comments", "电梯维保请提前通知。")
		// The browser would stop the post at the required first question;
		// the server must catch it too (older browsers, scripts).
		eval[bool](tb, `document.querySelector(".survey-form").noValidate = true`)
		// With script the form carries an idempotency key, kept when the
		// page comes back with an error, so a retried post is stored once.
		key := eval[string](tb, `document.querySelector(".survey-form input[name=key]").value`)
		if js && len(key) < 32 {
			t.Errorf("the form's idempotency key is %q", key)
		}
		tb.clickAndWaitLoad(".survey-form button[type=submit]")
		if again := eval[string](tb, `document.querySelector(".survey-form input[name=key]").value`); js && again != key {
			t.Errorf("after the error the key is %q, want %q", again, key)
		}

		// axe-core runs in the page: only where scripts run.
		if js {
			if vs := tb.axe(src); len(vs) > 0 {
				t.Errorf("the form with an error has %d WCAG 2.1 AA violations: %v", len(vs), vs)
			}
		}
		got = eval[surveyForm](tb, readSurveyForm)
		if got.OverallError == "" || !got.ErrorNearby {
			t.Fatalf("no error next to the first question (%+v); the page says:\n%s", got, tb.bodyText())
		}
		if !got.CleaningKept || got.PrioritiesSet != 2 || got.Comments != "电梯维保请提前通知。" || got.Code == "" {
			t.Errorf("the form came back as %+v, want every answer kept", got)
		}
		tb.click("#f-overall-5")
		tb.clickAndWaitLoad(".survey-form button[type=submit]")
		if loc := tb.location(); loc != "/surveys/2026-satisfaction/thanks/" {
			t.Fatalf("after answering, the page is %s; it says:\n%s", loc, tb.bodyText())
		}
		if !strings.Contains(tb.bodyText(), "问卷已提交") {
			t.Errorf("the thank-you page says:\n%s", tb.bodyText())
		}
	})
}
