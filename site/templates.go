package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/BurntSushi/toml"
)

// LayoutsDir is the folder of a site's own templates, which override the
// theme's file by file.
const LayoutsDir = "layouts"

// layoutFile is one file of the theme or of a site's layouts/ folder.
type layoutFile struct {
	fsys fs.FS
	path string // relative to the layouts folder
	name string // how errors name it: "layouts/x.html" or "theme:layouts/x.html"
}

// layouts merges the theme with a site's layouts/ folder, file by file.
func layouts(theme, site fs.FS) (map[string]layoutFile, error) {
	files := map[string]layoutFile{}
	add := func(fsys fs.FS, prefix string) error {
		if fsys == nil {
			return nil
		}
		return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == "." {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			files[p] = layoutFile{fsys: fsys, path: p, name: prefix + p}
			return nil
		})
	}
	if err := add(theme, "theme:layouts/"); err != nil {
		return nil, err
	}
	if site != nil {
		if sub, err := fs.Sub(site, LayoutsDir); err == nil {
			if err := add(sub, LayoutsDir+"/"); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// templates holds the parsed layouts: one template set per layout file,
// each made of baseof.html, the partials and that file.
type templates struct {
	sets     map[string]*template.Template // layout path → set to execute as "baseof.html"
	partials *template.Template            // baseof.html and the partials, for cached
	cache    atomic.Pointer[sync.Map]      // what cached made in this build
	names    map[string]string             // layout path → name in errors
	strings  map[string]string             // UI strings of the site's language
	funcs    template.FuncMap              // the functions layouts call
	mu       sync.Mutex
	deps     map[depsKey]layoutDeps // what layouts read
}

// cacheKey is the key of a cached partial: its name and keys, each as
// fmt.Sprint shows it, apart by a byte that no key holds, so that the keys
// "ab", "c" and "a", "bc" differ.
func cacheKey(name string, keys []any) string {
	if len(keys) == 1 {
		if k, ok := keys[0].(string); ok {
			return name + "\x00" + k // the usual case, in one allocation
		}
	}
	var b strings.Builder
	b.Grow(len(name) + 48)
	b.WriteString(name)
	for _, k := range keys {
		b.WriteByte(0)
		switch k := k.(type) {
		case string:
			b.WriteString(k)
		case bool:
			b.WriteString(strconv.FormatBool(k))
		default:
			if v := reflect.ValueOf(k); v.Kind() == reflect.String {
				b.WriteString(v.String()) // a string type, such as Kind
			} else {
				fmt.Fprint(&b, k)
			}
		}
	}
	return b.String()
}

// depsKey names a layout executed with a .Data of a type.
type depsKey struct {
	layout string
	data   reflect.Type
}

var templateErrRE = regexp.MustCompile(`template: ([^:]+):(\d+):(?:(\d+):)? (.*)`)

// templateError turns a template error into an *Error at the template's
// file and line, naming the page being rendered when there is one.
func templateError(err error, names map[string]string, page string) error {
	msg := err.Error()
	m := templateErrRE.FindStringSubmatch(msg)
	if m == nil {
		if page != "" {
			msg += " (rendering " + page + ")"
		}
		return &Error{Path: "layouts", Msg: msg}
	}
	file := m[1]
	if n, ok := names[file]; ok {
		file = n
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	text := m[4]
	if page != "" {
		text += " (rendering " + page + ")"
	}
	return &Error{Path: file, Line: line, Col: col, Msg: text}
}

// loadTemplates parses every layout, with functions for language and time
// zone.
func loadTemplates(files map[string]layoutFile, cfg *Config) (*templates, error) {
	t := &templates{sets: map[string]*template.Template{}, names: map[string]string{}, deps: map[depsKey]layoutDeps{}}
	t.resetCache()
	strs, err := loadStrings(files, cfg.Language)
	if err != nil {
		return nil, err
	}
	t.strings = strs
	var missing ErrorList
	basePath := cfg.BasePath()
	funcs := template.FuncMap{
		// relURL turns a site path ("/feedback/") into the URL that links
		// write, below the base URL's path: every link to the site that is
		// not a page's RelPermalink goes through it.
		"relURL": func(u string) string { return relURL(basePath, u) },
		"t": func(key string) (string, error) {
			if s, ok := strs[key]; ok {
				return s, nil
			}
			return "", fmt.Errorf("no UI string %q in i18n/%s.toml", key, cfg.Language)
		},
		"date":     func(t time.Time) string { return formatDate(t.In(cfg.Location), cfg.Language, false) },
		"datetime": func(t time.Time) string { return formatDate(t.In(cfg.Location), cfg.Language, true) },
		"isodate":  func(t time.Time) string { return t.In(cfg.Location).Format(time.RFC3339) },
		"isZero":   func(t time.Time) bool { return t.IsZero() },
		"tel":      telURL,
		"add":      func(a, b int) int { return a + b },
		// surveyChart draws a question's published results; fewer is
		// what a withheld count reads as.
		"surveyChart": SurveyChart,
		"first": func(n int, pages []*Page) []*Page {
			return pages[:min(max(n, 0), len(pages))]
		},
		// cached executes a partial with data once per build and set of
		// keys, and gives the same output wherever it is called again with
		// equal keys, like Hugo's partialCached: for the parts of pages that
		// many pages share, such as the footer, or a page's entry in lists.
		// The keys must name everything of data the output depends on.
		"cached": func(name string, data any, keys ...any) (template.HTML, error) {
			if !strings.HasPrefix(name, "partials/") {
				return "", fmt.Errorf("cached: %q is not a partial", name)
			}
			cache := t.cache.Load()
			key := cacheKey(name, keys)
			if h, ok := cache.Load(key); ok {
				return h.(template.HTML), nil
			}
			var buf bytes.Buffer
			if err := t.partials.ExecuteTemplate(&buf, name, data); err != nil {
				return "", err
			}
			h := template.HTML(buf.String())
			cache.Store(key, h)
			return h, nil
		},
	}
	t.funcs = funcs
	base := template.New("").Funcs(funcs)
	var keys []string
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parse := func(tmpl *template.Template, f layoutFile) error {
		src, err := fs.ReadFile(f.fsys, f.path)
		if err != nil {
			return err
		}
		t.names[f.path] = f.name
		_, err = tmpl.New(f.path).Parse(string(src))
		if err != nil {
			return templateError(err, t.names, "")
		}
		return nil
	}
	if _, ok := files["baseof.html"]; !ok {
		return nil, &Error{Path: LayoutsDir + "/baseof.html", Msg: "the theme has no baseof.html"}
	}
	for _, k := range keys {
		if k == "baseof.html" || strings.HasPrefix(k, "partials/") {
			if strings.HasSuffix(k, ".html") {
				if err := parse(base, files[k]); err != nil {
					missing = append(missing, err.(*Error))
				}
			}
		}
	}
	if err := missing.err(); err != nil {
		return nil, err
	}
	partials, err := base.Clone()
	if err != nil {
		return nil, err
	}
	t.partials = partials
	for _, k := range keys {
		if !strings.HasSuffix(k, ".html") || k == "baseof.html" || strings.HasPrefix(k, "partials/") {
			continue
		}
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if err := parse(set, files[k]); err != nil {
			missing = append(missing, err.(*Error))
			continue
		}
		t.sets[k] = set
	}
	return t, missing.err()
}

// loadStrings reads the UI strings of lang from i18n/LANG.toml, and from
// i18n/PART/LANG.toml, where parts of the theme with strings of their own
// (surveys) keep them; i18n/LANG.toml has the last word.
func loadStrings(files map[string]layoutFile, lang string) (map[string]string, error) {
	strs := map[string]string{}
	var names []string
	for name := range files {
		if dir, file := path.Split(name); file == lang+".toml" && strings.HasPrefix(dir, "i18n/") && dir != "i18n/" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	names = append(names, "i18n/"+lang+".toml")
	for _, name := range names {
		f, ok := files[name]
		if !ok {
			continue
		}
		src, err := fs.ReadFile(f.fsys, f.path)
		if err != nil {
			return nil, err
		}
		if _, err := toml.Decode(string(src), &strs); err != nil {
			return nil, tomlError(err, f.name, string(src), 0, nil)
		}
	}
	return strs, nil
}

// lookup returns the first layout that exists among names.
func (t *templates) lookup(names ...string) (string, bool) {
	for _, n := range names {
		if _, ok := t.sets[n]; ok {
			return n, true
		}
	}
	return "", false
}

// execute renders layout with v to w. page names the content being
// rendered, for errors. After an error w holds part of a page, which
// callers throw away.
func (t *templates) execute(w io.Writer, layout string, v *View, page string) error {
	set, ok := t.sets[layout]
	if !ok {
		return &Error{Path: LayoutsDir + "/" + layout, Msg: fmt.Sprintf("missing template (needed for %s)", page)}
	}
	if err := set.ExecuteTemplate(w, "baseof.html", v); err != nil {
		return templateError(err, t.names, page)
	}
	return nil
}

// resetCache forgets what the cached template function made: a build
// starts with an empty cache, so that nothing of an earlier site shows.
func (t *templates) resetCache() { t.cache.Store(new(sync.Map)) }

// layoutFor returns the layout file that renders p.
func (t *templates) layoutFor(p *Page) (string, error) {
	var names []string
	switch p.Kind {
	case KindHome:
		names = []string{"home.html", "list.html"}
	case KindSection:
		names = []string{p.Section + "/list.html", "list.html"}
	case KindPage:
		names = []string{p.Section + "/single.html", "single.html"}
	case KindTags:
		names = []string{"tags.html", "list.html"}
	case KindTag:
		names = []string{"tag.html", "list.html"}
	default:
		names = []string{path.Base(p.Dir) + ".html"}
	}
	if n, ok := t.lookup(names...); ok {
		return n, nil
	}
	return "", &Error{Path: LayoutsDir + "/" + names[0], Msg: fmt.Sprintf("missing template (needed for %s)", describe(p))}
}

// telURL makes a tel: link of a phone number as people write it
// ("0571-8000 0001"): digits and a leading + only.
func telURL(number string) template.URL {
	var b strings.Builder
	for i, r := range number {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}

var monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// formatDate formats t for readers of lang.
func formatDate(t time.Time, lang string, withTime bool) string {
	if t.IsZero() {
		return ""
	}
	if lang == "en" {
		s := fmt.Sprintf("%d %s %d", t.Day(), monthsEN[t.Month()-1], t.Year())
		if withTime {
			s += t.Format(", 15:04")
		}
		return s
	}
	s := fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	if withTime {
		s += t.Format(" 15:04")
	}
	return s
}

// depsOf returns what layout reads when executed with a .Data of type data
// (nil for none), for rebuilds. A missing layout reads everything.
func (t *templates) depsOf(layout string, data reflect.Type) layoutDeps {
	key := depsKey{layout, data}
	t.mu.Lock()
	defer t.mu.Unlock()
	if d, ok := t.deps[key]; ok {
		return d
	}
	d := layoutDeps{otherBodies: true, nowAll: true}
	if set, ok := t.sets[layout]; ok {
		d = bodyReads(set, data)
	}
	t.deps[key] = d
	return d
}
