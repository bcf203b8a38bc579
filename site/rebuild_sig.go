package site

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// siteSig sums up the site as list pages and templates may see it from any
// page: every page with every field but its body (Content, Text, TOC), the
// pages it links to (parent, lists, neighbours) by URL, and gen, the sum of
// the templates and static files. Two builds with the same sum differ at
// most in page bodies and the clock.
//
// A page from a content file carries the sum of its fields as loadPage set
// them (cardSum, made once per file); only the fields a build sets on its
// copy (builtFields) are summed again.
func (s *Site) siteSig(gen [32]byte) [32]byte {
	h := sha256.New()
	h.Write(gen[:])
	b := make([]byte, 0, 4096)
	for _, p := range s.Pages {
		b = b[:0]
		if p.hasCard {
			b = append(b, p.cardSum[:]...)
			b = appendBuilt(b, p)
		} else {
			b = appendCard(b, reflect.ValueOf(p).Elem())
		}
		h.Write(b)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// builtFields are the fields of a page from a content file that a build
// sets on its copy; TestBuiltFieldsAreSummed keeps the list complete.
var builtFields = map[string]bool{"Permalink": true, "RelPermalink": true, "Summary": true, "Notice.Expired": true, "Event.Upcoming": true, "Survey.State": true,
	"Parent": true, "Pages": true, "Sections": true, "Prev": true, "Next": true}

// appendBuilt appends the builtFields of p.
func appendBuilt(b []byte, p *Page) []byte {
	b = appendString(b, p.Permalink)
	b = appendString(b, p.RelPermalink)
	b = appendString(b, p.Summary)
	if p.Notice != nil {
		b = strconv.AppendBool(b, p.Notice.Expired)
	}
	if p.Event != nil {
		b = strconv.AppendBool(b, p.Event.Upcoming)
	}
	if p.Survey != nil {
		b = appendString(b, string(p.Survey.State))
	}
	for _, q := range []*Page{p.Parent, p.Prev, p.Next} {
		if q != nil {
			b = appendString(b, q.URL)
		} else {
			b = append(b, '-')
		}
	}
	for _, list := range [][]*Page{p.Pages, p.Sections} {
		b = strconv.AppendInt(b, int64(len(list)), 10)
		for _, q := range list {
			b = appendString(b, q.URL)
		}
	}
	return b
}

// setCard sums up the fields of p, a page as loadPage made it.
func setCard(p *Page) {
	p.cardSum = sha256.Sum256(appendCard(nil, reflect.ValueOf(p).Elem()))
	p.hasCard = true
}

func appendString(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

var timeType = reflect.TypeFor[time.Time]()

// appendCard appends the fields of a page but its body to b.
func appendCard(b []byte, v reflect.Value) []byte {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || bodyFields[f.Name] {
			continue
		}
		b = append(b, f.Name...)
		b = append(b, '=')
		b = appendValue(b, v.Field(i))
		b = append(b, ';')
	}
	return b
}

// appendValue appends a value of a page's field; pages by their URL.
func appendValue(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.String:
		b = appendString(b, v.String())
	case reflect.Bool:
		b = strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int64, reflect.Int32:
		b = strconv.AppendInt(b, v.Int(), 10)
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, '-')
		}
		if v.Type().Elem() == pageType {
			return appendString(b, v.Elem().FieldByName("URL").String())
		}
		return appendValue(append(b, '&'), v.Elem())
	case reflect.Slice:
		b = strconv.AppendInt(b, int64(v.Len()), 10)
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			b = appendValue(b, v.Index(i))
			b = append(b, ',')
		}
		b = append(b, ']')
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			b = t.AppendFormat(b, time.RFC3339Nano)
			return appendString(b, t.Location().String())
		}
		b = append(b, '{')
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				b = appendValue(b, v.Field(i))
				b = append(b, ',')
			}
		}
		b = append(b, '}')
	default:
		// Maps (fmt sorts their keys) and whatever else a page may hold.
		b = fmt.Appendf(b, "%#v", v.Interface())
	}
	return b
}

// nowKeys returns, for each layout of jobs, what it reads of s.Now, so that
// a rebuild renders again the files of a layout that shows the time when
// it changed.
func (s *Site) nowKeys(jobs []job) map[string]string {
	keys := map[string]string{}
	for _, j := range jobs {
		if j.layout == "" {
			continue
		}
		if _, ok := keys[j.layout]; ok {
			continue
		}
		d := s.tmpl.depsOf(j.layout, nil)
		if d.nowAll {
			keys[j.layout] = allOfNow(s.Now)
			continue
		}
		var b []byte
		for _, call := range sortedKeys(d.nowCalls) {
			b = fmt.Appendf(b, "%q=%s;", call, s.tmpl.callNow(call, s.Now))
		}
		keys[j.layout] = string(b)
	}
	return keys
}

// callNow returns what a call in layoutDeps.nowCalls makes of now, or all
// of now when the call cannot be made.
func (t *templates) callNow(call string, now time.Time) string {
	var f reflect.Value
	var in []reflect.Value
	if m, ok := strings.CutPrefix(call, "."); ok {
		name, args, hasArgs := strings.Cut(m, "\x00")
		f = reflect.ValueOf(now).MethodByName(name)
		if hasArgs {
			for _, a := range strings.Split(args, "\x00") {
				in = append(in, reflect.ValueOf(a))
			}
		}
	} else if fn, ok := t.funcs[call]; ok {
		f, in = reflect.ValueOf(fn), []reflect.Value{reflect.ValueOf(now)}
	}
	if !f.IsValid() || f.Type().NumIn() != len(in) || f.Type().NumOut() == 0 || f.Type().IsVariadic() {
		return allOfNow(now)
	}
	for i, v := range in {
		if !v.Type().AssignableTo(f.Type().In(i)) {
			return allOfNow(now)
		}
	}
	return fmt.Sprint(f.Call(in)[0].Interface())
}

// allOfNow is the key of a layout that may show any part of now.
func allOfNow(now time.Time) string {
	return now.Format(time.RFC3339Nano) + now.Location().String()
}

// changedJobs returns which jobs a rebuild must run: all when the site as
// list pages see it changed (or the templates did), else those that read a
// page body that changed or a part of .Site.Now that did. nil means all.
func (b *Builder) changedJobs(s *Site, next *lastBuild) func(*job) bool {
	last := b.last
	if last == nil || last.sig != next.sig || last.site.Config != s.Config || (b.dest == "" && last.files == nil) {
		return nil
	}
	changed := map[string]bool{}
	for _, p := range s.Pages {
		if q := last.site.byURL[p.URL]; q == nil || !sameBody(p, q) {
			changed[p.URL] = true
		}
	}
	has := func(p *Page) bool { return p != nil && changed[p.URL] }
	known := func(name string) bool {
		if last.files != nil {
			_, ok := last.files[name]
			return ok
		}
		_, ok := last.sums[name]
		return ok
	}
	return func(j *job) bool {
		if !known(j.out) || (j.anyBody && len(changed) > 0) || has(j.page) {
			return true
		}
		if j.layout != "" && next.now[j.layout] != last.now[j.layout] {
			return true
		}
		for _, p := range j.bodies {
			if has(p) {
				return true
			}
		}
		return false
	}
}

// sameBody reports whether two builds of a page rendered the same body.
func sameBody(p, q *Page) bool {
	if p.Content != q.Content || p.Text != q.Text || len(p.TOC) != len(q.TOC) {
		return false
	}
	for i := range p.TOC {
		if p.TOC[i] != q.TOC[i] {
			return false
		}
	}
	return true
}
