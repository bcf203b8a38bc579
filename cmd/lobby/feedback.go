package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/feedback/postgres"
	"github.com/lobby-community/lobby/feedback/sqlite"
	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/site"
)

// staffTokenEnv is the environment variable holding the staff token.
const staffTokenEnv = "LOBBY_STAFF_TOKEN"

type feedbackCmd struct {
	env env
}

const feedbackHelp = `usage: lobby feedback <command> [flags] [arguments]

Staff operations on residents' feedback, on the store named by the
[feedback] table of the site's config.toml (default .lobby/feedback.db):

	list     list cases, 50 at a time: lobby feedback list [--status S] [--category C] [--unit U] [--since DATE] [--until DATE] [--overdue] [--newest] [--format table|json|csv] [--after CURSOR] [--all]
	show     show one case with its history: lobby feedback show REF
	set      change a case's status: lobby feedback set REF STATUS [--note TEXT] [--by NAME]
	note     add a staff note to a case: lobby feedback note REF TEXT [--by NAME]
	followup record the resident's verdict from a phone follow-up: lobby feedback followup REF satisfied|mostly_satisfied|dissatisfied [--comment TEXT] [--by NAME]
	export   write cases to a spreadsheet file: lobby feedback export --csv FILE
	purge    delete cases whose last change is older than feedback.retention
	migrate  copy every case into an empty store: lobby feedback migrate --to postgres://… or --to sqlite:PATH
	report   the monthly report: lobby feedback report [--month 2026-11] [--format text|csv|json]

Statuses: received, in_progress, resolved, followed_up.
Every command takes --source DIR (default "."); run "lobby feedback <command> -h" for its flags.`

// Run dispatches to the feedback subcommand named by args[0].
func (c *feedbackCmd) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(c.env.stderr, feedbackHelp)
		return errReported
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		return c.list(ctx, rest)
	case "show":
		return c.show(ctx, rest)
	case "set":
		return c.set(ctx, rest)
	case "note":
		return c.note(ctx, rest)
	case "followup", "follow-up":
		return c.followup(ctx, rest)
	case "export":
		return c.export(ctx, rest)
	case "purge":
		return c.purge(ctx, rest)
	case "migrate":
		return c.migrate(ctx, rest)
	case "report":
		return c.report(ctx, rest)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(c.env.stderr, feedbackHelp)
		return flag.ErrHelp
	}
	return msgFeedbackUnknown.Error(sub)
}

// feedbackSite is what every subcommand opens: the site's feedback
// settings and the store.
type feedbackSite struct {
	cfg   feedback.Config
	store feedback.Store
}

// openFeedback reads source's config.toml and opens its feedback store.
func (c *feedbackCmd) openFeedback(ctx context.Context, source string) (*feedbackSite, error) {
	sc, err := site.LoadConfig(os.DirFS(source))
	if err != nil {
		return nil, err
	}
	cfg := feedbackConfig(sc, c.env.getenv)
	store, err := openFeedbackStore(ctx, source, sc.Feedback, c.env.getenv)
	if err != nil {
		return nil, err
	}
	return &feedbackSite{cfg: cfg, store: store}, nil
}

// feedbackConfig converts the site's [feedback] table, and the staff token
// from the environment, into a feedback.Config; lobby serve uses it too.
// It takes the values site.ParseConfig parsed and parses nothing itself,
// so that lobby check refuses, at its line, every value that would stop
// lobby serve.
func feedbackConfig(sc *site.Config, getenv func(string) string) feedback.Config {
	f := sc.Feedback
	cfg := feedback.Config{
		NotifyCommand:  f.NotifyArgv,
		Language:       sc.Language,
		Location:       sc.Location,
		BasePath:       sc.BasePath(),
		Retention:      f.RetentionPeriod,
		RateEvents:     f.RateEvents,
		RatePer:        f.RatePer,
		TrustedProxies: f.Proxies,
	}
	if getenv != nil {
		cfg.StaffToken = getenv(staffTokenEnv)
	}
	for cat, d := range f.ServiceTargets() {
		if cfg.Targets == nil {
			cfg.Targets = feedback.Targets{}
		}
		cfg.Targets[feedback.Category(cat)] = feedback.Target{Respond: d[0], Resolve: d[1]}
	}
	return cfg
}

// databasePasswordEnv is the environment variable holding the PostgreSQL
// password, which config.toml (kept in git) never holds.
const databasePasswordEnv = "LOBBY_DATABASE_PASSWORD"

