package feedback

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Month is a calendar month, such as 2026-11. Its days begin and end at
// midnight in the site's time zone.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads a month written as YYYY-MM, or returns an EINVALID
// error.
func ParseMonth(s string) (Month, error) {
	bad := Errorm(EINVALID, msgBadMonth, s)
	if len(s) != 7 || s[4] != '-' {
		return Month{}, bad
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || y < 1 || m < 1 || m > 12 || s[0] == '+' || s[5] == '+' {
		return Month{}, bad
	}
	return Month{Year: y, Month: time.Month(m)}, nil
}

// MonthOf returns the month that t falls in, in loc (nil means UTC).
func MonthOf(t time.Time, loc *time.Location) Month {
	y, m, _ := t.In(locOrUTC(loc)).Date()
	return Month{Year: y, Month: m}
}

// String writes the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Start returns the first moment of the month in loc (nil means UTC).
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, locOrUTC(loc))
}

// Next returns the month after m.
func (m Month) Next() Month {
	if m.Month == time.December {
		return Month{Year: m.Year + 1, Month: time.January}
	}
	return Month{Year: m.Year, Month: m.Month + 1}
}

// Prev returns the month before m.
func (m Month) Prev() Month {
	if m.Month == time.January {
		return Month{Year: m.Year - 1, Month: time.December}
	}
	return Month{Year: m.Year, Month: m.Month - 1}
}

func locOrUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// ReportOptions says which month a report covers and how its cases are
// judged.
type ReportOptions struct {
	// Month is the month reported on; the report compares it with the
	// month before.
	Month Month
	// Location is the site's time zone, where months begin; nil is UTC.
	Location *time.Location
	// AsOf is the moment the report is made: what happened later is not
	// counted. It must not be before the month begins.
	AsOf time.Time
	// Targets are the service targets by category, as in Config; cases
	// of a category without one are not judged against it.
	Targets Targets
}

// Report is the office's monthly account of its casework, as a manager
// brings it to the owners' committee: the month's figures, the previous
// month's, and the change between them.
type Report struct {
	MonthFigures
	// Previous holds the previous month's figures, judged as that month
	// stood one month before AsOf, so that both months have had the same
	// time for their cases to be handled.
	Previous MonthFigures `json:"previous"`
	// Change is this month's figures less the previous month's.
	Change ReportChange `json:"change"`
}

// MonthFigures are the figures of the cases sent in one month.
type MonthFigures struct {
	// Month is YYYY-MM; TimeZone the zone its days are counted in.
	Month    string `json:"month"`
	TimeZone string `json:"time_zone"`
	// From and Until bound the month: a case belongs to it when it was
	// sent at or after From and before Until.
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
	// AsOf is the moment the figures are judged at.
	AsOf time.Time `json:"as_of"`
	// Cases counts the cases sent in the month (by AsOf).
	Cases int `json:"cases"`
	// Statuses counts those cases by their status at AsOf; every status
	// is present, zero or not.
	Statuses map[Status]int `json:"statuses"`
	// Categories has one row per category, in the order of Categories,
	// zero rows included.
	Categories []CategoryFigures `json:"categories"`
	// FirstResponse is the time from a case's sending to its first move
	// out of received (to in_progress, or straight on).
	FirstResponse Timing `json:"first_response"`
	// Resolution is the time from a case's sending to its move to
	// resolved (or straight to followed_up); for a case reopened and
	// resolved again, to the last such move. A case reopened and not yet
	// resolved again counts as unresolved.
	Resolution Timing `json:"resolution"`
	// FollowUp counts the resolved cases (resolved or followed up at
	// AsOf) with a follow-up verdict recorded since their resolution, of
	// the resolved cases.
	FollowUp Share `json:"follow_up"`
	// Verdicts counts the month's cases by their latest follow-up verdict
	// (by AsOf); every verdict is present, zero or not.
	Verdicts map[Verdict]int `json:"verdicts"`
	// Satisfaction counts the cases whose latest verdict is satisfied or
	// mostly satisfied, of the cases with a verdict.
	Satisfaction Share `json:"satisfaction"`
}

// CategoryFigures counts the cases of one category by status.
type CategoryFigures struct {
	Category Category       `json:"category"`
	Cases    int            `json:"cases"`
	Statuses map[Status]int `json:"statuses"`
}

// Timing describes how long cases took to reach a step.
type Timing struct {
	// Count is the number of cases that reached the step by AsOf.
	Count int `json:"count"`
	// MedianSeconds is the median of their times, in seconds; nil when
	// Count is 0. With an even count it is the mean of the two middle
	// times, so it may end in .5.
	MedianSeconds *float64 `json:"median_seconds"`
	// WithinTarget counts the cases that reached the step within their
	// category's target, of the cases whose outcome is known at AsOf:
	// those that reached it, and those still short of it when the
	// target ran out. Categories without a target are left out.
	WithinTarget Share `json:"within_target"`
}

