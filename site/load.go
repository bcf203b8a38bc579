package site

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
)

// ContentDir is the folder of a site's Markdown content.
const ContentDir = "content"

// maxFileBytes bounds one content file; a larger one is an error, not a
// reason to run out of memory.
const maxFileBytes = 8 << 20

// Options are a build's choices that are not in config.toml.
type Options struct {
	Drafts  bool      // include drafts
	Future  bool      // include pages whose publish date is after Now
	Expired bool      // include pages whose expiryDate is before Now
	Now     time.Time // the moment publishing and expiry are judged against; the clock when zero
	BaseURL string    // overrides config.toml's baseURL when set
	// Static builds for a static host, which answers no search and no
	// feedback (lobby build --no-index). Unless config.toml names a server
	// origin, the pages then have no search box, feedback form or status
	// link, and offer the office's telephone and e-mail instead.
	Static bool
}

// sourceFile is one content file read from disk.
type sourceFile struct {
	path string // "content/notices/x.md"
	data []byte
}

// readContent reads every Markdown file below root (content/ or a folder
// in it) in a stable order. Symbolic links are not followed: one that
// leads out of the site is an error, one that stays inside (a loop, say) is
// skipped.
func readContent(fsys fs.FS, root string) ([]sourceFile, ErrorList) {
	var files []sourceFile
	var errs ErrorList
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			errs.msgf(p, 0, 0, msgCannotRead, errors.Unwrap(err))
			return nil
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		f, ok, rerr := readSource(fsys, p, d)
		if rerr != nil {
			errs = append(errs, rerr)
		} else if ok {
			files = append(files, f)
		}
		return nil
	})
	if err != nil {
		errs.msgf(root, 0, 0, msgCannotRead, err)
	}
	return files, errs
}

// readSource reads the content file at p, which is not a folder; ok is
// false for a file that is not Markdown and for a symbolic link that
// stays inside the site.
func readSource(fsys fs.FS, p string, d fs.DirEntry) (f sourceFile, ok bool, err *Error) {
	if d.Type()&fs.ModeSymlink != 0 {
		if _, err := fs.Stat(fsys, p); err != nil {
			return f, false, newError(p, 0, 0, msgBadSymlink)
		}
		return f, false, nil
	}
	if !strings.HasSuffix(d.Name(), ".md") {
		return f, false, nil
	}
	info, ierr := d.Info()
	if ierr == nil && info.Size() > maxFileBytes {
		return f, false, newError(p, 0, 0, msgFileTooLarge, info.Size()>>20, maxFileBytes>>20)
	}
	data, rerr := fs.ReadFile(fsys, p)
	if rerr != nil {
		return f, false, newError(p, 0, 0, msgCannotRead, rerr)
	}
	return sourceFile{path: p, data: data}, true, nil
}

