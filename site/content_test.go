package site_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

// config is the config.toml most tests start from.
const config = `-- config.toml --
title = "测试小区"
baseURL = "https://example.org/"
language = "zh-CN"
timezone = "Asia/Shanghai"
[office]
name = "物业服务中心"
hotline = "0571-0000-0000"
`

// assertErrors checks that the build's errors are exactly want, in order.
func assertErrors(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %q, want it to start with %q", i, got[i], want[i])
		}
	}
}

// Unknown keys in config.toml are errors naming the key and line.
func TestConfigUnknownKeyIsError(t *testing.T) {
	got := sitetest.BuildE(t, `-- config.toml --
title = "x"
baseURL = "https://example.org/"
[office]
name = "o"
phone = "123"
`)
	assertErrors(t, got, `config.toml:5:1: unknown key "office.phone"`)
}

func TestConfigRequiresTitleAndBaseURL(t *testing.T) {
	got := sitetest.BuildE(t, "-- config.toml --\nlanguage = \"en\"\n")
	assertErrors(t, got, "config.toml: title is required", "config.toml: baseURL is required")
}

func TestConfigBadLanguageAndTimezone(t *testing.T) {
	got := sitetest.BuildE(t, `-- config.toml --
title = "x"
baseURL = "https://example.org/"
language = "fr"
timezone = "Mars/Olympus"
`)
	assertErrors(t, got, `config.toml:3:1: language "fr" is not supported`, `config.toml:4:1: timezone "Mars/Olympus"`)
}

// A typo such as titel never passes silently, in TOML or YAML.
func TestUnknownFrontMatterKeyIsErrorAtLine(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/a.md --
+++
title = "A"
titel = "typo"
+++
body
-- content/b.md --
---
title: B
summery: typo
---
body
`)
	assertErrors(t, got,
		`content/a.md:3:1: unknown front matter key "titel" (did you mean "title"?)`,
		`content/b.md:3:1: unknown front matter key "summery"`)
}

func TestParamsAreFree(t *testing.T) {
	r := sitetest.Build(t, config+`-- content/a.md --
+++
title = "A"
[params]
anything = "goes"
nested = { deep = 1 }
+++
body
`)
	if got := r.Page("/a/").Params["anything"]; got != "goes" {
		t.Errorf("params.anything = %v, want goes", got)
	}
}

// The sections' own keys are known, but only in their section.
func TestSectionKeyOutsideItsSectionIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/events/party.md --
+++
title = "Party"
start = 2026-12-01T18:00:00
urgency = "urgent"
+++
`)
	assertErrors(t, got, `content/events/party.md:4:1: "urgency" is a key of pages in notices/, not here`)
}

func TestMissingTitleIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/a.md --\n+++\ndate = 2026-01-01\n+++\n")
	assertErrors(t, got, "content/a.md:2: title is required")
}

func TestNoFrontMatterIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/a.md --\n# Just markdown\n")
	assertErrors(t, got, "content/a.md:1:1: no front matter")
}

func TestUnclosedFrontMatterIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/a.md --\n+++\ntitle = \"A\"\n")
	assertErrors(t, got, "content/a.md:1:1: front matter is not closed")
}

// TOML errors are reported at the line in the whole file, with the column in
// characters (the decoder counts bytes from the front matter).
func TestTOMLSyntaxErrorAtFileLineAndCharColumn(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/a.md --
+++
tags = ["停水"]
title = "未闭合
+++
`)
	if len(got) != 1 || !strings.HasPrefix(got[0], "content/a.md:3:") {
		t.Fatalf("got %q, want one error at content/a.md:3", got)
	}
	// "title = "未闭合" is 13 characters; a byte column would be 19.
	if strings.HasPrefix(got[0], "content/a.md:3:19") {
		t.Errorf("column counted in bytes: %s", got[0])
	}
}

func TestTOMLTypeErrorAtLine(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/a.md --
+++
title = "A"
tags = "not a list"
+++
`)
	assertErrors(t, got, "content/a.md:3:")
}

