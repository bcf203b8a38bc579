package site_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

const sectionsSite = config + `-- content/_index.md --
+++
title = "欢迎回家"
+++
首页介绍
-- content/handbook/_index.md --
+++
title = "业主手册"
+++
-- content/handbook/safety/_index.md --
+++
title = "消防安全"
weight = 2
+++
-- content/handbook/safety/fire.md --
+++
title = "火灾逃生"
weight = 1
+++
## 逃生路线
-- content/handbook/overview.md --
+++
title = "小区概况"
weight = 1
+++
-- content/handbook/pets.md --
+++
title = "文明养犬"
weight = 3
+++
`

// Sections nest by folder; a folder without _index.md gets a section page too.
func TestSectionsNestByFolder(t *testing.T) {
	r := sitetest.Build(t, sectionsSite+`-- content/handbook/waste/sorting.md --
+++
title = "垃圾分类"
+++
`)
	hb := r.Page("/handbook/")
	if len(hb.Sections) != 2 || hb.Sections[0].URL != "/handbook/safety/" {
		t.Errorf("handbook sections = %v", urls(hb.Sections))
	}
	if got := r.Page("/handbook/safety/fire/").Parent.URL; got != "/handbook/safety/" {
		t.Errorf("fire's parent = %s", got)
	}
	if got := r.Page("/handbook/waste/").Parent.URL; got != "/handbook/" {
		t.Errorf("waste's parent = %s", got)
	}
	r.AssertFile("handbook/safety/index.html", "消防安全", `href="/handbook/safety/fire/"`)
	if a := r.Page("/handbook/safety/fire/").Ancestors(); len(a) != 3 || a[0].URL != "/" {
		t.Errorf("ancestors = %v", urls(a))
	}
}

// Handbook pages read in weight order across chapters.
func TestHandbookReadingOrder(t *testing.T) {
	r := sitetest.Build(t, sectionsSite)
	var got []string
	for p := r.Page("/handbook/overview/"); p != nil; p = p.Next {
		got = append(got, p.URL)
	}
	want := []string{"/handbook/overview/", "/handbook/safety/", "/handbook/safety/fire/", "/handbook/pets/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("reading order = %v, want %v", got, want)
	}
}

func urls(pages []*site.Page) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.URL)
	}
	return out
}

// Section lists paginate at <section>/page/N/.
func TestSectionListsPaginate(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Replace(config, "[office]", "paginate = 2\n[office]", 1))
	for _, d := range []string{"01", "02", "03", "04", "05"} {
		b.WriteString("-- content/newsletters/n" + d + ".md --\n+++\ntitle = \"第" + d + "期\"\ndate = 2026-01-" + d + "\n+++\n")
	}
	r := sitetest.Build(t, b.String())
	r.AssertFile("newsletters/index.html", "第05期", "第04期", "! 第03期", `href="/newsletters/page/2/"`)
	r.AssertFile("newsletters/page/2/index.html", "第03期", "第02期", "! 第05期")
	r.AssertFile("newsletters/page/3/index.html", "第01期")
	if r.Exists("newsletters/page/4/index.html") {
		t.Error("page 4 exists")
	}
	r.AssertFile("newsletters/page/2/index.html", `aria-current="page" aria-label="第 2 页">2</a>`, `href="/newsletters/page/3/"`, "! pagination-gap")

	// A long list shows a window of page numbers with gaps.
	b.Reset()
	b.WriteString(strings.Replace(config, "[office]", "paginate = 1\n[office]", 1))
	for _, d := range []string{"01", "02", "03", "04", "05", "06", "07", "08"} {
		b.WriteString("-- content/newsletters/n" + d + ".md --\n+++\ntitle = \"第" + d + "期\"\ndate = 2026-01-" + d + "\n+++\n")
	}
	r = sitetest.Build(t, b.String())
	r.AssertFile("newsletters/index.html", `href="/newsletters/page/3/"`, `href="/newsletters/page/8/"`, `! href="/newsletters/page/4/"`, `pagination-gap`)
	r.AssertFile("newsletters/page/5/index.html", `href="/newsletters/"`, `href="/newsletters/page/3/"`, `! href="/newsletters/page/2/"`, `href="/newsletters/page/7/"`)
}

