// Package lobby holds the default theme, embedded so that the binary can build
// a site that has no layouts/ folder of its own.
package lobby

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

//go:embed layouts
var theme embed.FS

// Theme returns the default theme: templates, partials and assets, rooted at
// the layouts folder.
func Theme() fs.FS {
	sub, err := fs.Sub(theme, "layouts")
	if err != nil {
		panic(err) // the embedded tree always has layouts/
	}
	return sub
}

// Demo returns the demo community site of the repository (config.toml and
// content/), for tests; it is read from the source tree, not embedded.
func Demo() fs.FS {
	_, file, _, _ := runtime.Caller(0)
	return os.DirFS(filepath.Dir(file))
}
