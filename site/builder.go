package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"path"
	"strings"
	"time"
)

// Builder builds one site again and again as its files change (lobby serve
// --watch). It keeps what the last build read: every content file parsed,
// with its Markdown rendered, the templates and the static files. After a
// change to content files, Rebuild reads and renders only those files,
// copies the last site when only page bodies changed (else assembles it
// again from the pages it kept), executes again only the templates whose
// input may have changed, and writes only the files whose bytes changed.
// A change to anything else (templates, static files, config.toml) builds
// everything again. Either way the output is the same as Build's, byte for
// byte. The package comment draws both paths; the rebuild's own parts are
// in the files named rebuild_*.go.
//
// A Builder is not safe for concurrent use; the sites it returns are, and
// stay valid after later builds.
type Builder struct {
	fsys, theme fs.FS
	opts        Options
	dest        string // output folder; "" keeps the output in Site.Files
	// once: the site is built once (lobby build), so nothing is kept for
	// a rebuild beyond what the build itself needs.
	once bool

	// What the last build read; cfg is nil until the first build.
	cfg     *Config
	md      *markdown
	layout  *layoutState
	sources map[string]*source // content path (or folder with a read error) → what was read
	dirty   map[string]bool    // sources read again (or gone) since the last build that succeeded

	last *lastBuild // the last build that succeeded
	// unsaved: the manifest of dest was removed by a rebuild and is not
	// written yet (SaveManifest).
	unsaved bool
	// ctx is the context of the build in progress (see RebuildContext),
	// or Background.
	ctx context.Context
}

// layoutState is what a build reads outside content/: templates, assets
// and static files.
type layoutState struct {
	tmpl   *templates
	errs   ErrorList
	assets map[string]string // asset name → fingerprinted URL
	static map[string][]byte // output path → contents
	gen    [32]byte          // sum of all of it, so that a change renders everything again
}

// source is one content file as read and parsed, or the errors of a file
// or folder that could not be.
type source struct {
	page *Page // as loadPage made it; builds copy it and never change it
	errs error
	md   *rendered // the Markdown of page's body, once rendered
}

// lastBuild is what a rebuild compares with.
type lastBuild struct {
	site   *Site
	sig    [32]byte
	layout *layoutState
	now    map[string]string  // layout → what it reads of .Site.Now
	files  map[string][]byte  // the output, when kept in memory
	sums   map[string]fileSum // the output, when written to a folder
	names  map[string]int     // its files' places in the manifest
}

// NewBuilder returns a Builder for the site in fsys with theme. dest is
// the output folder, or "" to keep the output in memory (Site.Files).
func NewBuilder(fsys, theme fs.FS, opts Options, dest string) *Builder {
	return &Builder{fsys: fsys, theme: theme, opts: opts, dest: dest, ctx: context.Background()}
}

// Build reads everything again and builds the site.
func (b *Builder) Build() (*Site, error) {
	return b.BuildContext(context.Background())
}

// BuildContext is Build that stops when ctx is done, as RebuildContext does.
func (b *Builder) BuildContext(ctx context.Context) (*Site, error) {
	b.cfg = nil
	return b.RebuildContext(ctx, nil)
}

// Rebuild builds the site again after the files at changed (slash-separated
// paths relative to the site folder, such as "content/notices/water.md",
// "layouts/single.html" or a removed folder) changed. A site that was not
// built yet is built whole.
func (b *Builder) Rebuild(changed []string) (*Site, error) {
	return b.RebuildContext(context.Background(), changed)
}

