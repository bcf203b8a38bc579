package site

import (
	"net/url"
	"strings"
)

// A site may be published under a path of its host ("https://example.org/cuihu/"),
// as GitHub project pages and offices on a company domain are. Inside the
// build every URL is a site path that starts at the site's root
// ("/notices/water/"): Page.URL, links in Markdown, aliases, the paths of
// output files. Those are what lookups, link checks and comparisons use.
// What a reader's browser follows is the output form, with the base URL's
// path in front ("/cuihu/notices/water/"), and it is made in one place:
// relURL below. Pages carry it as RelPermalink; templates call relURL for
// any other site path, and .Site.Asset and .Site.Endpoints already give
// it. Nothing writes a site path into the output without going through it.

// BasePath returns the path of the base URL, ending in "/": "/" for a site
// at the root of its host, "/cuihu/" for one published under /cuihu/. It is
// the prefix of every URL in the output, as a browser sends it (escaped).
func (c *Config) BasePath() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return "/"
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// relURL returns the output form of a site path: base (a BasePath) in
// front of a path that starts with "/". Anything else (a URL with a
// scheme, "//host/…", a relative path, "#fragment", "") is returned as
// it is.
func relURL(base, u string) string {
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || base == "/" {
		return u
	}
	return base + u[1:]
}

// Endpoints are the URLs of what lobby serve answers besides the built
// files, as the pages link to them: the search box, the search API that
// lobby.js asks for suggestions, the feedback form's target and the status
// page. They are made only by endpointsFor, so that where they point is
// decided in one place. An empty endpoint means no server answers it: the
// theme leaves out what would link to it.
type Endpoints struct {
	Search    string // GET, the results page: the search box's action
	SearchAPI string // GET, JSON results for suggestions
	Feedback  string // POST, the feedback form's action
	Status    string // GET ?ref=, a case's status page
	// Surveys is the prefix of the survey forms' actions: a survey's
	// answers are posted to Surveys + SLUG + "/answers". Surveys keep
	// their answers in the feedback store, so they need feedback on.
	Surveys string
}

// endpointsFor returns the endpoints of a site published under base (a
// BasePath). They are below base on the host of the pages, which lobby
// serve is; on the lobby server at origin (config's server.origin), which
// answers under the same base path, when the pages are published
// elsewhere; and missing when the site is built for a static host with no
// such server (static), and for feedback when it is turned off.
func endpointsFor(base, origin string, static, feedback bool) Endpoints {
	if static && origin == "" {
		return Endpoints{}
	}
	at := func(path string) string { return origin + relURL(base, path) }
	e := Endpoints{Search: at("/search"), SearchAPI: at("/api/v1/search")}
	if feedback {
		e.Feedback, e.Status = at("/api/v1/feedback"), at("/feedback/status")
		e.Surveys = at("/api/v1/surveys/")
	}
	return e
}
