package site

import (
	"reflect"
	"strings"
)

// kind is what a key of config.toml or front matter holds, for messages
// that show a correct example of it.
type kind int

const (
	kindUnknown kind = iota
	kindText
	kindBool
	kindInt
	kindList
	kindDate
	kindAmount
	kindTable
)

var (
	fmTimeType = reflect.TypeFor[fmTime]()
	amountType = reflect.TypeFor[Amount]()
)

// keyKind returns what key (a dotted path) holds in the struct type t,
// following the fields' toml tags, which name the YAML keys too.
func keyKind(t reflect.Type, key []string) kind {
	for i, name := range key {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return kindUnknown
		}
		f, ok := fieldByTag(t, name)
		if !ok {
			return kindUnknown
		}
		t = f.Type
		if i < len(key)-1 {
			continue
		}
		switch {
		case t == fmTimeType:
			return kindDate
		case t == amountType:
			return kindAmount
		}
		switch t.Kind() {
		case reflect.String:
			return kindText
		case reflect.Bool:
			return kindBool
		case reflect.Int, reflect.Int64:
			return kindInt
		case reflect.Slice:
			if t.Elem().Kind() == reflect.String {
				return kindList
			}
			return kindTable
		case reflect.Struct, reflect.Map:
			return kindTable
		}
	}
	return kindUnknown
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("toml"), ","); tag == name && tag != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// tomlKeys returns every key of the struct type t as a dotted path, tables
// included, for suggestions.
func tomlKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		out = append(out, prefix+tag)
		if ft := f.Type; ft.Kind() == reflect.Struct && ft != fmTimeType && ft != amountType {
			out = append(out, tomlKeys(ft, prefix+tag+".")...)
		}
	}
	return out
}
