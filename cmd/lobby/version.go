package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

type versionCmd struct {
	env env
	// info, if set, replaces the binary's own build information (tests).
	info *debug.BuildInfo
}

const versionHelp = `usage: lobby version

Prints the lobby module version and the commit the binary was built from
(its revision, commit time and whether the working tree had changes), so
that a deployed server can be matched to a commit.`

func (c *versionCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("version", versionHelp, c.env.stderr)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("version takes no arguments, got %q", rest)
	}
	info := c.info
	if info == nil {
		info, _ = debug.ReadBuildInfo()
	}
	fmt.Fprint(c.env.stdout, describeBuild(info))
	return nil
}

// buildOf is what lobby knows of the build of its binary.
type buildOf struct {
	module   string // the main package's import path, for go install
	version  string // the module version, "(devel)" when it has none
	revision string // the VCS commit, "" when unknown
	time     string // the commit's time, RFC 3339
	modified bool   // the working tree had uncommitted changes
	goVer    string
}

// readBuild collects the module version and the VCS stamps that the go
// command writes into every binary it builds (go install of a version, or
// go build in a checkout).
func readBuild(info *debug.BuildInfo) buildOf {
	b := buildOf{module: "github.com/lobby-community/lobby/cmd/lobby", version: "(devel)"}
	if info == nil {
		return b
	}
	if info.Path != "" {
		b.module = info.Path
	}
	if info.Main.Version != "" {
		b.version = info.Main.Version
	}
	b.goVer = info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.revision = s.Value
		case "vcs.time":
			b.time = s.Value
		case "vcs.modified":
			b.modified = s.Value == "true"
		}
	}
	return b
}

// pinnable reports whether the version names a published state of the
// module that go install can fetch: not a development build, nor one with
// uncommitted changes.
func (b buildOf) pinnable() bool {
	return b.version != "(devel)" && b.version != "" && !strings.Contains(b.version, "+dirty") && !b.modified
}

// describeBuild is lobby version's output: one "key value" line each.
func describeBuild(info *debug.BuildInfo) string {
	b := readBuild(info)
	var s strings.Builder
	fmt.Fprintf(&s, "lobby %s\n", b.version)
	fmt.Fprintf(&s, "path     %s\n", b.module)
	rev := b.revision
	if rev == "" {
		rev = "unknown (built outside a git checkout, or with -buildvcs=false)"
	}
	fmt.Fprintf(&s, "revision %s\n", rev)
	if b.time != "" {
		fmt.Fprintf(&s, "time     %s\n", b.time)
	}
	if b.revision != "" {
		fmt.Fprintf(&s, "modified %t\n", b.modified)
	}
	if b.goVer != "" {
		fmt.Fprintf(&s, "go       %s\n", b.goVer)
	}
	return s.String()
}
