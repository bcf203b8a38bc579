// Package search builds, serves and queries lobby's full-text index.
//
// The index is a bleve index with an explicit mapping and one analyzer for
// Chinese and English text. Build writes a new generation beside the old ones
// and flips a pointer file; Open serves the current generation read-only,
// and Reload swaps a newer generation in without stopping queries: each
// search pins the generation it started on, and an old generation is closed
// once the searches pinning it are done. Queries are parsed by lobby's own
// small grammar (plain words and "quoted phrases") and turned into bleve
// queries in code, so no query syntax from a user ever reaches bleve.
//
// lobby has its own bleve query nodes (rankedQuery, idsQuery, phraseQuery).
// Each wraps queries built from the user's words and works by the document
// numbers of the generation it runs on, which bleve's own nodes would look
// up by URL, page by page, for every hit: recency, expiry, the section
// filter and the section counts come from a docTable, and a search
// restricted to a few pages names them by number.
package search

import "time"

// Doc is one page as the search index sees it.
type Doc struct {
	URL     string // site-relative URL, e.g. "/notices/water-shutoff/"; also the ID
	Title   string // page title
	Section string // "notices", "events", "newsletters", "fees", "handbook", or "" for top-level pages
	Summary string // summary shown in lists
	// SummaryFromBody reports that Summary is the first words of Body, cut
	// by the site: it is shown in results but not searched, which would
	// count those words twice.
	SummaryFromBody bool
	Body            string    // plain text of the rendered page body
	Extra           string    // section fields shown on the page: event location/organizer, fee items, etc.
	Tags            []string  // tags of the page
	Date            time.Time // zero if none
	Expired         bool      // an expired notice
}
