package feedback

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// reportStrings are the report's words: Chinese, then English.
var reportStrings = map[string][2]string{
	"title":              {"%s意见反馈月报", "Feedback report for %s"},
	"scope":              {"统计范围：%s 至 %s（%s）提交的事项，统计至 %s。", "Cases sent from %s to %s (%s), as they stood at %s."},
	"previous scope":     {"上月（%s）按 %s 的情况统计，两个月同样经过了一个月的处理时间。", "The previous month (%s) as it stood at %s, so both months had the same time to handle their cases."},
	"cases":              {"事项总数", "Cases"},
	"by category":        {"按类别与状态", "By category and status"},
	"category":           {"类别", "Category"},
	"total":              {"合计", "Total"},
	"previous":           {"上月", "Previous"},
	"change":             {"变化", "Change"},
	"first response":     {"首次响应时间（中位数）", "Time to first response (median)"},
	"resolution":         {"解决时间（中位数）", "Time to resolution (median)"},
	"response target":    {"按时响应率", "Responded within target"},
	"resolution target":  {"按时解决率", "Resolved within target"},
	"follow-up":          {"回访率（已解决事项中已回访的比例）", "Follow-up coverage (resolved cases followed up)"},
	"satisfaction":       {"满意率（满意与基本满意占评价的比例）", "Satisfaction (satisfied or mostly satisfied, of all verdicts)"},
	"verdicts":           {"回访评价", "Follow-up verdicts"},
	"verdict counts":     {"%s：满意 %d，基本满意 %d，不满意 %d；上月 满意 %d，基本满意 %d，不满意 %d", "%s: satisfied %d, mostly satisfied %d, dissatisfied %d; previous month %d, %d, %d"},
	"no verdicts":        {"暂无评价", "no verdicts"},
	"none":               {"无", "none"},
	"no target":          {"未设目标", "no target set"},
	"n cases":            {"%d 件", "%d cases"},
	"headline":           {"%s：%s；上月 %s；较上月 %s", "%s: %s; previous month %s; change %s"},
	"points":             {"%s 个百分点", "%s points"},
	"same":               {"持平", "no change"},
	"chart title":        {"%s与%s各类事项数量", "Cases by category, %s and %s"},
	"chart figure":       {"%s：本月 %d 件，上月 %d 件", "%s: %d this month, %d the month before"},
	"list sep":           {"；", "; "},
	"chart desc":         {"每个类别两条横条：上为本月，下为上月，条后写有件数。", "Two bars per category: this month above, the previous month below, each followed by its count."},
	"seconds":            {"%d秒", "%d s"},
	"minutes":            {"%d分钟", "%d min"},
	"hours":              {"%d小时", "%d h"},
	"hours minutes":      {"%d小时%d分", "%d h %d min"},
	"days":               {"%d天", "%d d"},
	"days hours":         {"%d天%d小时", "%d d %d h"},
	"month name":         {"%d年%d月", "%s %d"},
	"share":              {"%s（%d/%d）", "%s (%d of %d)"},
	"count with n":       {"%s（%d 件）", "%s (%d cases)"},
	"count with one":     {"%s（%d 件）", "%s (%d case)"},
	"report page":        {"月度报告", "Monthly report"},
	"choose month":       {"月份", "Month"},
	"show":               {"查看", "Show"},
	"download csv":       {"下载 CSV", "Download CSV"},
	"download json":      {"下载 JSON", "Download JSON"},
	"figures":            {"主要指标", "Key figures"},
	"figure":             {"指标", "Figure"},
	"this month":         {"本月", "This month"},
	"back to cases":      {"返回待处理事项", "Back to open cases"},
	"bad month":          {"“%s”不是月份，请写成 2026-11 这样。", "%q is not a month such as 2026-11."},
	"month not begun":    {"%s 还没有开始，请选择 %s 或更早的月份。", "%s has not begun yet: choose a month up to %s."},
	"bad format":         {"没有“%s”这种格式，请选择 CSV 或 JSON。", "%q is not a format of the report: use csv or json."},
	"months nav":         {"切换月份", "Other months"},
	"previous month nav": {"上一月", "Previous month"},
	"next month nav":     {"下一月", "Next month"},
	"definitions":        {"说明：事项按提交时间计入月份；首次响应指工作人员对事项的第一次操作（更改状态或备注）；解决指第一次改为已解决（或直接改为已回访）；中位数在件数为偶数时取中间两个数的平均值。", "Notes: a case counts in the month it was sent; the first response is staff's first action on it (a change of status or a note); resolution is its first move to resolved (or straight to followed up); with an even number of cases the median is the mean of the two middle times."},
}

