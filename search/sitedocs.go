package search

import (
	"strings"

	"github.com/lobby-community/lobby/site"
)

// SiteDocs converts the site's pages into search documents: every regular
// page and section page with text, never drafts unless the build included
// them, and never anything from feedback.
func SiteDocs(s *site.Site) []Doc {
	var docs []Doc
	for _, p := range s.Pages {
		if p.File == "" || p.Kind == site.KindHome {
			continue
		}
		d := Doc{URL: p.RelPermalink, Title: p.Title, Section: p.Section, Summary: p.Summary,
			SummaryFromBody: !p.OwnSummary, Body: p.Text, Date: p.Date}
		for _, t := range p.Tags {
			d.Tags = append(d.Tags, t.Name)
		}
		var extra []string
		if n := p.Notice; n != nil {
			d.Expired = n.Expired
		}
		if e := p.Event; e != nil {
			extra = append(extra, e.Location, e.Organizer)
			if d.Date.IsZero() {
				d.Date = e.Start
			}
		}
		if f := p.Fee; f != nil {
			extra = append(extra, f.Period)
			for _, it := range append(append([]site.FeeItem{}, f.Income...), f.Expense...) {
				extra = append(extra, it.Item)
			}
		}
		d.Extra = strings.Join(extra, " ")
		docs = append(docs, d)
	}
	return docs
}
