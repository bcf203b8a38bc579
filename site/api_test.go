package site_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

// apiSite returns testdata/api/site.txtar: a site with a page of every
// kind the content API describes, built at sitetest.Now
// (2026-11-27T10:00:00+08:00).
func apiSite(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/api/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// apiFile parses an API document of r, such as "notices.json".
func apiFile(t *testing.T, s *site.Site, name string) map[string]any {
	t.Helper()
	data, ok := s.Files["api/v1/"+name]
	if !ok {
		t.Fatalf("no api/v1/%s", name)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("api/v1/%s: %v", name, err)
	}
	return doc
}

// entries returns the pages of a section document.
func entries(t *testing.T, doc map[string]any) []map[string]any {
	t.Helper()
	list, ok := doc["pages"].([]any)
	if !ok {
		t.Fatalf("pages = %#v, want an array", doc["pages"])
	}
	out := make([]map[string]any, len(list))
	for i, e := range list {
		out[i] = e.(map[string]any)
	}
	return out
}

// column returns one field of each entry, as text.
func column(entries []map[string]any, key string) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		b, _ := json.Marshal(e[key])
		out[i] = strings.Trim(string(b), `"`)
	}
	return out
}

func assertEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// apiFiles returns the API's documents of r (without the schemas), by path.
func apiFiles(s *site.Site) map[string][]byte {
	out := map[string][]byte{}
	for name, data := range s.Files {
		if strings.HasPrefix(name, "api/v1/") && !strings.HasPrefix(name, "api/v1/schema/") {
			out[name] = data
		}
	}
	return out
}

// site.json has the settings, the office and each section with the number of
// pages its document lists.
func TestAPISiteDocument(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	doc := apiFile(t, r.Site, "site.json")
	assertEqual(t, "title", doc["title"], "测试小区")
	assertEqual(t, "base_url", doc["base_url"], "https://example.org/")
	assertEqual(t, "language", doc["language"], "zh-CN")
	assertEqual(t, "timezone", doc["timezone"], "Asia/Shanghai")
	if _, ok := doc["generated"]; ok {
		t.Error("site.json has a build time: two builds would differ")
	}
	assertEqual(t, "office", doc["office"], map[string]any{"name": "物业服务中心", "hotline": "0571-0000-0000",
		"repairs": "0571-0000-0001", "manager": "王经理", "email": "service@example.org", "hours": "每天 8:30–17:30",
		"address": "翠湖路 1 号"})
	secs := entries(t, map[string]any{"pages": doc["sections"]})
	assertEqual(t, "section names", column(secs, "name"), []string{"notices", "events", "newsletters", "fees", "handbook"})
	// The draft notice is not counted; the handbook counts its chapter.
	assertEqual(t, "section counts", column(secs, "count"), []string{"4", "3", "3", "2", "5"})
	assertEqual(t, "notices", secs[0], map[string]any{"name": "notices", "title": "通知公告", "url": "/notices/",
		"api": "/api/v1/notices.json", "count": 4.0})
	for _, s := range secs {
		if n := len(entries(t, apiFile(t, r.Site, s["name"].(string)+".json"))); float64(n) != s["count"] {
			t.Errorf("%s: count %v, but its document lists %d pages", s["name"], s["count"], n)
		}
	}
	pages := entries(t, map[string]any{"pages": doc["pages"]})
	assertEqual(t, "top-level pages", column(pages, "api"), []string{"/api/v1/rules.json", "/api/v1/about.json"})
}

