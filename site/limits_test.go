package site_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/lobby-community/lobby/site/sitetest"
)

// hostileFiles are content files written to exhaust a build: each once
// took minutes or gigabytes, and must now fail at once with an error at
// the line where it goes too far.
var hostileFiles = []struct {
	name string
	src  func() string
	want string // the error, with its file and line
}{
	{"yaml-alias-bomb", func() string {
		// Nine levels of nine aliases: 9^9 strings from 400 bytes.
		var b strings.Builder
		b.WriteString("---\ntitle: 炸弹\nparams:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
		for c := 'b'; c <= 'i'; c++ {
			prev := string(c - 1)
			fmt.Fprintf(&b, "  %c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ","))
		}
		return b.String() + "---\nbody\n"
	}, "content/hostile.md:5:10: YAML alias *a: aliases are not allowed in front matter"},
	{"yaml-merge-key", func() string {
		return "---\ntitle: x\nparams:\n  base: &base {a: 1}\n  other:\n    <<: *base\n---\n"
	}, "content/hostile.md:6:9: YAML alias *base"},
	{"yaml-deep-flow", func() string {
		return "---\ntitle: x\nparams:\n  a: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n---\n"
	}, "content/hostile.md:4:"},
	{"yaml-deep-compact-list", func() string {
		return "---\ntitle: x\nparams:\n  a:\n  " + strings.Repeat("- ", 20000) + "x\n---\n"
	}, "content/hostile.md:5:"},
	{"yaml-deep-indent", func() string {
		var b strings.Builder
		b.WriteString("---\ntitle: x\nparams:\n")
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", 2*i), i)
		}
		return b.String() + "---\n"
	}, "content/hostile.md:20:38: front matter nests more than 16 levels deep here"},
	{"toml-deep-array", func() string {
		return "+++\ntitle = \"x\"\n[params]\na = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n+++\n"
	}, "content/hostile.md:4: front matter nests more than 16 levels deep here"},
	{"toml-deep-inline-table", func() string {
		return "+++\ntitle = \"x\"\n[params]\na = " + strings.Repeat("{b=", 2000) + "1" + strings.Repeat("}", 2000) + "\n+++\n"
	}, "content/hostile.md:4: front matter nests"},
	{"toml-deep-header", func() string {
		return "+++\ntitle = \"x\"\n[params." + strings.Repeat("a.", 2000) + "b]\nc = 1\n+++\n"
	}, "content/hostile.md:3: front matter nests"},
	{"toml-deep-dotted-key", func() string {
		return "+++\ntitle = \"x\"\n[params]\n" + strings.Repeat("a.", 2000) + "b = 1\n+++\n"
	}, "content/hostile.md:4: front matter nests"},
	{"toml-hidden-after-multiline-string", func() string {
		return "+++\ntitle = \"x\"\n[params]\na = [\"\"\"q\"\"\"\", " + strings.Repeat("{b=", 2000) + "1" + strings.Repeat("}", 2000) + "]\n+++\n"
	}, "content/hostile.md:4: front matter nests"},
	{"front-matter-too-large", func() string {
		return "+++\ntitle = \"x\"\n" + strings.Repeat("# 注释 comment\n", 5000) + "+++\n"
	}, "content/hostile.md:1:1: front matter is 84 KB: it may be at most 64 KB"},
	{"toml-many-unknown-keys", func() string {
		var b strings.Builder
		b.WriteString("+++\ntitle = \"x\"\n")
		for i := range 3000 {
			fmt.Fprintf(&b, "k%d = 1\n", i)
		}
		return b.String() + "+++\n"
	}, "content/hostile.md:12:1: unknown front matter key \"k9\""},
	{"deep-list", func() string {
		// 2,800 levels, each indented two more spaces: 7.8 MB.
		var b strings.Builder
		b.WriteString("+++\ntitle = \"x\"\n+++\n")
		for i := range 2800 {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}, "content/hostile.md:104: lists and block quotes nest more than 100 levels deep here"},
	{"deep-blockquote", func() string {
		return "+++\ntitle = \"x\"\n+++\ntext\n\n" + strings.Repeat(">", 100000) + " x\n"
	}, "content/hostile.md:6: lists and block quotes nest more than 100 levels deep here"},
	{"deep-compact-list", func() string {
		return "+++\ntitle = \"x\"\n+++\n" + strings.Repeat("- ", 100000) + "x\n"
	}, "content/hostile.md:4: lists and block quotes nest"},
}

// hostileChild names the case that a child process of
// TestHostileContentFailsAtItsLine runs.
const hostileChild = "LOBBY_TEST_HOSTILE_CASE"

// hostileMemory is the data segment a child may use: a few times what
// the test binary needs for a build of one page. Before these files were
// refused, the alias bomb grew past 24 GB and the deep list to 642 MB.
const hostileMemory = 512 << 20

// TestHostileContentFailsAtItsLine builds a site with each hostile file in
// a child process whose memory is limited, and expects the error at the
// file's line.
func TestHostileContentFailsAtItsLine(t *testing.T) {
	if name := os.Getenv(hostileChild); name != "" {
		lim := syscall.Rlimit{Cur: hostileMemory, Max: hostileMemory}
		if err := syscall.Setrlimit(syscall.RLIMIT_DATA, &lim); err != nil {
			t.Fatalf("limit memory: %v", err)
		}
		for _, tc := range hostileFiles {
			if tc.name == name {
				checkHostile(t, tc.src(), tc.want)
				return
			}
		}
		t.Fatalf("no case %q", name)
	}
	if testing.Short() {
		t.Skip("starts a process per case")
	}
	for _, tc := range hostileFiles {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHostileContentFailsAtItsLine$", "-test.count=1")
			cmd.Env = append(os.Environ(), hostileChild+"="+tc.name)
			out, err := cmd.CombinedOutput()
			if err != nil {
				if len(out) > 4000 {
					out = append(out[:4000], "…"...)
				}
				t.Fatalf("child: %v\n%s", err, out)
			}
		})
	}
}

func checkHostile(t *testing.T, src, want string) {
	errs := sitetest.BuildE(t, "-- config.toml --\ntitle = \"T\"\nbaseURL = \"https://example.org/\"\n-- content/hostile.md --\n"+src)
	for _, e := range errs {
		if strings.HasPrefix(e, want) {
			return
		}
	}
	if len(errs) > 5 {
		errs = errs[:5]
	}
	for i, e := range errs {
		if len(e) > 300 {
			errs[i] = e[:300] + "…"
		}
	}
	t.Fatalf("errors:\n%s\nwant one starting %q", strings.Join(errs, "\n"), want)
}