// openFeedbackStore opens the store that feedback.store names; a SQLite
// path is relative to the site's folder. lobby serve uses it too.
func openFeedbackStore(ctx context.Context, source string, f site.FeedbackConfig, getenv func(string) string) (feedback.Store, error) {
	return openStore(ctx, f.StoreKind, f.StoreTarget, source, getenv)
}

// openStore opens a store of a kind that site.ParseStore named.
func openStore(ctx context.Context, kind, target, source string, getenv func(string) string) (feedback.Store, error) {
	if kind == "postgres" {
		var password string
		if getenv != nil {
			password = getenv(databasePasswordEnv)
		}
		return postgres.Open(ctx, target, password)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(source, target)
	}
	return sqlite.Open(ctx, target)
}

// userError turns a feedback error meant for people into its message
// alone, which the CLI prints in the staff's language.
func userError(err error) error {
	var fe *feedback.Error
	if errors.As(err, &fe) && fe.Code != feedback.EINTERNAL {
		return plainError{fe}
	}
	if code := feedback.ErrorCode(err); code != "" && code != feedback.EINTERNAL {
		return errors.New(feedback.ErrorMessage(err))
	}
	return err
}

// plainError is a feedback error without its code: its In (the message in
// a language) comes from the feedback error.
type plainError struct{ fe *feedback.Error }

func (e plainError) Error() string { return e.fe.Message }

// In renders the message in lang.
func (e plainError) In(lang msg.Lang) string { return e.fe.In(lang) }

// parseRef reads a REF argument.
func parseRef(s string) (string, error) {
	ref, ok := feedback.ParseRef(s)
	if !ok {
		return "", msgNotRef.Error(s, feedback.RefLength)
	}
	return ref, nil
}

// filterFlags are the filters that list and export share, read as the
// staff pages and API read them (feedback.ParseListQuery).
type filterFlags struct {
	status, category, unit, since, until string
	newest, overdue                      bool
}

func (f *filterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.status, "status", "", "only cases in this `status` (received, in_progress, resolved, followed_up), or pending (received or in progress)")
	fs.StringVar(&f.category, "category", "", "only cases of this `category` (inquiry, complaint, repair, suggestion, praise)")
	fs.StringVar(&f.unit, "unit", "", "only cases whose unit starts with this `text` (\"3-\" for building 3)")
	fs.StringVar(&f.since, "since", "", "only cases sent on or after this `date` (2026-03-01, in the site's time zone)")
	fs.StringVar(&f.until, "until", "", "only cases sent on or before this `date`")
	fs.BoolVar(&f.newest, "newest", false, "newest first (the default is oldest first)")
	fs.BoolVar(&f.overdue, "overdue", false, "only cases past a service target of [feedback.targets] now")
}

func (f *filterFlags) query(loc *time.Location) (feedback.ListQuery, error) {
	q := url.Values{"status": {f.status}, "category": {f.category}, "unit": {f.unit}, "since": {f.since}, "until": {f.until}}
	if f.newest {
		q.Set("order", "newest")
	}
	if f.overdue {
		q.Set("overdue", "1")
	}
	lq, err := feedback.ParseListQuery(q, loc)
	if err != nil {
		return lq, msgFilter.Error(userError(err))
	}
	return lq, nil
}