// notices.json lists every notice, pinned first then newest, and keeps expired
// ones with "expired": true and "active": false, so that a display can hide
// them at the right moment.
func TestAPINoticesActiveExpiredAndOrder(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	doc := apiFile(t, r.Site, "notices.json")
	assertEqual(t, "section", doc["section"], "notices")
	assertEqual(t, "summary", doc["summary"], "物业通知")
	list := entries(t, doc)
	assertEqual(t, "order", column(list, "path"),
		[]string{"notices/parking", "notices/now", "notices/water", "notices/lift"})
	assertEqual(t, "pinned", column(list, "pinned"), []string{"true", "false", "false", "false"})
	assertEqual(t, "urgency", column(list, "urgency"), []string{"info", "info", "urgent", "important"})
	// A notice expires at the moment its expires is reached.
	assertEqual(t, "active", column(list, "active"), []string{"true", "false", "true", "false"})
	assertEqual(t, "expired", column(list, "expired"), []string{"false", "true", "false", "true"})
	assertEqual(t, "expires", column(list, "expires"),
		[]string{"null", "2026-11-27T10:00:00+08:00", "2026-12-05T18:00:00+08:00", "2026-10-16T18:00:00+08:00"})
	// A date written in UTC is given in the site's time zone.
	assertEqual(t, "date", column(list, "date"), []string{"2026-11-20T00:00:00+08:00", "2026-11-26T10:00:00+08:00",
		"2026-11-25T00:00:00+08:00", "2026-10-10T00:00:00+08:00"})
	if _, ok := list[0]["expires"]; ok {
		t.Error("a notice without expires has an expires field, want none")
	}

	lift := apiFile(t, r.Site, "notices/lift.json")
	if lift["expired"] != true || lift["active"] != false {
		t.Errorf("notices/lift.json: expired %v, active %v, want true, false", lift["expired"], lift["active"])
	}
}

// A section lists its pages without bodies; each page's own document has the
// body as HTML and text, and its table of contents.
func TestAPIBodiesOnlyInPageDocuments(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	for _, sec := range []string{"notices", "events", "newsletters", "fees", "handbook"} {
		for _, e := range entries(t, apiFile(t, r.Site, sec+".json")) {
			for _, key := range []string{"html", "text", "toc"} {
				if _, ok := e[key]; ok {
					t.Errorf("%s.json: %s has %q, want no body in a section document", sec, e["path"], key)
				}
			}
		}
	}
	water := apiFile(t, r.Site, "notices/water.json")
	if html, _ := water["html"].(string); !strings.Contains(html, `<h2 id="停水时间">停水时间</h2>`) ||
		!strings.Contains(html, "水压 &lt; 0.1 MPa &amp; 停用") {
		t.Errorf("html = %q", html)
	}
	assertEqual(t, "text", water["text"], "停水时间 12 月 4 日 8:30 起，水压 < 0.1 MPa & 停用。")
	// The JSON does not escape <, > and & again as \u003c and the like.
	r.AssertFile("api/v1/notices/water.json", `"html": "<h2`, `"text": "停水时间 12 月 4 日 8:30 起，水压 < 0.1 MPa & 停用。"`)
	fire := apiFile(t, r.Site, "handbook/safety/fire.json")
	assertEqual(t, "toc", fire["toc"], []any{
		map[string]any{"level": 2.0, "id": "逃生路线", "text": "逃生路线"},
		map[string]any{"level": 3.0, "id": "不乘电梯", "text": "不乘电梯"},
	})
	assertEqual(t, "toc of a page without headings", apiFile(t, r.Site, "handbook/pets.json")["toc"], []any{})
}

