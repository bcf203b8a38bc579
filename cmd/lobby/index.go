package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lobby-community/lobby/search"
	"github.com/lobby-community/lobby/site"
)

// indexDir is where lobby build writes the search index, below the source.
func indexDir(source string) string { return filepath.Join(source, ".lobby", "search") }

// buildIndex indexes the published pages of s, from the same page model the
// site is rendered from.
func buildIndex(ctx context.Context, s *site.Site, source string) error {
	if err := search.Build(ctx, indexDir(source), searchDocs(s)); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// searchDocs converts the site's pages into search documents: every regular
// page and section page with text, never drafts unless the build included
// them, and never anything from feedback.
func searchDocs(s *site.Site) []search.Doc {
	var docs []search.Doc
	for _, p := range s.Pages {
		if p.File == "" || p.Kind == site.KindHome {
			continue
		}
		d := search.Doc{URL: p.URL, Title: p.Title, Section: p.Section, Summary: p.Summary,
			Body: p.Text, Date: p.Date}
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
