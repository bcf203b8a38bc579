package main

import (
	"bufio"
	"bytes"
	"context"

	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/survey"
)

type surveyCmd struct {
	env env
	now func() time.Time // the clock; tests set it
}

const surveyHelp = `usage: lobby survey <command> SLUG [flags]

Staff operations on the survey content/surveys/SLUG.md, whose answers are in
the feedback store named by config.toml's [feedback] table:

	codes    make a household code for each unit that has none, and a printable
	         A4 sheet of slips: lobby survey codes SLUG --units units.txt [--out FILE]
	results  count the answers into data/surveys/SLUG.json, to commit; the next
	         build publishes them: lobby survey results SLUG
	export   every answer as CSV, free text included: lobby survey export SLUG [--csv FILE]

Every command takes --source DIR (default ".").`

// Messages of lobby survey.
var (
	msgSurveyUsage     = msg.Message{En: "survey: give the command and the survey's slug: lobby survey %s SLUG", Zh: "survey：请写出命令和问卷名：lobby survey %s SLUG"}
	msgSurveyUnknown   = msg.Message{En: "survey: no survey %q in content/surveys/ (the slug is the file name without .md)", Zh: "survey：content/surveys/ 中没有问卷 %q（问卷名是文件名去掉 .md）"}
	msgSurveyNoStore   = msg.Message{En: "survey: the feedback store %s keeps no survey answers", Zh: "survey：反馈存储 %s 不能保存问卷回答"}
	msgSurveyNoUnits   = msg.Message{En: "survey: give the units, one a line: lobby survey codes %s --units units.txt", Zh: "survey：请提供房号清单，每行一个：lobby survey codes %s --units units.txt"}
	msgSurveyEmpty     = msg.Message{En: "survey: %s lists no units: write one unit a line", Zh: "survey：%s 中没有房号：请每行写一个房号"}
	msgSurveyLongUnit  = msg.Message{En: "survey: %s:%d: a unit may have at most 50 characters", Zh: "survey：%s:%d：房号最多 50 个字"}
	msgCodesMade       = msg.Message{En: "made %d household codes for %s; the slips to print are in %s", Zh: "已为 %[2]s 生成 %[1]d 个住户码；待打印的通知单在 %[3]s"}
	msgCodesKept       = msg.Message{En: "%d units have a code already and were left out: a code is kept only as its hash, so it cannot be printed again", Zh: "%d 户已有住户码，未重复生成：住户码只保存其哈希，无法再次打印"}
	msgCodesNone       = msg.Message{En: "every unit has a code already: nothing new to print", Zh: "所有房号都已有住户码，没有新的需要打印"}
	msgCodesNotAsked   = msg.Message{En: "note: %s does not ask for codes (codes = false): set codes = true in its front matter, or answers are taken once per browser", Zh: "注意：%s 没有要求住户码（codes = false）：请在其 front matter 中设置 codes = true，否则按浏览器计一份"}
	msgResultsWritten  = msg.Message{En: "wrote %s: %d responses; commit it, and the next build publishes the results", Zh: "已写入 %s：共 %d 份答卷；提交到 git 后，下次构建即公布结果"}
	msgExportedAnswers = msg.Message{En: "wrote %d answers to %s", Zh: "已将 %d 份答卷写入 %s"}
)

// Run dispatches to the survey subcommand named by args[0].
func (c *surveyCmd) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(c.env.stderr, surveyHelp)
		return errReported
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "codes":
		return c.codes(ctx, rest)
	case "results":
		return c.results(ctx, rest)
	case "export":
		return c.export(ctx, rest)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(c.env.stderr, surveyHelp)
		return flag.ErrHelp
	}
	return fmt.Errorf("survey: unknown command %q: use codes, results or export", sub)
}

func (c *surveyCmd) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// surveySite is what every subcommand opens: the site, its survey, and
// the store of its answers.
type surveySite struct {
	site   *site.Site
	page   *site.Page
	survey *survey.Survey
	store  survey.Store
	close  func()
}

// open loads the site in source, finds the survey slug (drafts and
// surveys dated later included: codes are made before a survey is
// published) and opens the store.
func (c *surveyCmd) open(ctx context.Context, f *siteFlags, slug string) (*surveySite, error) {
	f.drafts, f.future = true, true
	s, err := f.load(ctx, c.env, "text", false)
	if err != nil {
		return nil, err
	}
	out := &surveySite{site: s}
	for _, p := range s.Pages {
		if p.Survey != nil && p.Survey.Slug == slug {
			out.page, out.survey = p, &p.Survey.Survey
		}
	}
	if out.survey == nil {
		return nil, msgSurveyUnknown.Error(slug)
	}
	fs, err := openFeedbackStore(ctx, f.source, s.Config.Feedback, c.env.getenv)
	if err != nil {
		return nil, err
	}
	st, ok := fs.(survey.Store)
	if !ok {
		fs.Close()
		return nil, msgSurveyNoStore.Error(s.Config.Feedback.Store)
	}
	out.store, out.close = st, func() { fs.Close() }
	return out, nil
}

// slugArg parses the flags and the one argument, the survey's slug.
func (c *surveyCmd) slugArg(fs *flag.FlagSet, name string, args []string) (string, error) {
	rest, err := parseFlags(fs, args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", msgSurveyUsage.Error(name)
	}
	return rest[0], nil
}

