package site_test

import (
	"testing"

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
