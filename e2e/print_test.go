package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// fetched is what the page's own fetch() got for a URL.
type fetched struct {
	Status int
	Type   string
	Body   string
}

// the event page's "add to calendar" link is an
// iCalendar file, served as text/calendar, both to the page's fetch and to
// a plain HTTP client.
func TestEventAddToCalendarLinkIsATextCalendar(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, phone)
	tb.open("/events/winter-solstice-dumplings/")
	href := eval[string](tb, `(() => { const a = document.querySelector('a[href$=".ics"]'); return a ? a.getAttribute("href") : ""; })()`)
	if href == "" {
		t.Fatalf("the event page has no .ics link; it says:\n%s", tb.bodyText())
	}
	got := eval[fetched](tb, `fetch(`+jsString(href)+`).then(async r => ({Status: r.status, Type: r.headers.get("content-type") || "", Body: await r.text()}))`)
	if got.Status != http.StatusOK || !strings.HasPrefix(got.Type, "text/calendar") {
		t.Errorf("GET %s in the page = %d %q, want 200 text/calendar", href, got.Status, got.Type)
	}
	for _, want := range []string{"BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART", "END:VCALENDAR"} {
		if !strings.Contains(got.Body, want) {
			t.Errorf("%s has no %s:\n%s", href, want, abbrev(got.Body))
		}
	}

	res, err := http.Get(srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("GET %s = %d %q, want 200 text/calendar", href, res.StatusCode, ct)
	}
}

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// every notice's poster prints on one A4 page, and its
// QR code shows in print.
func TestNoticePostersPrintOnOneA4PageWithTheQRCode(t *testing.T) {
	srv := h.demoServer(t)
	tb := h.newTab(t, srv, desktop)
	tb.open("/notices/")
	var notices struct {
		Pages []struct{ URL string }
	}
	raw := eval[string](tb, `fetch("/api/v1/notices.json").then(r => r.text())`)
	if err := json.Unmarshal([]byte(raw), &notices); err != nil || len(notices.Pages) == 0 {
		t.Fatalf("notices.json: %v (%d notices)", err, len(notices.Pages))
	}
	tb.media("print")
	for _, n := range notices.Pages {
		poster := n.URL + "poster/"
		tb.open(poster)
		qr := tb.rect(".poster-qr svg")
		if !qr.Visible || qr.Right-qr.Left < 100 {
			t.Errorf("%s: the QR code is not shown in print (%+v); want it visible and about 40 mm wide", poster, qr)
		}
		if eval[bool](tb, `[...document.querySelectorAll(".site-header, .site-footer, .banner")].some(e => getComputedStyle(e).display !== "none")`) {
			t.Errorf("%s: the site's chrome prints on the poster", poster)
		}
		pdf, err := chromedp.Run(tb.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
		if err != nil {
			t.Fatalf("%s: print to PDF: %v", poster, err)
		}
		if d := os.Getenv("LOBBY_E2E_SHOTS"); d != "" {
			os.WriteFile(filepath.Join(d, strings.ReplaceAll(strings.Trim(poster, "/"), "/", "_")+".pdf"), pdf, 0o644)
		}
		if pages := len(pdfPage.FindAll(pdf, -1)); pages != 1 {
			t.Errorf("%s prints on %d A4 pages, want 1", poster, pages)
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