// loadPage parses one content file into a page, or returns its errors.
func loadPage(f sourceFile, cfg *Config) (*Page, *parsedFrontMatter, error) {
	rel := strings.TrimPrefix(f.path, ContentDir+"/")
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	section := strings.SplitN(dir, "/", 2)[0]
	name := path.Base(rel)
	isIndex := name == "_index.md"

	src, err := cleanSource(f.data)
	if err != nil {
		return nil, nil, withPath(err, f.path, 0)
	}
	var errs ErrorList
	fm, body, err := parseFrontMatter(src, section)
	if err != nil {
		var list ErrorList
		errors.As(err, &list)
		for _, e := range list {
			e.Path = f.path
		}
		if fm == nil {
			return nil, nil, list
		}
		errs = append(errs, list...)
	}
	loc := cfg.Location
	p := &Page{
		Kind:        KindPage,
		File:        f.path,
		Section:     section,
		Dir:         dir,
		Title:       strings.TrimSpace(fm.Title),
		Summary:     fm.Summary,
		OwnSummary:  fm.Summary != "",
		Date:        fm.Date.in(loc),
		Lastmod:     fm.Lastmod.in(loc),
		PublishDate: fm.PublishDate.in(loc),
		ExpiryDate:  fm.ExpiryDate.in(loc),
		Draft:       fm.Draft,
		Weight:      fm.Weight,
		Aliases:     fm.Aliases,
		Params:      fm.Params,
		body:        body,
		bodyLine:    fm.bodyLine,
	}
	if p.Lastmod.IsZero() {
		p.Lastmod = p.Date
	}
	at := func(key string, m msg.Message, args ...any) {
		line, col := fm.keyPos(key)
		errs.msgf(f.path, line, col, m, args...)
	}
	switch {
	case isIndex && dir == "":
		p.Kind, p.URL, p.Section = KindHome, "/", ""
	case isIndex:
		p.Kind, p.URL = KindSection, "/"+dir+"/"
		p.Slug = path.Base(dir)
	default:
		slug := fileSlug(name)
		if fm.Slug != "" {
			if strings.ContainsAny(fm.Slug, `/\`) || fm.Slug == ".." || fm.Slug == "." {
				at("slug", msgSlugElement, fm.Slug)
			}
			slug = Slugify(fm.Slug)
		}
		if slug == "" {
			at("slug", msgNoSlug)
		}
		p.Slug = slug
		if dir == "" {
			p.URL = "/" + slug + "/"
		} else {
			p.URL = "/" + dir + "/" + slug + "/"
		}
	}
	if p.Kind == KindHome && (fm.Slug != "") {
		at("slug", msgHomeSlug)
	}
	for i, a := range p.Aliases {
		if !strings.HasPrefix(a, "/") || strings.Contains(a, "..") {
			at("aliases", msgBadAlias, a)
			continue
		}
		if !strings.HasSuffix(a, "/") && path.Ext(a) == "" {
			p.Aliases[i] = a + "/"
		}
	}
	seenTag := map[string]bool{}
	for _, t := range fm.Tags {
		t = strings.TrimSpace(t)
		if t == "" || seenTag[t] {
			continue
		}
		seenTag[t] = true
		slug := Slugify(t)
		if slug == "" {
			at("tags", msgTagNoLetters, t)
			continue
		}
		p.Tags = append(p.Tags, Tag{Name: t, URL: "/tags/" + slug + "/"})
	}
	switch section {
	case "notices":
		if p.Kind != KindPage {
			break
		}
		n := &Notice{Urgency: fm.Urgency, Expires: fm.Expires.in(loc), Pinned: fm.Pinned}
		if !n.Expires.IsZero() && !p.Date.IsZero() && n.Expires.Before(p.Date) {
			// Such a notice is never current: it goes straight to the archive.
			line, col := fm.keyPos("expires")
			errs.msgf(f.path, line, col, msgExpiresBeforeDate, n.Expires.Format(time.DateTime), p.Date.Format(time.DateTime))
		}
		switch n.Urgency {
		case "":
			n.Urgency = "info"
		case "info", "important", "urgent":
		default:
			at("urgency", msgBadUrgency, fm.Urgency)
		}
		p.Notice = n
	case "events":
		if p.Kind != KindPage {
			break
		}
		e := &Event{Start: fm.Start.in(loc), End: fm.End.in(loc), Location: fm.Location, Organizer: fm.Organizer}
		if e.Start.IsZero() {
			at("title", msgEventStart)
		} else if !e.End.IsZero() && e.End.Before(e.Start) {
			at("end", msgEndBeforeStart, e.End.Format(time.DateTime), e.Start.Format(time.DateTime))
		}
		p.Event = e
	case "newsletters":
		if p.Kind == KindPage {
			p.Newsletter = &Newsletter{Issue: fm.Issue}
		}
	case "fees":
		if p.Kind == KindPage {
			p.Fee = &Fee{Period: fm.Period, Currency: fm.Currency, Income: fm.Income, Expense: fm.Expense,
				TotalIncome: fm.TotalIncome, TotalExpense: fm.TotalExpense, Fund: fm.Fund}
			errs = append(errs, checkFee(f.path, fm, p.Fee)...)
		}
	case "surveys":
		if p.Kind == KindPage {
			p.Survey = loadSurvey(f.path, fm, p, loc, &errs)
		}
	}
	return p, fm, errs.err()
}

var msgExpiresBeforeDate = msg.Message{
	En: "expires (%s) is before date (%s): the notice would never be shown as current; check the year and month of both",
	Zh: "expires（%s）早于 date（%s）：这条通知一发布就会进入过期通知，从不显示为当前通知；请核对两者的年份和月份",
}

// published reports whether p belongs in a build with opts at now.
func published(p *Page, opts Options, now time.Time) bool {
	if p.Draft && !opts.Drafts {
		return false
	}
	pub := p.PublishDate
	if pub.IsZero() {
		pub = p.Date
	}
	if !opts.Future && !pub.IsZero() && pub.After(now) {
		return false
	}
	if !opts.Expired && !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(now) {
		return false
	}
	return true
}

// sectionOrder is the order of the sections that lobby knows, in menus.
var sectionOrder = map[string]int{"notices": 1, "events": 2, "newsletters": 3, "fees": 4, "handbook": 5, "surveys": 6}

// sortPages orders the pages of one section as that section reads.
func sortPages(section string, pages []*Page) {
	sortStable(pages, func(a, b *Page) bool {
		switch section {
		case "notices":
			if a.Notice != nil && b.Notice != nil && a.Notice.Pinned != b.Notice.Pinned {
				return a.Notice.Pinned
			}
		case "events":
			if a.Event != nil && b.Event != nil && !a.Event.Start.Equal(b.Event.Start) {
				return a.Event.Start.After(b.Event.Start)
			}
		case "newsletters":
			if a.Newsletter != nil && b.Newsletter != nil && a.Newsletter.Issue != b.Newsletter.Issue {
				return a.Newsletter.Issue > b.Newsletter.Issue
			}
		case "fees":
			if a.Fee != nil && b.Fee != nil && a.Fee.Period != b.Fee.Period {
				return a.Fee.Period > b.Fee.Period
			}
		case "handbook":
			return byWeight(a, b)
		}
		if a.Weight != b.Weight && section != "notices" {
			return byWeight(a, b)
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.URL < b.URL
	})
}

// byWeight orders by weight (pages with a weight before those without),
// then title, then URL.
func byWeight(a, b *Page) bool {
	wa, wb := a.Weight, b.Weight
	if (wa == 0) != (wb == 0) {
		return wa != 0
	}
	if wa != wb {
		return wa < wb
	}
	if a.Title != b.Title {
		return a.Title < b.Title
	}
	return a.URL < b.URL
}

// sectionTitle makes a title for a folder that has no _index.md: a
// section lobby knows is named in the site's language by the theme's UI
// string section_NAME (strs), and any other folder by its name.
func sectionTitle(dir string, strs map[string]string) string {
	if _, known := sectionOrder[dir]; known {
		if t := strs["section_"+dir]; t != "" {
			return t
		}
	}
	name := path.Base(dir)
	if name == "" {
		return dir
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func describe(p *Page) string {
	if p.File != "" {
		return p.File
	}
	return fmt.Sprintf("the %s page %s", p.Kind, p.URL)
}
