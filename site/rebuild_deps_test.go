package site

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lobby-community/lobby"
)

// What a layout reads of other pages' bodies and of the clock decides what a
// rebuild renders again; reading too little would leave stale pages.
func TestBodyReads(t *testing.T) {
	tests := []struct {
		name, main  string
		data        reflect.Type
		other, kids bool
		nowAll      bool
		nowCalls    string // sorted, joined by |
	}{
		{name: "own body and TOC", main: `{{.Page.Content}}{{template "toc" .Page}}`},
		{name: "own body through with", main: `{{with .Page}}{{.Content}}{{end}}`},
		{name: "titles of other pages", main: `{{range .Site.Notices}}{{.Title}} {{.Summary}}{{end}}{{.Page.Parent.Title}}`},
		{name: "a neighbour's body", main: `{{with .Page.Prev}}{{.Content}}{{end}}`, other: true},
		{name: "bodies from .Site", main: `{{range .Site.Notices}}{{.Content}}{{end}}`, other: true},
		{name: "an element by index", main: `{{(index .Site.Notices 0).Text}}`, other: true},
		{name: "a page printed whole", main: `{{.Page.Parent}}`, other: true},
		{name: "a page handed to printf", main: `{{printf "%v" .Page.Next}}`, other: true},
		{name: "a variable assigned in a loop", main: `{{$p := .Page}}{{range .Site.Notices}}{{$p = .}}{{end}}{{$p.Content}}`, other: true},
		{name: "a variable declared in a loop", main: `{{$p := .Page}}{{range .Site.Notices}}{{$p := .}}{{$p.URL}}{{end}}{{$p.Content}}`, other: true},
		{name: "ancestors' titles", main: `{{range .Page.Ancestors}}{{.Title}}{{end}}`},
		{name: "the pages a section lists", main: `{{range .Page.Pages}}{{.Content}}{{end}}`, kids: true},
		{name: "a partial called with another page", main: `{{template "toc" .Page.Next}}`, other: true},
		{name: "the poster's notice", main: `{{with .Data}}{{.Notice.Content}}{{.QR}}{{end}}`, data: reflect.TypeFor[*Poster]()},
		{name: "a chapter's page", main: `{{range .Data}}{{.Content}}{{.Page.Content}}{{end}}`, data: reflect.TypeFor[[]PrintChapter](), other: true},
		{name: "a cached partial with the page's own body", main: `{{cached "partials/own.html" . .Page.URL}}`},
		{name: "a cached partial with a neighbour's body", main: `{{cached "partials/neighbour.html" . .Page.URL}}`, other: true},
		{name: "the year", main: `{{.Site.Now.Year}}`, nowCalls: ".Year"},
		{name: "the time formatted", main: `{{.Site.Now.Format "15:04"}}`, nowCalls: ".Format\x0015:04"},
		{name: "the time to a function", main: `{{date .Site.Now}}`, nowCalls: "date"},
		{name: "the time in a variable", main: `{{$n := .Site.Now}}{{$n.Format "2006"}}{{$n | isodate}}{{$n.Year}}`, nowCalls: ".Format\x002006|.Year|isodate"},
		{name: "the time formatted by a page's field", main: `{{.Site.Now.Format .Page.Title}}`, nowAll: true},
		{name: "the time formatted by a layout piped in", main: `{{"15:04" | .Site.Now.Format}}`, nowAll: true},
		{name: "the time to a function with another argument", main: `{{first 1 .Site.Now}}`, nowAll: true},
		{name: "the time to printf", main: `{{printf "%s" .Site.Now}}`, nowAll: true},
		{name: "the time printed", main: `{{with .Site}}{{.Now}}{{end}}`, nowAll: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			theme := fstest.MapFS{
				"baseof.html":             {Data: []byte(`<main>{{block "main" .}}{{end}}</main>`)},
				"partials/toc.html":       {Data: []byte(`{{define "toc"}}{{range .TOC}}{{.Text}}{{end}}{{end}}`)},
				"partials/own.html":       {Data: []byte(`{{.Page.Content}}`)},
				"partials/neighbour.html": {Data: []byte(`{{with .Page.Prev}}{{.Content}}{{end}}`)},
				"single.html":             {Data: []byte(`{{define "main"}}` + tc.main + `{{end}}`)},
			}
			files, err := layouts(theme, nil)
			if err != nil {
				t.Fatal(err)
			}
			tmpl, err := loadTemplates(files, &Config{Language: "en"})
			if err != nil {
				t.Fatal(err)
			}
			d := tmpl.depsOf("single.html", tc.data)
			calls := strings.Join(sortedKeys(d.nowCalls), "|")
			if d.otherBodies != tc.other || d.kidBodies != tc.kids || d.nowAll != tc.nowAll || calls != tc.nowCalls {
				t.Errorf("%s: other=%v kids=%v nowAll=%v now=%q, want %v %v %v %q (why: %s)", tc.main,
					d.otherBodies, d.kidBodies, d.nowAll, calls, tc.other, tc.kids, tc.nowAll, tc.nowCalls, d.why)
			}
		})
	}
}

