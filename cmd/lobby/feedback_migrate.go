package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

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
			return errors.New("migrate: --to STORE is required: postgres://user@host/database or sqlite:PATH")
		}
		kind, target, err := site.ParseStore(to)
		if err != nil {
			return fmt.Errorf("--to: %w", err)
		}
		dst, err := openStore(ctx, kind, target, ".", c.env.getenv)
		if err != nil {
			return err
		}
		defer dst.Close()
		imp, ok := dst.(importer)
		if !ok {
			return fmt.Errorf("migrate: %s stores cannot be copied into", kind)
		}
		if cs, err := dst.Cases(ctx, feedback.Filter{Limit: 1}); err != nil {
			return err
		} else if len(cs) > 0 {
			return fmt.Errorf("migrate: %s already holds cases: copy only into an empty store", to)
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
			return fmt.Errorf("migrate: the copy holds %d cases and %d history entries, the source %d and %d: do not switch stores",
				got.cases, got.events, src.cases, src.events)
		}
		fmt.Fprintf(c.env.stdout, "copied %d cases with %d history entries to %s; counts checked\n", got.cases, got.events, to)
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
