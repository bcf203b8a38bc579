package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby-community/lobby/internal/msg"
)

// withTargets appends service targets for repairs to a site's config.
func withTargets(t *testing.T, dir string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "config.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("\n[feedback.targets]\nrepair = { respond = \"4h\", resolve = \"2d\" }\n"); err != nil {
		t.Fatal(err)
	}
}

// The casework commands: overdue by the clock given with --now, notes and
// changes under a name, a phone follow-up, and show with all of it.
func TestFeedbackCaseworkCommands(t *testing.T) {
	dir, refs := feedbackTestSite(t) // a repair on 2024-01-10 01:00 UTC, a praise 40 days later
	withTargets(t, dir)
	repair := refs[0]

	out, _, err := runLobby(t, "feedback", "list", "--overdue", "--now", "2024-01-10T04:59:00Z", "--source", dir)
	if err != nil || strings.Contains(out, repair) {
		t.Errorf("--overdue before the target: %v\n%s", err, out)
	}
	out, _, err = runLobby(t, "feedback", "list", "--overdue", "--now", "2024-01-10T05:01:00Z", "--source", dir)
	if err != nil || !strings.Contains(out, repair) || !strings.Contains(out, "OVERDUE") || strings.Contains(out, refs[1]) {
		t.Errorf("--overdue past the target: %v\n%s", err, out)
	}
	out, _, err = runLobby(t, "feedback", "list", "--format", "json", "--now", "2024-01-10T05:01:00Z", "--source", dir)
	var cases []map[string]any
	if err != nil || json.Unmarshal([]byte(out), &cases) != nil || len(cases) != 2 || cases[0]["overdue"] == nil || cases[1]["overdue"] != nil {
		t.Errorf("json with overdue: %v\n%s", err, out)
	}
	out, _, err = runLobby(t, "feedback", "list", "--newest", "--category", "repair", "--unit", "3-", "--source", dir)
	if err != nil || !strings.Contains(out, repair) || strings.Contains(out, refs[1]) {
		t.Errorf("--category --unit: %v\n%s", err, out)
	}
	if _, _, err := runLobby(t, "feedback", "list", "--category", "lift", "--source", dir); err == nil || !strings.Contains(err.Error(), "unknown category") {
		t.Errorf("--category lift: %v", err)
	}

	steps := [][]string{
		{"note", repair, "已电话联系业主", "--by", "前台小张"},
		{"set", repair, "resolved", "--by", "李师傅", "--note", "换了灯泡"},
		{"followup", repair, "dissatisfied", "--comment", "还是一闪一闪", "--by", "前台小张"},
	}
	for _, args := range steps {
		if out, stderr, err := runLobby(t, append(append([]string{"feedback"}, args...), "--source", dir)...); err != nil {
			t.Fatalf("%v: %v\n%s%s", args, err, out, stderr)
		}
	}
	out, _, err = runLobby(t, "feedback", "show", repair, "--source", dir)
	for _, want := range []string{"Status:    in_progress", "[前台小张]", "[李师傅] 换了灯泡", "verdict dissatisfied (phone): 还是一闪一闪", "Overdue:   past its resolution target"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("show lacks %q (err %v):\n%s", want, err, out)
		}
	}
	if _, _, err := runLobby(t, "feedback", "followup", repair, "great", "--source", dir); err == nil || !strings.Contains(err.Error(), "not a verdict") {
		t.Errorf("followup with a bad verdict: %v", err)
	}
	if _, _, err := runLobby(t, "feedback", "followup", repair, "satisfied", "--source", dir); err == nil || !strings.Contains(err.Error(), "after it is resolved") {
		t.Errorf("followup of a case in progress: %v", err)
	}
	// The case's own rules speak the staff's language too.
	if _, _, err := runLobbyIn(t, msg.Zh, "feedback", "followup", repair, "satisfied", "--source", dir); err == nil || !strings.Contains(msg.ErrorIn(err, msg.Zh), "解决之后才能回访") {
		t.Errorf("followup of a case in progress, in Chinese: %v", msg.ErrorIn(err, msg.Zh))
	}
	if _, _, err := runLobbyIn(t, msg.Zh, "feedback", "set", repair, "received", "--source", dir); err == nil || !strings.Contains(msg.ErrorIn(err, msg.Zh), "不能退回") {
		t.Errorf("set back to received, in Chinese: %v", msg.ErrorIn(err, msg.Zh))
	}
	if _, _, err := runLobbyIn(t, msg.Zh, "feedback", "note", repair, " ", "--source", dir); err == nil || !strings.Contains(msg.ErrorIn(err, msg.Zh), "备注是空的") {
		t.Errorf("empty note in Chinese: %v", err)
	}
}
