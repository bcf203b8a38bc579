package site_test

import (
	"strings"
	"testing"

	"github.com/lobby-community/lobby/site/sitetest"
)

// The feedback form and the search page, which search engines and link
// previews show like any other page, have a description in the site's
// language.
func TestFeedbackAndSearchPagesHaveDescription(t *testing.T) {
	for lang, want := range map[string][2]string{
		"zh-CN": {`<meta name="description" content="联系物业服务中心：`, `<meta name="description" content="搜索本小区网站的`},
		"en":    {`<meta name="description" content="Contact the property office:`, `<meta name="description" content="Search the community&#39;s`},
	} {
		r := sitetest.Build(t, strings.Replace(config, `language = "zh-CN"`, `language = "`+lang+`"`, 1))
		r.AssertFile("feedback/index.html", want[0])
		page, err := r.Site.RenderPage("search", "/search", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), want[1]) {
			t.Errorf("%s: the search page lacks %q", lang, want[1])
		}
		shown, err := r.Site.RenderPage("feedback", "/feedback/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(shown), want[0]) {
			t.Errorf("%s: the feedback form shown again lacks %q", lang, want[0])
		}
	}
}
