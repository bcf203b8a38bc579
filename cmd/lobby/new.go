package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/site"
)

type newCmd struct {
	env env
	now func() time.Time
}

const newHelp = `usage: lobby new KIND TITLE [--source DIR]

Creates a page in content/ with KIND's front matter filled in and today's
date in the site's time zone. The page is a draft: lobby build leaves it
out until the line draft = true is deleted. KIND is one of notice, event,
newsletter, fee, handbook, survey, page. The file is named after the title;
notices and newsletters get a date prefix. An existing file is never
overwritten.`

func (c *newCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("new", newHelp, c.env.stderr)
	source := fs.String("source", ".", "the site's `folder`")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 2 {
		fs.Usage()
		return errReported
	}
	cfg, err := site.LoadConfig(os.DirFS(*source))
	if err != nil {
		return err
	}
	now := time.Now()
	if c.now != nil {
		now = c.now()
	}
	rel, data, err := site.NewPage(rest[0], rest[1], now, cfg.Location)
	if err != nil {
		return err
	}
	path := filepath.Join(*source, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return msgFileExists.Error(path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	c.env.say(c.env.stdout, msgCreatedDraft, path, site.DraftLine)
	return nil
}

var msgCreatedDraft = msg.Message{
	En: "created %s\nit is a draft: lobby build leaves it out until you delete the line %q from its front matter",
	Zh: "已创建 %s\n这是一篇草稿：删除前言中的 %q 这一行之前，lobby build 不会发布它",
}

type initCmd struct {
	env env
	// info, if set, replaces the binary's own build information (tests).
	info *debug.BuildInfo
}

const initHelp = `usage: lobby init DIR

Creates a new community site in DIR: config.toml, one example page per
section, and a GitHub Actions workflow that checks pull requests, builds and
deploys public/ to GitHub Pages on every commit to main (at the address the
Pages configuration gives, so project sites under /REPO/ work), and rebuilds
daily so notices expire on time. The workflow installs the version of lobby
that ran init; upgrade by changing LOBBY_VERSION in it. DIR must be empty or
not exist.`

func (c *initCmd) Run(ctx context.Context, args []string) error {
	flags := newFlagSet("init", initHelp, c.env.stderr)
	rest, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		flags.Usage()
		return errReported
	}
	dir := rest[0]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return msgInitNotEmpty.Error(dir)
	}
	info := c.info
	if info == nil {
		info, _ = debug.ReadBuildInfo()
	}
	vars := skeletonVars(info)
	err = fs.WalkDir(skeleton, "skeleton", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		out := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "skeleton")))
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := fs.ReadFile(skeleton, p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(out, ".tmpl") {
			out = strings.TrimSuffix(out, ".tmpl")
			if data, err = fillSkeleton(p, data, vars); err != nil {
				return err
			}
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		return err
	}
	c.env.say(c.env.stdout, msgInitDone, dir)
	return nil
}
