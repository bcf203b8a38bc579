package main

import (
	"bytes"
	"embed"
	"runtime/debug"
	"strings"
	"text/template"
)

// skeleton is the site that lobby init writes.
//
//go:embed all:skeleton
var skeleton embed.FS

// skeletonData is what the skeleton's templates (files ending in .tmpl)
// are filled with.
type skeletonData struct {
	Package string // lobby's main package, for go install
	Version string // lobby's module version
	Pinned  bool   // Version names a published version
	Go      string // the Go release to build lobby with: major.minor
}

// skeletonVars describes the lobby binary that runs init, so that the
// site's workflow installs the same version, never whatever is newest.
func skeletonVars(info *debug.BuildInfo) skeletonData {
	b := readBuild(info)
	d := skeletonData{Package: b.module, Version: b.version, Pinned: b.pinnable(), Go: "1.26"}
	if v, ok := strings.CutPrefix(b.goVer, "go"); ok {
		if parts := strings.Split(v, "."); len(parts) >= 2 {
			d.Go = parts[0] + "." + parts[1]
		}
	}
	return d
}

// fillSkeleton fills the template name of the skeleton with d. Its
// delimiters are [[ and ]], since GitHub's workflows use {{ and }}.
func fillSkeleton(name string, text []byte, d skeletonData) ([]byte, error) {
	t, err := template.New(name).Delims("[[", "]]").Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := t.Execute(&out, d); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
