package site_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/site/sitetest"
)

// bareSite has a page in every section lobby knows and no _index.md at all.
const bareSite = `-- content/notices/water.md --
+++
title = "停水通知"
date = 2026-11-25
+++
-- content/events/fair.md --
+++
title = "邻里市集"
start = 2026-12-20T15:00:00
+++
-- content/newsletters/issue-1.md --
+++
title = "第一期"
date = 2026-11-01
issue = 1
+++
-- content/fees/2026-q3.md --
+++
title = "2026年第三季度收支"
date = 2026-10-10
period = "2026-Q3"
total_income = "10"
total_expense = "0"
[[income]]
item = "物业费"
amount = "10"
+++
-- content/handbook/repairs.md --
+++
title = "报修"
tags = ["维修"]
+++
`

// A site without _index.md pages names the sections lobby knows in its
// own language, from the theme's UI strings, wherever a section's name
// shows: the menu, the section's heading, breadcrumbs, the home page, the
// content API and the labels of search results.
func TestBuiltInSectionNamesFollowSiteLanguage(t *testing.T) {
	names := map[string]map[string]string{
		"zh-CN": {"notices": "通知公告", "events": "社区活动", "newsletters": "社区简报", "fees": "财务公开", "handbook": "住户手册"},
		"en":    {"notices": "Notices", "events": "Events", "newsletters": "Newsletters", "fees": "Fees", "handbook": "Handbook"},
	}
	for lang, want := range names {
		t.Run(lang, func(t *testing.T) {
			r := sitetest.Build(t, strings.Replace(config, `language = "zh-CN"`, `language = "`+lang+`"`, 1)+bareSite)
			for sec, name := range want {
				r.AssertFile("index.html", ">"+name+"</a></li>") // the menu
				r.AssertFile(sec+"/index.html", "<h1>"+name+"</h1>")
				var doc struct{ Title string }
				if err := json.Unmarshal([]byte(r.File("api/v1/"+sec+".json")), &doc); err != nil {
					t.Fatal(err)
				}
				if doc.Title != name {
					t.Errorf("api/v1/%s.json title = %q, want %q", sec, doc.Title, name)
				}
			}
			r.AssertFile("notices/water/index.html", `<li><a href="/notices/">`+want["notices"]+`</a></li>`) // breadcrumbs
			var siteDoc struct {
				Sections []struct{ Name, Title string }
			}
			if err := json.Unmarshal([]byte(r.File("api/v1/site.json")), &siteDoc); err != nil {
				t.Fatal(err)
			}
			for _, s := range siteDoc.Sections {
				if s.Title != want[s.Name] {
					t.Errorf("site.json: section %s is titled %q, want %q", s.Name, s.Title, want[s.Name])
				}
			}
			if lang == "zh-CN" {
				r.AssertFile("index.html", "最新一期《社区简报》")
				r.AssertFile("tags/维修/index.html", "! >Tags</a>", ">全部标签</a></li>") // breadcrumbs
				for _, english := range []string{"Notices", "Events", "Newsletters", "Fees", "Handbook", "Tags"} {
					r.AssertFile("index.html", "! >"+english+"<")
				}
			}
			res := &search.Result{Query: "停水", Total: 2, Hits: []search.Hit{
				{URL: "/notices/water/", Title: "停水通知", Section: "notices"},
				{URL: "/handbook/repairs/", Title: "报修", Section: "handbook"},
			}}
			page, err := r.Site.RenderPage("search", "/search", struct {
				*search.Result
				Error      string
				Prev, Next string
			}{Result: res})
			if err != nil {
				t.Fatal(err)
			}
			for _, sec := range []string{"notices", "handbook"} {
				if label := `<span class="label label-section">` + want[sec] + `</span>`; !strings.Contains(string(page), label) {
					t.Errorf("the search page lacks the label %s", label)
				}
			}
		})
	}
}
