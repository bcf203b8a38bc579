package site_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lobby-community/lobby/site"
)

func TestServiceTimeAsStaffWriteIt(t *testing.T) {
	good := map[string]time.Duration{
		"4h": 4 * time.Hour, "48h": 48 * time.Hour, "2d": 48 * time.Hour, "30m": 30 * time.Minute,
		"1d12h": 36 * time.Hour, "1d 12h": 36 * time.Hour, "90min": 90 * time.Minute,
		"4小时": 4 * time.Hour, "2天": 48 * time.Hour, "30分钟": 30 * time.Minute, "1天12小时": 36 * time.Hour,
	}
	for s, want := range good {
		if got, err := site.ParseServiceTime(s); err != nil || got != want {
			t.Errorf("ParseServiceTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "4", "h", "4 hours", "4hours", "-4h", "4.5h", "0h", "4s", "四小时", "9999999h"} {
		if got, err := site.ParseServiceTime(s); err == nil {
			t.Errorf("ParseServiceTime(%q) = %v, want an error", s, got)
		}
	}
}

func TestServiceTargetsReadByCategory(t *testing.T) {
	cfg, err := site.ParseConfig([]byte(`title = "x"
baseURL = "https://example.org/"

[feedback.targets]
repair = { respond = "4h", resolve = "48h" }
complaint = { respond = "24小时" }

[feedback.targets.inquiry]
resolve = "2d"
`))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Feedback.ServiceTargets()
	want := map[string][2]time.Duration{
		"repair":    {4 * time.Hour, 48 * time.Hour},
		"complaint": {24 * time.Hour, 0},
		"inquiry":   {0, 48 * time.Hour},
	}
	if len(got) != len(want) {
		t.Fatalf("targets %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("targets[%s] = %v, want %v", k, got[k], v)
		}
	}
}

func TestServiceTargetMistakesAtTheirLine(t *testing.T) {
	for _, tc := range []struct{ name, toml, want string }{
		{"bad time", `[feedback.targets]
repair = { respond = "4 hours" }`, `config.toml:5:1: feedback.targets.repair.respond: "4 hours" is not a time such as "4h"`},
		{"bad time in a table", `[feedback.targets.repair]
respond = "4h"
resolve = "two days"`, `config.toml:6:1: feedback.targets.repair.resolve: "two days" is not a time`},
		{"unknown category", `[feedback.targets]
repairs = { respond = "4h" }`, `config.toml:5:1: feedback.targets: unknown category "repairs": use inquiry, complaint, repair, suggestion, praise`},
		{"unknown category table", `[feedback.targets.lift]
respond = "4h"`, `config.toml:5:1: feedback.targets: unknown category "lift"`},
		{"resolve before respond", `[feedback.targets]
complaint = { respond = "24h", resolve = "4h" }`, `config.toml:5:1: feedback.targets.complaint: resolve (4h) is shorter than respond (24h)`},
		{"unknown key", `[feedback.targets]
repair = { respnd = "4h" }`, `config.toml:5:1: unknown key "feedback.targets.repair.respnd"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := site.ParseConfig([]byte("title = \"x\"\nbaseURL = \"https://example.org/\"\n\n" + tc.toml + "\n"))
			if err == nil {
				t.Fatal("no error")
			}
			assertErrors(t, strings.Split(strings.TrimSpace(err.Error()), "\n"), tc.want)
		})
	}
}
