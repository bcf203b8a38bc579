package site_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lobby-community/lobby"
	"github.com/lobby-community/lobby/internal/msg"
	"github.com/lobby-community/lobby/site"
	"github.com/lobby-community/lobby/site/sitetest"
)

// A notice that expires before its date would go straight to the archive:
// it is an error at the line and column of expires, in TOML and YAML.
func TestNoticeExpiringBeforeItsDateIsError(t *testing.T) {
	got := sitetest.BuildE(t, config+`-- content/notices/water.md --
+++
title = "停水通知"
date = 2026-11-25T09:00:00
urgency = "urgent"
  expires = 2025-11-26T18:00:00
+++
-- content/notices/lift.md --
---
title: 电梯维修
date: 2026-11-25
expires: 2026-11-24T18:00:00
---
`)
	assertErrors(t, got,
		"content/notices/lift.md:4:1: expires (2026-11-24 18:00:00) is before date (2026-11-25 00:00:00)",
		"content/notices/water.md:5:3: expires (2025-11-26 18:00:00) is before date (2026-11-25 09:00:00)")
}

// A notice that expires on the moment of its date, or has no date, is
// not this mistake.
func TestNoticeExpiringAtItsDateBuilds(t *testing.T) {
	sitetest.Build(t, config+`-- content/notices/a.md --
+++
title = "A"
date = 2026-11-25T09:00:00
expires = 2026-11-25T09:00:00
+++
-- content/notices/b.md --
+++
title = "B"
expires = 2026-11-24T09:00:00
+++
`)
}

// A folder whose name is close to a section lobby knows is taken for a
// misspelling, with the section it means; sections = […] in config.toml
// keeps a folder that is meant as it is.
func TestMisspeltSectionFolderIsError(t *testing.T) {
	pages := `-- content/notice/water.md --
+++
title = "停水通知"
+++
-- content/notice/lift.md --
+++
title = "电梯维修"
draft = true
+++
-- content/evnets/fair.md --
+++
title = "市集"
+++
-- content/Handbook/a.md --
+++
title = "手册"
+++
-- content/fee/q3.md --
+++
title = "三季度"
+++
-- content/news/a.md --
+++
title = "新闻"
+++
-- content/faqs/a.md --
+++
title = "常见问题"
+++
-- content/notices/x.md --
+++
title = "真正的通知"
+++
-- content/about.md --
+++
title = "关于"
+++
`
	got := sitetest.BuildE(t, config+pages)
	assertErrors(t, got,
		`content/Handbook: folder "Handbook" looks like a misspelling of the section "handbook": rename it to content/handbook/, or, if it is a section of its own, add sections = ["Handbook"] at the top of config.toml`,
		`content/evnets: folder "evnets" looks like a misspelling of the section "events"`,
		`content/fee: folder "fee" looks like a misspelling of the section "fees"`,
		`content/notice: folder "notice" looks like a misspelling of the section "notices"`)

	declared := strings.Replace(config, "[office]", `sections = ["notice", "evnets", "Handbook", "fee"]
[office]`, 1)
	r := sitetest.Build(t, declared+pages)
	r.AssertFile("notice/water/index.html", "停水通知")
}

// lobby serve --watch reports a misspelt folder too, even when all it
// holds is a draft (which a rebuild of bodies alone would not look at).
func TestMisspeltSectionFolderStopsRebuild(t *testing.T) {
	fsys := sitetest.FS(config + `-- content/notices/x.md --
+++
title = "通知"
+++
`)
	b := site.NewBuilder(fsys, lobby.Theme(), site.Options{Now: sitetest.Now}, "")
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	fsys["content/notice/draft.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"草稿\"\ndraft = true\n+++\n")}
	_, err := b.Rebuild([]string{"content/notice/draft.md"})
	if err == nil || !strings.Contains(err.Error(), `content/notice: folder "notice" looks like a misspelling`) {
		t.Errorf("rebuild with content/notice/draft.md: %v", err)
	}
}

// Staff who read Chinese get both mistakes in Chinese, at the same place.
func TestMistakesInChinese(t *testing.T) {
	_, err := site.Build(sitetest.FS(config+`-- content/notice/a.md --
+++
title = "停电通知"
+++
-- content/notices/a.md --
+++
title = "停水通知"
date = 2026-11-25
expires = 2026-11-20T18:00:00
+++
`), lobby.Theme(), site.Options{Now: sitetest.Now})
	var list site.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("build: %v", err)
	}
	got := list.In(msg.Zh)
	for _, want := range []string{
		`content/notice: 文件夹 "notice" 看起来是栏目 "notices" 拼错了：请改名为 content/notices/；如果它确实是单独的栏目，请在 config.toml 开头加上 sections = ["notice"]`,
		`content/notices/a.md:4:1: expires（2026-11-20 18:00:00）早于 date（2026-11-25 00:00:00）`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors in Chinese lack %q:\n%s", want, got)
		}
	}
}
