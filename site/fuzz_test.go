package site

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/lobby-community/lobby/internal/msg"
)

// FuzzFrontMatter: no input panics; errors lie within the file; front
// matter that parses nests no deeper than maxNesting and survives an
// encode → parse round trip.
func FuzzFrontMatter(f *testing.F) {
	for _, seed := range []string{
		"+++\ntitle = \"A\"\n+++\nbody",
		"---\ntitle: A\ntags: [a, b]\n---\n",
		"\ufeff+++\ntitle = \"停水\"\ndate = 2026-01-01\n+++\n",
		"+++\ntitle = \"未闭合\n+++\n",
		"+++\ntitle = \"A\"\n[[income]]\nitem = \"x\"\namount = \"1.5\"\n+++\n",
		"+++\ntitle = \"A\"\nexpires = 2026-12-01T18:00:00\nurgency = \"urgent\"\n+++\n",
		"---\ntitle: A\ndate: next monday\n---\n",
		"+++\n",
		"",
		"---\ntitle: A\nparams:\n  a: &a [x, x]\n  b: [*a, *a]\n---\n",
		"---\ntitle: A\nparams:\n  a: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n---\n",
		"---\ntitle: A\nparams:\n  a:\n  " + strings.Repeat("- ", 40) + "x\n---\n",
		"+++\ntitle = \"A\"\n[params]\na = " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n+++\n",
		"+++\ntitle = \"A\"\n[params]\na = [\"\"\"q\"\"\"\", {b={c=1}}, 1.5]\nd.e.f = {g.h = [{i = 1}]}\n+++\n",
		"+++\ntitle = \"A\"\n[params.a.b]\nc = 1\n[[params.x]]\ny.z = 'q.r'\n+++\n",
		"+++\ntitle = \"A\"\ndate = 2026/01/01 09:00\n+++\n",
		"+++\ntitle = \"A\"\ndate = 2026-13-01\ntitle = \"B\"\n+++\n",
		"+++\ntitle = 停水\npinned = yes\ntags = \"a，b\"\n+++\n",
		"+++\ntitle = \"A\"\n[fund]\nopening = 1.5\n+++\n",
		"---\ntitle: A\ntags: 垃圾分类\ndraft: yes\nurgncy: x\n---\n",
		"---\ntitle: A\ndate: 2026年1月5日\nfund:\n  opening: x\n---\n",
	} {
		f.Add([]byte(seed), "notices")
	}
	f.Fuzz(func(t *testing.T, data []byte, section string) {
		src, err := cleanSource(data)
		if err != nil {
			return
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		fm, _, err := parseFrontMatter(src, section)
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok {
				t.Fatalf("error of type %T, want ErrorList", err)
			}
			for _, e := range list {
				if e.Line < 0 || e.Line > lines+1 {
					t.Fatalf("error at line %d of a %d-line file: %v", e.Line, lines, e)
				}
			}
		}
		if err != nil || fm == nil {
			return
		}
		if d := valueDepth(fm.Params); d > maxNesting {
			t.Fatalf("params nest %d levels deep, more than %d", d, maxNesting)
		}
		if fm.format != formatTOML {
			return
		}
		// The decoder, on its own, finds what the check before it let pass.
		var all map[string]any
		if _, err := toml.Decode(fm.raw, &all); err == nil && valueDepth(all)-1 > maxNesting {
			t.Fatalf("front matter nests %d levels deep, more than %d", valueDepth(all)-1, maxNesting)
		}
		// Round trip the keys every page has.
		type common struct {
			Title   string   `toml:"title"`
			Summary string   `toml:"summary"`
			Tags    []string `toml:"tags"`
			Weight  int      `toml:"weight"`
			Draft   bool     `toml:"draft"`
		}
		in := common{fm.Title, fm.Summary, fm.Tags, fm.Weight, fm.Draft}
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(in); err != nil {
			t.Fatalf("encode %+v: %v", in, err)
		}
		out, _, err := parseFrontMatter([]byte("+++\n"+buf.String()+"+++\n"), section)
		if err != nil && strings.TrimSpace(in.Title) != "" {
			t.Fatalf("re-parse of %q: %v", buf.String(), err)
		}
		if out != nil && (out.Title != in.Title || out.Summary != in.Summary || out.Weight != in.Weight || out.Draft != in.Draft || len(out.Tags) != len(in.Tags)) {
			t.Fatalf("round trip changed %+v into %+v", in, out.frontMatter)
		}
	})
}

// valueDepth is how deep maps and slices nest in v; v itself is one level.
func valueDepth(v any) int {
	d := 0
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			d = max(d, valueDepth(x))
		}
	case []map[string]any:
		for _, x := range v {
			d = max(d, valueDepth(x))
		}
	case []any:
		for _, x := range v {
			d = max(d, valueDepth(x))
		}
	default:
		return 0
	}
	return d + 1
}

var slugRE = regexp.MustCompile(`^[\p{L}\p{N}-]*$`)

// FuzzSlug: a slug has only letters, digits and dashes, is idempotent, is a
// local path, and is at most 100 bytes.
func FuzzSlug(f *testing.F) {
	for _, seed := range []string{"停水通知", "Hello, World!", "../../x", "2026-11-25-water", "a/b\\c", "İstanbul", "ǅ", "  ", "x\x00y", strings.Repeat("长", 80)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slugify(s)
		if !utf8.ValidString(got) || !slugRE.MatchString(got) {
			t.Fatalf("Slugify(%q) = %q has other characters", s, got)
		}
		if again := Slugify(got); again != got {
			t.Fatalf("Slugify(%q) = %q, but Slugify(%q) = %q", s, got, got, again)
		}
		if len(got) > maxSlugBytes {
			t.Fatalf("Slugify(%q) is %d bytes", s, len(got))
		}
		if got != "" && !filepath.IsLocal(got) {
			t.Fatalf("Slugify(%q) = %q is not a local path", s, got)
		}
		if fs := fileSlug(s + ".md"); fs != "" && !slugRE.MatchString(fs) {
			t.Fatalf("fileSlug(%q) = %q", s, fs)
		}
	})
}

// FuzzConfig checks that no config.toml makes ParseConfig panic, and that
// its errors lie within the file.
func FuzzConfig(f *testing.F) {
	for _, seed := range []string{
		"title = \"x\"\nbaseURL = \"https://example.org/\"\n",
		"title = \"x\"\nlangauge = \"en\"\n[feedbak]\nrate_limit = \"10 per minute\"\n",
		"paginate = ten\n[feedback]\nstore = \"sqlite:\"\ntrusted_proxies = [\"x\", \"10.0.0.0/33\"]\n",
		"[server]\norigin = \"http://[::1\"\nmax_connections = -1\n[feedback.targets]\nrepair = { respond = \"4h\" }\n",
		"title = \"x\"\ntitle = \"y\"\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		_, err := ParseConfig(data)
		if err == nil {
			return
		}
		list, ok := err.(ErrorList)
		if !ok {
			t.Fatalf("error of type %T, want ErrorList", err)
		}
		for _, e := range list {
			if e.Line < 0 || e.Line > lines+1 {
				t.Fatalf("error at line %d of a %d-line file: %v", e.Line, lines, e)
			}
			_ = e.In(msg.Zh)
		}
	})
}