// Tag pages list their pages.
func TestTagPages(t *testing.T) {
	r := sitetest.Build(t, config+`-- content/notices/a.md --
+++
title = "停水通知"
tags = ["停水", "Water Supply"]
+++
-- content/handbook/b.md --
+++
title = "Other"
tags = ["停水"]
+++
`)
	// html/template writes non-ASCII URLs percent-encoded.
	const tingshui = "/tags/%e5%81%9c%e6%b0%b4/"
	r.AssertFile("tags/停水/index.html", "停水通知", `href="/handbook/b/"`)
	r.AssertFile("tags/water-supply/index.html", "停水通知", `! href="/handbook/b/"`)
	r.AssertFile("tags/index.html", `href="`+tingshui+`"`, `href="/tags/water-supply/"`)
	r.AssertFile("notices/a/index.html", `href="`+tingshui+`"`)
}

// /sitemap.xml lists every page with its absolute URL.
func TestSitemapHasAbsoluteURLs(t *testing.T) {
	r := sitetest.Build(t, sectionsSite)
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(r.File("sitemap.xml")), &set); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, u := range set.URLs {
		have[u.Loc] = true
		if !strings.HasPrefix(u.Loc, "https://example.org/") {
			t.Errorf("sitemap URL %q is not absolute", u.Loc)
		}
	}
	for _, want := range []string{"https://example.org/", "https://example.org/handbook/safety/fire/"} {
		if !have[want] {
			t.Errorf("sitemap lacks %s", want)
		}
	}
}

// Every site has /404.html, /feedback/ and /feedback/thanks/.
func TestSpecialPages(t *testing.T) {
	r := sitetest.Build(t, config)
	r.AssertFile("404.html", `action="/search"`)
	r.AssertFile("feedback/index.html", `action="/api/v1/feedback"`, `name="message"`, `name="website"`)
	r.AssertFile("feedback/thanks/index.html", "<html")
}

// Every page carries the office contact card and a search box.
func TestEveryPageHasContactAndSearch(t *testing.T) {
	r := sitetest.Build(t, sectionsSite)
	for _, p := range []string{"index.html", "handbook/index.html", "handbook/safety/fire/index.html", "404.html"} {
		r.AssertFile(p, "0571-0000-0000", `href="tel:057100000000"`, `action="/search" method="get"`, `name="q"`, `<html lang="zh-CN"`)
	}
}

// UI strings follow the site's language.
func TestEnglishUIStrings(t *testing.T) {
	zh := sitetest.Build(t, sectionsSite)
	en := sitetest.Build(t, strings.Replace(sectionsSite, `language = "zh-CN"`, `language = "en"`, 1))
	en.AssertFile("index.html", `<html lang="en"`)
	if zh.File("404.html") == en.File("404.html") {
		t.Error("the 404 page is the same in zh-CN and en")
	}
}

// Theme assets are fingerprinted and linked.
func TestAssetsAreFingerprinted(t *testing.T) {
	r := sitetest.Build(t, config)
	css := r.Site.View.Asset("lobby.css")
	if !strings.HasPrefix(css, "/assets/lobby.") || css == "/assets/lobby.css" {
		t.Fatalf("asset URL = %q", css)
	}
	r.AssertFile(css, "")
	r.AssertFile("index.html", css)
}

// A site's layouts/ overrides the theme file by file.
func TestSiteLayoutOverridesThemeFileByFile(t *testing.T) {
	r := sitetest.Build(t, sectionsSite+`-- content/about.md --
+++
title = "关于我们"
+++
-- layouts/single.html --
{{define "main"}}<p class="mine">{{.Page.Title}}</p>{{end}}
-- layouts/partials/contact.html --
<p>OUR OWN CONTACT</p>
`)
	r.AssertFile("about/index.html", `<p class="mine">关于我们</p>`, "OUR OWN CONTACT")
	r.AssertFile("index.html", "OUR OWN CONTACT", "首页介绍") // home.html still from the theme
}

// A template error names the template file:line and the page.
func TestTemplateErrorNamesFileLineAndPage(t *testing.T) {
	got := sitetest.BuildE(t, sectionsSite+`-- content/about.md --
+++
title = "关于我们"
+++
-- layouts/single.html --
{{define "main"}}
<p>{{.Page.NoSuchField}}</p>
{{end}}
`)
	if len(got) != 1 || !strings.HasPrefix(got[0], "layouts/single.html:2:") || !strings.Contains(got[0], "content/about.md") {
		t.Errorf("got %q, want layouts/single.html:2: … (rendering content/about.md)", got)
	}
	got = sitetest.BuildE(t, sectionsSite+"-- layouts/list.html --\n{{define \"main\"}}\n{{if}}\n{{end}}\n")
	if len(got) != 1 || !strings.HasPrefix(got[0], "layouts/list.html:2:") {
		t.Errorf("parse error = %q, want layouts/list.html:2: …", got)
	}
}

