// Package crawl follows every reference of a served site and reports the
// ones that lead nowhere, for tests that publish a build the way users do
// (under a path of a host, behind a plain file server or lobby serve).
//
// It reads HTML (href, src, srcset, action, poster, a meta refresh, style
// attributes and elements, and data-*-url and data-*-api attributes, which
// scripts follow), CSS (url() and @import), XML (sitemaps and Atom feeds,
// entry content included), iCalendar URL properties and the JSON content
// and search APIs (url, api, permalink and the pages of tags, and the html
// of a page). A reference with a fragment needs an element with that id in
// the page it leads to.
package crawl

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Config says what to crawl.
type Config struct {
	// Root is the site's root as served, ending in "/", such as
	// "http://127.0.0.1:4000/cuihu/". A reference to the server's host
	// outside Root is broken.
	Root string
	// Canonical is the site's base URL as its config writes it, such as
	// "https://example.org/cuihu/": absolute links to it (canonical links,
	// the sitemap, feeds) are followed at Root instead.
	Canonical string
	// Seeds are URLs to start from besides Root: every file of the output,
	// say, so that pages no link leads to are read too.
	Seeds []string
	// Skip reports references that are not the site's to answer (the
	// server's endpoints when the crawl is of a static file server); they
	// are counted, not followed.
	Skip func(u *url.URL) bool
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
}

// FileSeeds returns the URL of every file of the output folder public as
// a file server under root answers it (index.html as its folder), for
// Config.Seeds.
func FileSeeds(public, root string) ([]string, error) {
	var seeds []string
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(public, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "index.html" {
			rel = ""
		} else if strings.HasSuffix(rel, "/index.html") {
			rel = strings.TrimSuffix(rel, "index.html")
		}
		seeds = append(seeds, root+(&url.URL{Path: rel}).EscapedPath())
		return nil
	})
	return seeds, err
}

// Ref is one reference found in a resource.
type Ref struct {
	From string // the URL of the resource that holds it
	Raw  string // as written
	URL  string // resolved, and mapped from Canonical to Root
}

// Report is what a crawl found.
type Report struct {
	// Fetched are the URLs requested, with their status codes.
	Fetched map[string]int
	// Refs counts the references followed (not skipped, not external).
	Refs int
	// Skipped are the references that Skip took out.
	Skipped []Ref
	// Broken describes each reference that leads nowhere, one line each.
	Broken []string
}

type page struct {
	status int
	ids    map[string]bool // ids and anchor names, for an HTML page
	html   bool
}

type crawler struct {
	cfg       Config
	root      *url.URL
	canonical *url.URL
	pages     map[string]*page // by URL without fragment
	queue     []string
	rep       Report
	refs      []Ref
}

// Run crawls the site and returns what it found; an error means the crawl
// itself could not run (Root is not a URL), not that a link is broken.
func Run(cfg Config) (*Report, error) {
	root, err := url.Parse(cfg.Root)
	if err != nil || !root.IsAbs() || !strings.HasSuffix(root.Path, "/") {
		return nil, fmt.Errorf("crawl: root %q is not an absolute URL ending in /", cfg.Root)
	}
	c := &crawler{cfg: cfg, root: root, pages: map[string]*page{}, rep: Report{Fetched: map[string]int{}}}
	if cfg.Canonical != "" {
		if c.canonical, err = url.Parse(cfg.Canonical); err != nil {
			return nil, fmt.Errorf("crawl: canonical %q: %v", cfg.Canonical, err)
		}
	}
	if c.cfg.Client == nil {
		c.cfg.Client = http.DefaultClient
	}
	c.enqueue(root.String())
	for _, s := range cfg.Seeds {
		c.enqueue(s)
	}
	for len(c.queue) > 0 {
		u := c.queue[0]
		c.queue = c.queue[1:]
		c.fetch(u)
	}
	// Fragments are checked once every page is read.
	for _, r := range c.refs {
		c.check(r)
	}
	sort.Strings(c.rep.Broken)
	c.rep.Broken = slices.Compact(c.rep.Broken)
	return &c.rep, nil
}

