package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/site"
)

const testNow = "2026-11-27T10:00:00+08:00"

// runLobby runs the CLI with args and returns its output.
//
// Its messages are in English, whatever the site's language and LOBBY_LANG
// say, as the tests that use it assert them; runLobbyIn chooses.
func runLobby(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runLobbyIn(t, msg.En, args...)
}

// runLobbyIn runs lobby with args, its messages in lang, or in the
// language lobby finds for itself when lang is "".
func runLobbyIn(t *testing.T, lang msg.Lang, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = runEnv(context.Background(), args, env{stdout: &out, stderr: &errOut, getenv: os.Getenv, lang: lang})
	return out.String(), errOut.String(), err
}

// newSite writes a fresh site with lobby init and returns its folder.
func newSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if _, stderr, err := runLobby(t, "init", dir); err != nil {
		t.Fatalf("init: %v\n%s", err, stderr)
	}
	return dir
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// lobby init writes a site that builds as it is, with a CI
// workflow that checks pull requests, deploys main and rebuilds daily.
func TestInitSiteBuilds(t *testing.T) {
	dir := newSite(t)
	stdout, stderr, err := runLobby(t, "build", "--source", dir, "--no-index", "--now", testNow)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(stdout, "built ") || !strings.Contains(stdout, "notices 1") {
		t.Errorf("summary = %q", stdout)
	}
	for _, f := range []string{"index.html", "notices/welcome/index.html", "events/residents-meeting/index.html",
		"fees/2026-q1/index.html", "handbook/repairs/index.html", "feedback/index.html", "404.html", "sitemap.xml"} {
		if _, err := os.Stat(filepath.Join(dir, "public", f)); err != nil {
			t.Errorf("missing public/%s", f)
		}
	}
	wf := readFile(t, filepath.Join(dir, ".github", "workflows", "lobby.yml"))
	for _, want := range []string{"pull_request", "lobby check --format github --no-index", "branches: [main]", "schedule:", "cron:", "lobby build"} {
		if !strings.Contains(wf, want) {
			t.Errorf("workflow lacks %q", want)
		}
	}
}

func TestInitRefusesNonEmptyFolder(t *testing.T) {
	dir := newSite(t)
	if _, _, err := runLobby(t, "init", dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("init into a site = %v, want a not-empty error", err)
	}
}

// --quiet prints nothing but errors.
func TestBuildQuiet(t *testing.T) {
	dir := newSite(t)
	stdout, stderr, err := runLobby(t, "build", "--source", dir, "--no-index", "--quiet")
	if err != nil || stdout != "" || stderr != "" {
		t.Errorf("quiet build: err=%v stdout=%q stderr=%q", err, stdout, stderr)
	}
}

// a failed build prints every error as path:line:col, exits 1,
// and leaves the previous public/ untouched.
func TestFailedBuildKeepsPreviousOutput(t *testing.T) {
	dir := newSite(t)
	if _, stderr, err := runLobby(t, "build", "--source", dir, "--no-index"); err != nil {
		t.Fatalf("first build: %v\n%s", err, stderr)
	}
	before := readFile(t, filepath.Join(dir, "public", "index.html"))
	bad := "+++\ntitle = \"坏\"\ntitel = \"x\"\n+++\n[x](/nowhere/)\n"
	if err := os.WriteFile(filepath.Join(dir, "content", "bad.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runLobby(t, "build", "--source", dir, "--no-index")
	if !errors.Is(err, errReported) {
		t.Fatalf("build of a broken site: err = %v, want errReported", err)
	}
	for _, want := range []string{`content/bad.md:3:1: unknown front matter key "titel"`, "content/bad.md:5:1: link to /nowhere/", "2 errors"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if after := readFile(t, filepath.Join(dir, "public", "index.html")); after != before {
		t.Error("public/index.html changed after a failed build")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".new-") {
			t.Errorf("temporary folder %s left behind", e.Name())
		}
	}
}

// lobby check validates and writes nothing; --format github
// prints annotations.
func TestCheckGitHubFormat(t *testing.T) {
	dir := newSite(t)
	os.WriteFile(filepath.Join(dir, "content", "bad.md"), []byte("+++\ntitle = \"x\"\nurgency = \"urgent\"\n+++\n"), 0o644)
	stdout, _, err := runLobby(t, "check", "--source", dir, "--format", "github")
	if err == nil {
		t.Fatal("check passed a broken site")
	}
	want := `::error file=content/bad.md,line=3,col=1::"urgency" is a key of pages in notices/, not here`
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("check wrote public/")
	}
}

// lobby new writes a page of the kind, dated today in the site's
// time zone, with flags after the arguments.
func TestNewWritesKindFrontMatter(t *testing.T) {
	dir := newSite(t)
	// 20:00 UTC on the 30th is already the 1st in Shanghai.
	now := time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ kind, title, file, want string }{
		{"notice", "停水 通知", "content/notices/2026-12-01-停水-通知.md", `urgency = "info"`},
		{"event", "Spring Fair", "content/events/spring-fair.md", "start = 2026-12-08T10:00:00+08:00"},
		{"newsletter", "第二期", "content/newsletters/2026-12-01-第二期.md", "issue = 1"},
		{"fee", "2026 Q4", "content/fees/2026-q4.md", `period = "2026-Q4"`},
		{"handbook", "垃圾分类", "content/handbook/垃圾分类.md", "weight = 10"},
		{"page", "关于", "content/关于.md", "date = 2026-12-01T04:00:00+08:00"},
	} {
		var out, errOut bytes.Buffer
		cmd := &newCmd{env: env{stdout: &out, stderr: &errOut}, now: func() time.Time { return now }}
		if err := cmd.Run(context.Background(), []string{tc.kind, tc.title, "--source", dir}); err != nil {
			t.Fatalf("new %s: %v", tc.kind, err)
		}
		got := readFile(t, filepath.Join(dir, tc.file))
		if !strings.Contains(got, tc.want) || !strings.Contains(got, "title = ") {
			t.Errorf("%s:\n%s\nwant %q", tc.file, got, tc.want)
		}
	}
	if _, stderr, err := runLobby(t, "check", "--source", dir, "--now", "2026-12-02T00:00:00+08:00"); err != nil {
		t.Errorf("site with new pages does not check: %v\n%s", err, stderr)
	}
	if _, _, err := runLobby(t, "new", "notice", "x", "--source", dir); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runLobby(t, "new", "notice", "x", "--source", dir); err == nil {
		t.Error("new overwrote an existing file")
	}
	if _, _, err := runLobby(t, "new", "poster", "x", "--source", dir); err == nil {
		t.Error("new accepted an unknown kind")
	}
}