// A page's document has every front matter field, as given or computed, with
// dates in RFC 3339 in the site's time zone.
func TestAPIPageDocument(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	water := apiFile(t, r.Site, "notices/water.json")
	for key, want := range map[string]any{
		"kind":      "page",
		"path":      "notices/water",
		"section":   "notices",
		"url":       "/notices/water/",
		"permalink": "https://example.org/notices/water/",
		"api":       "/api/v1/notices/water.json",
		"title":     "停水通知",
		"slug":      "water",
		"summary":   "停水时间 12 月 4 日 8:30 起，水压 < 0.1 MPa & 停用。",
		"date":      "2026-11-25T00:00:00+08:00",
		"lastmod":   "2026-11-25T00:00:00+08:00",
		"weight":    0.0,
		"tags":      []any{"停水"},
		"aliases":   []any{"/old/water/"},
		"params":    map[string]any{},
	} {
		assertEqual(t, "water "+key, water[key], want)
	}
	for _, key := range []string{"draft", "publish_date", "expiry_date", "start", "issue", "period", "prev", "next"} {
		if v, ok := water[key]; ok {
			t.Errorf("water has %s = %v, want no such field", key, v)
		}
	}

	about := apiFile(t, r.Site, "about.json")
	assertEqual(t, "about section", about["section"], "")
	assertEqual(t, "about lastmod", about["lastmod"], "2026-11-10T08:00:00+08:00")
	assertEqual(t, "about params", about["params"], map[string]any{
		"floors":  18.0,
		"since":   "2020-05-01",
		"at":      "2020-05-01T16:00:00+08:00",
		"opens":   "08:30:00",
		"unknown": nil,
		"ratio":   0.25,
		"map":     map[string]any{"lat": 30.25},
		"people":  []any{map[string]any{"name": "王"}},
	})
	assertEqual(t, "rules params (YAML)", apiFile(t, r.Site, "rules.json")["params"],
		map[string]any{"contact": map[string]any{"name": "李", "floors": []any{1.0, 2.0}}})

	gala := apiFile(t, r.Site, "events/gala.json")
	assertEqual(t, "publish_date", gala["publish_date"], "2026-11-01T00:00:00+08:00")
	assertEqual(t, "expiry_date", apiFile(t, r.Site, "newsletters/n3.json")["expiry_date"], "2027-12-31T00:00:00+08:00")
}

// Events read newest start first, each with upcoming computed at build time;
// an event that is on now is still upcoming.
func TestAPIEventsUpcoming(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	list := entries(t, apiFile(t, r.Site, "events.json"))
	assertEqual(t, "order", column(list, "path"), []string{"events/gala", "events/today", "events/fire-day"})
	assertEqual(t, "upcoming", column(list, "upcoming"), []string{"true", "true", "false"})
	assertEqual(t, "start", column(list, "start"),
		[]string{"2026-12-31T18:30:00+08:00", "2026-11-27T09:00:00+08:00", "2026-11-08T09:00:00+08:00"})
	assertEqual(t, "end", column(list, "end"), []string{"2026-12-31T20:30:00+08:00", "2026-11-27T11:00:00+08:00", "null"})
	assertEqual(t, "location", column(list, "location"), []string{"会所多功能厅", "会所", "东门广场"})
	assertEqual(t, "organizer", column(list, "organizer"), []string{"业主委员会", "", ""})
	if _, ok := list[2]["end"]; ok {
		t.Error("an event without end has an end field, want none")
	}
}

// Newsletters read by issue, newest first, even where their dates disagree;
// prev and next follow the issues.
func TestAPINewslettersByIssue(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	list := entries(t, apiFile(t, r.Site, "newsletters.json"))
	assertEqual(t, "issue", column(list, "issue"), []string{"3", "2", "1"})
	n2 := apiFile(t, r.Site, "newsletters/n2.json")
	assertEqual(t, "n2 prev", n2["prev"], map[string]any{"url": "/newsletters/n1/", "title": "第1期", "api": "/api/v1/newsletters/n1.json"})
	assertEqual(t, "n2 next", n2["next"], map[string]any{"url": "/newsletters/n3/", "title": "第3期", "api": "/api/v1/newsletters/n3.json"})
	if v, ok := list[0]["next"]; !ok || v != nil {
		t.Errorf("the latest issue's next = %v (present %v), want null", v, ok)
	}
}