func TestYAMLSyntaxErrorAtLine(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/a.md --
---
title: A
tags: [a, b
---
`)
	if len(got) != 1 || !strings.HasPrefix(got[0], "content/a.md:") {
		t.Fatalf("got %q, want one error in content/a.md", got)
	}
}

func TestYAMLFrontMatter(t *testing.T) {
	r := sitetest.Build(t, config+`-- content/notices/a.md --
---
title: 停电通知
date: 2026-11-20
tags: [停电, 电梯]
urgency: important
expires: 2026-12-01T18:00:00
---
正文
`)
	p := r.Page("/notices/a/")
	if p.Title != "停电通知" || len(p.Tags) != 2 || p.Notice.Urgency != "important" {
		t.Errorf("page = %q %v %q", p.Title, p.Tags, p.Notice.Urgency)
	}
	want := time.Date(2026, 12, 1, 18, 0, 0, 0, time.FixedZone("", 8*3600))
	if !p.Notice.Expires.Equal(want) {
		t.Errorf("expires = %v, want %v", p.Notice.Expires, want)
	}
}

// YAML's decoder turns a bad date into a zero time silently; lobby reports it.
func TestYAMLBadDateIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/a.md --\n---\ntitle: A\ndate: next monday\n---\n")
	assertErrors(t, got, "content/a.md:3:")
}

// A BOM before the front matter is stripped.
func TestBOMIsStripped(t *testing.T) {
	r := sitetest.Build(t, config+"-- content/a.md --\n\ufeff+++\ntitle = \"BOM\"\n+++\nbody\n")
	if got := r.Page("/a/").Title; got != "BOM" {
		t.Errorf("title = %q", got)
	}
}

func TestCRLFLineEndings(t *testing.T) {
	r := sitetest.Build(t, config+"-- content/a.md --\n+++\r\ntitle = \"CRLF\"\r\n+++\r\n## 标题\r\n")
	r.AssertFile("a/index.html", `id="标题"`)
}

// Invalid UTF-8 is an error with its position.
func TestInvalidUTF8IsErrorWithPosition(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/a.md --\n+++\ntitle = \"A\"\n+++\n中文\xff\n")
	assertErrors(t, got, "content/a.md:4:3: invalid UTF-8")
}

// Dates without an offset are in the site's time zone, never the build
// machine's.
func TestDatesWithoutOffsetAreInSiteTimezone(t *testing.T) {
	r := sitetest.Build(t, config+`-- content/a.md --
+++
title = "A"
date = 2026-03-01
lastmod = 2026-03-01T23:30:00
publishDate = "2026-03-01 08:00"
+++
`)
	p := r.Page("/a/")
	shanghai := time.FixedZone("", 8*3600)
	for _, tc := range []struct {
		name      string
		got, want time.Time
	}{
		{"date", p.Date, time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai)},
		{"lastmod", p.Lastmod, time.Date(2026, 3, 1, 23, 30, 0, 0, shanghai)},
		{"publishDate", p.PublishDate, time.Date(2026, 3, 1, 8, 0, 0, 0, shanghai)},
	} {
		if !tc.got.Equal(tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestDateWithOffsetKeepsIt(t *testing.T) {
	r := sitetest.Build(t, config+"-- content/a.md --\n+++\ntitle = \"A\"\ndate = 2026-03-01T12:00:00Z\n+++\n")
	want := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if got := r.Page("/a/").Date; !got.Equal(want) {
		t.Errorf("date = %v, want %v", got, want)
	}
}

const publishing = config + `-- content/draft.md --
+++
title = "Draft"
draft = true
+++
-- content/future.md --
+++
title = "Future"
publishDate = 2026-12-25T00:00:00+08:00
+++
-- content/future-date.md --
+++
title = "Future by date"
date = 2027-01-01
+++
-- content/expired.md --
+++
title = "Expired"
expiryDate = 2026-11-01
+++
-- content/live.md --
+++
title = "Live"
date = 2026-11-01
expiryDate = 2027-01-01
+++
`

// Drafts, future and expired pages are left out unless asked for, judged at
// --now.
func TestPublishingFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts site.Options
		want map[string]bool
	}{
		{"default", site.Options{Now: sitetest.Now}, map[string]bool{"draft": false, "future": false, "future-date": false, "expired": false, "live": true}},
		{"drafts", site.Options{Now: sitetest.Now, Drafts: true}, map[string]bool{"draft": true, "future": false}},
		{"future", site.Options{Now: sitetest.Now, Future: true}, map[string]bool{"future": true, "future-date": true, "draft": false}},
		{"expired", site.Options{Now: sitetest.Now, Expired: true}, map[string]bool{"expired": true}},
		{"later now", site.Options{Now: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}, map[string]bool{"future": true, "future-date": true, "live": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := sitetest.BuildWith(t, publishing, tc.opts)
			for slug, want := range tc.want {
				if got := r.Exists(slug + "/index.html"); got != want {
					t.Errorf("%s/index.html exists = %v, want %v", slug, got, want)
				}
			}
		})
	}
}

// Slugs come from the slug key or the file name without a date prefix;
// non-ASCII slugs are allowed.
func TestSlugsAndURLs(t *testing.T) {
	r := sitetest.Build(t, config+`-- content/notices/2026-11-25-water-shutoff.md --
+++
title = "停水通知"
+++
-- content/notices/custom.md --
+++
title = "Custom"
slug = "My Slug!"
+++
-- content/handbook/safety/消防安全.md --
+++
title = "消防安全"
+++
-- content/about.md --
+++
title = "About"
+++
`)
	for _, u := range []string{"/notices/water-shutoff/", "/notices/my-slug/", "/handbook/safety/消防安全/", "/about/", "/handbook/safety/", "/handbook/"} {
		r.Page(u)
	}
	r.AssertFile("notices/water-shutoff/index.html", "停水通知")
	r.AssertFile("handbook/safety/消防安全/index.html", "消防安全")
}

func TestSlugWithPathIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+"-- content/a.md --\n+++\ntitle = \"A\"\nslug = \"../../x\"\n+++\n")
	assertErrors(t, got, `content/a.md:3:1: slug "../../x" must be one path element`)
}

// Two pages with one URL are an error naming both files.
func TestDuplicateURLNamesBothFiles(t *testing.T) {
	for _, tc := range []struct{ name, archive, want string }{
		{"case", "-- content/About.md --\n+++\ntitle = \"A\"\n+++\n-- content/about.md --\n+++\ntitle = \"B\"\n+++\n",
			"content/about.md: URL /about/ is also the URL of content/About.md"},
		{"slug", "-- content/a.md --\n+++\ntitle = \"A\"\nslug = \"same\"\n+++\n-- content/b.md --\n+++\ntitle = \"B\"\nslug = \"same\"\n+++\n",
			"content/b.md: URL /same/ is also the URL of content/a.md"},
		{"date prefix", "-- content/n/2026-01-01-x.md --\n+++\ntitle = \"A\"\n+++\n-- content/n/x.md --\n+++\ntitle = \"B\"\n+++\n",
			"content/n/x.md: URL /n/x/ is also the URL of content/n/2026-01-01-x.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertErrors(t, sitetest.BuildE(t, config+tc.archive), tc.want)
		})
	}
}

// Tags that differ but share a URL are an error naming both files.
func TestTagsWithOneURLAreError(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/a.md --
+++
title = "A"
tags = ["a,b"]
+++
-- content/b.md --
+++
title = "B"
tags = ["a;b"]
+++
`)
	assertErrors(t, got, `content/b.md: tag "a;b" has the same URL /tags/a-b/ as tag "a,b" of content/a.md`)
}

// Every content error is reported, sorted by file and line.
func TestAllErrorsReportedSorted(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/b.md --
+++
title = "B"
bogus = 1
+++
[x](/nowhere/)
-- content/a.md --
+++
titel = "A"
+++
`)
	assertErrors(t, got,
		`content/a.md:2: title is required`,
		`content/a.md:2:1: unknown front matter key "titel"`,
		`content/b.md:3:1: unknown front matter key "bogus"`,
		`content/b.md:5:1: link to /nowhere/: no such page or file`)
}