// Share is a count out of a whole, such as cases within target out of
// the cases judged.
type Share struct {
	Count int `json:"count"`
	Of    int `json:"of"`
	// Rate is Count/Of, nil when Of is 0.
	Rate *float64 `json:"rate"`
}

func newShare(count, of int) Share {
	s := Share{Count: count, Of: of}
	if of > 0 {
		r := float64(count) / float64(of)
		s.Rate = &r
	}
	return s
}

// ReportChange is the difference between a month's figures and the previous
// month's. A nil field means that one of the two months has no figure.
// The change of a Share is the difference of the rates (0.05 is five
// percentage points).
type ReportChange struct {
	Cases                     int              `json:"cases"`
	Categories                map[Category]int `json:"categories"`
	FirstResponseMedian       *float64         `json:"first_response_median_seconds"`
	ResolutionMedian          *float64         `json:"resolution_median_seconds"`
	FirstResponseWithinTarget *float64         `json:"first_response_within_target"`
	ResolutionWithinTarget    *float64         `json:"resolution_within_target"`
	FollowUp                  *float64         `json:"follow_up"`
	Satisfaction              *float64         `json:"satisfaction"`
}

// BuildReport computes the report on opt.Month, and its change against
// the month before, from cases: every case sent in the two months must be
// among them, and others are ignored.
//
// A case belongs to the month it was sent in, in the site's time zone.
// Moments are taken at whole seconds (the stores keep finer times with
// differing precision), so a report reads the same from either store.
func BuildReport(cases []*Case, opt ReportOptions) (*Report, error) {
	loc := locOrUTC(opt.Location)
	asOf := opt.AsOf.Truncate(time.Second)
	if asOf.Before(opt.Month.Start(loc)) {
		return nil, Errorm(EINVALID, msgMonthNotBegun, opt.Month, MonthOf(asOf, loc))
	}
	r := &Report{
		MonthFigures: monthFigures(cases, opt.Month, loc, asOf, opt.Targets),
		Previous:     monthFigures(cases, opt.Month.Prev(), loc, monthBefore(asOf, loc), opt.Targets),
	}
	r.Change = change(r.MonthFigures, r.Previous)
	return r, nil
}

// MonthReport reads the cases of opt.Month and the month before from
// store and builds their report with BuildReport.
func MonthReport(ctx context.Context, store Store, opt ReportOptions) (*Report, error) {
	cases, err := store.Cases(ctx, Filter{Since: opt.Month.Prev().Start(opt.Location), Until: opt.Month.Next().Start(opt.Location)})
	if err != nil {
		return nil, err
	}
	return BuildReport(cases, opt)
}

