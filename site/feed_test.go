package site_test

import (
	"encoding/xml"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/site/sitetest"
)

// atomFeed is what the tests read of an Atom feed.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Base    string   `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

var attrURLRE = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)

// A feed names its own URL in a self link, and every link and image in its
// entries' content is an absolute URL, with the site's path, since a feed
// reader has no page to resolve a relative one against.
func TestFeedsHaveSelfLinkAndAbsoluteURLs(t *testing.T) {
	archive := strings.Replace(config, `baseURL = "https://example.org/"`, `baseURL = "https://example.org/cuihu/"`, 1) + `-- static/images/plan.png --
png
-- content/notices/water.md --
+++
title = "停水通知"
date = 2026-11-25
+++
## 范围

见[上一期简报](../newsletters/n1.md)、[手册](/handbook/)和[范围](#范围)。![平面图](/images/plan.png)
-- content/newsletters/n1.md --
+++
title = "八月刊"
date = 2026-08-05
issue = 1
+++
[停水](/notices/water/)的说明见脚注。[^1] 外链 [政府](https://www.gov.cn/) 不变。

[^1]: 详见[通知列表](/notices/)。
-- content/handbook/_index.md --
+++
title = "手册"
+++
`
	r := sitetest.Build(t, archive)
	for _, name := range []string{"notices/feed.xml", "newsletters/feed.xml"} {
		var feed atomFeed
		if err := xml.Unmarshal([]byte(r.File(name)), &feed); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		self := ""
		for _, l := range feed.Links {
			if l.Rel == "self" {
				self = l.Href
				if l.Type != "application/atom+xml" {
					t.Errorf("%s: self link type %q", name, l.Type)
				}
			}
		}
		if want := "https://example.org/cuihu/" + name; self != want {
			t.Errorf("%s: self link %q, want %q", name, self, want)
		}
		if len(feed.Entries) != 1 {
			t.Fatalf("%s has %d entries, want 1", name, len(feed.Entries))
		}
		content := feed.Entries[0].Content.Text
		urls := attrURLRE.FindAllStringSubmatch(content, -1)
		if len(urls) < 3 {
			t.Errorf("%s: content has %d links, want at least 3:\n%s", name, len(urls), content)
		}
		for _, m := range urls {
			u, err := url.Parse(m[1])
			if err != nil || !u.IsAbs() || u.Host != "example.org" && u.Host != "www.gov.cn" {
				t.Errorf("%s: link %q in the content is not an absolute URL (xml:base %q)", name, m[1], feed.Base)
			}
			if u != nil && u.Host == "example.org" && !strings.HasPrefix(u.Path, "/cuihu/") {
				t.Errorf("%s: link %q leaves out the site's path /cuihu/", name, m[1])
			}
		}
	}
	r.AssertFile("notices/feed.xml", "src=&#34;https://example.org/cuihu/images/plan.png&#34;",
		"https://example.org/cuihu/notices/water/#")
}