// withStore parses a subcommand's flags, checks the number of positional
// arguments, opens the store and runs fn.
func (c *feedbackCmd) withStore(ctx context.Context, name, help string, args []string, nargs int, setup func(*flag.FlagSet),
	fn func(fs *feedbackSite, pos []string) error) error {
	fs := newFlagSet("feedback "+name, help, c.env.stderr)
	source := fs.String("source", ".", "the site's `folder` (with config.toml)")
	if setup != nil {
		setup(fs)
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != nargs {
		fs.Usage()
		return errReported
	}
	s, err := c.openFeedback(ctx, *source)
	if err != nil {
		return err
	}
	defer s.store.Close()
	return userError(fn(s, pos))
}

const feedbackListHelp = `usage: lobby feedback list [--status S] [--category C] [--unit U] [--since DATE] [--until DATE] [--overdue] [--newest] [--now TIME] [--format table|json|csv] [--limit N] [--after CURSOR] [--all] [--source DIR]

Lists cases, oldest first (--newest: newest first), 50 at a time: when
there are more, the command to show the next page is printed on stderr.
--limit shows up to 500 at a time; --all shows every case at once.
--overdue lists the cases past a service target of [feedback.targets],
all at once; --now judges that at another moment than the clock. table
(the default) shows one line per case, OVERDUE marking the late ones;
json prints an array of cases, each with its ref, fields, status, history
(staff notes, names and verdicts included) and "overdue" when it is; csv
is the spreadsheet export.`

func (c *feedbackCmd) list(ctx context.Context, args []string) error {
	var ff filterFlags
	var format, limit, after, nowFlag string
	var all bool
	var flags *flag.FlagSet
	return c.withStore(ctx, "list", feedbackListHelp, args, 0, func(fs *flag.FlagSet) {
		flags = fs
		ff.register(fs)
		fs.StringVar(&format, "format", "table", "`format` of the output: table, json or csv")
		fs.StringVar(&limit, "limit", "", fmt.Sprintf("show up to `N` cases (default %d, at most %d)", feedback.DefaultPageSize, feedback.MaxPageSize))
		fs.StringVar(&after, "after", "", "show the page after this `cursor`, as the previous page printed")
		fs.BoolVar(&all, "all", false, "show every case at once")
		fs.StringVar(&nowFlag, "now", "", "judge overdue cases at this `time` instead of the clock")
	}, func(s *feedbackSite, _ []string) error {
		given := map[string]bool{}
		flags.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if format != "table" && format != "json" && format != "csv" {
			return msgListFormat.Error(format)
		}
		if all && (given["limit"] || given["after"]) {
			return msgAllWithPage.Error()
		}
		lq, err := ff.query(s.cfg.Location)
		if err != nil {
			return err
		}
		flt := lq.Filter
		if flt.After, err = feedback.ParseCursor(after); err != nil {
			return msgFlagValue.Error("--after", userError(err))
		}
		now, err := nowOr(nowFlag)
		if err != nil {
			return err
		}
		var cases []*feedback.Case
		var next feedback.Cursor
		switch {
		case lq.Overdue:
			if len(s.cfg.Targets) == 0 {
				c.env.say(c.env.stderr, msgNoTargets)
			}
			cases, err = feedback.OverdueCases(ctx, s.store, flt, s.cfg.Targets, now)
		case all:
			cases, err = s.store.Cases(ctx, flt)
		default:
			size, perr := feedback.ParsePageSize(limit)
			if perr != nil {
				return msgFlagValue.Error("--limit", userError(perr))
			}
			cases, next, err = feedback.CasesPage(ctx, s.store, flt, size)
		}
		if err != nil {
			return err
		}
		if !next.IsZero() {
			// On stderr, so that the JSON or CSV on stdout stays whole.
			defer c.env.say(c.env.stderr, msgNextPage, len(cases), next)
		}
		views := feedback.ViewCases(cases, s.cfg.Targets, now)
		switch format {
		case "json":
			return writeCasesJSON(c.env.stdout, views)
		case "csv":
			return feedback.WriteCSV(c.env.stdout, cases, s.cfg.Location)
		}
		return writeCasesTable(c.env.stdout, views, s.cfg.Location)
	})
}

// nowOr returns the moment --now names, or the clock's when it is empty.
func nowOr(flag string) (time.Time, error) {
	if flag == "" {
		return time.Now(), nil
	}
	return parseNow(flag)
}

func writeCasesJSON(w io.Writer, v any) error {
	if cs, ok := v.([]*feedback.Case); ok && cs == nil {
		v = []*feedback.Case{}
	}
	if cs, ok := v.([]feedback.CaseView); ok && cs == nil {
		v = []feedback.CaseView{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeCasesTable(w io.Writer, cases []feedback.CaseView, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tSENT\tSTATUS\tCATEGORY\tUNIT\tMESSAGE\tDUE")
	for _, c := range cases {
		due := ""
		if c.Overdue != nil {
			due = "OVERDUE"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Ref, c.CreatedAt.In(loc).Format("2006-01-02 15:04"),
			c.Status, c.Category, oneLine(c.Unit, 12), oneLine(c.Message, 40), due)
	}
	return tw.Flush()
}

// oneLine shortens s to max characters on one line, for the table.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}

const feedbackShowHelp = `usage: lobby feedback show REF [--format text|json] [--now TIME] [--source DIR]

Shows one case: what the resident sent, its status, whether it is overdue,
and its whole history with the staff notes, who made each change, and the
follow-up verdicts.`

func (c *feedbackCmd) show(ctx context.Context, args []string) error {
	var format, nowFlag string
	return c.withStore(ctx, "show", feedbackShowHelp, args, 1, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "text", "`format` of the output: text or json")
		fs.StringVar(&nowFlag, "now", "", "judge whether it is overdue at this `time` instead of the clock")
	}, func(s *feedbackSite, pos []string) error {
		ref, err := parseRef(pos[0])
		if err != nil {
			return err
		}
		cs, err := s.store.Case(ctx, ref)
		if err != nil {
			return err
		}
		now, err := nowOr(nowFlag)
		if err != nil {
			return err
		}
		v := feedback.ViewCases([]*feedback.Case{cs}, s.cfg.Targets, now)[0]
		if format == "json" {
			return writeCasesJSON(c.env.stdout, v)
		}
		writeCaseText(c.env.stdout, v, s.cfg.Location)
		return nil
	})
}

func writeCaseText(w io.Writer, c feedback.CaseView, loc *time.Location) {
	const layout = "2006-01-02 15:04"
	fmt.Fprintf(w, "Ref:       %s\nStatus:    %s\nCategory:  %s\nSent:      %s\nName:      %s\nUnit:      %s\nContact:   %s\n",
		c.Ref, c.Status, c.Category, c.CreatedAt.In(loc).Format(layout), c.Name, c.Unit, c.Contact)
	if o := c.Overdue; o != nil {
		missed := "response"
		if !o.Respond {
			missed = "resolution"
		}
		fmt.Fprintf(w, "Overdue:   past its %s target since %s\n", missed, o.Since.In(loc).Format(layout))
	}
	fmt.Fprintln(w, "Message:")
	for _, line := range strings.Split(c.Message, "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintln(w, "History:")
	for _, ev := range c.History {
		line := fmt.Sprintf("  %s  %-12s", ev.At.In(loc).Format(layout), ev.Status)
		if ev.By != "" {
			line += " [" + ev.By + "]"
		}
		if ev.Verdict != "" {
			line += " verdict " + string(ev.Verdict) + " (" + string(ev.Via) + ")"
			if ev.Comment != "" {
				line += ": " + strings.ReplaceAll(ev.Comment, "\n", " ")
			}
		}
		if ev.Note != "" {
			line += " " + strings.ReplaceAll(ev.Note, "\n", " ")
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

const feedbackSetHelp = `usage: lobby feedback set REF STATUS [--note TEXT] [--by NAME] [--source DIR]

Moves a case to STATUS (in_progress, resolved or followed_up), recording
the time, the note and your name in its history. A case moves forward,
goes back to in_progress to be reopened, or keeps its status to add a
note. --by defaults to LOBBY_STAFF_NAME.`

// staffNameEnv is the environment variable that names the staff member
// using the CLI, for the history of the cases they change.
const staffNameEnv = "LOBBY_STAFF_NAME"

// registerBy adds --by, defaulting to LOBBY_STAFF_NAME.
func (c *feedbackCmd) registerBy(fs *flag.FlagSet, by *string) {
	def := ""
	if c.env.getenv != nil {
		def = c.env.getenv(staffNameEnv)
	}
	fs.StringVar(by, "by", def, "your `name`, recorded with the change (default $"+staffNameEnv+")")
}

// update applies a change to the case REF names and prints where it stands.
func (c *feedbackCmd) update(ctx context.Context, s *feedbackSite, refArg string, ch feedback.Change) error {
	ref, err := parseRef(refArg)
	if err != nil {
		return err
	}
	cs, err := s.store.Update(ctx, ref, ch, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.stdout, "%s: %s\n", cs.Ref, cs.Status)
	return nil
}

func (c *feedbackCmd) set(ctx context.Context, args []string) error {
	var note, by string
	return c.withStore(ctx, "set", feedbackSetHelp, args, 2, func(fs *flag.FlagSet) {
		fs.StringVar(&note, "note", "", "a note for staff, kept in the case's history (never shown to residents)")
		c.registerBy(fs, &by)
	}, func(s *feedbackSite, pos []string) error {
		st, err := feedback.ParseStatus(pos[1])
		if err != nil {
			return err
		}
		return c.update(ctx, s, pos[0], feedback.Change{Status: st, Note: note, By: by})
	})
}

const feedbackNoteHelp = `usage: lobby feedback note REF TEXT [--by NAME] [--source DIR]

Adds a note for staff to a case's history, with the time and your name,
without changing its status. Residents never see notes.`

func (c *feedbackCmd) note(ctx context.Context, args []string) error {
	var by string
	return c.withStore(ctx, "note", feedbackNoteHelp, args, 2, func(fs *flag.FlagSet) {
		c.registerBy(fs, &by)
	}, func(s *feedbackSite, pos []string) error {
		if strings.TrimSpace(pos[1]) == "" {
			return msgEmptyNote.Error()
		}
		return c.update(ctx, s, pos[0], feedback.Change{Note: pos[1], By: by})
	})
}

const feedbackFollowupHelp = `usage: lobby feedback followup REF VERDICT [--comment TEXT] [--note TEXT] [--by NAME] [--source DIR]

Records what the resident said when staff called or visited them after
their case was resolved (回访). VERDICT is satisfied (满意),
mostly_satisfied (基本满意) or dissatisfied (不满意). The case moves to
followed_up; dissatisfied reopens it (in_progress) so that staff take it
up again. --comment is what the resident said; --note is for staff.`

func (c *feedbackCmd) followup(ctx context.Context, args []string) error {
	var comment, note, by string
	return c.withStore(ctx, "followup", feedbackFollowupHelp, args, 2, func(fs *flag.FlagSet) {
		fs.StringVar(&comment, "comment", "", "what the resident said")
		fs.StringVar(&note, "note", "", "a note for staff")
		c.registerBy(fs, &by)
	}, func(s *feedbackSite, pos []string) error {
		v, err := feedback.ParseVerdict(pos[1])
		if err != nil {
			return msgVerdict.Error(pos[1])
		}
		return c.update(ctx, s, pos[0], feedback.Change{Verdict: v, Comment: comment, Note: note, By: by, Via: feedback.ViaPhone})
	})
}

const feedbackExportHelp = `usage: lobby feedback export --csv FILE [--status S] [--category C] [--unit U] [--since DATE] [--until DATE] [--overdue] [--newest] [--source DIR]

Writes cases to FILE as CSV for a spreadsheet: UTF-8 with a byte-order mark
(so Excel shows Chinese), every cell quoted, and cells that start with
= + - @ or a tab or line break prefixed with ' so they are never run as
formulas. The file holds personal data: it is created readable by you only.`

func (c *feedbackCmd) export(ctx context.Context, args []string) error {
	var ff filterFlags
	var file string
	return c.withStore(ctx, "export", feedbackExportHelp, args, 0, func(fs *flag.FlagSet) {
		ff.register(fs)
		fs.StringVar(&file, "csv", "", "the CSV `file` to write")
	}, func(s *feedbackSite, _ []string) error {
		if file == "" {
			return msgExportNeedsCSV.Error()
		}
		lq, err := ff.query(s.cfg.Location)
		if err != nil {
			return err
		}
		var cases []*feedback.Case
		if lq.Overdue {
			cases, err = feedback.OverdueCases(ctx, s.store, lq.Filter, s.cfg.Targets, time.Now())
		} else {
			cases, err = s.store.Cases(ctx, lq.Filter)
		}
		if err != nil {
			return err
		}
		f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if err := feedback.WriteCSV(f, cases, s.cfg.Location); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		c.env.say(c.env.stdout, msgExported, len(cases), file)
		return nil
	})
}

const feedbackPurgeHelp = `usage: lobby feedback purge [--now TIME] [--source DIR]

Deletes every case whose last change is older than feedback.retention
(default 730d), with its history, and overwrites the deleted text on disk.
--now judges age at another moment than the clock (2026-12-01T09:00:00+08:00).`

func (c *feedbackCmd) purge(ctx context.Context, args []string) error {
	var nowFlag string
	return c.withStore(ctx, "purge", feedbackPurgeHelp, args, 0, func(fs *flag.FlagSet) {
		fs.StringVar(&nowFlag, "now", "", "judge age at this `time` instead of the clock")
	}, func(s *feedbackSite, _ []string) error {
		now := time.Now()
		if nowFlag != "" {
			t, err := parseNow(nowFlag)
			if err != nil {
				return err
			}
			now = t
		}
		cutoff := now.Add(-s.cfg.Retention)
		n, err := s.store.Purge(ctx, cutoff)
		if err != nil {
			return err
		}
		c.env.say(c.env.stdout, msgPurged, n, cutoff.In(s.cfg.Location).Format("2006-01-02 15:04"))
		return nil
	})
}
