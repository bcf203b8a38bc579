package site_test

import (
	"strings"
	"testing"

	"github.com/lobby-community/lobby/site/sitetest"
)

// page wraps a Markdown body in a page at /p/.
func page(body string) string {
	return config + "-- content/p.md --\n+++\ntitle = \"P\"\n+++\n" + body
}

// Heading IDs keep Chinese.
func TestHeadingIDsKeepChinese(t *testing.T) {
	r := sitetest.Build(t, page("## 物业管理费\n\n## Parking 停车\n\n## 物业管理费\n\n## 费用 {#custom}\n"))
	r.AssertFile("p/index.html",
		`<h2 id="物业管理费">物业管理费</h2>`,
		`<h2 id="parking-停车">`,
		`<h2 id="物业管理费-1">`,
		`<h2 id="custom">`,
		`! id="heading`)
}

// A table of contents from the AST.
func TestTableOfContents(t *testing.T) {
	r := sitetest.Build(t, page("# Top\n\n## 第一章 *强调*\n\n### 1.1 `代码`\n\n##### too deep\n"))
	toc := r.Page("/p/").TOC
	if len(toc) != 2 || toc[0].Text != "第一章 强调" || toc[0].ID != "第一章-强调" || toc[1].Level != 3 || toc[1].Text != "1.1 代码" {
		t.Errorf("toc = %+v", toc)
	}
}

// GFM tables, strikethrough, autolinks, task lists, and footnotes.
func TestGFMAndFootnotes(t *testing.T) {
	r := sitetest.Build(t, page(`| 项目 | 金额 |
|---|---|
| 保洁 | 100 |

~~作废~~ 见 https://example.org/x

- [x] 已完成
- [ ] 未完成

正文[^1]

[^1]: 脚注内容
`))
	r.AssertFile("p/index.html",
		"<table>", "<td>保洁</td>",
		"<del>作废</del>",
		`<a href="https://example.org/x">`,
		`<input checked="" disabled="" type="checkbox" aria-label="已完成">`, `<input disabled="" type="checkbox" aria-label="未完成">`,
		`class="footnote-ref"`, "脚注内容")
}

// CJK line breaks are dropped between Chinese lines.
func TestCJKSoftLineBreaks(t *testing.T) {
	r := sitetest.Build(t, page("第一行中文\n第二行中文\n"))
	r.AssertFile("p/index.html", "第一行中文第二行中文")
}

// Chinese emphasis that CommonMark gets wrong renders as bold.
func TestChineseEmphasis(t *testing.T) {
	r := sitetest.Build(t, page("**重要通知：**请按时缴费\n\n**English** stays *the same*.\n"))
	r.AssertFile("p/index.html",
		"<strong>重要通知：</strong>请按时缴费",
		"<strong>English</strong> stays <em>the same</em>.")
}

// Raw HTML is escaped unless markup.unsafe = true.
func TestRawHTMLOmittedUnlessUnsafe(t *testing.T) {
	body := "<script>alert(1)</script>\n\n<b>bold</b>\n"
	r := sitetest.Build(t, page(body))
	r.AssertFile("p/index.html", "<!-- raw HTML omitted -->", "! <script>alert(1)", "! <b>bold</b>")

	unsafe := strings.Replace(page(body), "[office]", "[markup]\nunsafe = true\n[office]", 1)
	r = sitetest.Build(t, unsafe)
	r.AssertFile("p/index.html", "<b>bold</b>")
}

// Dangerous link schemes are dropped.
func TestDangerousLinksDropped(t *testing.T) {
	r := sitetest.Build(t, page("[x](javascript:alert(1)) [y](vbscript:x) ![z](data:image/svg+xml;base64,PHN2Zz4=)\n"))
	r.AssertFile("p/index.html", "! javascript:", "! vbscript:", "! data:image/svg", `<a href="">x</a>`)
}

// Links to .md files become page URLs.
func TestMarkdownFileLinksBecomeURLs(t *testing.T) {
	r := sitetest.Build(t, config+`-- content/handbook/fees.md --
+++
title = "Fees"
+++
## 缴费方式
-- content/handbook/parking.md --
+++
title = "Parking"
+++
See [fees](fees.md#缴费方式), [home](/), [abs](/handbook/fees/), [rel](../fees/) and [self](#top).

## Top {#top}
`)
	r.AssertFile("handbook/parking/index.html",
		`<a href="/handbook/fees/#%E7%BC%B4%E8%B4%B9%E6%96%B9%E5%BC%8F">fees</a>`,
		`<a href="/">home</a>`, `<a href="/handbook/fees/">rel</a>`, `<a href="#top">self</a>`)
}

// A link to nothing is an error at its file:line:col.
func TestBrokenLinksAreErrorsAtFileLine(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/a.md --
+++
title = "A"
+++
## 有的标题

第一段 [missing](/missing/) 和 [文件](nope.md).

[anchor](#no-such-heading) and [ok](#有的标题)

  ![img](/img/none.png)
-- content/b.md --
+++
title = "B"
+++
[other anchor](/a/#nope) [fine](/a/#有的标题) [static](/logo.png) [ext](https://example.org/nothing)
-- static/logo.png --
png
`)
	assertErrors(t, got,
		"content/a.md:6:5: link to /missing/: no such page or file",
		"content/a.md:6:28: link to content/nope.md: no such content file",
		`content/a.md:8:1: link to /a/#no-such-heading: content/a.md has no heading with id "no-such-heading"`,
		"content/a.md:10:3: link to /img/none.png: no such page or file",
		`content/b.md:4:1: link to /a/#nope: content/a.md has no heading with id "nope"`)
}

// The plain text of a page, for search and the API.
func TestPlainTextAndSummary(t *testing.T) {
	r := sitetest.Build(t, page("# 标题\n\n第一段**加粗**文字。\n\n- 列表项\n"))
	p := r.Page("/p/")
	if p.Text != "标题 第一段加粗文字。 列表项" {
		t.Errorf("text = %q", p.Text)
	}
	if p.Summary != p.Text {
		t.Errorf("summary = %q, want the short text", p.Summary)
	}
}