// Money is exact decimal strings with two decimals, never JSON numbers, and
// the balance is total_income − total_expense.
func TestAPIFeesMoneyAsStrings(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	list := entries(t, apiFile(t, r.Site, "fees.json"))
	assertEqual(t, "order", column(list, "period"), []string{"2026-Q3", "2026-Q2"})
	q3, q2 := list[0], list[1]
	want := map[string]any{
		"currency":      "CNY",
		"income":        []any{map[string]any{"item": "物业费", "amount": "1000.25"}, map[string]any{"item": "停车费", "amount": "200.25"}},
		"expense":       []any{map[string]any{"item": "保洁", "amount": "1300.00"}},
		"total_income":  "1200.50",
		"total_expense": "1300.00",
		"balance":       "-99.50",
		"fund":          map[string]any{"opening": "5000.00", "closing": "4900.50"},
	}
	for key, w := range want {
		assertEqual(t, "2026-Q3 "+key, q3[key], w)
	}
	// 0.10 + 0.20 is 0.30 exactly; a disclosure without items has [].
	assertEqual(t, "2026-Q2 balance", q2["balance"], "0.30")
	assertEqual(t, "2026-Q2 expense", q2["expense"], []any{})
	assertEqual(t, "2026-Q2 currency", q2["currency"], "")
	if _, ok := q2["fund"]; ok {
		t.Error("2026-Q2 has a fund, want none: it declares none")
	}
	raw := r.File("api/v1/fees/2026-q3.json")
	for _, bad := range []string{`"amount": 1`, `"total_expense": 1`, `"opening": 5`, `"balance": -`} {
		if strings.Contains(raw, bad) {
			t.Errorf("fees/2026-q3.json has %s: money must be a string", bad)
		}
	}
}

// The handbook lists its chapters and pages in reading order, nested pages
// keep their path, and prev/next walk the same order.
func TestAPIHandbookNestedPathsAndNeighbours(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	list := entries(t, apiFile(t, r.Site, "handbook.json"))
	order := []string{"handbook/overview", "handbook/safety", "handbook/safety/fire", "handbook/safety/gas", "handbook/pets"}
	assertEqual(t, "order", column(list, "path"), order)
	assertEqual(t, "kind", column(list, "kind"), []string{"page", "section", "page", "page", "page"})
	assertEqual(t, "weight", column(list, "weight"), []string{"1", "2", "1", "2", "3"})
	fire := apiFile(t, r.Site, "handbook/safety/fire.json")
	assertEqual(t, "fire url", fire["url"], "/handbook/safety/fire/")
	assertEqual(t, "fire prev", fire["prev"], map[string]any{"url": "/handbook/safety/", "title": "消防安全", "api": "/api/v1/handbook/safety.json"})
	assertEqual(t, "fire next", fire["next"], map[string]any{"url": "/handbook/safety/gas/", "title": "燃气安全", "api": "/api/v1/handbook/safety/gas.json"})
	if v, ok := list[0]["prev"]; !ok || v != nil {
		t.Errorf("first page's prev = %v (present %v), want null", v, ok)
	}
	// Following next from the first page visits the listed order, and each
	// link's api is a document of the build.
	var walked []string
	for doc := apiFile(t, r.Site, "handbook/overview.json"); ; {
		walked = append(walked, doc["path"].(string))
		next, _ := doc["next"].(map[string]any)
		if next == nil || len(walked) > len(order) {
			break
		}
		doc = apiFile(t, r.Site, strings.TrimPrefix(next["api"].(string), "/api/v1/"))
	}
	assertEqual(t, "walk by next", walked, order)
	assertReadingOrder(t, sitetest.Build(t, apiSite(t)).Site)
	assertReadingOrder(t, buildDemo(t))
}

// assertReadingOrder checks that handbook.json lists the pages in the
// order that their prev and next links walk.
func assertReadingOrder(t *testing.T, s *site.Site) {
	t.Helper()
	list := entries(t, apiFile(t, s, "handbook.json"))
	if len(list) < 2 {
		t.Fatalf("handbook.json lists %d pages, want a few", len(list))
	}
	url := func(v any) any {
		if m, ok := v.(map[string]any); ok {
			return m["url"]
		}
		return v
	}
	for i, e := range list {
		var prev, next any
		if i > 0 {
			prev = list[i-1]["url"]
		}
		if i < len(list)-1 {
			next = list[i+1]["url"]
		}
		if url(e["prev"]) != prev || url(e["next"]) != next {
			t.Errorf("%s: prev %v, next %v; handbook.json lists %v before and %v after it",
				e["path"], url(e["prev"]), url(e["next"]), prev, next)
		}
	}
}

