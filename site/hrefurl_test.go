package site

import (
	"bytes"
	"html"
	"html/template"
	"testing"
)

var hrefTmpl = template.Must(template.New("a").Parse(`<a href="{{.}}">`))

// hrefURL writes a URL as html/template writes it into an href, so that
// the sitemap and the pages' links agree byte for byte.
func FuzzHrefURLAgreesWithHTMLTemplate(f *testing.F) {
	for _, s := range []string{"tags/停水/", "notices/a b/", "x?q=1&r=2#frag", "%e5%81%9c/", "é'()<>\"\\^`{|}", "\x00\x7f\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := "https://example.org/" + s
		var b bytes.Buffer
		if err := hrefTmpl.Execute(&b, u); err != nil {
			t.Skip()
		}
		want := html.UnescapeString(string(bytes.TrimSuffix(bytes.TrimPrefix(b.Bytes(), []byte(`<a href="`)), []byte(`">`))))
		if got := hrefURL(u); got != want {
			t.Errorf("hrefURL(%q) = %q, html/template writes %q", u, got, want)
		}
	})
}
