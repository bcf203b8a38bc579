package site_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/lobby-community/lobby/site/sitetest"
)

// mainOf returns the <main> element of a page, without the banner, header
// and footer that every page shares.
func mainOf(html string) string {
	i, j := strings.Index(html, "<main"), strings.Index(html, "</main>")
	if i < 0 || j < i {
		return html
	}
	return html[i:j]
}

const noticesSite = config + `-- content/notices/_index.md --
+++
title = "通知公告"
+++
-- content/notices/water.md --
+++
title = "停水通知"
date = 2026-11-25
urgency = "urgent"
expires = 2026-12-05T18:00:00
tags = ["停水"]
+++
7—12幢停水。
-- content/notices/lift.md --
+++
title = "电梯维修"
date = 2026-10-10
urgency = "urgent"
expires = 2026-10-16T18:00:00
+++
已结束。
-- content/notices/drill.md --
+++
title = "消防演练"
date = 2026-11-20
urgency = "important"
expires = 2027-01-09T12:00:00
+++
-- content/notices/parking.md --
+++
title = "停车证换证"
date = 2026-11-26
pinned = true
+++
`

// Urgency is info, important or urgent; anything else is an error at its line.
func TestUrgencyMustBeKnown(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/notices/a.md --\n+++\ntitle = \"A\"\nurgency = \"critical\"\n+++\n")
	assertErrors(t, got, `content/notices/a.md:3:1: urgency "critical" is not one of info, important, urgent`)
}

// Lists show pinned notices first, then newest; expired notices leave the
// lists, the banner and the feed, and go to the archive, while their own page
// stays, marked as expired.
func TestExpiredNoticeLeavesListsBannerAndFeed(t *testing.T) {
	r := sitetest.Build(t, noticesSite)
	list := mainOf(r.File("notices/index.html"))
	iPark, iWater, iDrill := strings.Index(list, "停车证换证"), strings.Index(list, "停水通知"), strings.Index(list, "消防演练")
	if !(iPark >= 0 && iPark < iWater && iWater < iDrill) {
		t.Errorf("list order: pinned %d, water %d, drill %d; want pinned, then newest", iPark, iWater, iDrill)
	}
	if strings.Contains(list, "电梯维修") {
		t.Error("the expired notice is in the notices list")
	}
	for _, p := range []string{"index.html", "about/index.html", "notices/drill/index.html"} {
		if !r.Exists(p) {
			continue
		}
		r.AssertFile(p, `href="/notices/water/"`, `data-expires="2026-12-05T18:00:00&#43;08:00"`)
	}
	r.AssertFile("notices/drill/index.html", "! /notices/lift/")
	if archive := mainOf(r.File("notices/archive/index.html")); !strings.Contains(archive, "电梯维修") || strings.Contains(archive, "停水通知") {
		t.Errorf("archive = %s", archive)
	}
	r.AssertFile("notices/lift/index.html", "电梯维修", "notice-expired")
	r.AssertFile("notices/feed.xml", "停水通知", "消防演练", "! 电梯维修")
	// The important notice is on the home page, not in the banner.
	r.AssertFile("index.html", "消防演练")
}

// The Atom feed of active notices parses as Atom.
func TestNoticesFeedIsAtom(t *testing.T) {
	r := sitetest.Build(t, noticesSite)
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(r.File("notices/feed.xml")), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 3 || feed.Entries[0].Link.Href != "https://example.org/notices/parking/" {
		t.Errorf("feed entries = %+v", feed.Entries)
	}
}

// Each notice has an A4 poster with a QR code to its absolute URL.
func TestNoticePosterHasQRCode(t *testing.T) {
	r := sitetest.Build(t, noticesSite)
	r.AssertFile("notices/water/poster/index.html",
		"停水通知", "<svg", `aria-label="QR code: https://example.org/notices/water/"`, `<path fill="#000" d="M`,
		"0571-0000-0000", "poster.")
	r.AssertFile("notices/water/index.html", `href="/notices/water/poster/"`)
}