// siteSig sums up a page from a file as loadPage made it once, and sums again
// only builtFields; a field that a build sets and that list misses would leave
// pages stale after a rebuild.
func TestBuiltFieldsAreSummed(t *testing.T) {
	fsys := demoFS(t)
	fsys["content/notices/2026-11-27-plain.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"无摘要\"\ndate = 2026-11-27T09:00:00+08:00\n+++\n\n摘要取自正文。\n")}
	b := NewBuilder(fsys, lobby.Theme(), Options{Now: testNow}, "")
	s, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range s.Pages {
		if p.File == "" {
			continue
		}
		pristine := reflect.ValueOf(b.sources[p.File].page).Elem()
		built := reflect.ValueOf(p).Elem()
		for i := 0; i < pristine.NumField(); i++ {
			f := pristine.Type().Field(i)
			if !f.IsExported() || bodyFields[f.Name] {
				continue
			}
			a, c := pristine.Field(i), built.Field(i)
			if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct && f.Type.Elem() != pageType {
				if a.IsNil() != c.IsNil() {
					t.Errorf("%s: a build sets %s", p.File, f.Name)
				}
				if a.IsNil() || c.IsNil() {
					continue
				}
				for j := 0; j < a.Elem().NumField(); j++ {
					name := f.Name + "." + a.Elem().Type().Field(j).Name
					if !reflect.DeepEqual(a.Elem().Field(j).Interface(), c.Elem().Field(j).Interface()) && !builtFields[name] {
						t.Errorf("%s: a build sets %s, which builtFields lacks", p.File, name)
					}
				}
				continue
			}
			if !reflect.DeepEqual(a.Interface(), c.Interface()) && !builtFields[f.Name] {
				t.Errorf("%s: a build sets %s, which builtFields lacks", p.File, f.Name)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no page from a file")
	}
}

// callNow evaluates what a layout makes of the clock, and any call it cannot
// make counts as showing all of it, so that nothing stays stale.
func TestCallNow(t *testing.T) {
	files, err := layouts(lobby.Theme(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := loadTemplates(files, &Config{Language: "en", Location: testNow.Location()})
	if err != nil {
		t.Fatal(err)
	}
	for call, want := range map[string]string{
		".Year":             "2026",
		".Format\x0015:04":  "10:00",
		"isodate":           "2026-11-27T10:00:00+08:00",
		".Nope":             allOfNow(testNow),
		".Format\x00a\x00b": allOfNow(testNow), // too many arguments
		".Truncate\x001h":   allOfNow(testNow), // a Duration, not a string
		"nosuchfunction":    allOfNow(testNow),
	} {
		if got := tmpl.callNow(call, testNow); got != want {
			t.Errorf("callNow(%q) = %q, want %q", call, got, want)
		}
	}
}
