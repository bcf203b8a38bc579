package main

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// released is the build information of a lobby installed with go install
// at a tagged version, as go version -m prints it.
const released = `go	go1.26.8
path	github.com/lobby-community/lobby/cmd/lobby
mod	github.com/lobby-community/lobby	v1.4.2	h1:abc=
build	-buildmode=exe
build	vcs=git
build	vcs.revision=0123456789abcdef0123456789abcdef01234567
build	vcs.time=2026-12-01T08:30:00Z
build	vcs.modified=false
`

func parseBuildInfo(t *testing.T, text string) *debug.BuildInfo {
	t.Helper()
	info, err := debug.ParseBuildInfo(text)
	if err != nil {
		t.Fatal(err)
	}
	// ParseBuildInfo leaves the toolchain to the runtime, which reads it
	// from elsewhere in a binary.
	if v, ok := strings.CutPrefix(strings.SplitN(text, "\n", 2)[0], "go\t"); ok {
		info.GoVersion = v
	}
	return info
}

func TestVersionNamesModuleAndCommit(t *testing.T) {
	dirty := strings.NewReplacer("v1.4.2", "v1.4.3-0.20261205101500-0123456789ab+dirty", "vcs.modified=false", "vcs.modified=true").Replace(released)
	for _, tc := range []struct {
		name, info string
		want       []string
	}{
		{"release", released, []string{"lobby v1.4.2\n", "revision 0123456789abcdef0123456789abcdef01234567\n",
			"time     2026-12-01T08:30:00Z\n", "modified false\n", "go       go1.26.8\n"}},
		{"checkout with changes", dirty, []string{"lobby v1.4.3-0.20261205101500-0123456789ab+dirty\n", "modified true\n"}},
		{"no version control", "go\tgo1.26.8\npath\tgithub.com/lobby-community/lobby/cmd/lobby\nmod\tgithub.com/lobby-community/lobby\t(devel)\t\n",
			[]string{"lobby (devel)\n", "revision unknown"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			c := &versionCmd{env: env{stdout: &out, stderr: &out}, info: parseBuildInfo(t, tc.info)}
			if err := c.Run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("lobby version printed\n%s\nwant a line %q", out.String(), w)
				}
			}
		})
	}
	// The binary's own information, whatever it is, prints a version line.
	if stdout, _, err := runLobby(t, "version"); err != nil || !strings.HasPrefix(stdout, "lobby ") || !strings.Contains(stdout, "\nrevision ") {
		t.Errorf("version = %q, %v", stdout, err)
	}
}

// initWorkflow runs lobby init as a binary built from info would, and
// returns the workflow it writes.
func initWorkflow(t *testing.T, info string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	var out bytes.Buffer
	c := &initCmd{env: env{stdout: &out, stderr: &out}, info: parseBuildInfo(t, info)}
	if err := c.Run(context.Background(), []string{dir}); err != nil {
		t.Fatalf("init: %v\n%s", err, out.String())
	}
	return readFile(t, filepath.Join(dir, ".github", "workflows", "lobby.yml"))
}

// The workflow of lobby init installs the lobby that made the site, never
// the newest, and builds for the address GitHub Pages publishes at, which
// for a project site has a path.
func TestInitWorkflowPinsVersionAndPagesBaseURL(t *testing.T) {
	wf := initWorkflow(t, released)
	for _, want := range []string{
		"LOBBY_VERSION: v1.4.2\n",
		"go install github.com/lobby-community/lobby/cmd/lobby@${{ env.LOBBY_VERSION }}",
		"id: pages\n        uses: actions/configure-pages@",
		`lobby build --no-index --base-url "${{ steps.pages.outputs.base_url }}/"`,
		"schedule:\n    - cron:",
		`go-version: "1.26"`,
	} {
		if !strings.Contains(wf, want) {
			t.Errorf("workflow lacks %q:\n%s", want, wf)
		}
	}
	if strings.Contains(wf, "@latest") {
		t.Error("workflow installs lobby@latest")
	}
	if !strings.Contains(wf, "origin") || !strings.Contains(wf, "config.toml") {
		t.Error("workflow does not say where a static site names its lobby server")
	}
	if strings.Count(wf, "go install ") != 2 {
		t.Errorf("workflow installs lobby %d times, want 2 (check, build)", strings.Count(wf, "go install "))
	}
}

// A development build has no version that go install could fetch: the
// workflow says so and fails until a version is put in, rather than
// installing whatever is newest.
func TestInitWorkflowFromDevelopmentBuild(t *testing.T) {
	for name, info := range map[string]string{
		"devel": "go\tgo1.26.8\npath\tgithub.com/lobby-community/lobby/cmd/lobby\nmod\tgithub.com/lobby-community/lobby\t(devel)\t\n",
		"dirty": strings.Replace(released, "v1.4.2", "v1.4.3-0.20261205101500-0123456789ab+dirty", 1),
	} {
		t.Run(name, func(t *testing.T) {
			wf := initWorkflow(t, info)
			if !strings.Contains(wf, "LOBBY_VERSION: SET-THE-LOBBY-VERSION\n") || !strings.Contains(wf, "development build") {
				t.Errorf("workflow of a %s build:\n%s", name, wf)
			}
			if strings.Contains(wf, "@latest") {
				t.Error("workflow installs lobby@latest")
			}
		})
	}
}