// lobby check warns about notices that expire within a day and pinned notices
// that have expired.
func TestNoticeWarnings(t *testing.T) {
	r := sitetest.Build(t, noticesSite+`-- content/notices/soon.md --
+++
title = "Soon"
expires = 2026-11-28T09:00:00
+++
-- content/notices/old-pin.md --
+++
title = "Old pin"
pinned = true
expires = 2026-11-01T09:00:00
+++
`)
	w := r.Site.Warnings().Error()
	for _, want := range []string{"content/notices/soon.md: notice expires within 24 hours", "content/notices/old-pin.md: pinned notice expired"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if strings.Contains(w, "water.md") {
		t.Errorf("water.md warned about:\n%s", w)
	}
}

const eventsSite = config + `-- content/events/_index.md --
+++
title = "社区活动"
+++
-- content/events/solstice.md --
+++
title = "冬至包饺子"
start = 2026-12-20T15:00:00
end = 2026-12-20T17:00:00
location = "会所多功能厅, 一楼; 东侧"
organizer = "业委会"
+++
-- content/events/newyear.md --
+++
title = "元旦联欢会：一个很长很长的标题用来测试七十五个八位字节处折行时不会把一个汉字切成两半"
start = 2026-12-31T19:00:00
+++
-- content/events/midautumn.md --
+++
title = "中秋游园会"
start = 2026-09-25T18:30:00
+++
-- content/events/flag.md --
+++
title = "国庆升旗"
start = 2026-10-01T07:00:00
+++
`

// Events list upcoming soonest first, then past latest first.
func TestEventsUpcomingThenPast(t *testing.T) {
	r := sitetest.Build(t, eventsSite)
	list := r.File("events/index.html")
	order := []string{"冬至包饺子", "元旦联欢会", "国庆升旗", "中秋游园会"}
	last := -1
	for _, title := range order {
		i := strings.Index(list, title)
		if i <= last {
			t.Fatalf("events list order wrong at %s (index %d after %d)", title, i, last)
		}
		last = i
	}
	r.AssertFile("events/solstice/index.html", `href="/events/solstice/event.ics"`, "会所多功能厅")
}

func TestEventNeedsStart(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/events/a.md --\n+++\ntitle = \"A\"\nlocation = \"x\"\n+++\n")
	assertErrors(t, got, "content/events/a.md:2:1: an event needs start")
}

// Calendars are valid RFC 5545: CRLF, lines folded at 75 octets without
// splitting a character, escaped text, stable UIDs, DTSTAMP.
func TestCalendarsAreValidICalendar(t *testing.T) {
	r := sitetest.Build(t, eventsSite)
	for _, name := range []string{"events/calendar.ics", "events/solstice/event.ics"} {
		data := r.File(name)
		if strings.Contains(strings.ReplaceAll(data, "\r\n", ""), "\n") {
			t.Errorf("%s has a bare LF", name)
		}
		for _, line := range strings.Split(data, "\r\n") {
			if len(line) > 75 {
				t.Errorf("%s: line of %d octets: %q", name, len(line), line)
			}
		}
		cal, err := ics.ParseCalendar(strings.NewReader(data))
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		for _, ev := range cal.Events() {
			if ev.Id() == "" || ev.GetProperty(ics.ComponentPropertyDtstamp) == nil {
				t.Errorf("%s: event without UID or DTSTAMP", name)
			}
		}
	}
	cal, _ := ics.ParseCalendar(strings.NewReader(r.File("events/calendar.ics")))
	evs := cal.Events()
	if len(evs) != 4 {
		t.Fatalf("calendar has %d events, want 4", len(evs))
	}
	var sol *ics.VEvent
	for _, e := range evs {
		if e.Id() == "events/solstice@example.org" {
			sol = e
		}
	}
	if sol == nil {
		t.Fatal("no event with UID events/solstice@example.org")
	}
	start, err := sol.GetStartAt()
	if err != nil || start.UTC().Format("2006-01-02T15:04") != "2026-12-20T07:00" {
		t.Errorf("solstice start = %v (%v), want 07:00 UTC", start, err)
	}
	if loc := sol.GetProperty(ics.ComponentPropertyLocation); loc == nil || loc.Value != "会所多功能厅, 一楼; 东侧" {
		t.Errorf("location = %+v", loc)
	}
	if !strings.Contains(r.File("events/calendar.ics"), `LOCATION:会所多功能厅\, 一楼\; 东侧`) {
		t.Error("commas and semicolons in LOCATION are not escaped")
	}
	var long *ics.VEvent
	for _, e := range evs {
		if strings.HasPrefix(e.Id(), "events/newyear") {
			long = e
		}
	}
	if s := long.GetProperty(ics.ComponentPropertySummary); s == nil || !strings.HasSuffix(s.Value, "切成两半") {
		t.Errorf("folded summary did not round-trip: %+v", s)
	}
}

const newslettersSite = config + `-- content/newsletters/_index.md --
+++
title = "翠湖月刊"
+++
-- content/newsletters/n1.md --
+++
title = "八月刊"
date = 2026-08-05
issue = 1
+++
第一期正文。
-- content/newsletters/n2.md --
+++
title = "九月刊"
date = 2026-09-05
issue = 2
+++
第二期正文。
-- content/newsletters/n3.md --
+++
title = "十月刊"
date = 2026-10-05
issue = 3
+++
第三期**正文**。
`

