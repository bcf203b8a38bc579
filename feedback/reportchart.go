package feedback

import (
	"fmt"
	"html/template"
	"strings"
)

// ReportChart draws the report's cases by category as an SVG bar chart:
// for each category, this month's bar above the previous month's, each
// followed by its word and count, so that it reads without colour. Its
// title names the months and its description repeats every figure, for
// screen readers; the page shows the same figures in a table.
func ReportChart(r *Report, lang string) template.HTML {
	this, prev := MonthName(lang, r.Month), MonthName(lang, r.Previous.Month)
	maxN := 0
	for i, c := range r.Categories {
		maxN = max(maxN, c.Cases, r.Previous.Categories[i].Cases)
	}
	// The fee chart's proportions: narrow enough that phones show the
	// 22-unit text at a readable size. Each category is a label line,
	// then two bars with their counts after them.
	const width, rowH, barH, barMax = 400, 110, 28, 230
	h := rowH * len(r.Categories)
	var desc []string
	for i, c := range r.Categories {
		desc = append(desc, reportf(lang, "chart figure", CategoryLabel(lang, c.Category), c.Cases, r.Previous.Categories[i].Cases))
	}
	var s strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&s, `<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="report-chart-title report-chart-desc">`, width, h)
	fmt.Fprintf(&s, `<title id="report-chart-title">%s</title>`, esc(reportf(lang, "chart title", this, prev)))
	fmt.Fprintf(&s, `<desc id="report-chart-desc">%s</desc>`, esc(reportText(lang, "chart desc")+" "+strings.Join(desc, reportText(lang, "list sep"))))
	bar := func(y, n int, word, fill string) {
		w := 0
		if maxN > 0 {
			w = n * barMax / maxN
		}
		if n > 0 {
			w = max(w, 2)
		}
		fmt.Fprintf(&s, `<rect x="0" y="%d" width="%d" height="%d" fill="%s"/>`, y, w, barH, fill)
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="20" fill="#111">%s %d</text>`, w+8, y+21, esc(word), n)
	}
	for i, c := range r.Categories {
		y := i * rowH
		fmt.Fprintf(&s, `<text x="0" y="%d" font-size="22" font-weight="bold" fill="#111">%s</text>`, y+24, esc(CategoryLabel(lang, c.Category)))
		bar(y+34, c.Cases, reportText(lang, "this month"), "#0d3c61")
		bar(y+34+barH+6, r.Previous.Categories[i].Cases, reportText(lang, "previous"), "#7a8a99")
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
