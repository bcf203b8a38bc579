package site

import (
	"reflect"
	"testing"
	"unsafe"
)

// A rebuild that copies the site must link the copies to each other only:
// a copy that still points at a page of the last build shows that page's
// old body, title or neighbours. This test fills every field of Page and
// SiteView that can hold a page (through pointers, structs, slices, arrays
// and maps, exported or not) with pages of an old graph, copies the graph,
// and walks everything the copy reaches. A field that a remap method
// misses leaves an old page in reach.
func TestRemapLeavesNoOldPage(t *testing.T) {
	old := []*Page{{URL: "/a/"}, {URL: "/b/"}, {URL: "/c/"}}
	f := &filler{pages: old, seen: map[reflect.Type]bool{}}
	for _, p := range old {
		f.fill(reflect.ValueOf(p).Elem())
	}
	view := &SiteView{}
	f.fill(reflect.ValueOf(view).Elem())
	if f.filled == 0 {
		t.Fatal("no field of Page or SiteView holds a page")
	}

	pages, v := copyGraph(old, view, func(p *Page) *Page { q := *p; return &q })

	isOld := map[uintptr]bool{}
	for _, p := range old {
		isOld[reflect.ValueOf(p).Pointer()] = true
	}
	w := &oldPageFinder{t: t, isOld: isOld, seen: map[uintptr]bool{}}
	for i, p := range pages {
		if isOld[reflect.ValueOf(p).Pointer()] {
			t.Fatalf("copy %d is an old page", i)
		}
		w.walk(reflect.ValueOf(p), "Page("+p.URL+")")
	}
	w.walk(reflect.ValueOf(v), "SiteView")
}

// filler sets every field that can hold a *Page to pages of an old graph.
type filler struct {
	pages  []*Page
	next   int
	filled int // how many page slots it set
	seen   map[reflect.Type]bool
}

// fill fills v, which must be addressable.
func (f *filler) fill(v reflect.Value) {
	if !canHoldPage(v.Type(), map[reflect.Type]bool{}) {
		return
	}
	if !v.CanSet() {
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type() == reflect.TypeFor[*Page]() {
			v.Set(reflect.ValueOf(f.pages[f.next%len(f.pages)]))
			f.next++
			f.filled++
			return
		}
		if f.seen[v.Type()] {
			return // a type that holds itself: one level is enough
		}
		f.seen[v.Type()] = true
		e := reflect.New(v.Type().Elem())
		f.fill(e.Elem())
		v.Set(e)
		delete(f.seen, v.Type())
	case reflect.Struct:
		for i := range v.NumField() {
			f.fill(v.Field(i))
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range s.Len() {
			f.fill(s.Index(i))
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i))
		}
	case reflect.Map:
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		f.fill(k)
		f.fill(e)
		m := reflect.MakeMap(v.Type())
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// canHoldPage reports whether a value of type t can reach a *Page. An
// interface is taken to hold none: the only ones in the graph are
// front-matter params and .Data, which are never pages of the site.
func canHoldPage(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == reflect.TypeFor[*Page]() {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return canHoldPage(t.Elem(), seen)
	case reflect.Map:
		return canHoldPage(t.Key(), seen) || canHoldPage(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if canHoldPage(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// oldPageFinder walks all a value reaches and reports the old pages.
type oldPageFinder struct {
	t     *testing.T
	isOld map[uintptr]bool
	seen  map[uintptr]bool
}

func (w *oldPageFinder) walk(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		ptr := v.Pointer()
		if v.Type() == reflect.TypeFor[*Page]() && w.isOld[ptr] {
			w.t.Errorf("%s is a page of the old graph: its remap misses that field", path)
			return
		}
		if w.seen[ptr] {
			return
		}
		w.seen[ptr] = true
		if v.Type() == reflect.TypeFor[*Page]() {
			// A copy: name what holds an old page by the copy it belongs to.
			path = "Page(" + v.Elem().FieldByName("URL").String() + ")"
		}
		w.walk(v.Elem(), path)
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			w.walk(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.walk(v.Index(i), path+"[i]")
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			w.walk(it.Key(), path+"[key]")
			w.walk(it.Value(), path+"[k]")
		}
	}
}