// reportText returns a report string in lang ("zh-CN" or "en").
func reportText(lang, key string) string {
	s, ok := reportStrings[key]
	if !ok {
		return key
	}
	if strings.HasPrefix(lang, "zh") {
		return s[0]
	}
	return s[1]
}

func reportf(lang, key string, args ...any) string {
	return fmt.Sprintf(reportText(lang, key), args...)
}

// MonthName returns a month as words in lang: 2026年11月, November 2026.
func MonthName(lang, month string) string {
	m, err := ParseMonth(month)
	if err != nil {
		return month
	}
	if strings.HasPrefix(lang, "zh") {
		return reportf(lang, "month name", m.Year, int(m.Month))
	}
	return reportf(lang, "month name", m.Month.String(), m.Year)
}

// DurationText writes a number of seconds as words in lang, to the
// minute below a day and to the hour above; fractions are dropped.
func DurationText(lang string, seconds float64) string {
	s := int64(seconds)
	switch {
	case s < 60:
		return reportf(lang, "seconds", s)
	case s < 3600:
		return reportf(lang, "minutes", s/60)
	case s < 86400 && s%3600/60 == 0:
		return reportf(lang, "hours", s/3600)
	case s < 86400:
		return reportf(lang, "hours minutes", s/3600, s%3600/60)
	case s%86400/3600 == 0:
		return reportf(lang, "days", s/86400)
	}
	return reportf(lang, "days hours", s/86400, s%86400/3600)
}

// medianText writes a Timing's median, or "none".
func medianText(lang string, t Timing) string {
	if t.MedianSeconds == nil {
		return reportText(lang, "none")
	}
	key := "count with n"
	if t.Count == 1 {
		key = "count with one"
	}
	return reportf(lang, key, DurationText(lang, *t.MedianSeconds), t.Count)
}

// PercentText writes a rate as a percentage with one decimal: 80.0%.
func PercentText(rate float64) string {
	return strconv.FormatFloat(rate*100, 'f', 1, 64) + "%"
}

// shareText writes a share as 80.0% (12/15), or the text of none when it
// has no whole.
func shareText(lang string, s Share, none string) string {
	if s.Rate == nil {
		return reportText(lang, none)
	}
	return reportf(lang, "share", PercentText(*s.Rate), s.Count, s.Of)
}