// tags.json lists the tags by name with their pages.
func TestAPITags(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	list := entries(t, map[string]any{"pages": apiFile(t, r.Site, "tags.json")["tags"]})
	assertEqual(t, "names", column(list, "name"), []string{"Fire Safety", "停水", "安全"})
	assertEqual(t, "安全", list[2], map[string]any{"name": "安全", "url": "/tags/安全/", "count": 2.0,
		"pages": []any{"/handbook/safety/", "/handbook/safety/fire/"}})
	assertEqual(t, "Fire Safety url", list[0]["url"], "/tags/fire-safety/")

	empty := sitetest.Build(t, config)
	assertEqual(t, "tags of a site without tags", apiFile(t, empty.Site, "tags.json"), map[string]any{"tags": []any{}})
}

// Drafts never appear in the API: not as a document, not in a list, not as a
// tag, not in a count.
func TestAPIDraftAbsent(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	files := apiFiles(r.Site)
	for name, data := range files {
		if bytes.Contains(data, []byte("draftmarker")) {
			t.Errorf("%s mentions the draft", name)
		}
	}
	// The marker does show up when drafts are built, so the check above
	// can fail.
	d := sitetest.BuildWith(t, apiSite(t), site.Options{Now: sitetest.Now, Drafts: true})
	doc := apiFile(t, d.Site, "notices/draftmarker-notice.json")
	assertEqual(t, "draft", doc["draft"], true)
	if !strings.Contains(d.File("api/v1/tags.json"), "draftmarker-tag") {
		t.Error("with drafts, tags.json lacks the draft's tag")
	}
}

// The API holds the site's content only: nothing of the feedback settings (a
// database password, a notify command) leaks into it.
func TestAPIHasNothingFromFeedback(t *testing.T) {
	r := sitetest.Build(t, apiSite(t))
	if len(apiFiles(r.Site)) == 0 {
		t.Fatal("no API documents")
	}
	for name, data := range r.Site.Files {
		if strings.HasPrefix(name, "api/") && bytes.Contains(data, []byte("feedbackmarker")) {
			t.Errorf("%s contains a feedback setting", name)
		}
	}
}

// Two builds write byte-identical API documents, indented with two spaces and
// ending in a newline.
func TestAPIDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(t *testing.T) *site.Site
	}{
		{"fixture", func(t *testing.T) *site.Site { return sitetest.Build(t, apiSite(t)).Site }},
		{"demo", buildDemo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := apiFiles(tc.build(t)), apiFiles(tc.build(t))
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("%d and %d documents", len(a), len(b))
			}
			for p, data := range a {
				if !bytes.Equal(data, b[p]) {
					t.Errorf("%s differs between two builds", p)
				}
				if !bytes.HasPrefix(data, []byte("{\n  \"")) || !bytes.HasSuffix(data, []byte("}\n")) {
					t.Errorf("%s is not indented JSON ending in a newline: %.40q", p, data)
				}
			}
		})
	}
}

// buildDemo builds the repository's own demo site at sitetest.Now.
func buildDemo(t *testing.T) *site.Site {
	t.Helper()
	s, err := site.Build(lobby.Demo(), lobby.Theme(), site.Options{Now: sitetest.Now})
	if err != nil {
		t.Fatalf("build the demo site:\n%v", err)
	}
	return s
}