// monthBefore returns the same day and time of the previous month in loc,
// or that month's last day when it is shorter.
func monthBefore(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	prev := MonthOf(t, loc).Prev()
	day := min(t.Day(), daysIn(prev, loc))
	return time.Date(prev.Year, prev.Month, day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

func daysIn(m Month, loc *time.Location) int {
	return time.Date(m.Year, m.Month+1, 0, 12, 0, 0, 0, loc).Day()
}

// caseTimes is what a report needs of one case, judged at a moment.
type caseTimes struct {
	sent      time.Time
	status    Status    // at the moment
	responded time.Time // zero: no response yet
	resolved  time.Time // zero: not resolved, or reopened since
	covered   bool      // a verdict was recorded since the resolution
	verdict   Verdict   // the latest, empty for none
}

// judge reads c as it stood at asOf, with every moment at whole seconds,
// and takes its response and resolution as Case.FirstResponse and
// Case.Resolved define them, so that the report agrees with what the
// inbox calls overdue.
func judge(c *Case, asOf time.Time) caseTimes {
	then := *c
	then.CreatedAt = c.CreatedAt.Truncate(time.Second)
	then.History = nil
	then.Status = StatusReceived
	for _, ev := range c.History {
		ev.At = ev.At.Truncate(time.Second)
		if ev.At.After(asOf) {
			continue
		}
		then.History = append(then.History, ev)
		then.Status = ev.Status
	}
	ct := caseTimes{sent: then.CreatedAt, status: then.Status}
	ct.responded, _ = then.FirstResponse()
	ct.resolved, _ = then.Resolved()
	if v, ok := then.FollowUp(); ok {
		ct.verdict = v.Verdict
	}
	if !ct.resolved.IsZero() {
		// The verdict must come after the last move out of pending,
		// which is the resolution; a verdict before a reopening does
		// not cover the case resolved again.
		prev, last := StatusReceived, -1
		for i, ev := range then.History {
			if prev.Pending() && !ev.Status.Pending() {
				last = i
			}
			prev = ev.Status
		}
		for _, ev := range then.History[last:] {
			if ev.Verdict != "" {
				ct.covered = true
			}
		}
	}
	return ct
}

func monthFigures(cases []*Case, m Month, loc *time.Location, asOf time.Time, targets Targets) MonthFigures {
	f := MonthFigures{
		Month: m.String(), TimeZone: loc.String(),
		From: m.Start(loc), Until: m.Next().Start(loc), AsOf: asOf.In(loc),
		Statuses: map[Status]int{}, Verdicts: map[Verdict]int{},
	}
	for _, v := range Verdicts() {
		f.Verdicts[v] = 0
	}
	for _, s := range Statuses() {
		f.Statuses[s] = 0
	}
	rows := map[Category]*CategoryFigures{}
	for _, c := range Categories() {
		row := CategoryFigures{Category: c, Statuses: map[Status]int{}}
		for _, s := range Statuses() {
			row.Statuses[s] = 0
		}
		f.Categories = append(f.Categories, row)
	}
	for i := range f.Categories {
		rows[f.Categories[i].Category] = &f.Categories[i]
	}
	var respond, resolve []time.Duration
	var respondIn, respondOf, resolveIn, resolveOf, resolved, covered, verdicts, satisfied int
	for _, c := range cases {
		sent := c.CreatedAt.Truncate(time.Second)
		if sent.Before(f.From) || !sent.Before(f.Until) || sent.After(asOf) {
			continue
		}
		ct := judge(c, asOf)
		f.Cases++
		f.Statuses[ct.status]++
		if row := rows[c.Category]; row != nil {
			row.Cases++
			row.Statuses[ct.status]++
		}
		target := targets[c.Category]
		in, of := withinTarget(ct.sent, ct.responded, target.Respond, asOf)
		respondIn, respondOf = respondIn+in, respondOf+of
		in, of = withinTarget(ct.sent, ct.resolved, target.Resolve, asOf)
		resolveIn, resolveOf = resolveIn+in, resolveOf+of
		if !ct.responded.IsZero() {
			respond = append(respond, ct.responded.Sub(ct.sent))
		}
		if !ct.resolved.IsZero() {
			resolve = append(resolve, ct.resolved.Sub(ct.sent))
			resolved++
			if ct.covered {
				covered++
			}
		}
		if ct.verdict != "" {
			f.Verdicts[ct.verdict]++
			verdicts++
			if ct.verdict == VerdictSatisfied || ct.verdict == VerdictMostlySatisfied {
				satisfied++
			}
		}
	}
	f.FirstResponse = Timing{Count: len(respond), MedianSeconds: medianSeconds(respond), WithinTarget: newShare(respondIn, respondOf)}
	f.Resolution = Timing{Count: len(resolve), MedianSeconds: medianSeconds(resolve), WithinTarget: newShare(resolveIn, resolveOf)}
	f.FollowUp = newShare(covered, resolved)
	f.Satisfaction = newShare(satisfied, verdicts)
	return f
}

// withinTarget judges one case against a target: (1, 1) when the step
// was reached within it, (0, 1) when it was reached late or is still
// missing after the target ran out, and (0, 0) when there is no target
// or its outcome is not known yet.
func withinTarget(sent, reached time.Time, target time.Duration, asOf time.Time) (in, of int) {
	switch {
	case target <= 0:
		return 0, 0
	case !reached.IsZero() && reached.Sub(sent) <= target:
		return 1, 1
	case !reached.IsZero() || asOf.Sub(sent) > target:
		return 0, 1
	}
	return 0, 0
}

// medianSeconds returns the median of ds in seconds: the middle value, or
// the mean of the two middle values when there is an even number of
// them; nil when ds is empty.
func medianSeconds(ds []time.Duration) *float64 {
	if len(ds) == 0 {
		return nil
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	n := len(ds)
	var s float64
	if n%2 == 1 {
		s = ds[n/2].Seconds()
	} else {
		// Whole seconds each, so the mean is exact: at most a half.
		s = (ds[n/2-1] + ds[n/2]).Seconds() / 2
	}
	return &s
}

func change(cur, prev MonthFigures) ReportChange {
	ch := ReportChange{Cases: cur.Cases - prev.Cases, Categories: map[Category]int{}}
	for i, row := range cur.Categories {
		ch.Categories[row.Category] = row.Cases - prev.Categories[i].Cases
	}
	ch.FirstResponseMedian = diff(cur.FirstResponse.MedianSeconds, prev.FirstResponse.MedianSeconds)
	ch.ResolutionMedian = diff(cur.Resolution.MedianSeconds, prev.Resolution.MedianSeconds)
	ch.FirstResponseWithinTarget = diff(cur.FirstResponse.WithinTarget.Rate, prev.FirstResponse.WithinTarget.Rate)
	ch.ResolutionWithinTarget = diff(cur.Resolution.WithinTarget.Rate, prev.Resolution.WithinTarget.Rate)
	ch.FollowUp = diff(cur.FollowUp.Rate, prev.FollowUp.Rate)
	ch.Satisfaction = diff(cur.Satisfaction.Rate, prev.Satisfaction.Rate)
	return ch
}

func diff(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	d := *a - *b
	return &d
}
