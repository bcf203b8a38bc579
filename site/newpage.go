package site

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// Kinds are the kinds of page that lobby new makes, with the folder each
// goes in.
var Kinds = map[string]string{
	"notice": "notices", "event": "events", "newsletter": "newsletters",
	"fee": "fees", "handbook": "handbook", "page": "", "survey": "surveys",
}

// DraftLine is the line of front matter that keeps a page lobby new made
// out of the site until its author deletes it.
const DraftLine = "draft = true"

// NewPage returns the content-relative path and the text of a new page of
// kind with title, dated now in the site's time zone.
func NewPage(kind, title string, now time.Time, loc *time.Location) (string, []byte, error) {
	dir, ok := Kinds[kind]
	if !ok {
		return "", nil, msgUnknownKind.Error(kind)
	}
	if strings.TrimSpace(title) == "" {
		return "", nil, msgNewNeedsTitle.Error()
	}
	now = now.In(loc)
	slug := Slugify(title)
	if slug == "" {
		return "", nil, msgTitleNoLetters.Error(title)
	}
	name := slug + ".md"
	if kind == "notice" || kind == "newsletter" {
		name = now.Format("2006-01-02-") + name
	}
	var b strings.Builder
	b.WriteString("+++\n")
	fmt.Fprintf(&b, "title = %s\n", strconv.Quote(title))
	fmt.Fprintf(&b, "date = %s\n", now.Format(time.RFC3339))
	// A new page is unfinished (a fee disclosure of zeros, a notice
	// without its text) until its author says otherwise: a commit of it
	// as it is must not publish it.
	b.WriteString(DraftLine + "  # delete this line to publish the page\n")
	switch kind {
	case "notice":
		b.WriteString("urgency = \"info\"  # info, important or urgent\n")
		fmt.Fprintf(&b, "expires = %s\n", at(now, 7, 18).Format(time.RFC3339))
		b.WriteString("tags = []\n")
	case "event":
		fmt.Fprintf(&b, "start = %s\n", at(now, 7, 10).Format(time.RFC3339))
		fmt.Fprintf(&b, "end = %s\n", at(now, 7, 12).Format(time.RFC3339))
		b.WriteString("location = \"\"\norganizer = \"\"\n")
	case "newsletter":
		b.WriteString("issue = 1\n")
	case "fee":
		q := (int(now.Month())-1)/3 + 1
		fmt.Fprintf(&b, "period = \"%d-Q%d\"\ncurrency = \"CNY\"\n", now.Year(), q)
		b.WriteString("total_income = \"0.00\"\ntotal_expense = \"0.00\"\n\n")
		b.WriteString("[[income]]\nitem = \"物业费\"\namount = \"0.00\"\n\n")
		b.WriteString("[[expense]]\nitem = \"保洁\"\namount = \"0.00\"\n\n")
		b.WriteString("[fund]\nopening = \"0.00\"\nclosing = \"0.00\"\n")
	case "handbook":
		b.WriteString("weight = 10\n")
	case "survey":
		writeSurveyExample(&b, now)
	}
	b.WriteString("+++\n\n")
	if kind == "survey" {
		b.WriteString("请用几句话说明这次调查的目的、大约需要几分钟，以及结果何时公布。\n")
	}
	return path.Join(ContentDir, dir, name), []byte(b.String()), nil
}

// at returns the time hour:00 on the day days after t, in t's zone.
func at(t time.Time, days, hour int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()+days, hour, 0, 0, 0, t.Location())
}

// Warnings returns what a site's authors should know that is not an error:
// a build for a static host with no server for search and feedback,
// notices that expire within a day, and pinned notices that have expired.
// Each is located at its file, like an error.
func (s *Site) Warnings() ErrorList {
	var out ErrorList
	if s.Options.Static && s.Config.Server.Origin == "" {
		m := msgStaticNoOrigin
		if s.Config.Office.Hotline == "" && s.Config.Office.Repairs == "" && s.Config.Office.Email == "" {
			m = msgStaticNoOriginNoContact
		}
		out.msgf(ConfigFile, 0, 0, m)
	}
	for _, p := range s.Pages {
		n := p.Notice
		if n == nil || n.Expires.IsZero() {
			continue
		}
		switch {
		case n.Expired && n.Pinned:
			out.msgf(p.File, 0, 0, msgPinnedExpired, n.Expires.Format(time.DateTime))
		case !n.Expired && n.Expires.Sub(s.Now) <= 24*time.Hour:
			out.msgf(p.File, 0, 0, msgExpiresSoon, n.Expires.Format(time.DateTime))
		}
	}
	return out
}

// writeSurveyExample writes the front matter of a survey that opens
// tomorrow for two weeks, with one question of each kind, for staff to
// edit: ids name the results, so they stay once answers come in.
func writeSurveyExample(b *strings.Builder, now time.Time) {
	fmt.Fprintf(b, "opens = %s\n", at(now, 1, 8).Format(time.RFC3339))
	fmt.Fprintf(b, "closes = %s\n", at(now, 15, 0).Format(time.RFC3339))
	b.WriteString("codes = false  # true: every household answers once, with a code from lobby survey codes\n")
	b.WriteString(`
# Each question has a stable id: once answers exist, an option may be
# added but not removed or relabelled. kind: single, multiple, rating, text.
[[questions]]
id = "overall"
kind = "rating"
text = "总体来说，您对物业服务满意吗？"
labels = ["很不满意", "不满意", "一般", "满意", "很满意"]

[[questions]]
id = "visits"
kind = "single"
text = "您多久去一次物业服务中心？"
options = [
  { id = "weekly", label = "每周" },
  { id = "monthly", label = "每月" },
  { id = "rarely", label = "很少" },
]

[[questions]]
id = "priorities"
kind = "multiple"
max = 2
text = "您最希望改进哪些方面？（最多选 2 项）"
options = [
  { id = "security", label = "安保" },
  { id = "cleaning", label = "保洁" },
  { id = "parking", label = "停车" },
]

[[questions]]
id = "comments"
kind = "text"
max_length = 500
text = "其他意见和建议（选填，不公开）"
`)
}
