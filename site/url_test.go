package site_test

import (
	"testing"

	"github.com/lobby-community/lobby/site/sitetest"
)

const subpathSite = `-- config.toml --
title = "翠湖"
baseURL = "https://example.org/cuihu/"
-- content/handbook/_index.md --
+++
title = "手册"
+++
-- content/handbook/repairs.md --
+++
title = "报修流程"
weight = 1
aliases = ["/old/repairs/"]
tags = ["维修"]
+++
## 步骤

见[收费](/handbook/fees/#减免)、[本页](#步骤)、[同级](fees.md)和[相对](../fees/)。

![图](/images/a.png)
-- content/handbook/fees.md --
+++
title = "收费"
weight = 2
+++
## 减免
-- static/images/a.png --
png
`

// A site published under a path writes every link below it: pages,
// links that staff write from the site's root in Markdown, assets, the
// server's endpoints, aliases and the content API; a same-page link stays.
func TestSubPathPrefixesEveryLink(t *testing.T) {
	r := sitetest.Build(t, subpathSite)
	r.AssertFile("handbook/repairs/index.html",
		`href="/cuihu/handbook/fees/#%E5%87%8F%E5%85%8D"`, `href="#%E6%AD%A5%E9%AA%A4"`, `href="/cuihu/handbook/fees/"`,
		`src="/cuihu/images/a.png"`, `href="/cuihu/assets/lobby.`, `src="/cuihu/assets/lobby.`,
		`action="/cuihu/search" method="get" data-search-api="/cuihu/api/v1/search"`,
		`href="/cuihu/feedback/status"`, `href="/cuihu/tags/%e7%bb%b4%e4%bf%ae/"`, `<a class="site-title" href="/cuihu/">`,
		`href="/cuihu/handbook/"`, `rel="canonical" href="https://example.org/cuihu/handbook/repairs/"`,
		`! href="/handbook`, `! src="/assets`, `! action="/search"`)
	r.AssertFile("feedback/index.html", `action="/cuihu/api/v1/feedback"`)
	r.AssertFile("old/repairs/index.html", `url=/cuihu/handbook/repairs/"`, `href="/cuihu/handbook/repairs/"`)
	r.AssertFile("api/v1/handbook/repairs.json", `"url": "/cuihu/handbook/repairs/"`, `"api": "/cuihu/api/v1/handbook/repairs.json"`,
		`"path": "handbook/repairs"`, `"permalink": "https://example.org/cuihu/handbook/repairs/"`)
	r.AssertFile("sitemap.xml", "<loc>https://example.org/cuihu/handbook/repairs/</loc>")
	if p := r.Page("/handbook/repairs/"); p.RelPermalink != "/cuihu/handbook/repairs/" {
		t.Errorf("RelPermalink = %q", p.RelPermalink)
	}
}

// A link that staff write with the base path in it would get it twice:
// links from "/" start at the site's root, and the checker says so.
func TestLinkWithBasePathIsAnError(t *testing.T) {
	got := sitetest.BuildE(t, subpathSite+`-- content/handbook/wrong.md --
+++
title = "错"
+++
见[报修](/cuihu/handbook/repairs/)。
`)
	assertErrors(t, got, "content/handbook/wrong.md:4:2: link to /cuihu/handbook/repairs/: no such page or file (a link that starts with / starts at the site's root: write /handbook/repairs/)")
}

// A base URL is a host and a path: a query or a fragment could not be
// published under, and is an error at its line.
func TestBaseURLWithQueryIsAnError(t *testing.T) {
	got := sitetest.BuildE(t, "-- config.toml --\ntitle = \"x\"\nbaseURL = \"https://example.org/cuihu/?x=1\"\n")
	assertErrors(t, got, `config.toml:2:1: baseURL "https://example.org/cuihu/?x=1" has more than a host and a path`)
}
