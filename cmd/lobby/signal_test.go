package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// signalPages is the size of the site that TestSIGTERMStopsBuild
// interrupts: large enough that writing it takes a while on two cores.
const signalPages = 2000

// TestSIGTERMStopsBuild sends SIGTERM to lobby build while it writes a
// large site, and expects it to exit with an error, leaving the previous
// output and search index as they were, byte for byte.
func TestSIGTERMStopsBuild(t *testing.T) {
	bin := lobbyBinary(t)
	dir := filepath.Join(t.TempDir(), "site")
	runBinary(t, bin, "init", dir)
	writePages(t, dir, "第一版")
	runBinary(t, bin, "build", "--quiet", "--source", dir)
	public := filepath.Join(dir, "public")
	before := snapshot(t, public)
	indexBefore := snapshot(t, filepath.Join(dir, ".lobby", "search"))

	// Every page changes, so a build that ran to its end would change
	// every page's file.
	writePages(t, dir, "第二版")
	cmd := exec.Command(bin, "build", "--source", dir)
	cmd.Env = childEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// The build writes into a staging folder inside public/ before it puts
	// anything in place: signal once that folder exists.
	for staged := false; !staged; {
		select {
		case err := <-done:
			t.Fatalf("build ended before it wrote anything (%v):\n%s", err, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		entries, _ := os.ReadDir(public)
		for _, e := range entries {
			staged = staged || strings.HasPrefix(e.Name(), ".lobby-stage-")
		}
	}
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute): // a hang, not a slow machine
		cmd.Process.Kill()
		t.Fatalf("lobby build still runs a minute after SIGTERM:\n%s", stderr.String())
	}
	t.Logf("exited %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("lobby build after SIGTERM: %v, want exit status 1\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "build interrupted") {
		t.Errorf("stderr = %q, want it to say the build was interrupted", stderr.String())
	}
	assertSame(t, "public/", before, snapshot(t, public))
	assertSame(t, ".lobby/search/", indexBefore, snapshot(t, filepath.Join(dir, ".lobby", "search")))
}

// writePages writes signalPages handbook pages into the site at dir, each
// with about 2 KB of text that mentions version.
func writePages(t *testing.T, dir, version string) {
	t.Helper()
	folder := filepath.Join(dir, "content", "handbook", "generated")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	para := strings.Repeat("小区物业服务说明，住户请按时阅读。Residents read this notice. ", 25)
	for i := range signalPages {
		src := fmt.Sprintf("+++\ntitle = \"第 %d 页 %s\"\nweight = %d\n+++\n\n## %s\n\n%s\n", i, version, i+1, version, para)
		if err := os.WriteFile(filepath.Join(folder, fmt.Sprintf("p%04d.md", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot reads every file below root: path → contents, with folders as
// "/" and symbolic links as their targets.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case d.IsDir():
			files[rel] = "/"
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			files[rel] = "-> " + target
			return err
		default:
			data, err := os.ReadFile(p)
			files[rel] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func assertSame(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	var diffs []string
	for p, data := range before {
		if got, ok := after[p]; !ok {
			diffs = append(diffs, "gone: "+p)
		} else if got != data {
			diffs = append(diffs, "changed: "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			diffs = append(diffs, "new: "+p)
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 10 {
			diffs = append(diffs[:10], fmt.Sprintf("and %d more", len(diffs)-10))
		}
		t.Errorf("%s changed after the interrupted build:\n%s", what, strings.Join(diffs, "\n"))
	}
}