// Two builds of the same input are byte-identical.
func TestBuildsAreDeterministic(t *testing.T) {
	a := sitetest.Build(t, sectionsSite)
	b := sitetest.Build(t, sectionsSite)
	if len(a.Site.Files) != len(b.Site.Files) {
		t.Fatalf("%d files, then %d", len(a.Site.Files), len(b.Site.Files))
	}
	for name, data := range a.Site.Files {
		if !bytes.Equal(data, b.Site.Files[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// The demo site in the repository builds without errors.
func TestDemoSiteBuilds(t *testing.T) {
	s, err := site.Build(lobby.Demo(), lobby.Theme(), site.Options{Now: sitetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, p := range s.Pages {
		if p.IsPage() {
			count++
		}
	}
	if count < 30 {
		t.Errorf("demo site has %d pages, want at least 30", count)
	}
	for _, sec := range []string{"notices", "events", "newsletters", "fees", "handbook"} {
		if _, ok := s.Files[sec+"/index.html"]; !ok {
			t.Errorf("demo site has no %s/ section", sec)
		}
	}
}

// A theme without the template a page needs is an error naming the template,
// not a blank page.
func TestMissingTemplateIsError(t *testing.T) {
	theme := fstest.MapFS{
		"baseof.html": {Data: []byte(`<html>{{block "main" .}}{{end}}</html>`)},
		"home.html":   {Data: []byte(`{{define "main"}}home{{end}}`)},
	}
	_, err := site.Build(sitetest.FS(sectionsSite), theme, site.Options{Now: sitetest.Now})
	if err == nil || !strings.Contains(err.Error(), "layouts/handbook/list.html: missing template (needed for content/handbook/_index.md)") {
		t.Errorf("err = %v, want a missing template error", err)
	}
}

// A huge content file is refused with a clear error rather than read into
// memory.
func TestHugeFileIsError(t *testing.T) {
	fsys := sitetest.FS(config)
	fsys["content/huge.md"] = &fstest.MapFile{Data: append([]byte("+++\ntitle = \"huge\"\n+++\n"), bytes.Repeat([]byte("停水"), 5<<20)...)}
	_, err := site.Build(fsys, lobby.Theme(), site.Options{Now: sitetest.Now})
	if err == nil || !strings.Contains(err.Error(), "content/huge.md: file too large") {
		t.Errorf("err = %v, want a file-too-large error", err)
	}
}

// cached executes a partial once per build and keys: pages with equal keys
// share its output, pages with other keys get their own, and the partial is
// overridable like any other.
func TestCachedPartial(t *testing.T) {
	r := sitetest.Build(t, sectionsSite+`-- content/notices/a.md --
+++
title = "通知甲"
date = 2026-11-01
+++
-- content/events/b.md --
+++
title = "活动乙"
date = 2026-11-02
start = 2026-12-01T10:00:00+08:00
+++
-- layouts/partials/where.html --
<p class="where">section={{.Page.Section}}</p>
-- layouts/partials/title.html --
<p class="title">{{.Page.Title}}</p>
-- layouts/notices/single.html --
{{define "main"}}{{cached "partials/where.html" . .Page.Section}}{{cached "partials/title.html" . "通知" "甲"}}{{end}}
-- layouts/events/single.html --
{{define "main"}}{{cached "partials/where.html" . .Page.Section}}{{cached "partials/title.html" . "通知甲" ""}}{{end}}
`)
	r.AssertFile("notices/a/index.html", `<p class="where">section=notices</p>`)
	r.AssertFile("events/b/index.html", `<p class="where">section=events</p>`)
	// Keys that join into the same text are still different keys.
	r.AssertFile("notices/a/index.html", `<p class="title">通知甲</p>`)
	r.AssertFile("events/b/index.html", `<p class="title">活动乙</p>`)

	got := sitetest.BuildE(t, sectionsSite+"-- layouts/partials/header.html --\n{{cached \"single.html\" .}}\n")
	if len(got) == 0 || !strings.Contains(got[0], `"single.html" is not a partial`) {
		t.Errorf("cached of a layout: %q", got)
	}
}