func (c *crawler) enqueue(u string) {
	key := stripFragment(u)
	if _, ok := c.pages[key]; ok {
		return
	}
	c.pages[key] = nil
	c.queue = append(c.queue, key)
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// fetch reads one resource and queues what it refers to.
func (c *crawler) fetch(u string) {
	p := &page{}
	c.pages[u] = p
	resp, err := c.cfg.Client.Get(u)
	if err != nil {
		p.status = -1
		c.rep.Fetched[u] = -1
		return
	}
	defer resp.Body.Close()
	p.status = resp.StatusCode
	c.rep.Fetched[u] = resp.StatusCode
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		p.status = -1
		return
	}
	// A redirect is followed by the client: what the page holds is
	// relative to where it ended.
	base := resp.Request.URL
	ctype, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var raws []string
	switch {
	case ctype == "text/html":
		p.html = true
		var ids []string
		raws, ids = scanHTML(string(body))
		p.ids = map[string]bool{}
		for _, id := range ids {
			p.ids[id] = true
		}
	case ctype == "text/css":
		raws = scanCSS(string(body))
	case strings.HasSuffix(ctype, "xml"):
		raws = scanXML(string(body))
	case ctype == "application/json" || strings.HasSuffix(ctype, "+json"):
		raws = scanJSON(body)
	case ctype == "text/calendar":
		raws = scanICal(string(body))
	}
	for _, raw := range raws {
		c.add(base, u, raw)
	}
}

// add resolves a reference and queues it when it is the site's.
func (c *crawler) add(base *url.URL, from, raw string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		c.rep.Broken = append(c.rep.Broken, fmt.Sprintf("%s: an empty reference", from))
		return
	}
	ref, err := url.Parse(raw)
	if err != nil {
		c.rep.Broken = append(c.rep.Broken, fmt.Sprintf("%s: %q is not a URL", from, raw))
		return
	}
	switch ref.Scheme {
	case "", "http", "https":
	default:
		return // mailto:, tel:, data:
	}
	u := base.ResolveReference(ref)
	if c.canonical != nil && u.Scheme == c.canonical.Scheme && u.Host == c.canonical.Host {
		u.Scheme, u.Host = c.root.Scheme, c.root.Host
	}
	if u.Host != c.root.Host || u.Scheme != c.root.Scheme {
		return // another site's
	}
	r := Ref{From: from, Raw: raw, URL: u.String()}
	if c.cfg.Skip != nil && c.cfg.Skip(u) {
		c.rep.Skipped = append(c.rep.Skipped, r)
		return
	}
	c.rep.Refs++
	c.refs = append(c.refs, r)
	if strings.HasPrefix(u.Path, c.root.Path) {
		c.enqueue(r.URL)
	}
}

// check reports r when it leads nowhere.
func (c *crawler) check(r Ref) {
	u, _ := url.Parse(r.URL)
	if !strings.HasPrefix(u.Path, c.root.Path) {
		c.rep.Broken = append(c.rep.Broken, fmt.Sprintf("%s: %s leads outside the site's root %s", r.From, r.Raw, c.root.Path))
		return
	}
	p := c.pages[stripFragment(r.URL)]
	switch {
	case p == nil || p.status == -1:
		c.rep.Broken = append(c.rep.Broken, fmt.Sprintf("%s: %s could not be fetched", r.From, r.Raw))
	case p.status == http.StatusMethodNotAllowed:
		// There, for another method: a form's action that takes posts.
	case p.status != http.StatusOK:
		c.rep.Broken = append(c.rep.Broken, fmt.Sprintf("%s: %s answers %d", r.From, r.Raw, p.status))
	case u.Fragment != "" && (!p.html || !p.ids[u.Fragment]):
		c.rep.Broken = append(c.rep.Broken, fmt.Sprintf("%s: %s has no element with id %q", r.From, r.Raw, u.Fragment))
	}
}

var (
	tagRE   = regexp.MustCompile(`(?s)<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*/?>`)
	attrRE  = regexp.MustCompile(`(?s)([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?`)
	styleRE = regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`)
	// Scripts hold no markup to read; their text is left out so that a
	// "<a href=…>" in a string does not count.
	scriptRE  = regexp.MustCompile(`(?is)<script[^>]*>.*?</script>`)
	commentRE = regexp.MustCompile(`(?s)<!--.*?-->`)
	cssURLRE  = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')`)
	refreshRE = regexp.MustCompile(`(?i)^\s*\d+\s*;\s*url\s*=\s*(.*)$`)
	locRE     = regexp.MustCompile(`(?s)<loc>(.*?)</loc>`)
)