// apiSchemas compiles the schemas the build wrote to api/v1/schema/, by
// name ("page" for page.schema.json).
func apiSchemas(t *testing.T, s *site.Site) map[string]*jsonschema.Schema {
	t.Helper()
	const base = "https://example.org/api/v1/schema/"
	names := []string{"site", "section", "page", "tags"}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, n := range names {
		file := "api/v1/schema/" + n + ".schema.json"
		data, ok := s.Files[file]
		if !ok {
			t.Fatalf("no %s", file)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(base+n+".schema.json", doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		sch, err := c.Compile(base + n + ".schema.json")
		if err != nil {
			t.Fatalf("compile %s.schema.json: %v", n, err)
		}
		out[n] = sch
	}
	return out
}

// schemaOf names the schema of the API document at name, given the names
// of the sections.
func schemaOf(name string, sections map[string]bool) string {
	rel := strings.TrimSuffix(strings.TrimPrefix(name, "api/v1/"), ".json")
	switch {
	case rel == "site":
		return "site"
	case rel == "tags":
		return "tags"
	case sections[rel]:
		return "section"
	}
	return "page"
}

// validateAPI validates every API document of s against its schema and
// returns how many documents it checked against each.
func validateAPI(t *testing.T, s *site.Site) map[string]int {
	t.Helper()
	schemas := apiSchemas(t, s)
	sections := map[string]bool{}
	for _, sec := range entries(t, map[string]any{"pages": apiFile(t, s, "site.json")["sections"]}) {
		sections[sec["name"].(string)] = true
	}
	counts := map[string]int{}
	for name, data := range apiFiles(s) {
		kind := schemaOf(name, sections)
		counts[kind]++
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := schemas[kind].Validate(inst); err != nil {
			t.Errorf("%s does not match %s.schema.json:\n%v", name, kind, err)
		}
	}
	return counts
}

// wantCounts is how many documents of each schema s should have: one per
// section, one per page that a section lists or that sits at the top of
// content/, and one site.json and tags.json.
func wantCounts(t *testing.T, s *site.Site) map[string]int {
	t.Helper()
	doc := apiFile(t, s, "site.json")
	secs := entries(t, map[string]any{"pages": doc["sections"]})
	want := map[string]int{"site": 1, "tags": 1, "section": len(secs), "page": len(doc["pages"].([]any))}
	for _, sec := range secs {
		want["page"] += int(sec["count"].(float64))
	}
	for k, n := range want {
		if n == 0 {
			delete(want, k)
		}
	}
	return want
}

// Every API document of the demo site matches its schema, and every page of
// the demo's sections has a document.
func TestAPIDemoMatchesSchemas(t *testing.T) {
	s := buildDemo(t)
	got := validateAPI(t, s)
	assertEqual(t, "documents per schema", got, wantCounts(t, s))
	var missing []string
	for _, p := range s.Pages {
		if p.Kind != site.KindPage {
			continue
		}
		name := "api/v1/" + strings.Trim(p.URL, "/") + ".json"
		if _, ok := s.Files[name]; !ok {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("pages without an API document: %v", missing)
	}
}

// The API documents of fixture sites match their schemas: a site of every
// section, the same with drafts, nested sections and an empty site.
func TestAPIFixturesMatchSchemas(t *testing.T) {
	for _, tc := range []struct {
		name    string
		archive string
		opts    site.Options
	}{
		{"every section", apiSite(t), site.Options{Now: sitetest.Now}},
		{"with drafts", apiSite(t), site.Options{Now: sitetest.Now, Drafts: true}},
		{"nested handbook", sectionsSite, site.Options{Now: sitetest.Now}},
		{"empty", config, site.Options{Now: sitetest.Now}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sitetest.BuildWith(t, tc.archive, tc.opts).Site
			assertEqual(t, "documents per schema", validateAPI(t, s), wantCounts(t, s))
		})
	}
}

// The schemas are strict enough to catch the mistakes a change to the API
// could make.
func TestAPISchemasRejectMistakes(t *testing.T) {
	s := sitetest.Build(t, apiSite(t)).Site
	schemas := apiSchemas(t, s)
	for _, tc := range []struct {
		name, file, schema string
		edit               func(doc map[string]any)
	}{
		{"unknown page field", "notices/water.json", "page", func(d map[string]any) { d["colour"] = "red" }},
		{"missing url", "notices/water.json", "page", func(d map[string]any) { delete(d, "url") }},
		{"missing html", "notices/water.json", "page", func(d map[string]any) { delete(d, "html") }},
		{"date without offset", "notices/water.json", "page", func(d map[string]any) { d["date"] = "2026-11-25T00:00:00" }},
		{"date only", "notices/water.json", "page", func(d map[string]any) { d["date"] = "2026-11-25" }},
		{"active and expired", "notices/water.json", "page", func(d map[string]any) { d["expired"] = true }},
		{"unknown urgency", "notices/water.json", "page", func(d map[string]any) { d["urgency"] = "critical" }},
		{"relative permalink", "notices/water.json", "page", func(d map[string]any) { d["permalink"] = "/notices/water/" }},
		{"chapter outside the handbook", "notices/water.json", "page", func(d map[string]any) { d["kind"] = "section" }},
		{"notice field on an event", "events/gala.json", "page", func(d map[string]any) { d["urgency"] = "info" }},
		{"event without start", "events/gala.json", "page", func(d map[string]any) { delete(d, "start") }},
		{"money as a number", "fees/2026-q3.json", "page", func(d map[string]any) { d["total_income"] = 1200.5 }},
		{"money with one decimal", "fees/2026-q3.json", "page", func(d map[string]any) { d["balance"] = "-99.5" }},
		{"item amount as a number", "fees/2026-q3.json", "page", func(d map[string]any) {
			d["income"].([]any)[0].(map[string]any)["amount"] = 1000.25
		}},
		{"prev as a string", "handbook/safety/fire.json", "page", func(d map[string]any) { d["prev"] = "/handbook/safety/" }},
		{"handbook page without next", "handbook/safety/fire.json", "page", func(d map[string]any) { delete(d, "next") }},
		{"body in a section list", "notices.json", "section", func(d map[string]any) {
			d["pages"].([]any)[0].(map[string]any)["html"] = "<p>x</p>"
		}},
		{"unknown section field", "notices.json", "section", func(d map[string]any) { d["count"] = 4 }},
		{"unknown office field", "site.json", "site", func(d map[string]any) { d["office"].(map[string]any)["phone"] = "1" }},
		{"relative base_url", "site.json", "site", func(d map[string]any) { d["base_url"] = "example.org/" }},
		{"count as a string", "tags.json", "tags", func(d map[string]any) { d["tags"].([]any)[0].(map[string]any)["count"] = "1" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := s.Files["api/v1/"+tc.file]
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := schemas[tc.schema].Validate(inst); err != nil {
				t.Fatalf("%s is invalid before the edit: %v", tc.file, err)
			}
			tc.edit(inst.(map[string]any))
			if err := schemas[tc.schema].Validate(inst); err == nil {
				t.Errorf("%s with %s matches %s.schema.json, want an error", tc.file, tc.name, tc.schema)
			}
		})
	}
}

// A page whose API document would take the name of one of the API's own
// documents, or a file in static/ at such a name, is an error rather than a
// silent overwrite.
func TestAPINameTakenIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/site.md --\n+++\ntitle = \"Site\"\n+++\n")
	assertErrors(t, got, "content/site.md: the API document of /site/ would be api/v1/site.json, the name of the API's site document")
	got = sitetest.BuildE(t, config+"-- static/api/v1/tags.json --\n{}\n")
	assertErrors(t, got, "static/api/v1/tags.json: api/v1/tags.json is the name of the API's tags document")
}

// The schemas are written beside the documents, as they are in the source.
func TestAPIWritesSchemas(t *testing.T) {
	r := sitetest.Build(t, config)
	var got []string
	for _, p := range r.Paths() {
		if strings.HasPrefix(p, "api/v1/schema/") {
			got = append(got, path.Base(p))
		}
	}
	assertEqual(t, "schemas", got, []string{"page.schema.json", "section.schema.json", "site.schema.json", "tags.schema.json"})
	r.AssertFile("api/v1/schema/page.schema.json", `"$schema": "https://json-schema.org/draft/2020-12/schema"`, `"unevaluatedProperties": false`)
}