// a symbolic link out of the site is an error; a loop
// back into content/ does not hang the build.
func TestBuildSymlinks(t *testing.T) {
	dir := newSite(t)
	if err := os.Symlink(".", filepath.Join(dir, "content", "loop")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, stderr, err := runLobby(t, "build", "--source", dir, "--no-index"); err != nil {
		t.Fatalf("build with a loop: %v\n%s", err, stderr)
	}
	os.Symlink("/etc", filepath.Join(dir, "content", "out"))
	_, stderr, err := runLobby(t, "build", "--source", dir, "--no-index")
	if err == nil || !strings.Contains(stderr, "content/out: symbolic link is absolute, leads outside the site") {
		t.Errorf("build with a link to /etc: err=%v\n%s", err, stderr)
	}
}

// every command has a -h that explains it.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, name := range []string{"build", "check", "new", "init", "version"} {
		_, stderr, err := runLobby(t, name, "-h")
		if err == nil || !strings.Contains(stderr, "usage: lobby "+name) {
			t.Errorf("%s -h: err=%v\n%s", name, err, stderr)
		}
	}
	if _, _, err := runLobby(t, "nonsense"); err == nil {
		t.Error("an unknown command succeeded")
	}
}

func TestVersion(t *testing.T) {
	stdout, _, err := runLobby(t, "version")
	if err != nil || !strings.HasPrefix(stdout, "lobby ") {
		t.Errorf("version = %q, %v", stdout, err)
	}
}

// a bad --now is a usage error naming the flag.
func TestBadNow(t *testing.T) {
	dir := newSite(t)
	_, _, err := runLobby(t, "build", "--source", dir, "--now", "tomorrow")
	if err == nil || !strings.Contains(err.Error(), "--now") {
		t.Errorf("err = %v", err)
	}
}

// lobby build writes the search index to .lobby/search/, and
// --no-index leaves it out.
func TestBuildIndexAndNoIndex(t *testing.T) {
	dir := newSite(t)
	if _, stderr, err := runLobby(t, "build", "--source", dir, "--no-index", "--quiet"); err != nil {
		t.Fatalf("build --no-index: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".lobby", "search")); !os.IsNotExist(err) {
		t.Errorf("build --no-index wrote .lobby/search (stat: %v)", err)
	}
	if _, stderr, err := runLobby(t, "build", "--source", dir, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".lobby", "search", "current")); err != nil {
		t.Errorf("build wrote no index: %v", err)
	}
}

// LOBBY_CPUPROFILE writes a CPU profile of the command that go
// tool pprof reads; a file that cannot be made costs the command nothing.
func TestStartProfile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cpu.prof")
	stop := startProfile(file)
	if _, _, err := runLobby(t, "check", "--source", newSite(t)); err != nil {
		t.Fatal(err)
	}
	stop()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A profile is a gzip-compressed protocol buffer, never empty.
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("the profile is not gzip: %v", err)
	}
	if data, err := io.ReadAll(zr); err != nil || len(data) == 0 {
		t.Errorf("the profile holds %d bytes: %v", len(data), err)
	}
	startProfile(filepath.Join(t.TempDir(), "no", "such", "folder", "cpu.prof"))() // prints, does not stop anything
}

// A summary written in the front matter is searched; one cut from the
// page's own text is only shown, since searching it again would count the
// page's first words twice.
func TestSearchDocsMarkSummariesCutFromTheBody(t *testing.T) {
	dir := newSite(t)
	pages := map[string]string{
		"own.md": "+++\ntitle = \"自有摘要\"\nsummary = \"写在页首的摘要。\"\n+++\n\n正文第一段。\n",
		"cut.md": "+++\ntitle = \"截取摘要\"\n+++\n\n正文第一段，会成为摘要。\n",
	}
	for name, text := range pages {
		if err := os.WriteFile(filepath.Join(dir, "content", "handbook", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := site.Load(os.DirFS(dir), lobby.Theme(), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"/handbook/own/": false, "/handbook/cut/": true}
	for _, d := range search.SiteDocs(s) {
		if fromBody, ok := want[d.URL]; ok {
			if d.SummaryFromBody != fromBody || d.Summary == "" {
				t.Errorf("%s: SummaryFromBody = %v with summary %q, want %v", d.URL, d.SummaryFromBody, d.Summary, fromBody)
			}
			delete(want, d.URL)
		}
	}
	if len(want) > 0 {
		t.Errorf("no search documents for %v", want)
	}
}

// lobby check stops when its context ends (SIGINT or SIGTERM in main) and
// says so, rather than running on and passing.
func TestCheckInterrupted(t *testing.T) {
	dir := newSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	err := run(ctx, []string{"check", "--source", dir}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "check interrupted") {
		t.Fatalf("check with a cancelled context: %v, want \"check interrupted\"\n%s", err, errOut.String())
	}
}