// Newsletters show issue numbers, link previous and next, and have an Atom
// feed with full content.
func TestNewslettersIssuesAndFeed(t *testing.T) {
	r := sitetest.Build(t, newslettersSite)
	p := r.Page("/newsletters/n2/")
	if p.Prev == nil || p.Prev.URL != "/newsletters/n1/" || p.Next == nil || p.Next.URL != "/newsletters/n3/" {
		t.Errorf("n2 prev/next = %v/%v", p.Prev, p.Next)
	}
	r.AssertFile("newsletters/n2/index.html", `href="/newsletters/n1/"`, `href="/newsletters/n3/"`)
	list := r.File("newsletters/index.html")
	if strings.Index(list, "十月刊") > strings.Index(list, "八月刊") {
		t.Error("newsletters list is not newest issue first")
	}
	r.AssertFile("newsletters/feed.xml", "<feed", "第三期&lt;strong&gt;正文&lt;/strong&gt;", "八月刊")
}

const feeSite = config + `-- content/fees/2026-q3.md --
+++
title = "2026年第三季度公示"
period = "2026-Q3"
currency = "CNY"
total_income = "1234567.80"
total_expense = "1000.00"

[[income]]
item = "物业费"
amount = "1234000.30"

[[income]]
item = "=HYPERLINK(\"x\")"
amount = 567.50

[[expense]]
item = "保洁"
amount = 1000

[fund]
opening = "100.00"
closing = "1233667.80"
+++
`

// A disclosure that adds up renders tables, a chart and a CSV.
func TestFeeDisclosureRendersTablesChartAndCSV(t *testing.T) {
	fixed := strings.Replace(feeSite, "amount = 567.50", `amount = "567.50"`, 1)
	r := sitetest.Build(t, fixed)
	r.AssertFile("fees/2026-q3/index.html", "1,234,567.80", "1,234,000.30", "1,000.00", "<svg", "fee-chart", `href="/fees/2026-q3/disclosure.csv"`)
	data := r.File("fees/2026-q3/disclosure.csv")
	if !strings.HasPrefix(data, "\ufeff") {
		t.Error("CSV has no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader([]byte(strings.TrimPrefix(data, "\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, row := range rows {
		if len(row) != 5 {
			t.Fatalf("row %q has %d cells", row, len(row))
		}
		found[row[1]+"/"+row[2]] = row[3]
	}
	if found["income/物业费"] != "1234000.30" || found["total_income/"] != "1234567.80" || found["fund_closing/"] != "1233667.80" {
		t.Errorf("CSV rows = %v", found)
	}
	if _, ok := found[`income/'=HYPERLINK("x")`]; !ok {
		t.Errorf("formula cell not defused: %v", found)
	}
}

// A total that differs from its items, a fund that does not balance, and a
// float amount are errors at the line of the figure, giving both figures.
func TestFeeDisclosureErrorsAtLine(t *testing.T) {
	got := sitetest.BuildE(t, feeSite)
	assertErrors(t, got, `content/fees/2026-q3.md:`)
	if !strings.Contains(got[0], "floating-point") {
		t.Errorf("error = %q, want a floating-point error", got[0])
	}
	bad := strings.Replace(strings.Replace(feeSite, "amount = 567.50", `amount = "567.40"`, 1), `closing = "1233667.80"`, `closing = "1233667.00"`, 1)
	got = sitetest.BuildE(t, bad)
	assertErrors(t, got,
		"content/fees/2026-q3.md:5:1: total_income is 1,234,567.80 but the income items add up to 1,234,567.70",
		"content/fees/2026-q3.md:22:1: fund closing is 1,233,667.00 but opening + income − expense is 1,233,667.80")
}

// /handbook/print/ is the whole handbook in reading order.
func TestHandbookPrintInReadingOrder(t *testing.T) {
	r := sitetest.Build(t, sectionsSite)
	p := r.File("handbook/print/index.html")
	order := []string{"小区概况", "消防安全", "火灾逃生", "文明养犬"}
	last := -1
	for _, title := range order {
		i := strings.LastIndex(p, title)
		if i <= last {
			t.Fatalf("print page order wrong at %s", title)
		}
		last = i
	}
	r.AssertFile("handbook/print/index.html", `<h2 id="ch-3-逃生路线">逃生路线</h2>`, `href="#ch-1"`)
}