// scanHTML returns the references and the ids of an HTML document.
func scanHTML(doc string) (refs, ids []string) {
	doc = commentRE.ReplaceAllString(doc, "")
	for _, m := range styleRE.FindAllStringSubmatch(doc, -1) {
		refs = append(refs, scanCSS(m[1])...)
	}
	doc = scriptRE.ReplaceAllStringFunc(doc, func(s string) string {
		// Keep the opening tag, which may have a src.
		return s[:strings.IndexByte(s, '>')+1]
	})
	for _, m := range tagRE.FindAllStringSubmatch(doc, -1) {
		tag := strings.ToLower(m[1])
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(m[2], -1) {
			attrs[strings.ToLower(a[1])] = html.UnescapeString(a[2] + a[3] + a[4])
		}
		for name, v := range attrs {
			switch {
			case name == "href" || name == "src" || name == "action" || name == "poster" || name == "formaction":
				refs = append(refs, v)
			case name == "srcset":
				for _, part := range strings.Split(v, ",") {
					if f := strings.Fields(part); len(f) > 0 {
						refs = append(refs, f[0])
					}
				}
			case name == "style":
				refs = append(refs, scanCSS(v)...)
			case strings.HasPrefix(name, "data-") && (strings.HasSuffix(name, "-url") || strings.HasSuffix(name, "-api")):
				refs = append(refs, v)
			case name == "id":
				ids = append(ids, v)
			case name == "name" && tag == "a":
				ids = append(ids, v)
			}
		}
		if tag == "meta" && strings.EqualFold(attrs["http-equiv"], "refresh") {
			if mm := refreshRE.FindStringSubmatch(attrs["content"]); mm != nil {
				refs = append(refs, strings.Trim(mm[1], `'"`))
			}
		}
	}
	return refs, ids
}

// scanCSS returns the url() and @import references of a style sheet.
func scanCSS(css string) []string {
	var refs []string
	for _, m := range cssURLRE.FindAllStringSubmatch(css, -1) {
		v := m[1] + m[2] + m[3] + m[4] + m[5]
		if v != "" && !strings.HasPrefix(v, "#") {
			refs = append(refs, v)
		}
	}
	return refs
}

// scanXML returns the references of a sitemap or a feed: <loc> elements,
// href and src attributes, and those of the HTML in entries, which the
// feed holds escaped.
func scanXML(doc string) []string {
	var refs []string
	for _, m := range locRE.FindAllStringSubmatch(doc, -1) {
		refs = append(refs, html.UnescapeString(m[1]))
	}
	r, _ := scanHTML(html.UnescapeString(doc))
	return append(refs, r...)
}

// scanICal returns the URL properties of an iCalendar file.
func scanICal(doc string) []string {
	doc = strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "").Replace(doc)
	var refs []string
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimRight(line, "\r")
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if n, _, _ := strings.Cut(name, ";"); strings.EqualFold(n, "URL") {
			refs = append(refs, value)
		}
	}
	return refs
}

// scanJSON returns the URLs of a JSON document: the strings under the
// keys url, api and permalink, the strings in a list under pages (tags
// list their pages so), and the references in the HTML under html, which
// is the body of the page at the url beside it and relative to that.
func scanJSON(body []byte) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var refs []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if h, ok := x.(string); ok && k == "html" {
					pageURL, _ := v["url"].(string)
					base, err := url.Parse(pageURL)
					r, _ := scanHTML(h)
					for _, ref := range r {
						if u, uerr := url.Parse(ref); err == nil && uerr == nil {
							ref = base.ResolveReference(u).String()
						}
						refs = append(refs, ref)
					}
					continue
				}
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				if s, ok := x.(string); ok && key == "pages" {
					refs = append(refs, s)
					continue
				}
				walk(key, x)
			}
		case string:
			switch key {
			case "url", "api", "permalink":
				refs = append(refs, v)
			}
		}
	}
	walk("", v)
	return refs
}
