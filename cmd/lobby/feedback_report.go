package main

import (
	"context"
	"encoding/json"
	"flag"
	"time"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/internal/msg"
)

var (
	msgReportFormat = msg.Message{
		En: "--format %q: use text, csv or json",
		Zh: "--format 的值 %q 不可用：请用 text、csv 或 json",
	}
	msgReportMonth = msg.Message{
		En: "--month %q: write a month such as 2026-11",
		Zh: "--month 的值 %q 不是月份：请写成 2026-11 这样",
	}
	msgReportNotBegun = msg.Message{
		En: "--month %s has not begun yet: choose a month up to %s",
		Zh: "--month %s 还没有开始：请选择 %s 或更早的月份",
	}
)

const feedbackReportHelp = `usage: lobby feedback report [--month YYYY-MM] [--format text|csv|json] [--now TIME] [--source DIR]

The monthly report on the office's casework, for the owners' committee:
the cases sent in the month (in the site's time zone) by category and
status, the median times to first response and to resolution, the shares
within the service targets, follow-up coverage and satisfaction, each
against the previous month. --month defaults to the month before this
one. Figures are judged as the cases stand now (or at --now); the
previous month as it stood one month earlier. text is for reading and
printing, csv for a spreadsheet (one figure a row), json for programs.`

func (c *feedbackCmd) report(ctx context.Context, args []string) error {
	var month, format, nowFlag string
	return c.withStore(ctx, "report", feedbackReportHelp, args, 0, func(fs *flag.FlagSet) {
		fs.StringVar(&month, "month", "", "the `month` to report on, such as 2026-11 (default: last month)")
		fs.StringVar(&format, "format", "text", "`format` of the output: text, csv or json")
		fs.StringVar(&nowFlag, "now", "", "judge the cases as they stood at this `time` instead of now")
	}, func(s *feedbackSite, _ []string) error {
		if format != "text" && format != "csv" && format != "json" {
			return msgReportFormat.Error(format)
		}
		now := time.Now()
		if nowFlag != "" {
			t, err := parseNow(nowFlag)
			if err != nil {
				return err
			}
			now = t
		}
		m := feedback.MonthOf(now, s.cfg.Location).Prev()
		if month != "" {
			var err error
			if m, err = feedback.ParseMonth(month); err != nil {
				return msgReportMonth.Error(month)
			}
		}
		if this := feedback.MonthOf(now, s.cfg.Location); now.Before(m.Start(s.cfg.Location)) {
			return msgReportNotBegun.Error(m, this)
		}
		r, err := feedback.MonthReport(ctx, s.store, feedback.ReportOptions{Month: m, Location: s.cfg.Location, AsOf: now, Targets: s.cfg.Targets})
		if err != nil {
			return err
		}
		switch format {
		case "json":
			enc := json.NewEncoder(c.env.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		case "csv":
			return feedback.WriteReportCSV(c.env.stdout, r)
		}
		return feedback.WriteReportText(c.env.stdout, r, string(c.env.lang))
	})
}