// signed writes an integer change with its sign: +4, -2, 0.
func signed(n int64) string {
	if n > 0 {
		return "+" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// durationChangeText writes a change of a median, or "none".
func durationChangeText(lang string, d *float64) string {
	switch {
	case d == nil:
		return reportText(lang, "none")
	case *d == 0:
		return reportText(lang, "same")
	case *d < 0:
		return "-" + DurationText(lang, -*d)
	}
	return "+" + DurationText(lang, *d)
}

// pointsText writes a change of a rate in percentage points, or "none".
func pointsText(lang string, d *float64) string {
	if d == nil {
		return reportText(lang, "none")
	}
	p := strconv.FormatFloat(*d*100, 'f', 1, 64)
	if p == "0.0" || p == "-0.0" {
		return reportText(lang, "same")
	}
	if !strings.HasPrefix(p, "-") {
		p = "+" + p
	}
	return reportf(lang, "points", p)
}

// ReportLine is one headline figure of a report in words, as the text
// report and the staff page show it.
type ReportLine struct {
	Label, Value, Previous, Change string
}

// ReportLines returns the report's headline figures in lang.
func ReportLines(lang string, r *Report) []ReportLine {
	none := "none"
	return []ReportLine{
		{reportText(lang, "cases"), strconv.Itoa(r.Cases), strconv.Itoa(r.Previous.Cases), signed(int64(r.Change.Cases))},
		{reportText(lang, "first response"), medianText(lang, r.FirstResponse), medianText(lang, r.Previous.FirstResponse), durationChangeText(lang, r.Change.FirstResponseMedian)},
		{reportText(lang, "resolution"), medianText(lang, r.Resolution), medianText(lang, r.Previous.Resolution), durationChangeText(lang, r.Change.ResolutionMedian)},
		{reportText(lang, "response target"), shareText(lang, r.FirstResponse.WithinTarget, targetNone(r.FirstResponse, r.Previous.FirstResponse)),
			shareText(lang, r.Previous.FirstResponse.WithinTarget, targetNone(r.Previous.FirstResponse, r.FirstResponse)), pointsText(lang, r.Change.FirstResponseWithinTarget)},
		{reportText(lang, "resolution target"), shareText(lang, r.Resolution.WithinTarget, targetNone(r.Resolution, r.Previous.Resolution)),
			shareText(lang, r.Previous.Resolution.WithinTarget, targetNone(r.Previous.Resolution, r.Resolution)), pointsText(lang, r.Change.ResolutionWithinTarget)},
		{reportText(lang, "follow-up"), shareText(lang, r.FollowUp, none), shareText(lang, r.Previous.FollowUp, none), pointsText(lang, r.Change.FollowUp)},
		{reportText(lang, "satisfaction"), shareText(lang, r.Satisfaction, "no verdicts"), shareText(lang, r.Previous.Satisfaction, "no verdicts"), pointsText(lang, r.Change.Satisfaction)},
	}
}

// targetNone says why a within-target share has no whole: no case was
// judged in either month because no target is set ("no target"), or
// none was judged this month ("none").
func targetNone(t, other Timing) string {
	if t.WithinTarget.Of == 0 && other.WithinTarget.Of == 0 {
		return "no target"
	}
	return "none"
}

// WriteReportText writes the report as plain text in lang, for a manager
// to read or print.
func WriteReportText(w io.Writer, r *Report, lang string) error {
	var b strings.Builder
	const layout = "2006-01-02 15:04"
	fmt.Fprintln(&b, reportf(lang, "title", MonthName(lang, r.Month)))
	fmt.Fprintln(&b, reportf(lang, "scope", r.From.Format(layout), r.Until.Format(layout), r.TimeZone, r.AsOf.Format(layout)))
	fmt.Fprintln(&b, reportf(lang, "previous scope", MonthName(lang, r.Previous.Month), r.Previous.AsOf.Format(layout)))
	fmt.Fprintln(&b)
	for _, l := range ReportLines(lang, r) {
		fmt.Fprintln(&b, reportf(lang, "headline", l.Label, l.Value, l.Previous, l.Change))
	}
	fmt.Fprintln(&b, verdictCounts(lang, r))
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, reportText(lang, "by category"))
	writeColumns(&b, CategoryTable(lang, r))
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, reportText(lang, "definitions"))
	_, err := io.WriteString(w, b.String())
	return err
}

// verdictCounts writes the counts of each verdict, this month and the
// previous one.
func verdictCounts(lang string, r *Report) string {
	v, pv := r.Verdicts, r.Previous.Verdicts
	return reportf(lang, "verdict counts", reportText(lang, "verdicts"),
		v[VerdictSatisfied], v[VerdictMostlySatisfied], v[VerdictDissatisfied], pv[VerdictSatisfied], pv[VerdictMostlySatisfied], pv[VerdictDissatisfied])
}

// CategoryTable returns the cases by category and status as rows of
// text in lang: a header, one row per category, and the totals; each row
// ends with the previous month's count and the change.
func CategoryTable(lang string, r *Report) [][]string {
	head := []string{reportText(lang, "category")}
	for _, s := range Statuses() {
		head = append(head, StatusLabel(lang, s))
	}
	head = append(head, reportText(lang, "total"), reportText(lang, "previous"), reportText(lang, "change"))
	rows := [][]string{head}
	for i, c := range r.Categories {
		row := []string{CategoryLabel(lang, c.Category)}
		for _, s := range Statuses() {
			row = append(row, strconv.Itoa(c.Statuses[s]))
		}
		prev := r.Previous.Categories[i].Cases
		rows = append(rows, append(row, strconv.Itoa(c.Cases), strconv.Itoa(prev), signed(int64(c.Cases-prev))))
	}
	total := []string{reportText(lang, "total")}
	for _, s := range Statuses() {
		total = append(total, strconv.Itoa(r.Statuses[s]))
	}
	return append(rows, append(total, strconv.Itoa(r.Cases), strconv.Itoa(r.Previous.Cases), signed(int64(r.Change.Cases))))
}