// RebuildContext is Rebuild that stops, returning ctx's error, when ctx is
// done: it looks between the files it reads, renders and writes, and once
// more before the output goes in place, so that a build stopped by a
// signal leaves the output folder as it was. The next build reads
// everything again.
func (b *Builder) RebuildContext(ctx context.Context, changed []string) (s *Site, err error) {
	b.ctx = ctx
	defer func() {
		b.ctx = context.Background()
		if err != nil && ctx.Err() != nil {
			b.cfg, b.last, s, err = nil, nil, nil, ctx.Err()
		}
	}()
	started := time.Now()
	contentOnly := b.cfg != nil
	for _, c := range changed {
		if c != ContentDir && !strings.HasPrefix(c, ContentDir+"/") {
			contentOnly = false
		}
	}
	if !contentOnly {
		if err := b.reload(changed); err != nil {
			b.cfg = nil // read everything again next time
			return nil, err
		}
	} else {
		for _, c := range changed {
			b.reread(c)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if contentOnly {
		s = b.replay(started)
	}
	if s != nil {
		s.replayed = true
	} else {
		if s, err = b.load(started); err != nil {
			return nil, err
		}
	}
	if err := b.render(s); err != nil {
		return nil, err
	}
	return s, nil
}

// reload reads what changed outside content/: config.toml (then everything),
// or templates and static files.
func (b *Builder) reload(changed []string) error {
	configChanged := b.cfg == nil
	for _, c := range changed {
		// A survey's results (data/surveys/) are read with its content
		// file: read everything again.
		if c == ConfigFile || c == "." || c == "" || c == DataDir || strings.HasPrefix(c, DataDir+"/") {
			configChanged = true
		}
	}
	if configChanged {
		cfg, err := LoadConfig(b.fsys)
		if err != nil {
			return err
		}
		if b.opts.BaseURL != "" {
			cfg.BaseURL = strings.TrimSuffix(b.opts.BaseURL, "/") + "/"
		}
		b.cfg = cfg
		b.md = newMarkdown(cfg.Markup.Unsafe, cfg.Language, cfg.BasePath())
		b.sources = nil
	}
	if b.sources == nil {
		b.sources = map[string]*source{}
		b.dirty = map[string]bool{}
		b.readTree(ContentDir)
	} else {
		for _, c := range changed {
			if c == ContentDir || strings.HasPrefix(c, ContentDir+"/") {
				b.reread(c)
			}
		}
	}
	ls, err := loadLayout(b.fsys, b.theme, b.cfg)
	if err != nil {
		return err
	}
	b.layout = ls
	return nil
}

// loadLayout reads the templates, the theme's assets and the static files.
func loadLayout(fsys, theme fs.FS, cfg *Config) (*layoutState, error) {
	ls := &layoutState{assets: map[string]string{}, static: map[string][]byte{}}
	lfiles, err := layouts(theme, fsys)
	if err != nil {
		return nil, err
	}
	ls.tmpl, err = loadTemplates(lfiles, cfg)
	if err != nil {
		ls.errs.add(LayoutsDir, err)
	}
	h := sha256.New()
	for _, name := range sortedKeys(lfiles) {
		f := lfiles[name]
		data, err := fs.ReadFile(f.fsys, f.path)
		if err != nil {
			ls.errs.msgf(f.name, 0, 0, msgCannotRead, err)
			continue
		}
		h.Write([]byte(f.name + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
		if !strings.HasPrefix(name, "assets/") {
			continue
		}
		sum := sha256.Sum256(data)
		base := strings.TrimPrefix(name, "assets/")
		ext := path.Ext(base)
		out := "assets/" + strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ls.static[out] = data
		ls.assets[base] = "/" + out
	}
	err = fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "static" {
				return fs.SkipAll
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != "static" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "static/")
		ls.static[rel] = data
		h.Write([]byte(p + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
		return nil
	})
	if err != nil {
		ls.errs.msgf("static", 0, 0, msgCannotRead, err)
	}
	h.Sum(ls.gen[:0])
	return ls, nil
}

// readTree reads and parses every content file below root.
func (b *Builder) readTree(root string) {
	files, errs := readContent(b.fsys, root)
	for _, e := range errs {
		b.sources[e.Path] = &source{errs: appendErr(b.sources[e.Path], e)}
		b.dirty[e.Path] = true
	}
	pages := make([]*source, len(files))
	parallelCtx(b.ctx, len(files), func(i int) {
		p, fm, err := loadPage(files[i], b.cfg)
		if p != nil {
			err = b.surveyResults(p, fm, err)
			setCard(p)
		}
		pages[i] = &source{page: p, errs: err}
	})
	for i, f := range files {
		if pages[i] == nil {
			continue // stopped: the build fails, and the next reads everything again
		}
		b.sources[f.path] = pages[i]
		b.dirty[f.path] = true
	}
}

func appendErr(src *source, e *Error) error {
	var list ErrorList
	if src != nil {
		list.add(e.Path, src.errs)
	}
	list = append(list, e)
	return list
}

// parse parses one content file into its source.
func (b *Builder) parse(f sourceFile) {
	p, fm, err := loadPage(f, b.cfg)
	if p != nil {
		err = b.surveyResults(p, fm, err)
		setCard(p)
	}
	b.sources[f.path] = &source{page: p, errs: err}
}

// load assembles a site from the sources, renders the Markdown of the
// pages whose source or place changed, and checks links.
func (b *Builder) load(started time.Time) (*Site, error) {
	cfg, opts := b.cfg, b.opts
	now := opts.Now
	if now.IsZero() {
		now = started
	}
	s := &Site{Config: cfg, Options: opts, Now: now.In(cfg.Location), started: started, base: cfg.BasePath(),
		byURL: make(map[string]*Page, len(b.sources)+len(b.sources)/8), byFile: make(map[string]*Page, len(b.sources)),
		known: make(map[string]bool, 2*len(b.sources)), md: b.md}
	var errs ErrorList
	var kept []*Page
	var srcs []*source
	for _, name := range sortedKeys(b.sources) {
		src := b.sources[name]
		errs.add(name, src.errs)
		if src.page == nil || !published(src.page, opts, s.Now) {
			continue
		}
		kept = append(kept, clonePage(src.page))
		srcs = append(srcs, src)
	}
	bySrc := make(map[*Page]*source, len(kept))
	for i, p := range kept {
		bySrc[p] = srcs[i]
	}
	ls := b.layout
	s.tmpl, s.assets, s.static = ls.tmpl, ls.assets, ls.static
	errs = append(errs, misspeltSections(maps.Keys(b.sources), cfg.Sections)...)
	s.assemble(kept, &errs)

	errs = append(errs, ls.errs...)
	for name := range ls.static {
		s.known["/"+name] = true
	}
	for _, u := range append(generatedPaths, s.sectionPaths()...) {
		s.known[u] = true
	}
	if err := b.ctx.Err(); err != nil {
		return nil, err
	}
	s.renderMarkdown(b.ctx, &errs, bySrc)
	if err := b.ctx.Err(); err != nil {
		return nil, err
	}
	if b.once {
		// Nothing renders the Markdown again: let it go, since the
		// sources of every page are a large part of a build's heap.
		for i, p := range kept {
			p.body, srcs[i].page.body = nil, nil
		}
	}
	s.checkLinks(&errs)
	s.View = s.siteView()
	if err := errs.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// clonePage copies a page as loadPage made it, for a build to complete.
func clonePage(p *Page) *Page {
	q := *p
	if p.Notice != nil {
		n := *p.Notice
		q.Notice = &n
	}
	if p.Event != nil {
		e := *p.Event
		q.Event = &e
	}
	if p.Survey != nil {
		sv := *p.Survey
		q.Survey = &sv
	}
	return &q
}

// render plans the output of s and runs the jobs whose input changed since
// the last build (all of them the first time), then writes or keeps the
// files.
func (b *Builder) render(s *Site) error {
	jobs, names, err := s.plan()
	if err != nil {
		return err
	}
	s.nfiles = len(jobs)
	if !b.once {
		s.feed = &feedCache{}
		if b.last != nil {
			s.prevFeed = b.last.site.feed
		}
	}
	next := &lastBuild{site: s, layout: b.layout, now: s.nowKeys(jobs)}
	if s.replayed {
		next.sig = b.last.sig // the same pages, but for bodies
	} else {
		next.sig = s.siteSig(b.layout.gen)
	}
	only := b.changedJobs(s, next)

	var out output
	var dir *dirOutput
	if b.dest == "" {
		s.Files = make(map[string][]byte, len(jobs))
		var prev map[string][]byte
		if b.last != nil && only != nil {
			prev = b.last.files
		}
		out = newMemOutput(s.Files, prev)
	} else {
		var old map[string]fileSum
		if b.last != nil {
			old = b.last.sums
		}
		// (With no manifest, old is read from dest: a build that runs every
		// job still writes only the files that changed.)
		if dir, err = newDirOutput(b.dest, old); err != nil {
			return err
		}
		out = dir
	}
	err = s.run(b.ctx, jobs, names, out, only)
	if err == nil {
		err = b.ctx.Err() // the last moment to stop: then the output goes in place
	}
	if err != nil {
		if dir != nil {
			dir.abort()
		}
		return err
	}
	if dir != nil {
		// A rebuild leaves the manifest unwritten: it lists every file of
		// the output, so writing it grows with the site while the rest of
		// a rebuild grows with the change. The server writes it once the
		// author pauses (SaveManifest).
		save := b.once || b.last == nil
		if err := dir.commit(save); err != nil {
			b.last = nil // the folder is in an unknown state: write it afresh
			return err
		}
		b.unsaved = !save
		next.sums, next.names = dir.sums, names
		s.written = int(dir.written.Load())
	} else {
		next.files = s.Files
	}
	b.last = next
	clear(b.dirty)
	return nil
}

// SaveManifest writes the manifest of the output folder that rebuilds left
// unwritten, so that the next build in another process (lobby build, or
// lobby serve started again) writes only the files that changed. Without
// it, that build writes the whole folder afresh; the output is right either
// way. Like Rebuild, it must not run at the same time as another call.
func (b *Builder) SaveManifest() {
	if !b.unsaved || b.last == nil || b.last.sums == nil {
		return
	}
	saveManifest(b.dest, manifestBytes(b.last.sums, b.last.names))
	b.unsaved = false
}
