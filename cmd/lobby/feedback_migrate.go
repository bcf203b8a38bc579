package main

import (
	"context"
	"flag"

	"github.com/lobby-community/lobby/feedback"
	"github.com/lobby-community/lobby/site"
)

const feedbackMigrateHelp = `usage: lobby feedback migrate --to STORE [--source DIR]

Copies every case, with its reference, idempotency key and history, from
the store of the site's config.toml into STORE, which must be empty, then
checks that both hold as many cases and history entries. STORE is written
as feedback.store is: postgres://user@host/database?sslmode=require (the
password from LOBBY_DATABASE_PASSWORD or ~/.pgpass), or sqlite:PATH (PATH
relative to the current folder). Afterwards, point feedback.store at STORE.

Stop the servers first, or cases sent during the copy stay behind. Staff
sessions are not copied (staff log in again), nor are the references given
to submissions caught by the honeypot.`

// migratePage is how many cases one transaction of the copy carries.
const migratePage = 500

// importer is a store that takes cases as they are, references and
// history included.
type importer interface {
	Import(ctx context.Context, cases []*feedback.Case) error
}

func (c *feedbackCmd) migrate(ctx context.Context, args []string) error {
	var to string
	return c.withStore(ctx, "migrate", feedbackMigrateHelp, args, 0, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "the `store` to copy into: postgres://… or sqlite:PATH")
	}, func(s *feedbackSite, _ []string) error {
		if to == "" {
			return msgMigrateNeedsTo.Error()
		}
		kind, target, err := site.ParseStore(to)
		if err != nil {
			return msgFlagValue.Error("--to", err)
		}
		dst, err := openStore(ctx, kind, target, ".", c.env.getenv)
		if err != nil {
			return err
		}
		defer dst.Close()
		imp, ok := dst.(importer)
		if !ok {
			return msgMigrateKind.Error(kind)
		}
		if cs, err := dst.Cases(ctx, feedback.Filter{Limit: 1}); err != nil {
			return err
		} else if len(cs) > 0 {
			return msgMigrateNotEmpty.Error(to)
		}
		copied, err := copyCases(ctx, s.store, imp)
		if err != nil {
			return err
		}
		src, err := countCases(ctx, s.store)
		if err != nil {
			return err
		}
		got, err := countCases(ctx, dst)
		if err != nil {
			return err
		}
		if got != src || copied.cases != src.cases {
			return msgMigrateCounts.Error(got.cases, got.events, src.cases, src.events)
		}
		c.env.say(c.env.stdout, msgMigrated, got.cases, got.events, to)
		return nil
	})
}

// counts are what migrate compares between source and copy.
type counts struct{ cases, events int }

// copyCases copies src into dst a page at a time, in list order.
func copyCases(ctx context.Context, src feedback.Store, dst importer) (counts, error) {
	var n counts
	var after feedback.Cursor
	for {
		cs, err := src.Cases(ctx, feedback.Filter{After: after, Limit: migratePage})
		if err != nil {
			return n, err
		}
		if len(cs) == 0 {
			return n, nil
		}
		if err := dst.Import(ctx, cs); err != nil {
			return n, err
		}
		for _, c := range cs {
			n.cases++
			n.events += len(c.History)
		}
		after = feedback.CursorOf(cs[len(cs)-1])
	}
}

// countCases counts the cases of s and their history entries.
func countCases(ctx context.Context, s feedback.Store) (counts, error) {
	var n counts
	var after feedback.Cursor
	for {
		cs, err := s.Cases(ctx, feedback.Filter{After: after, Limit: migratePage})
		if err != nil {
			return n, err
		}
		if len(cs) == 0 {
			return n, nil
		}
		for _, c := range cs {
			n.cases++
			n.events += len(c.History)
		}
		after = feedback.CursorOf(cs[len(cs)-1])
	}
}
