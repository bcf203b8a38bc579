package site

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxSlugBytes bounds a slug, so that URLs and file names stay portable.
const maxSlugBytes = 100

// Slugify turns s into a URL path element: letters and digits of any script
// are kept (lower-cased), every run of other characters becomes one "-",
// and dashes are trimmed from both ends. The result is at most 100 bytes,
// is a valid local file name, and Slugify(Slugify(s)) == Slugify(s).
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > maxSlugBytes {
		out = out[:maxSlugBytes]
		for !utf8.ValidString(out) {
			out = out[:len(out)-1]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

var datePrefix = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`)

// fileSlug is the slug of a content file name: without ".md" and without a
// leading "YYYY-MM-DD-".
func fileSlug(name string) string {
	name = strings.TrimSuffix(name, ".md")
	if s := datePrefix.ReplaceAllString(name, ""); s != "" {
		name = s
	}
	return Slugify(name)
}