func (c *surveyCmd) codes(ctx context.Context, args []string) error {
	fs := newFlagSet("survey codes", surveyHelp, c.env.stderr)
	var f siteFlags
	fs.StringVar(&f.source, "source", ".", "the site's `folder`")
	units := fs.String("units", "", "the `file` of units, one a line (# starts a comment)")
	out := fs.String("out", "", "where to write the sheet of slips (default survey-codes-SLUG.html)")
	slug, err := c.slugArg(fs, "codes", args)
	if err != nil {
		return err
	}
	if *units == "" {
		return msgSurveyNoUnits.Error(slug)
	}
	list, err := readUnits(*units)
	if err != nil {
		return err
	}
	ss, err := c.open(ctx, &f, slug)
	if err != nil {
		return err
	}
	defer ss.close()
	if !ss.survey.Codes {
		c.env.say(c.env.stderr, msgCodesNotAsked, ss.page.File)
	}
	have, err := ss.store.Codes(ctx, slug)
	if err != nil {
		return err
	}
	taken := map[string]bool{}
	for _, code := range have {
		taken[code.Unit] = true
	}
	now := c.clock()
	cfg := ss.site.Config
	base := cfg.BaseURL
	if cfg.Server.Origin != "" {
		base = cfg.Server.Origin + cfg.BasePath()
	}
	sheet := survey.Sheet{Lang: cfg.Language, Site: cfg.Title, Title: ss.page.Title, Page: ss.page.Permalink,
		Closes: ss.survey.Closes.In(cfg.Location).Format("2006-01-02 15:04")}
	var stored []survey.Code
	kept := 0
	for _, unit := range list {
		if taken[unit] {
			kept++
			continue
		}
		code := survey.NewCode()
		target := base + "api/v1/surveys/" + url.PathEscape(slug) + "/form?code=" + url.QueryEscape(code)
		qr, err := site.QRCode(target)
		if err != nil {
			return err
		}
		stored = append(stored, survey.Code{Unit: unit, Hash: survey.HashCode(slug, code), CreatedAt: now})
		sheet.Slips = append(sheet.Slips, survey.Slip{Unit: unit, Code: code, URL: target, QR: qr})
	}
	if kept > 0 {
		c.env.say(c.env.stderr, msgCodesKept, kept)
	}
	if len(stored) == 0 {
		c.env.say(c.env.stdout, msgCodesNone)
		return nil
	}
	path := *out
	if path == "" {
		path = "survey-codes-" + slug + ".html"
	}
	var buf bytes.Buffer
	if err := survey.WriteSheet(&buf, sheet); err != nil {
		return err
	}
	// The sheet is written before the codes are stored: codes that reach
	// the store are always on a sheet. It holds the codes themselves, so
	// only its owner may read it.
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return err
	}
	if err := ss.store.AddCodes(ctx, slug, stored); err != nil {
		os.Remove(path)
		return err
	}
	c.env.say(c.env.stdout, msgCodesMade, len(stored), slug, path)
	return nil
}

// readUnits reads a file of units: one a line, blank lines and lines that
// start with # skipped, each unit once.
func readUnits(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		u := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if u == "" || strings.HasPrefix(u, "#") || seen[u] {
			continue
		}
		if len([]rune(u)) > 50 {
			return nil, msgSurveyLongUnit.Error(path, line)
		}
		seen[u] = true
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, msgSurveyEmpty.Error(path)
	}
	return out, sc.Err()
}

func (c *surveyCmd) results(ctx context.Context, args []string) error {
	fs := newFlagSet("survey results", surveyHelp, c.env.stderr)
	var f siteFlags
	fs.StringVar(&f.source, "source", ".", "the site's `folder`")
	slug, err := c.slugArg(fs, "results", args)
	if err != nil {
		return err
	}
	ss, err := c.open(ctx, &f, slug)
	if err != nil {
		return err
	}
	defer ss.close()
	responses, err := ss.store.Responses(ctx, slug)
	if err != nil {
		return err
	}
	codes, err := ss.store.Codes(ctx, slug)
	if err != nil {
		return err
	}
	answers := make([]survey.Answers, len(responses))
	for i, r := range responses {
		answers[i] = r.Answers
	}
	households := 0
	if ss.survey.Codes {
		households = len(codes)
	}
	r := survey.Tally(ss.survey, answers, households, c.clock())
	rel := site.SurveyResultsFile(slug)
	path := filepath.Join(f.source, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := writeFileAtomic(path, r.JSON()); err != nil {
		return err
	}
	c.env.say(c.env.stdout, msgResultsWritten, rel, r.Responses)
	return nil
}

func (c *surveyCmd) export(ctx context.Context, args []string) error {
	fs := newFlagSet("survey export", surveyHelp, c.env.stderr)
	var f siteFlags
	fs.StringVar(&f.source, "source", ".", "the site's `folder`")
	file := fs.String("csv", "", "write to this `file` (default: standard output)")
	slug, err := c.slugArg(fs, "export", args)
	if err != nil {
		return err
	}
	ss, err := c.open(ctx, &f, slug)
	if err != nil {
		return err
	}
	defer ss.close()
	responses, err := ss.store.Responses(ctx, slug)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := survey.WriteCSV(&buf, ss.survey, responses, ss.site.Config.Location); err != nil {
		return err
	}
	if *file == "" {
		_, err := c.env.stdout.Write(buf.Bytes())
		return err
	}
	// Free text may hold what residents wrote about themselves: only the
	// file's owner may read it.
	if err := os.WriteFile(*file, buf.Bytes(), 0o600); err != nil {
		return err
	}
	c.env.say(c.env.stderr, msgExportedAnswers, len(responses), *file)
	return nil
}

// writeFileAtomic writes data to path through a file beside it, renamed
// over it, so that a reader never sees half of it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
