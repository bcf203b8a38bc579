package site_test

import (
	"encoding/xml"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/site/sitetest"
)

var canonicalRE = regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`)

func sitemapLocs(t *testing.T, r *sitetest.Result) []string {
	t.Helper()
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(r.File("sitemap.xml")), &set); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range set.URLs {
		out = append(out, u.Loc)
	}
	return out
}

// The sitemap lists the pages a resident may look for besides the content's
// own: the feedback form, the expired notices and the printable handbook.
// Each URL is written as the page's canonical link writes it, so a tag
// with Chinese characters is percent-encoded in both.
func TestSitemapListsThemePagesAndEncodesURLs(t *testing.T) {
	archive := strings.Replace(config, `baseURL = "https://example.org/"`, `baseURL = "https://example.org/cuihu/"`, 1) + `-- content/notices/water.md --
+++
title = "停水通知"
date = 2026-11-25
tags = ["停水", "water supply"]
+++
-- content/notices/停电.md --
+++
title = "停电通知"
date = 2026-11-20
+++
-- content/handbook/repairs.md --
+++
title = "报修"
+++
`
	r := sitetest.Build(t, archive)
	locs := sitemapLocs(t, r)
	have := map[string]bool{}
	for _, loc := range locs {
		have[loc] = true
		u, err := url.Parse(loc)
		if err != nil || !u.IsAbs() {
			t.Errorf("sitemap URL %q is not an absolute URL", loc)
			continue
		}
		for _, c := range loc {
			if c > 0x7e || c <= ' ' {
				t.Errorf("sitemap URL %q is not percent-encoded", loc)
				break
			}
		}
		file := strings.TrimPrefix(u.Path, "/cuihu/") + "index.html"
		if !r.Exists(file) {
			t.Errorf("sitemap URL %q names no page (%s)", loc, file)
			continue
		}
		if m := canonicalRE.FindStringSubmatch(r.File(file)); m != nil && html.UnescapeString(m[1]) != loc {
			t.Errorf("sitemap URL %q, but the page's canonical link is %q", loc, m[1])
		}
	}
	for _, want := range []string{
		"https://example.org/cuihu/feedback/",
		"https://example.org/cuihu/notices/archive/",
		"https://example.org/cuihu/handbook/print/",
		"https://example.org/cuihu/tags/%e5%81%9c%e6%b0%b4/",
		"https://example.org/cuihu/tags/water-supply/",
		"https://example.org/cuihu/notices/%e5%81%9c%e7%94%b5/",
	} {
		if !have[want] {
			t.Errorf("sitemap lacks %s; has\n%s", want, strings.Join(locs, "\n"))
		}
	}
	for _, not := range []string{"https://example.org/cuihu/404.html", "https://example.org/cuihu/feedback/thanks/", "https://example.org/cuihu/display/"} {
		if have[not] {
			t.Errorf("sitemap lists %s", not)
		}
	}
}

// A site without notices or a handbook has no archive or printable
// handbook, and the sitemap does not name them.
func TestSitemapLeavesOutPagesThatAreNotMade(t *testing.T) {
	r := sitetest.Build(t, config+`-- content/about.md --
+++
title = "关于"
+++
`)
	locs := strings.Join(sitemapLocs(t, r), "\n")
	for _, not := range []string{"/notices/archive/", "/handbook/print/"} {
		if strings.Contains(locs, not) {
			t.Errorf("sitemap lists %s:\n%s", not, locs)
		}
	}
	if !strings.Contains(locs, "https://example.org/feedback/") {
		t.Errorf("sitemap lacks /feedback/:\n%s", locs)
	}
}