// writeColumns writes rows as aligned columns, counting a Chinese
// character as two columns wide as terminals show it; every column after
// the first holds numbers, aligned right.
func writeColumns(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textWidth(cell))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-textWidth(cell))
			if i > 0 {
				line.WriteString("  ")
			}
			if i > 0 {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}

// textWidth is how many columns a terminal gives s: two for each wide
// (East Asian) character, one for the rest.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF60 {
			n++
		}
	}
	return n
}

// WriteReportCSV writes the report for a spreadsheet: one figure a row,
// with columns metric, category, status, value, previous, change. Every
// cell is made by lobby (names, codes and numbers), never typed by a
// resident, so none needs defusing; times are RFC 3339 in the site's zone.
func WriteReportCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	num := func(n int) string { return strconv.Itoa(n) }
	flt := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	at := func(t time.Time) string { return t.Format(time.RFC3339) }
	rows := [][]string{
		{"metric", "category", "status", "value", "previous", "change"},
		{"month", "", "", r.Month, r.Previous.Month, ""},
		{"time_zone", "", "", r.TimeZone, r.Previous.TimeZone, ""},
		{"from", "", "", at(r.From), at(r.Previous.From), ""},
		{"until", "", "", at(r.Until), at(r.Previous.Until), ""},
		{"as_of", "", "", at(r.AsOf), at(r.Previous.AsOf), ""},
		{"cases", "", "", num(r.Cases), num(r.Previous.Cases), num(r.Change.Cases)},
	}
	for _, s := range Statuses() {
		rows = append(rows, []string{"cases", "", string(s), num(r.Statuses[s]), num(r.Previous.Statuses[s]), num(r.Statuses[s] - r.Previous.Statuses[s])})
	}
	for i, c := range r.Categories {
		p := r.Previous.Categories[i]
		rows = append(rows, []string{"cases", string(c.Category), "", num(c.Cases), num(p.Cases), num(c.Cases - p.Cases)})
		for _, s := range Statuses() {
			rows = append(rows, []string{"cases", string(c.Category), string(s), num(c.Statuses[s]), num(p.Statuses[s]), num(c.Statuses[s] - p.Statuses[s])})
		}
	}
	timing := func(name string, cur, prev Timing, medianChange, rateChange *float64) {
		rows = append(rows,
			[]string{name + "_count", "", "", num(cur.Count), num(prev.Count), num(cur.Count - prev.Count)},
			[]string{name + "_median_seconds", "", "", flt(cur.MedianSeconds), flt(prev.MedianSeconds), flt(medianChange)},
			[]string{name + "_within_target", "", "", num(cur.WithinTarget.Count), num(prev.WithinTarget.Count), num(cur.WithinTarget.Count - prev.WithinTarget.Count)},
			[]string{name + "_judged", "", "", num(cur.WithinTarget.Of), num(prev.WithinTarget.Of), num(cur.WithinTarget.Of - prev.WithinTarget.Of)},
			[]string{name + "_within_target_rate", "", "", flt(cur.WithinTarget.Rate), flt(prev.WithinTarget.Rate), flt(rateChange)},
		)
	}
	timing("first_response", r.FirstResponse, r.Previous.FirstResponse, r.Change.FirstResponseMedian, r.Change.FirstResponseWithinTarget)
	timing("resolution", r.Resolution, r.Previous.Resolution, r.Change.ResolutionMedian, r.Change.ResolutionWithinTarget)
	share := func(name string, cur, prev Share, ch *float64) {
		rows = append(rows,
			[]string{name + "_count", "", "", num(cur.Count), num(prev.Count), num(cur.Count - prev.Count)},
			[]string{name + "_of", "", "", num(cur.Of), num(prev.Of), num(cur.Of - prev.Of)},
			[]string{name + "_rate", "", "", flt(cur.Rate), flt(prev.Rate), flt(ch)},
		)
	}
	share("follow_up", r.FollowUp, r.Previous.FollowUp, r.Change.FollowUp)
	for _, v := range Verdicts() {
		rows = append(rows, []string{"verdicts", "", string(v), num(r.Verdicts[v]), num(r.Previous.Verdicts[v]), num(r.Verdicts[v] - r.Previous.Verdicts[v])})
	}
	share("satisfaction", r.Satisfaction, r.Previous.Satisfaction, r.Change.Satisfaction)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}
